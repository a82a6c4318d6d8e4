from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "xieshang.consultations"
    label = "consultations"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        from xieshang.consultations import receivers

        receivers.connect()
