from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "yichuang.portal"
    label = "portal"
    verbose_name = "门户与大厅屏幕"
