"""Writes of the workrooms app: the workroom's status, its standard checklist and its
evidence, and the duty activities members record. Each service checks who acts, writes
in one transaction and leaves an event."""

from __future__ import annotations

from datetime import datetime
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
from xieshang.workrooms.models import (
    DEFAULT_CHECKLIST,
    ChecklistEvidence,
    ChecklistItem,
    Workroom,
    WorkroomAction,
)
from xieshang.workrooms.workflow import WORKROOM_WORKFLOW


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
