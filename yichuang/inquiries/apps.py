from django.apps import AppConfig


class InquiriesConfig(AppConfig):
    name = "yichuang.inquiries"
    label = "inquiries"
    verbose_name = "咨询与首问负责"
