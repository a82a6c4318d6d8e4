"""Writes of the consultations app: topics, their events and opinions, opinions sent to
departments and the departments' replies. Each service checks its permission, is atomic
and leaves an event on the topic's (or the sending's) timeline."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.consultations.models import (
    Adoption,
    Attendance,
    ConsultationAction,
    Invitation,
    InvitationStatus,
    InviteeKind,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Opinion,
    OrganiserKind,
    Sending,
    Topic,
    TopicKind,
)
from xieshang.consultations.notifications import invitation_tell
from xieshang.consultations.selectors import sign_in_meeting, topic_next_document_number
from xieshang.consultations.workflow import (
    INVITATION_WORKFLOW,
    MEETING_WORKFLOW,
    SENDING_WORKFLOW,
    TOPIC_WORKFLOW,
)
from xieshang.core.errors import Conflict, DomainError
from xieshang.core.models import ActorKind, Committee, Event
from xieshang.core.privacy import encrypt, lookup_hash, normalize_mobile
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
    time: time = time(9, 0)
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
            time=data.time,
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
            note=f"{meeting.get_kind_display()} {_when(meeting)} {meeting.place}",
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


# --- Invitations to an event, the answers, the reminders -----------------------------------

# Invitees told when an event changes or is cancelled, and reminded the day before.
STILL_COMING = (InvitationStatus.INVITED, InvitationStatus.ACCEPTED)


def _when(meeting: Meeting) -> str:
    return f"{meeting.date.isoformat()} {meeting.time.strftime('%H:%M')}"


def _check_invitable(meeting: Meeting, now: datetime) -> None:
    if meeting.is_cancelled:
        raise DomainError(_("The event has been cancelled: no one can be invited to it."))
    if now >= meeting.starts_at:
        raise DomainError(_("The event has begun: invitations can no longer be sent."))


def _invitable_committees(meeting: Meeting) -> list[int]:
    topic = meeting.topic
    ids = [topic.committee_id]
    if topic.is_joint and topic.committee.parent_id:
        ids.append(topic.committee.parent_id)
    return ids


@dataclass(frozen=True)
class InviteeInput:
    kind: str
    name: str = ""
    organisation: str = ""
    phone: str = ""
    email: str = ""
    member: Member | None = None


def _mobile(raw: str, *, strict: bool) -> str:
    if not raw.strip():
        return ""
    try:
        return normalize_mobile(raw)
    except ValidationError:
        if strict:
            raise DomainError(
                _("Enter a valid mainland China mobile number: 11 digits starting with 1.")
            ) from None
        return ""


def _email(raw: str, *, strict: bool) -> str:
    value = raw.strip().lower()
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        if strict:
            raise DomainError(_("Enter a valid email address.")) from None
        return ""
    return value


def invitation_create(
    *,
    meeting: Meeting,
    data: InviteeInput,
    actor: Any,
    link_base: str = "",
    now: datetime | None = None,
) -> Invitation:
    """Invite someone to an event that has not begun: a member of the topic's committee
    (or, for a joint topic, of the upper one) — reached at their account's mobile and
    email unless others are given — or a department official, a citizen or an expert by
    name, with a mobile number and/or an email address. The invitation goes out by SMS
    and/or email after the commit, with the invitee's link to answer."""
    meeting = Meeting.objects.select_related("topic__committee").get(pk=meeting.pk)
    require(actor, "consultations.invite", meeting)
    now = now or timezone.now()
    _check_invitable(meeting, now)
    if data.kind not in InviteeKind.values:
        raise DomainError(
            _("Choose whom you invite: a member, an official, a citizen or an expert.")
        )
    phone = _mobile(data.phone, strict=True)
    email = _email(data.email, strict=True)
    member = data.member
    if data.kind == InviteeKind.MEMBER:
        if member is None:
            raise DomainError(_("Choose the member to invite."))
        if member.committee_id not in _invitable_committees(meeting) or not member.is_active:
            raise DomainError(
                _("Only serving members of this committee can be invited as members.")
            )
        user = member.user
        name = user.name or user.username
        organisation = data.organisation.strip() or member.employer
        phone = phone or _mobile(user.phone, strict=False)
        email = email or _email(user.email, strict=False)
    else:
        if member is not None:
            raise DomainError(_("Invite a member as a member."))
        name = data.name.strip()
        organisation = data.organisation.strip()
        if not name:
            raise DomainError(_("Give the name of the person you invite."))
        if not phone and not email:
            raise DomainError(
                _("Give a mobile number or an email address: the invitation is sent there.")
            )
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                meeting=meeting,
                committee_id=meeting.committee_id,
                kind=data.kind,
                member=member if data.kind == InviteeKind.MEMBER else None,
                name=name[:50],
                organisation=organisation[:80],
                phone_encrypted=encrypt(phone) if phone else "",
                phone_lookup=lookup_hash(phone) if phone else "",
                email_encrypted=encrypt(email) if email else "",
                email_lookup=lookup_hash(email) if email else "",
                created_by=actor,
                created_at=now,
            )
            event_record(
                obj=invitation,
                committee_id=invitation.committee_id,
                actor=actor,
                action=A.INVITE,
                to_state=invitation.status,
                note=f"{invitation.name} · {_when(meeting)} {meeting.place}",
            )
            if phone or email:
                _send(invitation, kind="invite", now=now, link_base=link_base)
    except IntegrityError:
        raise Conflict(_("This person has already been invited to the event.")) from None
    return invitation


