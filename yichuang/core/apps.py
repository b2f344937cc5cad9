from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yichuang.core"
    label = "core"
    verbose_name = "公共"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deploy checks of the keys)
