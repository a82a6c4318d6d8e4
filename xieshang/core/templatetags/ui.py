"""The design system's template tags (issue 22): `{% load ui %}`.

- `{% status_badge obj %}` — a record's state as a badge coloured by its family (waiting,
  in hand, answered, closed, refused); `{% status_badge value label %}` for a bare value.
- `{% steps names current %}` — the step indicator of a multi-step flow.
- `{% icon "name" %}` — a Bootstrap Icons glyph, hidden from screen readers (the text
  next to it says what it means); `{% icon "name" label %}` when it stands alone.

The families are read from the apps' workflows: each state value belongs to one, and a
model whose value means something else (a referral's "replied" still waits for approval)
says so in FAMILY_BY_MODEL. Core sits below the apps, so the models are named, not imported.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

WAITING, IN_HAND, ANSWERED, CLOSED, REFUSED = "waiting", "inhand", "answered", "closed", "refused"

FAMILY_BY_VALUE: dict[str, str] = {
    # Waiting for someone to act.
    "new": WAITING,
    "submitted": WAITING,
    "sent": WAITING,
    "assigned": WAITING,
    "awaiting_approval": WAITING,
    "return_requested": WAITING,
    "invited": WAITING,
    "nominated": WAITING,
    "requested": WAITING,
    "agreed": WAITING,
    "planned": WAITING,
    "preparing": WAITING,
    "draft": WAITING,
    "scheduled": WAITING,
    "reply_drafted": WAITING,
    # In hand.
    "triage": IN_HAND,
    "handling": IN_HAND,
    "signed": IN_HAND,
    "in_progress": IN_HAND,
    "rehandling": IN_HAND,
    "accepted": IN_HAND,
    "checked_in": IN_HAND,
    "under_way": IN_HAND,
    "active": IN_HAND,
    "issued": IN_HAND,
    "confirmed": IN_HAND,
    "partly": IN_HAND,
    # Answered, done.
    "answered": ANSWERED,
    "replied": ANSWERED,
    "approved": ANSWERED,
    "resolved": ANSWERED,
    "adopted": ANSWERED,
    "chosen": ANSWERED,
    "completed": ANSWERED,
    "done": ANSWERED,
    "present": ANSWERED,  # at a plenary or standing meeting
    # Closed without an answer of its own.
    "closed": CLOSED,
    "merged": CLOSED,
    "withdrawn": CLOSED,
    "returned": CLOSED,
    "cancelled": CLOSED,
    "suspended": CLOSED,
    "leave": CLOSED,  # 请假
    "excused": CLOSED,  # 公假
    # Refused.
    "rejected": REFUSED,
    "not_accepted": REFUSED,
    "not_possible": REFUSED,
    "declined": REFUSED,
    "not_adopted": REFUSED,
    "no_show": REFUSED,
    "absent": REFUSED,  # absent without leave
}

FAMILY_BY_MODEL: dict[tuple[str, str], str] = {
    ("suggestions.referral", "replied"): WAITING,
    ("suggestions.escalation", "sent"): WAITING,
    ("consultations.sending", "replied"): WAITING,
    ("consultations.sending", "sent"): WAITING,
    ("consultations.topic", "closed"): ANSWERED,
    ("consultations.invitation", "accepted"): ANSWERED,
    ("proposals.proposalreply", "sent"): ANSWERED,
    ("proposals.assignment", "replied"): ANSWERED,
    ("duty.booking", "confirmed"): WAITING,
    ("duty.shiftchange", "approved"): ANSWERED,
}


def status_family(value: str, model: str = "") -> str:
    """The family of a state value (closed when it is not known)."""
    return FAMILY_BY_MODEL.get((model, value)) or FAMILY_BY_VALUE.get(value, CLOSED)


@register.simple_tag
def status_badge(
    obj: Any, label: str | None = None, *, field: str = "status", id: str = ""
) -> SafeString:
    """A state as a badge: `obj` is a record with a choices field (its `status` unless
    `field` says otherwise) or a bare value with its `label`."""
    if isinstance(obj, str):
        value, text, model = obj, label or obj, ""
    else:
        value = str(getattr(obj, field, "") or "")
        display = getattr(obj, f"get_{field}_display", None)
        text = label or (str(display()) if callable(display) else value)
        model = obj._meta.label_lower if hasattr(obj, "_meta") else ""
    return SafeString(
        render_to_string(
            "components/status_badge.html",
            {"family": status_family(value, model), "label": text, "value": value, "id": id},
        )
    )


@register.simple_tag
def steps(current: int, *names: str, label: str = "") -> SafeString:
    """The step indicator: `{% steps 2 "Fill in" "Check" "Done" %}` — the step `current`
    (counted from 1) is highlighted, those before it are done."""
    rows = [
        {"name": name, "state": "done" if n < current else "current" if n == current else ""}
        for n, name in enumerate(names, start=1)
    ]
    return SafeString(
        render_to_string(
            "components/steps.html",
            {"steps": rows, "current": current, "total": len(names), "label": label},
        )
    )


@register.simple_tag
def icon(name: str, label: str = "", css: str = "") -> SafeString:
    """A Bootstrap Icons glyph; decorative unless a `label` is given."""
    classes = f"bi bi-{name} {css}".strip()
    if label:
        return format_html('<i class="{}" role="img" aria-label="{}"></i>', classes, label)
    return format_html('<i class="{}" aria-hidden="true"></i>', classes)