def members_invite(
    *,
    meeting: Meeting,
    members: Sequence[Member],
    actor: Any,
    link_base: str = "",
    now: datetime | None = None,
) -> list[Invitation]:
    """Invite several members at once: all of them, or (one refused) none."""
    with transaction.atomic():
        return [
            invitation_create(
                meeting=meeting,
                data=InviteeInput(kind=InviteeKind.MEMBER, member=member),
                actor=actor,
                link_base=link_base,
                now=now,
            )
            for member in members
        ]


def _send(invitation: Invitation, *, kind: str, now: datetime, link_base: str) -> None:
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=now, send_count=F("send_count") + 1)
    invitation_tell(invitation_id=invitation.pk, kind=kind, link_base=link_base)


def invitation_resend(
    *, invitation: Invitation, actor: Any, link_base: str = "", now: datetime | None = None
) -> Event:
    """Send the invitation again (same link), before the event begins."""
    require(actor, "consultations.invite", invitation)
    now = now or timezone.now()
    meeting = Meeting.objects.select_related("topic").get(pk=invitation.meeting_id)
    _check_invitable(meeting, now)
    if not (invitation.phone_encrypted or invitation.email_encrypted):
        raise DomainError(_("This invitee has no mobile number or email address to send to."))
    with transaction.atomic():
        _send(invitation, kind="invite", now=now, link_base=link_base)
        return event_record(
            obj=invitation,
            committee_id=invitation.committee_id,
            actor=actor,
            action=A.RESEND,
            note=invitation.name,
        )


def invitation_answer(
    *,
    invitation: Invitation,
    action: str,
    actor: Any = ActorKind.CITIZEN,
    reason: str = "",
    expected_state: str | None = None,
    now: datetime | None = None,
) -> Event:
    """Accept or decline an invitation (a reason optional): the invitee by the link (the
    citizen actor), a member in the workspace, or staff recording an answer given by
    phone. One may change one's mind until the event begins; after that, or for a
    cancelled event, the answer is refused and nothing changes."""
    if action not in (A.ACCEPT, A.DECLINE):
        raise DomainError(_("Answer whether you will come."))
    now = now or timezone.now()
    meeting = Meeting.objects.select_related("topic").get(pk=invitation.meeting_id)
    if meeting.is_cancelled:
        raise DomainError(_("This event has been cancelled: there is nothing to answer."))
    if now >= meeting.starts_at:
        raise DomainError(_("This invitation has expired: the event has begun."))
    current = Invitation.objects.filter(pk=invitation.pk).values_list("status", flat=True).get()
    target = InvitationStatus.ACCEPTED if action == A.ACCEPT else InvitationStatus.DECLINED
    if current == target and expected_state is None:
        raise Conflict(
            _("You have already accepted this invitation.")
            if action == A.ACCEPT
            else _("You have already declined this invitation.")
        )
    reason = reason.strip()[:200] if action == A.DECLINE else ""

    def answered(locked: Invitation, _t: object) -> None:
        locked.reason = reason
        locked.answered_at = now

    return INVITATION_WORKFLOW.apply(
        invitation,
        action=action,
        actor=actor,
        note=reason,
        expected_state=expected_state,
        on_apply=answered,
    )


