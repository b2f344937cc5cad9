from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "yichuang.cases"
    label = "cases"
    verbose_name = "办件"

    def ready(self):
        from yichuang.workdays import clocks

        from . import escalation
        from .clock_recompute import recompute_case_deadlines

        escalation.register_reminders()
        clocks.register(recompute_case_deadlines, name="cases")
