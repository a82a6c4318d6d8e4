"""Writes of the workrooms app: the workroom's status, its standard checklist and its
evidence, and the duty activities members record. Each service checks who acts, writes
in one transaction and leaves an event."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.errors import Conflict, DomainError
from xieshang.core.models import Committee, Event
from xieshang.core.photos import CleanPhoto
from xieshang.core.rules import require
from xieshang.core.services import event_record
from xieshang.people.models import Member
from xieshang.suggestions.models import Suggestion
from xieshang.workrooms.models import (
    DEFAULT_ACTIVITY_KINDS,
    DEFAULT_CHECKLIST,
    Activity,
    ActivityKind,
    ActivityPhoto,
    ChecklistEvidence,
    ChecklistItem,
    Workroom,
    WorkroomAction,
)
from xieshang.workrooms.workflow import WORKROOM_WORKFLOW

MAX_ACTIVITY_PHOTOS = 9


def workroom_transition(
    *, workroom: Workroom, action: str, actor: Any, note: str = "", expected_state: str | None
) -> Event:
    """Activate, suspend or resume a workroom through its workflow; the event is the record."""
    return WORKROOM_WORKFLOW.apply(
        workroom, action=action, actor=actor, note=note, expected_state=expected_state
    )


# --- The standard checklist (五有) -------------------------------------------------


def checklist_install_defaults(*, committee: Committee, actor: Any) -> int:
    """Give a committee without a standard the default one (白云's 五有). Returns the
    number of items created: 0 when the committee already has items (it keeps its own)."""
    require(actor, "workrooms.install_checklist", committee)
    with transaction.atomic():
        # Lock the committee row so two clicks cannot both find the list empty.
        Committee.objects.select_for_update().get(pk=committee.pk)
        if ChecklistItem.objects.filter(committee=committee).exists():
            return 0
        ChecklistItem.objects.bulk_create(
            ChecklistItem(committee=committee, name=name, order=index)
            for index, name in enumerate(DEFAULT_CHECKLIST, start=1)
        )
        event_record(
            obj=committee,
            committee_id=committee.pk,
            actor=actor,
            action=WorkroomAction.CHECKLIST_INSTALL,
            note="、".join(DEFAULT_CHECKLIST),
        )
    return len(DEFAULT_CHECKLIST)


def evidence_record(
    *,
    workroom: Workroom,
    item: ChecklistItem,
    text: str,
    photo: CleanPhoto | None = None,
    actor: Any,
) -> ChecklistEvidence:
    """Record (or replace) the workroom's evidence for one standard item. New evidence
    always waits for staff to confirm it again; a photo left out keeps the earlier one."""
    if item.committee_id != workroom.committee_id or not item.is_active:
        raise DomainError(_("This item is not part of the workroom's standard."))
    require(actor, "workrooms.record_evidence", workroom)
    text = text.strip()
    if not text:
        raise DomainError(_("Describe the evidence."))
    old_photo = ""
    with transaction.atomic():
        evidence = (
            ChecklistEvidence.objects.select_for_update()
            .filter(workroom=workroom, item=item)
            .first()
        )
        if evidence is None:
            evidence = ChecklistEvidence(workroom=workroom, item=item)
        evidence.text = text
        evidence.recorded_by = actor
        evidence.confirmed_by = None
        evidence.confirmed_at = None
        if photo is not None:
            old_photo = evidence.photo.name if evidence.photo else ""
            evidence.photo.save(photo.name, ContentFile(photo.content), save=False)
        evidence.save()
        event_record(
            obj=workroom,
            committee_id=workroom.committee_id,
            actor=actor,
            action=WorkroomAction.EVIDENCE_RECORD,
            note=f"{item.name}：{text[:200]}",
        )
    if old_photo:
        storage = evidence.photo.storage
        transaction.on_commit(lambda: storage.delete(old_photo))
    return evidence


def evidence_confirm(
    *, evidence: ChecklistEvidence, actor: Any, seen: datetime | None = None
) -> ChecklistEvidence:
    """Staff confirm the evidence they saw: the item counts as met. Evidence recorded anew
    since the page was drawn (`seen` is its recorded time then) is not confirmed unseen."""
    workroom = evidence.workroom
    require(actor, "workrooms.confirm_evidence", workroom)
    with transaction.atomic():
        locked = ChecklistEvidence.objects.select_for_update().get(pk=evidence.pk)
        if seen is not None and locked.recorded_at != seen:
            raise Conflict(_("The evidence has been changed since you saw it. Look at it again."))
        if locked.confirmed_at is not None:
            raise Conflict(_("This evidence has already been confirmed."))
        now = timezone.now()
        # update(): saving the row would move its auto_now recorded time.
        ChecklistEvidence.objects.filter(pk=locked.pk).update(confirmed_by=actor, confirmed_at=now)
        event_record(
            obj=workroom,
            committee_id=workroom.committee_id,
            actor=actor,
            action=WorkroomAction.EVIDENCE_CONFIRM,
            note=evidence.item.name,
        )
    locked.confirmed_by, locked.confirmed_at = actor, now
    return locked


# --- Duty activities (履职活动) ----------------------------------------------------------


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
    require(actor, "workrooms.record_activity", committee)
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
            action=WorkroomAction.ACTIVITY_RECORD,
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
    require(actor, "workrooms.change_activity", activity)
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
            action=WorkroomAction.ACTIVITY_EDIT,
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