def _tell_coming(meeting: Meeting, kind: str, link_base: str) -> int:
    """After the commit, tell the event's invitees who are still coming (accepted or not
    answered) and can be reached; how many."""
    ids = list(
        meeting.invitations.filter(status__in=STILL_COMING)
        .exclude(phone_encrypted="", email_encrypted="")
        .values_list("pk", flat=True)
    )
    for pk in ids:
        invitation_tell(invitation_id=pk, kind=kind, link_base=link_base)
    return len(ids)


def meeting_change(
    *,
    meeting: Meeting,
    day: date,
    at: time,
    place: str,
    actor: Any,
    link_base: str = "",
    now: datetime | None = None,
) -> Meeting:
    """Move an event that has not begun to another time or place; its invitees still
    coming are told (a notice, not a second reminder)."""
    meeting = Meeting.objects.select_related("topic").get(pk=meeting.pk)
    require(actor, "consultations.invite", meeting)
    now = now or timezone.now()
    if meeting.is_cancelled:
        raise DomainError(_("The event has been cancelled: it cannot be changed."))
    if now >= meeting.starts_at:
        raise DomainError(_("The event has begun: its time and place can no longer be changed."))
    place = place.strip()
    if not place:
        raise DomainError(_("Give the place."))
    if day < timezone.localdate(meeting.topic.created_at):
        raise DomainError(_("An event cannot be dated before its topic was created."))
    starts = datetime.combine(day, at, tzinfo=timezone.get_current_timezone())
    if starts <= now:
        raise DomainError(_("Choose a time that has not passed."))
    if (day, at, place) == (meeting.date, meeting.time, meeting.place):
        raise DomainError(_("Nothing has changed."))
    before = f"{_when(meeting)} {meeting.place}"
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().select_related("topic").get(pk=meeting.pk)
        locked.date, locked.time, locked.place = day, at, place
        locked.save(update_fields=["date", "time", "place"])
        note = f"{before} → {_when(locked)} {locked.place}"
        for obj in (locked, locked.topic):
            event_record(
                obj=obj,
                committee_id=locked.committee_id,
                actor=actor,
                action=A.CHANGE_MEETING,
                note=note,
            )
        _tell_coming(locked, "changed", link_base)
    return locked


def meeting_cancel(
    *,
    meeting: Meeting,
    actor: Any,
    note: str = "",
    expected_state: str | None = None,
    now: datetime | None = None,
) -> Event:
    """Cancel an event that has not begun; its invitees still coming are told."""
    now = now or timezone.now()
    if meeting.status == MeetingStatus.SCHEDULED and now >= meeting.starts_at:
        raise DomainError(_("The event has begun: it can no longer be cancelled."))

    def tell(locked: Meeting, _t: object) -> None:
        _tell_coming(locked, "cancelled", "")
        event_record(
            obj=locked.topic,
            committee_id=locked.committee_id,
            actor=actor,
            action=A.CANCEL_MEETING,
            note=f"{_when(locked)} {locked.place}" + (f"：{note.strip()}" if note.strip() else ""),
        )

    with transaction.atomic():
        return MEETING_WORKFLOW.apply(
            meeting,
            action=A.CANCEL_MEETING,
            actor=actor,
            note=note,
            expected_state=expected_state,
            on_apply=tell,
        )


def invitations_remind_due(now: datetime | None = None) -> int:
    """The day before an event (Beijing date), remind each invitee still coming who can
    be reached and was not reminded yet. Safe to run again: each invitation is claimed by
    a conditional UPDATE of `reminded_at`, so it is reminded once for its event even when
    two runs meet, and never again (a change of time or place is its own notice).
    Returns how many were reminded."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    due = (
        Invitation.objects.filter(
            meeting__date=tomorrow,
            meeting__status=MeetingStatus.SCHEDULED,
            status__in=STILL_COMING,
            reminded_at__isnull=True,
        )
        .exclude(phone_encrypted="", email_encrypted="")
        .values_list("pk", "committee_id", "name")
        .order_by("pk")
    )
    reminded = 0
    for pk, committee_id, name in list(due):
        with transaction.atomic():
            claimed = Invitation.objects.filter(
                pk=pk, reminded_at__isnull=True, status__in=STILL_COMING
            ).update(reminded_at=now)
            if not claimed:
                continue
            event_record(
                obj=Invitation(pk=pk, committee_id=committee_id),
                committee_id=committee_id,
                actor=ActorKind.SYSTEM,
                action=A.REMIND,
                note=name,
            )
            invitation_tell(invitation_id=pk, kind="remind")
        reminded += 1
    return reminded
