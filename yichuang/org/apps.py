from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "yichuang.org"
    label = "org"
    verbose_name = "组织与岗位"

    def ready(self):
        from yichuang.core import inbox

        from .inbox import SOURCES

        for source in SOURCES:
            inbox.register(source)
