from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionsConfig(AppConfig):
    name = "xieshang.opinions"
    label = "opinions"
    verbose_name = _("Public-opinion information")

    def ready(self) -> None:
        from xieshang.opinions import receivers

        receivers.connect()
