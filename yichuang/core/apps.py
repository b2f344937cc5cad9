from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yichuang.core"
    label = "core"
    verbose_name = "公共"
