"""Writes of the consultations app: topics, their events and opinions, opinions sent to
departments and the departments' replies. Each service checks its permission, is atomic
and leaves an event on the topic's (or the sending's) timeline."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.consultations.models import (
    Adoption,
    Attendance,
    ConsultationAction,
    Meeting,
    MeetingKind,
    Opinion,
    OrganiserKind,
    Sending,
    Topic,
    TopicKind,
)
from xieshang.consultations.selectors import sign_in_meeting, topic_next_document_number
from xieshang.consultations.workflow import SENDING_WORKFLOW, TOPIC_WORKFLOW
from xieshang.core.errors import Conflict, DomainError
from xieshang.core.models import Committee, Event
from xieshang.core.rules import require
from xieshang.core.services import event_record
from xieshang.core.workdays import add_working_days
from xieshang.people.models import Department, Member
from xieshang.suggestions.models import Suggestion
from xieshang.suggestions.notifications import public_step_tell

A = ConsultationAction

# “改善交通出行环境”: the topic a note names.
TOPIC_IN_QUOTES = re.compile(r"[“「\"]([^”」\"]{2,100})[”」\"]")

# Working days a department has to reply on an opinion, unless staff give another figure.
SENDING_WORKING_DAYS = 30


@dataclass(frozen=True)
class TopicInput:
    title: str
    kind: str
    year: int
    organiser_kind: str = OrganiserKind.COMMITTEE
    organiser_name: str = ""
    departments: Sequence[Department] = field(default_factory=tuple)
    suggestions: Sequence[Suggestion] = field(default_factory=tuple)
    other_sources: str = ""
    is_joint: bool = False
    summary: str = ""


def _check_own(committee_id: int, departments: Sequence[Department]) -> None:
    if any(d.committee_id != committee_id for d in departments):
        raise DomainError(_("Choose departments of this committee."))


def _check_suggestions(committee_id: int, suggestions: Sequence[Suggestion]) -> None:
    if any(s.committee_id != committee_id for s in suggestions):
        raise DomainError(_("Only this committee's suggestions can feed its topics."))


def topic_create(*, committee: Committee, data: TopicInput, actor: Any) -> Topic:
    """Add a topic to the committee's plan for the year (年度协商计划)."""
    require(actor, "consultations.add_topic", committee)
    _check_own(committee.pk, data.departments)
    _check_suggestions(committee.pk, data.suggestions)
    if data.kind not in TopicKind.values:
        raise DomainError(_("Choose one of the kinds of consultation."))
    try:
        with transaction.atomic():
            topic = Topic.objects.create(
                committee=committee,
                year=data.year,
                title=data.title.strip(),
                kind=data.kind,
                organiser_kind=data.organiser_kind,
                organiser_name=data.organiser_name.strip(),
                other_sources=data.other_sources.strip(),
                is_joint=data.is_joint,
                summary=data.summary.strip(),
                created_by=actor,
            )
            topic.departments.set(data.departments)
            topic.suggestions.set(data.suggestions)
            event_record(
                obj=topic,
                committee_id=committee.pk,
                actor=actor,
                action=A.CREATE,
                note=topic.title,
            )
    except IntegrityError:
        raise Conflict(_("The plan for that year already has a topic of that title.")) from None
    return topic


def topic_update(*, topic: Topic, data: TopicInput, actor: Any) -> Topic:
    require(actor, "consultations.change_topic", topic)
    _check_own(topic.committee_id, data.departments)
    _check_suggestions(topic.committee_id, data.suggestions)
    try:
        with transaction.atomic():
            locked = Topic.objects.select_for_update().get(pk=topic.pk)
            locked.title = data.title.strip()
            locked.kind = data.kind
            locked.year = data.year
            locked.organiser_kind = data.organiser_kind
            locked.organiser_name = data.organiser_name.strip()
            locked.other_sources = data.other_sources.strip()
            locked.is_joint = data.is_joint
            locked.summary = data.summary.strip()
            locked.save()
            locked.departments.set(data.departments)
            locked.suggestions.set(data.suggestions)
            event_record(obj=locked, committee_id=locked.committee_id, actor=actor, action=A.EDIT)
    except IntegrityError:
        raise Conflict(_("The plan for that year already has a topic of that title.")) from None
    return locked


@dataclass(frozen=True)
class MeetingInput:
    kind: str
    date: date
    place: str
    agenda: str = ""
    participants: str = ""
    participant_count: int = 0
    minutes: str = ""


