from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "yichuang.cases"
    label = "cases"
    verbose_name = "办件"

    def ready(self):
        from yichuang.core import escalation
        from yichuang.workdays import clocks

        from .clock_recompute import recompute_case_deadlines
        from .escalation import case_reminders

        clocks.register(recompute_case_deadlines, name="cases")
        escalation.register(case_reminders, name="cases")
