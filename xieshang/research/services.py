"""Writes of research topics: setting a topic, drafting its report, the report's steps
through the one door, leaders' instructions. Each checks its permission in a transaction;
refused input changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.activities.models import Activity
from xieshang.activities.services import ActivityInput, activity_record
from xieshang.core.errors import Conflict, DomainError
from xieshang.core.models import Committee, Event
from xieshang.core.rules import require
from xieshang.core.services import event_record
from xieshang.core.uploads import SCAN_KINDS, CleanFile, kinds_message, scan_store_once
from xieshang.people.models import Member
from xieshang.research.models import (
    Instruction,
    LeaderLevel,
    Material,
    Outcome,
    OutcomeKind,
    Report,
    ReportStatus,
    ResearchAction,
    Topic,
)
from xieshang.research.workflow import REPORT_WORKFLOW


@dataclass
class TopicData:
    title: str
    lead: str
    year: int
    is_key: bool = False
    joint_with_upper: bool = False
    plan: str = ""
    member_ids: list[int] = field(default_factory=list)


def topic_create(*, actor: Any, committee: Committee, data: TopicData) -> Topic:
    require(actor, "research.manage_topic", committee)
    title, lead = data.title.strip(), data.lead.strip()
    if not title or not lead:
        raise DomainError(_("Give the topic a title and say who leads it."))
    if data.joint_with_upper and committee.parent_id is None:
        raise DomainError(_("This committee has no upper committee to research with."))
    members = list(
        Member.objects.filter(committee=committee, is_active=True, pk__in=set(data.member_ids))
    )
    if len(members) != len(set(data.member_ids)):
        raise DomainError(_("Group members must be serving members of this committee."))
    try:
        with transaction.atomic():
            topic = Topic.objects.create(
                committee=committee,
                year=data.year,
                title=title,
                lead=lead,
                is_key=data.is_key,
                joint_with_upper=data.joint_with_upper,
                plan=data.plan.strip(),
                created_by=actor,
            )
            topic.members.set(members)
            event_record(
                obj=topic,
                committee_id=committee.pk,
                actor=actor,
                action=ResearchAction.CREATE_TOPIC,
                note=title,
            )
    except IntegrityError:
        raise DomainError(
            _("This committee already has a topic of that title this year.")
        ) from None
    return topic


def report_save(*, actor: Any, topic: Topic, title: str, text: str) -> Report:
    """Draft the report, or change the draft (only a draft is changed)."""
    require(actor, "research.write_report", topic)
    title, text = title.strip(), text.strip()
    if not title or not text:
        raise DomainError(_("Give the report a title and its text."))
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(topic=topic).first()
        if report is None:
            report = Report.objects.create(
                topic=topic,
                committee_id=topic.committee_id,
                title=title,
                text=text,
                created_by=actor,
            )
        elif report.status != ReportStatus.DRAFT:
            raise DomainError(_("The report is under review or approved; it is not changed."))
        else:
            report.title, report.text = title, text
            report.save()
        event_record(
            obj=report, committee_id=topic.committee_id, actor=actor, action=ResearchAction.WRITE
        )
    return report


def report_transition(
    *, actor: Any, report: Report, action: str, note: str = "", expected_state: str | None = None
) -> Event:
    """Submit, send back or approve (a second approval is refused: the report has moved)."""

    def stamp(locked: Report, _t: object) -> None:
        if action == ResearchAction.ADOPT:
            locked.adopted_at = timezone.now()

    return REPORT_WORKFLOW.apply(
        report, action=action, actor=actor, note=note, expected_state=expected_state, on_apply=stamp
    )


def instruction_add(
    *,
    actor: Any,
    report: Report,
    level: str,
    leader: str,
    text: str,
    on: date | None,
    scan: CleanFile | None = None,
) -> Instruction:
    """Record a leader's instruction (批示) on an approved report, with its scan (a PDF or
    an image, judged by `core.uploads`) when there is one."""
    require(actor, "research.instruct_report", report)
    leader, text = leader.strip(), text.strip()
    if level not in LeaderLevel.values:
        raise DomainError(_("Choose the leader's level."))
    if not leader or on is None:
        raise DomainError(_("Give the leader and the date of the instruction."))
    if not text:
        raise DomainError(_("Write down the instruction."))
    if report.status != ReportStatus.ADOPTED:
        raise Conflict(_("Only an approved report receives instructions."))
    if scan is not None and scan.extension not in SCAN_KINDS:
        raise DomainError(kinds_message(SCAN_KINDS))
    with transaction.atomic():
        instruction = Instruction(
            report=report, level=level, leader=leader[:60], text=text, date=on, created_by=actor
        )
        if scan is not None:
            instruction.scan.save(scan.name, ContentFile(scan.content), save=False)
        instruction.save()
        event_record(
            obj=report,
            committee_id=report.committee_id,
            actor=actor,
            action=ResearchAction.INSTRUCTION,
            note=f"{LeaderLevel(level).label} {leader}：{text}"
            + ("（" + _("scan attached") + "）" if scan is not None else ""),
        )
    return instruction


def instruction_scan_attach(*, actor: Any, instruction: Instruction, scan: CleanFile) -> None:
    """Attach the scan of an instruction recorded without one (it came later). A scan once
    attached stays: a second one is refused."""
    with transaction.atomic():
        locked = (
            Instruction.objects.select_for_update().select_related("report").get(pk=instruction.pk)
        )
        require(actor, "research.instruct_report", locked.report)
        scan_store_once(locked, scan)
        event_record(
            obj=locked.report,
            committee_id=locked.report.committee_id,
            actor=actor,
            action=ResearchAction.INSTRUCTION_SCAN,
            note=f"{locked.leader} {locked.date.isoformat()}",
        )
    instruction.scan = locked.scan


def outcome_add(*, actor: Any, topic: Topic, kind: str, text: str, on: date | None) -> Outcome:
    """Record what the research led to (staff of the committee)."""
    require(actor, "research.manage_topic", topic)
    text = text.strip()
    if kind not in OutcomeKind.values:
        raise DomainError(_("Choose what kind of outcome it is."))
    if not text or on is None:
        raise DomainError(_("Say what the research led to, and when."))
    with transaction.atomic():
        outcome = Outcome.objects.create(
            topic=topic, kind=kind, text=text[:300], date=on, created_by=actor
        )
        event_record(
            obj=topic,
            committee_id=topic.committee_id,
            actor=actor,
            action=ResearchAction.OUTCOME,
            note=f"{OutcomeKind(kind).label}：{text[:300]}",
        )
    return outcome


MATERIAL_NOTE_MAX = 4000


def _refuse_when_approved(topic: Topic) -> None:
    """Once the chairs' meeting approved the report, the topic's work is closed: nothing
    more is attached to it (the report lock is held until the caller's transaction ends)."""
    report = Report.objects.select_for_update().filter(topic=topic).first()
    if report is not None and report.status == ReportStatus.ADOPTED:
        raise DomainError(
            _("The research report has been approved; nothing more can be added to the topic.")
        )


def material_add(
    *,
    actor: Any,
    topic: Topic,
    title: str,
    note: str = "",
    file: CleanFile | None = None,
    activity: Activity | None = None,
) -> Material:
    """Attach material to a topic, or to one of its visits and meetings: a document or an
    image (judged by `core.uploads`), a note, or both. Refused once the report is approved."""
    require(actor, "research.attach_material", topic)
    title, note = title.strip(), note.strip()
    if not title:
        raise DomainError(_("Give the material a title."))
    if file is None and not note:
        raise DomainError(_("Attach a file or write a note."))
    if len(note) > MATERIAL_NOTE_MAX:
        raise DomainError(
            _("A note may have at most %(max)d characters.") % {"max": MATERIAL_NOTE_MAX}
        )
    if activity is not None and not topic.activities.filter(pk=activity.pk).exists():
        raise DomainError(_("That visit or meeting is not one of this topic's."))
    with transaction.atomic():
        _refuse_when_approved(topic)
        material = Material(
            topic=topic, activity=activity, title=title[:100], note=note, created_by=actor
        )
        if file is not None:
            material.file.save(file.name, ContentFile(file.content), save=False)
        material.save()
        event_record(
            obj=topic,
            committee_id=topic.committee_id,
            actor=actor,
            action=ResearchAction.MATERIAL,
            note=f"{activity.title}：{material.title}" if activity else material.title,
        )
    return material


def visit_record(*, actor: Any, topic: Topic, data: ActivityInput) -> Activity:
    """A visit or meeting of the topic, recorded as a duty activity of its committee (with
    who attended, which counts in their duty records) and linked to the topic. Refused
    once the report is approved."""
    require(actor, "research.attach_material", topic)
    with transaction.atomic():
        _refuse_when_approved(topic)
        activity = activity_record(committee=topic.committee, data=data, actor=actor)
        topic.activities.add(activity)
        event_record(
            obj=topic,
            committee_id=topic.committee_id,
            actor=actor,
            action=ResearchAction.VISIT,
            note=f"{activity.date.isoformat()} {activity.title}",
        )
    return activity
