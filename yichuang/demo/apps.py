from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo hall: sits above every other app, so it may seed them all."""

    name = "yichuang.demo"
    label = "demo"
    verbose_name = "演示数据"