def meeting_record(*, topic: Topic, data: MeetingInput, actor: Any) -> Meeting:
    """Record an event held on the topic: a meeting, a site visit, a hearing."""
    require(actor, "consultations.change_topic", topic)
    if data.kind not in MeetingKind.values:
        raise DomainError(_("Choose a meeting, a site visit or a hearing."))
    if data.date < timezone.localdate(topic.created_at):
        raise DomainError(_("An event cannot be dated before its topic was created."))
    with transaction.atomic():
        meeting = Meeting.objects.create(
            topic=topic,
            kind=data.kind,
            date=data.date,
            place=data.place.strip(),
            agenda=data.agenda.strip(),
            participants=data.participants.strip(),
            participant_count=data.participant_count,
            minutes=data.minutes.strip(),
            created_by=actor,
        )
        event_record(
            obj=topic,
            committee_id=topic.committee_id,
            actor=actor,
            action=A.HOLD,
            note=f"{meeting.get_kind_display()} {meeting.date.isoformat()} {meeting.place}",
        )
    return meeting


@dataclass(frozen=True)
class OpinionInput:
    text: str
    category: str = ""
    speaker: str = ""
    meeting: Meeting | None = None


def opinion_record(*, topic: Topic, data: OpinionInput, actor: Any) -> Opinion:
    """Add the next numbered consultation opinion (协商意见) to the topic."""
    require(actor, "consultations.change_topic", topic)
    if data.meeting is not None and data.meeting.topic_id != topic.pk:
        raise DomainError(_("The event belongs to another topic."))
    if not data.text.strip():
        raise DomainError(_("Write the opinion."))
    with transaction.atomic():
        locked = Topic.objects.select_for_update().get(pk=topic.pk)
        last = locked.opinions.aggregate(n=Max("number"))["n"] or 0
        opinion = Opinion.objects.create(
            topic=locked,
            meeting=data.meeting,
            number=last + 1,
            category=data.category.strip(),
            text=data.text.strip(),
            speaker=data.speaker.strip(),
            created_by=actor,
        )
        event_record(
            obj=locked,
            committee_id=locked.committee_id,
            actor=actor,
            action=A.RECORD,
            note=f"{opinion.number}. {opinion.text[:60]}",
        )
    return opinion


def topic_issue(*, topic: Topic, actor: Any, expected_state: str | None = None) -> Event:
    """Issue the topic's opinions as one document, numbered per committee and year."""
    if not topic.opinions.exists():
        raise DomainError(_("Record at least one opinion before issuing them."))

    def number_it(locked: Topic, _t: object) -> None:
        locked.document_number = topic_next_document_number(
            committee_id=locked.committee_id, year=locked.year
        )
        locked.issued_at = timezone.now()

    with transaction.atomic():
        # One number at a time per committee: lock the committee's row while numbering.
        Committee.objects.select_for_update().get(pk=topic.committee_id)
        event = TOPIC_WORKFLOW.apply(
            topic, action=A.ISSUE, actor=actor, expected_state=expected_state, on_apply=number_it
        )
        _tell_citizens(
            topic,
            _("the consultation on “%(title)s” has issued its opinions.") % {"title": topic.title},
        )
    topic.refresh_from_db()
    return event


def topic_close(*, topic: Topic, actor: Any, expected_state: str | None = None) -> Event:
    return TOPIC_WORKFLOW.apply(topic, action=A.CLOSE, actor=actor, expected_state=expected_state)


def opinion_send(
    *,
    opinion: Opinion,
    department: Department,
    actor: Any,
    working_days: int = SENDING_WORKING_DAYS,
) -> Sending:
    """Send an opinion to a department of the topic's committee, with a deadline."""
    topic = opinion.topic
    require(actor, "consultations.send_opinion", topic)
    if department.committee_id != topic.committee_id or not department.is_active:
        raise DomainError(_("An opinion can only be sent to a department of this committee."))
    now = timezone.now()
    try:
        with transaction.atomic():
            sending = Sending.objects.create(
                opinion=opinion,
                committee_id=topic.committee_id,
                department=department,
                deadline=add_working_days(now, working_days),
                created_by=actor,
                created_at=now,
            )
            event_record(
                obj=sending,
                committee_id=topic.committee_id,
                actor=actor,
                action=A.SEND,
                to_state=sending.status,
                note=department.name,
            )
            event_record(
                obj=topic,
                committee_id=topic.committee_id,
                actor=actor,
                action=A.SEND,
                note=f"{opinion.number}. → {department.name}",
            )
    except IntegrityError:
        raise Conflict(_("The opinion has already been sent to that department.")) from None
    return sending


