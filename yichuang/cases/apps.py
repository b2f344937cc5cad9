from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "yichuang.cases"
    label = "cases"
    verbose_name = "办件"

    def ready(self):
        from yichuang.core import inbox
        from yichuang.workdays import clocks

        from . import escalation
        from .clock_recompute import recompute_case_deadlines
        from .inbox import SOURCES

        escalation.register_reminders()
        clocks.register(recompute_case_deadlines, name="cases")
        for source in SOURCES:
            inbox.register(source)
