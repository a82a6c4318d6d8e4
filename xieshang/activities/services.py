"""Writes of the activities app: a committee's activity kinds, and the duty activities
members record. Each service checks who acts, writes in one transaction and leaves an
event."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.activities.models import (
    DEFAULT_ACTIVITY_KINDS,
    Activity,
    ActivityAction,
    ActivityKind,
    ActivityPhoto,
)
from xieshang.core.errors import DomainError
from xieshang.core.models import Committee
from xieshang.core.photos import CleanPhoto
from xieshang.core.rules import require
from xieshang.core.services import event_record
from xieshang.people.models import Member
from xieshang.suggestions.models import Suggestion
from xieshang.workrooms.models import Workroom

MAX_ACTIVITY_PHOTOS = 9


def activity_kinds_install_defaults(*, committee: Committee) -> int:
    """Give a committee without activity kinds the default list; returns how many were
    created (0 when it has its own list already)."""
    with transaction.atomic():
        Committee.objects.select_for_update().get(pk=committee.pk)
        if ActivityKind.objects.filter(committee=committee).exists():
            return 0
        ActivityKind.objects.bulk_create(
            ActivityKind(committee=committee, name=name, order=index)
            for index, name in enumerate(DEFAULT_ACTIVITY_KINDS, start=1)
        )
    return len(DEFAULT_ACTIVITY_KINDS)


@dataclass(frozen=True)
class ActivityInput:
    """An activity as validated by the form, ready to store."""

    kind: ActivityKind
    title: str
    date: date
    members: Sequence[Member]
    workroom: Workroom | None = None
    citizens_reached: int = 0
    issues_collected: int = 0
    suggestions: Sequence[Suggestion] = field(default_factory=tuple)
    note: str = ""
    photos: Sequence[CleanPhoto] = field(default_factory=tuple)


def _check_activity(
    committee: Committee,
    data: ActivityInput,
    *,
    photos_before: int,
    before: Activity | None = None,
) -> None:
    """Every reference must be the committee's own: nothing of another committee is
    named in its records (and so counted in its figures). A kind must be in use and a
    member serving — except, when correcting `before`, the kind and members it already
    has: a retired kind or a member who left since may stay, but not be added."""
    cid = committee.pk
    kept_kind = before.kind_id if before is not None else None
    kept_members = set(before.members.values_list("pk", flat=True)) if before else set()
    if data.kind.committee_id != cid or not (data.kind.is_active or data.kind.pk == kept_kind):
        raise DomainError(_("Choose one of the committee's activity kinds."))
    if data.workroom is not None and data.workroom.committee_id != cid:
        raise DomainError(_("The workroom belongs to another committee; choose one of yours."))
    if not data.members:
        raise DomainError(_("Name at least one member who took part."))
    if any(
        m.committee_id != cid or not (m.is_active or m.pk in kept_members) for m in data.members
    ):
        raise DomainError(_("Only serving members of the committee can be named as taking part."))
    if any(s.committee_id != cid for s in data.suggestions):
        raise DomainError(_("Only the committee's own suggestions can be linked."))
    if data.date > timezone.localdate():
        raise DomainError(_("An activity cannot be recorded for a date in the future."))
    if not data.title.strip():
        raise DomainError(_("Give the activity a title."))
    if data.citizens_reached < 0 or data.issues_collected < 0:
        raise DomainError(_("Counts cannot be negative."))
    if data.issues_collected < len(set(data.suggestions)):
        raise DomainError(_("Issues collected cannot be fewer than the suggestions linked."))
    if photos_before + len(data.photos) > MAX_ACTIVITY_PHOTOS:
        raise DomainError(_("At most %(n)d photos.") % {"n": MAX_ACTIVITY_PHOTOS})


def _save_photos(activity: Activity, photos: Sequence[CleanPhoto]) -> None:
    for photo in photos:
        record = ActivityPhoto(activity=activity, width=photo.width, height=photo.height)
        record.image.save(photo.name, ContentFile(photo.content), save=False)
        record.save()


def activity_record(*, committee: Committee, data: ActivityInput, actor: Any) -> Activity:
    """Record a duty activity for the committee (谁组织谁记录). The row, its members,
    linked suggestions, photos and the event are written together or not at all."""
    require(actor, "activities.record_activity", committee)
    _check_activity(committee, data, photos_before=0)
    with transaction.atomic():
        activity = Activity.objects.create(
            committee=committee,
            kind=data.kind,
            title=data.title.strip(),
            date=data.date,
            workroom=data.workroom,
            citizens_reached=data.citizens_reached,
            issues_collected=data.issues_collected,
            note=data.note.strip(),
            recorded_by=actor,
        )
        activity.members.set(data.members)
        activity.suggestions.set(data.suggestions)
        _save_photos(activity, data.photos)
        event_record(
            obj=activity,
            committee_id=committee.pk,
            actor=actor,
            action=ActivityAction.ACTIVITY_RECORD,
            note=activity.title,
        )
    return activity


def activity_update(
    *,
    activity: Activity,
    data: ActivityInput,
    actor: Any,
    remove_photo_ids: Sequence[int] = (),
) -> Activity:
    """Correct an activity: its recorder or the committee's staff. New photos are added,
    the ones named in `remove_photo_ids` removed; the event names what changed."""
    require(actor, "activities.change_activity", activity)
    committee = activity.committee
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        removed = list(locked.photos.filter(pk__in=list(remove_photo_ids)))
        _check_activity(
            committee, data, photos_before=locked.photos.count() - len(removed), before=locked
        )
        before = {
            "kind": locked.kind_id,
            "title": locked.title,
            "date": locked.date,
            "workroom": locked.workroom_id,
            "citizens_reached": locked.citizens_reached,
            "issues_collected": locked.issues_collected,
            "note": locked.note,
            "members": set(locked.members.values_list("pk", flat=True)),
            "suggestions": set(locked.suggestions.values_list("pk", flat=True)),
        }
        locked.kind = data.kind
        locked.title = data.title.strip()
        locked.date = data.date
        locked.workroom = data.workroom
        locked.citizens_reached = data.citizens_reached
        locked.issues_collected = data.issues_collected
        locked.note = data.note.strip()
        locked.save()
        locked.members.set(data.members)
        locked.suggestions.set(data.suggestions)
        after = {
            "kind": locked.kind_id,
            "title": locked.title,
            "date": locked.date,
            "workroom": locked.workroom_id,
            "citizens_reached": locked.citizens_reached,
            "issues_collected": locked.issues_collected,
            "note": locked.note,
            "members": {m.pk for m in data.members},
            "suggestions": {s.pk for s in data.suggestions},
        }
        changed = [_field_label(name) for name in before if before[name] != after[name]]
        names = [r.image.name for r in removed]
        for record in removed:
            record.delete()
        _save_photos(locked, data.photos)
        if removed or data.photos:
            changed.append(str(ActivityPhoto._meta.verbose_name_plural))
        event_record(
            obj=locked,
            committee_id=committee.pk,
            actor=actor,
            action=ActivityAction.ACTIVITY_EDIT,
            note="、".join(changed),
        )
    if names:
        transaction.on_commit(lambda: _delete_files(names))
    return locked


def _field_label(name: str) -> str:
    field = Activity._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def _delete_files(names: Sequence[str]) -> None:
    storage = ActivityPhoto._meta.get_field("image").storage
    for name in names:
        storage.delete(name)
