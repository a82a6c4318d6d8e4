from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "xieshang.insights"
    label = "insights"
    verbose_name = _("Triage aids")

    def ready(self) -> None:
        from xieshang.insights import rules  # noqa: F401
