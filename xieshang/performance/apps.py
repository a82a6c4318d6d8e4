from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "xieshang.performance"
    label = "performance"
    verbose_name = _("Duty record and points")

    def ready(self) -> None:
        from xieshang.performance import receivers, rules  # noqa: F401

        receivers.connect()
