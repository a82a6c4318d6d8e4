"""What the duty app does at the hooks of the apps below it (core/hooks.py)."""

from __future__ import annotations

from xieshang.core.hooks import Section
from xieshang.duty.selectors.roster import workroom_duty_this_week
from xieshang.workrooms import hooks as workroom_hooks
from xieshang.workrooms.models import Workroom


def on_duty_this_week(workroom: Workroom) -> Section:
    """On the public workroom page: who is on duty this week."""
    return Section(
        "duty/hooks/on_duty.html", {"shifts": workroom_duty_this_week(workroom=workroom)}, 10
    )


def connect() -> None:
    workroom_hooks.public_sections.register(on_duty_this_week)
