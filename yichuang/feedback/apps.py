from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "yichuang.feedback"
    label = "feedback"
    verbose_name = "评价、投诉与回访"

    def ready(self):
        from django.core import checks

        from yichuang.cases import figure_days
        from yichuang.core import inbox
        from yichuang.workdays import clocks

        from . import escalation
        from .clock_recompute import recompute_complaint_due_dates, recompute_follow_up_due_dates
        from .flows import complaint_days_by_case
        from .inbox import SOURCES
        from .provincial import check_provincial_codes

        checks.register(check_provincial_codes, checks.Tags.compatibility)
        escalation.register_reminders()
        clocks.register(recompute_follow_up_due_dates, name="follow_ups")
        clocks.register(recompute_complaint_due_dates, name="complaints")
        figure_days.register_days_by_case(complaint_days_by_case, name="complaints")
        for source in SOURCES:
            inbox.register(source)
