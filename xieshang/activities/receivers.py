"""What the activities app does at the hooks of the apps below it (core/hooks.py)."""

from __future__ import annotations

from typing import Any

from xieshang.activities.selectors import workroom_activity_log
from xieshang.core.hooks import Section
from xieshang.workrooms import hooks as workroom_hooks
from xieshang.workrooms.models import Workroom


def public_log(workroom: Workroom) -> Section:
    """On the public workroom page: what its members have done (dates, kinds, titles,
    names, citizens reached — no notes, no photos)."""
    return Section(
        "activities/hooks/public_log.html",
        {"activities": workroom_activity_log(workroom=workroom, limit=10)},
        order=60,
    )


def detail_log(user: Any, workroom: Workroom) -> Section:
    """On the staff's workroom page: its activity log, and a button to record one."""
    return Section(
        "activities/hooks/detail_log.html",
        {
            "workroom": workroom,
            "activities": workroom_activity_log(workroom=workroom),
            "can_record": user.has_perm("activities.record_activity", workroom.committee),
        },
        order=50,
    )


def connect() -> None:
    workroom_hooks.public_sections.register(public_log)
    workroom_hooks.detail_sections.register(detail_log)
