from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "yichuang.appointments"
    label = "appointments"
    verbose_name = "预约与取号叫号"

    def ready(self):
        from yichuang.cases import intake_sources
        from yichuang.core import inbox

        from .inbox import SOURCES
        from .services import link_case
        from .views.console import back_to_console

        # The calling console opens the intake with ?ticket=: the served ticket points at
        # the case created from it, and the printed notice leads back to the console (cases
        # cannot import appointments).
        intake_sources.register("ticket", link_case, back=back_to_console)
        for source in SOURCES:
            inbox.register(source)
