from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutyConfig(AppConfig):
    name = "xieshang.duty"
    label = "duty"
    verbose_name = _("Duty and booked talks")

    def ready(self) -> None:
        from xieshang.duty import receivers

        receivers.connect()
