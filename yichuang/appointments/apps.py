from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "yichuang.appointments"
    label = "appointments"
    verbose_name = "预约与取号叫号"
