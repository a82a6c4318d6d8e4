"""Writes of the workrooms app."""

from __future__ import annotations

from typing import Any

from xieshang.core.models import Event
from xieshang.workrooms.models import Workroom
from xieshang.workrooms.workflow import WORKROOM_WORKFLOW


def workroom_transition(
    *, workroom: Workroom, action: str, actor: Any, note: str = "", expected_state: str | None
) -> Event:
    """Activate, suspend or resume a workroom through its workflow; the event is the record."""
    return WORKROOM_WORKFLOW.apply(
        workroom, action=action, actor=actor, note=note, expected_state=expected_state
    )
