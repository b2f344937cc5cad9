from django.apps import AppConfig


class InquiriesConfig(AppConfig):
    name = "yichuang.inquiries"
    label = "inquiries"
    verbose_name = "咨询与首问负责"

    def ready(self):
        from yichuang.core import inbox
        from yichuang.workdays import clocks

        from .clock_recompute import recompute_inquiry_due_dates
        from .inbox import SOURCES

        clocks.register(recompute_inquiry_due_dates, name="inquiries")
        for source in SOURCES:
            inbox.register(source)
