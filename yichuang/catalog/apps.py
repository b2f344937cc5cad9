from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "yichuang.catalog"
    label = "catalog"
    verbose_name = "服务事项"
