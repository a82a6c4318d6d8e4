from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "xieshang.core"
    label = "core"
    verbose_name = _("Committees and timeline")

    def ready(self) -> None:
        from xieshang.core import redact

        # Every log record of the process, from any logger (gunicorn's access log, Celery,
        # Django), has its tracking codes, booking links and SMS codes masked.
        redact.install()
