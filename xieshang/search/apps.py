from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "xieshang.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from xieshang.search import receivers, rules  # noqa: F401

        receivers.connect()
