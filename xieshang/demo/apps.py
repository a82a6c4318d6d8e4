from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data (`manage.py seed_demo`): the article's committees, people, workrooms,
    suggestions, proposals… loaded through the apps' services. On top of every app."""

    name = "xieshang.demo"
    label = "demo"
    verbose_name = _("Demo data")
