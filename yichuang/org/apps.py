from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "yichuang.org"
    label = "org"
    verbose_name = "组织与岗位"
