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

        # The calling console opens the intake with ?ticket=: the served ticket points at
        # the case created from it (cases cannot import appointments).
        intake_sources.register("ticket", link_case)
        for source in SOURCES:
            inbox.register(source)