def sending_transition(
    *, sending: Sending, action: str, actor: Any, note: str = "", expected_state: str | None
) -> Event:
    """Sign for it, ask to return it, accept or refuse a return, approve or send back."""
    if action == A.REPLY:
        raise DomainError(_("A reply needs its result and what was done."))
    with transaction.atomic():
        event = SENDING_WORKFLOW.apply(
            sending, action=action, actor=actor, note=note, expected_state=expected_state
        )
        if action == A.APPROVE:
            topic = sending.opinion.topic
            _tell_citizens(
                topic,
                _("%(department)s has answered an opinion of the consultation on “%(title)s”.")
                % {"department": sending.department.name, "title": topic.title},
            )
    return event


def _tell_citizens(topic: Topic, text: str) -> None:
    """After the commit, tell the citizens whose suggestions fed the topic (and their
    followers) about a public step of the consultation."""
    for suggestion in topic.suggestions.all():
        public_step_tell(suggestion=suggestion, text=text)


def sending_reply(
    *, sending: Sending, actor: Any, adoption: str, text: str, expected_state: str | None
) -> Event:
    """The department's reply: adopted / being carried out / not possible, and what was
    done; staff approve it."""
    if adoption not in Adoption.values:
        raise DomainError(_("Choose whether the opinion was adopted."))
    if not text.strip():
        raise DomainError(_("Say what was done."))

    def set_reply(locked: Sending, _t: object) -> None:
        locked.adoption = adoption
        locked.reply_text = text.strip()
        locked.replied_at = timezone.now()

    return SENDING_WORKFLOW.apply(
        sending,
        action=A.REPLY,
        actor=actor,
        note=text,
        expected_state=expected_state,
        on_apply=set_reply,
    )


def suggestion_topic_join(*, suggestion: Suggestion, actor: Any, note: str) -> Topic:
    """列为协商议题: the suggestion joins the committee's topic named in the note — the
    words in “quotes” if there are any, else the note's first line — or a new topic of
    this year (基层协商议事) of that name, or of the suggestion's title without a note."""
    quoted = TOPIC_IN_QUOTES.search(note)
    first_line = (note.strip().splitlines() or [""])[0]
    title = (quoted.group(1) if quoted else first_line).strip()[:100] or suggestion.title[:100]
    year = timezone.localdate().year
    topic = (
        Topic.objects.filter(committee_id=suggestion.committee_id, title=title)
        .order_by("-year", "id")
        .first()
    )
    if topic is None:
        topic = Topic.objects.create(
            committee_id=suggestion.committee_id,
            year=year,
            title=title,
            kind=TopicKind.GRASSROOTS,
            other_sources="",
            created_by=actor,
        )
        event_record(
            obj=topic,
            committee_id=topic.committee_id,
            actor=actor,
            action=A.CREATE,
            note=title,
        )
    if not topic.suggestions.filter(pk=suggestion.pk).exists():
        topic.suggestions.add(suggestion)
        event_record(
            obj=topic,
            committee_id=topic.committee_id,
            actor=actor,
            action=A.JOIN,
            note=suggestion.tracking_code,
        )
    return topic


def meeting_sign_in(*, token: str, user: Any) -> Attendance:
    """Sign in at an event by its QR code: a member of the topic's committee (or, for a
    joint topic, of the upper committee), once, on the day. Anything else is refused with
    nothing written."""
    meeting = sign_in_meeting(token=token)
    topic = meeting.topic
    committees = [topic.committee_id]
    if topic.is_joint and topic.committee.parent_id:
        committees.append(topic.committee.parent_id)
    seat = (
        Member.objects.filter(user=user, is_active=True, committee_id__in=committees)
        .order_by("id")
        .first()
    )
    if seat is None:
        raise DomainError(_("This sign-in code is for an event of another committee."))
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(meeting=meeting, member=seat)
            event_record(
                obj=topic,
                committee_id=topic.committee_id,
                actor=user,
                action=A.SIGN_IN,
                note=f"{meeting.date.isoformat()} {meeting.place}",
            )
    except IntegrityError:
        raise Conflict(_("You have already signed in at this event.")) from None
    return attendance
