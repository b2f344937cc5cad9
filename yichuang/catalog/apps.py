from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "yichuang.catalog"
    label = "catalog"
    verbose_name = "服务事项"

    def ready(self):
        from . import checks  # noqa: F401  (registers the check of HALL_REGION_CODE)
