"""Reads of the consultations app, each scoped to who is asking: a committee's staff and
leaders see its topics; the upper committee's staff see its joint topics (市区联动); a
department's clerk sees the opinions sent to the department."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core import signing
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.consultations.models import (
    Adoption,
    Attendance,
    Invitation,
    InvitationStatus,
    Meeting,
    MeetingStatus,
    Opinion,
    Sending,
    SendingStatus,
    Topic,
    TopicStatus,
)
from xieshang.core.errors import DomainError
from xieshang.core.models import Committee, Event
from xieshang.core.privacy import decrypt, mask_mobile
from xieshang.people.access import access_for
from xieshang.people.models import Department, Member
from xieshang.suggestions.models import Suggestion


def _topic_scope(user: Any) -> Q | None:
    """Which topics the user may see (None: all, for the superuser)."""
    access = access_for(user)
    if access.is_superuser:
        return None
    own = access.staff_committee_ids | access.leader_of
    return Q(committee_id__in=own) | Q(
        is_joint=True, committee__parent_id__in=access.staff_committee_ids
    )


def topic_committees(*, user: Any) -> QuerySet[Committee]:
    """Committees whose plan the user keeps (staff), for the "new topic" form."""
    access = access_for(user)
    if access.is_superuser:
        return Committee.objects.order_by("order", "id")
    return Committee.objects.filter(pk__in=access.staff_committee_ids).order_by("order", "id")


@dataclass(frozen=True)
class TopicFilter:
    year: int | None = None
    committee_id: int | None = None
    kind: str = ""
    query: str = ""


def topic_list(*, user: Any, filters: TopicFilter = TopicFilter()) -> QuerySet[Topic]:
    scope = _topic_scope(user)
    qs = Topic.objects.all() if scope is None else Topic.objects.filter(scope)
    f = filters
    if f.year is not None:
        qs = qs.filter(year=f.year)
    if f.committee_id is not None:
        qs = qs.filter(committee_id=f.committee_id)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.query:
        qs = qs.filter(title__icontains=f.query)
    return (
        qs.select_related("committee")
        .annotate(
            meeting_count=Count("meetings", distinct=True),
            opinion_count=Count("opinions", distinct=True),
        )
        .order_by("-year", "committee__order", "id")
    )


def topic_years(*, user: Any) -> list[int]:
    scope = _topic_scope(user)
    qs = Topic.objects.all() if scope is None else Topic.objects.filter(scope)
    return sorted(set(qs.values_list("year", flat=True)), reverse=True)


def topic_get(*, user: Any, pk: int) -> Topic:
    scope = _topic_scope(user)
    qs = Topic.objects.all() if scope is None else Topic.objects.filter(scope)
    topic = qs.select_related("committee", "committee__parent").filter(pk=pk).first()
    if topic is None:
        raise Http404(_("No such consultation topic."))
    return topic


def topic_meetings(*, topic: Topic) -> QuerySet[Meeting]:
    return topic.meetings.annotate(invitation_count=Count("invitations")).order_by("date", "id")


def topic_opinions(*, topic: Topic) -> QuerySet[Opinion]:
    return (
        topic.opinions.select_related("meeting")
        .prefetch_related("sendings__department")
        .order_by("number")
    )


def topic_suggestions(*, topic: Topic) -> QuerySet[Suggestion]:
    return topic.suggestions.order_by("id")


def topic_departments(*, topic: Topic) -> QuerySet[Department]:
    return topic.departments.order_by("kind", "id")


def departments_of(*, committee_id: int) -> QuerySet[Department]:
    return Department.objects.filter(committee_id=committee_id, is_active=True).order_by(
        "kind", "id"
    )


def opinion_get(*, user: Any, pk: int) -> Opinion:
    opinion = Opinion.objects.select_related("topic").filter(pk=pk).first()
    if opinion is None:
        raise Http404(_("No such opinion."))
    topic_get(user=user, pk=opinion.topic_id)  # scoped: 404 for what the user may not see
    return opinion


def sending_inbox(*, user: Any, open_only: bool = False) -> QuerySet[Sending]:
    """Opinions sent to departments: staff their committee's, a clerk their department's."""
    access = access_for(user)
    qs = Sending.objects.all()
    if not access.is_superuser:
        qs = qs.filter(
            Q(department_id__in=list(access.clerk_of))
            | Q(committee_id__in=access.staff_committee_ids)
        )
    if open_only:
        qs = qs.exclude(status__in=[SendingStatus.APPROVED, SendingStatus.RETURNED])
    return qs.select_related("opinion__topic", "department", "committee").order_by("deadline", "id")


def sending_get(*, user: Any, pk: int) -> Sending:
    sending = sending_inbox(user=user).filter(pk=pk).first()
    if sending is None:
        raise Http404(_("No such opinion sent to a department."))
    return sending


def topic_of_suggestion(*, suggestion: Suggestion) -> list[Topic]:
    """The topics a suggestion fed (for the citizen's tracking page: titles only)."""
    return list(Topic.objects.filter(suggestions=suggestion).order_by("year", "id"))


@dataclass(frozen=True)
class ConsultationFigures:
    topics: int
    meetings: int
    participants: int
    opinions: int
    adopted: int
    done: int


def consultation_figures(
    *,
    committee_ids: list[int],
    since: date | None = None,
    until: date | None = None,
    kind: str = "",
    organiser_kind: str = "",
    organiser_name: str = "",
) -> ConsultationFigures:
    """The counts the figures need over a period: consultations held (topics with an
    event in the period), participants, opinions formed, opinions adopted and done."""
    meetings = Meeting.objects.filter(topic__committee_id__in=committee_ids).exclude(
        status=MeetingStatus.CANCELLED
    )
    if since is not None:
        meetings = meetings.filter(date__gte=since)
    if until is not None:
        meetings = meetings.filter(date__lte=until)
    if kind:
        meetings = meetings.filter(topic__kind=kind)
    if organiser_kind:
        meetings = meetings.filter(topic__organiser_kind=organiser_kind)
    if organiser_name:
        meetings = meetings.filter(topic__organiser_name=organiser_name)
    topic_ids = meetings.values("topic_id")
    opinions = Opinion.objects.filter(topic_id__in=topic_ids)
    replied = Sending.objects.filter(
        opinion__in=opinions, status__in=[SendingStatus.REPLIED, SendingStatus.APPROVED]
    )
    return ConsultationFigures(
        topics=Topic.objects.filter(pk__in=topic_ids).count(),
        meetings=meetings.count(),
        participants=sum(meetings.values_list("participant_count", flat=True)),
        opinions=opinions.count(),
        adopted=opinions.filter(
            pk__in=replied.filter(adoption__in=[Adoption.ADOPTED, Adoption.PARTLY]).values(
                "opinion_id"
            )
        ).count(),
        done=opinions.filter(
            pk__in=replied.filter(adoption=Adoption.ADOPTED, status=SendingStatus.APPROVED).values(
                "opinion_id"
            )
        ).count(),
    )


def topic_next_document_number(*, committee_id: int, year: int) -> int:
    last = (
        Topic.objects.filter(committee_id=committee_id, year=year, document_number__isnull=False)
        .order_by("-document_number")
        .values_list("document_number", flat=True)
        .first()
    )
    return (last or 0) + 1


def topics_issued_public(*, committee: Committee, year: int | None = None) -> QuerySet[Topic]:
    """The committee's consultations whose opinions are issued, with their events, their
    opinions and the replies staff approved — nothing personal (no speakers, no
    participants' names, no citizens)."""
    qs = Topic.objects.filter(
        committee=committee, status__in=[TopicStatus.ISSUED, TopicStatus.CLOSED]
    )
    if year is not None:
        qs = qs.filter(year=year)
    return qs.prefetch_related(
        Prefetch(
            "meetings",
            queryset=Meeting.objects.exclude(status=MeetingStatus.CANCELLED).order_by("date", "id"),
        ),
        Prefetch(
            "opinions",
            queryset=Opinion.objects.order_by("number").prefetch_related(
                Prefetch(
                    "sendings",
                    queryset=Sending.objects.filter(status=SendingStatus.APPROVED)
                    .select_related("department")
                    .order_by("id"),
                    to_attr="approved_sendings",
                )
            ),
        ),
    ).order_by("-year", "-issued_at", "id")


SIGN_IN_SALT = "consultations.sign_in"


def sign_in_token(*, meeting: Meeting) -> str:
    """What the event's QR code carries: the event, signed (valid on the event's day)."""
    return signing.dumps(meeting.pk, salt=SIGN_IN_SALT)


def sign_in_meeting(*, token: str) -> Meeting:
    """The event of a sign-in QR code; refused when forged or not for today."""
    try:
        pk = int(signing.loads(token, salt=SIGN_IN_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        raise DomainError(_("This sign-in code is not valid.")) from None
    meeting = Meeting.objects.select_related("topic__committee").filter(pk=pk).first()
    if meeting is None:
        raise DomainError(_("This sign-in code is not valid."))
    if meeting.date != timezone.localdate():
        raise DomainError(_("This sign-in code has expired: it is valid on the day of the event."))
    return meeting


def meeting_attendances(*, meeting: Meeting) -> QuerySet[Any]:
    return meeting.attendances.select_related("member__user").order_by("signed_at", "id")


# --- for the figures app: the committees' records, unscoped (figures scopes by committee) ---


def meetings_of_committees(ids: Sequence[int]) -> QuerySet[Meeting]:
    """Consultation events (meetings and site visits) of the committees' topics; a
    cancelled one was not held and is left out."""
    return Meeting.objects.filter(topic__committee_id__in=list(ids)).exclude(
        status=MeetingStatus.CANCELLED
    )


def opinions_of_committees(ids: Sequence[int]) -> QuerySet[Opinion]:
    """Consultation opinions formed on the committees' topics."""
    return Opinion.objects.filter(topic__committee_id__in=list(ids))


def sendings_of_committees(ids: Sequence[int]) -> QuerySet[Sending]:
    """Opinions the committees sent to departments, one row per department."""
    return Sending.objects.filter(committee_id__in=list(ids))


def topics_of_suggestions(ids: Sequence[int]) -> QuerySet[Topic]:
    """The consultation topics any of the suggestions fed, with what came of them: the
    opinions formed, the departments' replies and how many were adopted."""
    replied = Q(opinions__sendings__status__in=[SendingStatus.REPLIED, SendingStatus.APPROVED])
    adopted = replied & Q(opinions__sendings__adoption__in=[Adoption.ADOPTED, Adoption.PARTLY])
    return (
        Topic.objects.filter(pk__in=Topic.objects.filter(suggestions__in=list(ids)).values("pk"))
        .annotate(
            opinion_count=Count("opinions", distinct=True),
            replied_count=Count("opinions__sendings", filter=replied, distinct=True),
            adopted_count=Count("opinions__sendings", filter=adopted, distinct=True),
        )
        .order_by("year", "pk")
    )


def attendances_of_year(*, committee_id: int, year: int) -> list[tuple[int, int, str, date]]:
    """Members signed in at the committee's consultation events of the year: rows
    `(member_id, meeting_id, topic title, date)`, for the duty record. Not scoped to a
    user: the point computation shows them only to whom may see them."""
    rows = (
        Attendance.objects.filter(
            meeting__topic__committee_id=committee_id, meeting__date__year=year
        )
        .order_by("meeting__date", "meeting_id", "member_id")
        .values_list("member_id", "meeting_id", "meeting__topic__title", "meeting__date")
    )
    return list(rows)


# --- Invitations ---------------------------------------------------------------------------


def meeting_get(*, user: Any, pk: int) -> Meeting:
    """An event of a topic the user may see (404 otherwise)."""
    meeting = Meeting.objects.select_related("topic__committee").filter(pk=pk).first()
    if meeting is None:
        raise Http404(_("No such consultation event."))
    topic_get(user=user, pk=meeting.topic_id)  # scoped: 404 for what the user may not see
    return meeting


def meeting_invitations(*, meeting: Meeting) -> list[Invitation]:
    """The event's invitations, each with its contact masked (`phone_masked`,
    `email_masked`) for the staff's page."""
    rows = list(meeting.invitations.select_related("member__user").order_by("kind", "name", "id"))
    for row in rows:
        phone = decrypt(row.phone_encrypted) if row.phone_encrypted else ""
        email = decrypt(row.email_encrypted) if row.email_encrypted else ""
        row.phone_masked = mask_mobile(phone) if phone else ""  # type: ignore[attr-defined]
        local, _at, domain = email.partition("@")
        row.email_masked = f"{local[:1]}***@{domain}" if email else ""  # type: ignore[attr-defined]
    return rows


@dataclass(frozen=True)
class InvitationCounts:
    invited: int
    accepted: int
    declined: int
    unanswered: int


def invitation_counts(*, meeting: Meeting) -> InvitationCounts:
    counts = dict(meeting.invitations.values_list("status").annotate(n=Count("id")).order_by())
    return InvitationCounts(
        invited=sum(counts.values()),
        accepted=counts.get(InvitationStatus.ACCEPTED, 0),
        declined=counts.get(InvitationStatus.DECLINED, 0),
        unanswered=counts.get(InvitationStatus.INVITED, 0),
    )


def meeting_history(*, meeting: Meeting, limit: int = 200) -> list[Event]:
    """The event's own steps and those of its invitations, newest first."""
    from_meeting = Event.objects.for_object(meeting).values("pk")
    ids = list(meeting.invitations.values_list("pk", flat=True))
    invitation_type = Invitation._meta
    return list(
        Event.objects.filter(
            Q(pk__in=from_meeting)
            | Q(
                content_type__app_label=invitation_type.app_label,
                content_type__model=invitation_type.model_name,
                object_id__in=ids,
            )
        )
        .select_related("actor", "content_type")
        .order_by("-created_at", "-id")[:limit]
    )


def invitable_members(*, meeting: Meeting) -> QuerySet[Member]:
    """Serving members who may be invited as members: the topic's committee's, and the
    upper committee's for a joint topic; those invited already left out."""
    topic = meeting.topic
    committees = [topic.committee_id]
    if topic.is_joint and topic.committee.parent_id:
        committees.append(topic.committee.parent_id)
    return (
        Member.objects.filter(committee_id__in=committees, is_active=True)
        .exclude(pk__in=meeting.invitations.filter(member__isnull=False).values("member_id"))
        .select_related("user", "committee")
        .order_by("committee__order", "user__name", "id")
    )


def invitation_get(*, user: Any, pk: int) -> Invitation:
    """An invitation the user may act on: staff of a topic they see, or the member it is
    for (404 otherwise)."""
    invitation = (
        Invitation.objects.select_related("meeting__topic__committee", "member__user")
        .filter(pk=pk)
        .first()
    )
    if invitation is None:
        raise Http404(_("No such invitation."))
    if invitation.member is not None and invitation.member.user_id == getattr(user, "pk", None):
        return invitation
    topic_get(user=user, pk=invitation.meeting.topic_id)
    return invitation


def invitations_of_member(*, user: Any, upcoming_only: bool = True) -> QuerySet[Invitation]:
    """The user's own invitations (as a member), the events ahead first."""
    if not getattr(user, "is_authenticated", False):
        return Invitation.objects.none()
    qs = Invitation.objects.filter(member__user_id=user.pk)
    if upcoming_only:
        qs = qs.filter(
            meeting__status=MeetingStatus.SCHEDULED, meeting__date__gte=timezone.localdate()
        )
    return qs.select_related("meeting__topic__committee").order_by(
        "meeting__date", "meeting__time", "id"
    )


def invitations_unanswered_count(*, user: Any) -> int:
    """For the member's workspace: invitations to events ahead not answered yet."""
    return invitations_of_member(user=user).filter(status=InvitationStatus.INVITED).count()


TOKEN_LENGTH = range(16, 33)


class InvitationLinkNotValid(DomainError):
    """A forged or foreign invitation link: 404, with the reason in Chinese."""

    status = 404


def invitation_by_token(*, token: str) -> Invitation:
    """The invitation a link names. A forged or foreign token (anything that is not the
    random token of an invitation) gives 404 and reveals nothing."""
    if len(token) not in TOKEN_LENGTH:
        raise InvitationLinkNotValid(_("This invitation link is not valid."))
    invitation = (
        Invitation.objects.select_related("meeting__topic__committee").filter(token=token).first()
    )
    if invitation is None:
        raise InvitationLinkNotValid(_("This invitation link is not valid."))
    return invitation
