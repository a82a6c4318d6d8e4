from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "xieshang.activities"
    label = "activities"
    verbose_name = _("Duty activities")

    def ready(self) -> None:
        from xieshang.activities import receivers

        receivers.connect()
