from django.apps import AppConfig


class InquiriesConfig(AppConfig):
    name = "yichuang.inquiries"
    label = "inquiries"
    verbose_name = "咨询与首问负责"

    def ready(self):
        from yichuang.workdays import clocks

        from .clock_recompute import recompute_inquiry_due_dates

        clocks.register(recompute_inquiry_due_dates, name="inquiries")
