"""Writes of the core app: the event timeline."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from xieshang.core.models import ActorKind, Event, EventAction


def event_record(
    *,
    obj: models.Model,
    committee_id: int,
    actor: Any,
    action: EventAction,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    is_public: bool = False,
) -> Event:
    """Append one event to the object's timeline.

    `actor` is a user, or one of `ActorKind.CITIZEN` / `ActorKind.SYSTEM`; `action` is a
    member of the app's `EventAction` enum, so every timeline can say it in words.
    """
    if actor in (ActorKind.CITIZEN, ActorKind.SYSTEM):
        user, kind = None, ActorKind(actor)
    else:
        user, kind = actor, ActorKind.USER
    return Event.objects.create(
        committee_id=committee_id,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        actor=user,
        actor_kind=kind,
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=note.strip(),
        is_public=is_public,
    )
