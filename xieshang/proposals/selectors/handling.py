"""Reads of the department's side of proposals and of the proposers' ratings, each scoped
to who is asking: a clerk sees only what was assigned to their own departments (another
department's assignment is a 404), a proposer rates only their own proposals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.workflow import TimelineEntry
from xieshang.people.access import access_for
from xieshang.people.models import DepartmentClerk, Member
from xieshang.proposals.models import (
    Assignment,
    AssignmentStatus,
    CoOpinion,
    CoSignerStatus,
    Grade,
    GradeWording,
    ProgressNote,
    Proposal,
    ProposalRating,
    ProposalStatus,
    Reply,
    ReplyStatus,
    Satisfaction,
)
from xieshang.proposals.workflow import ASSIGNMENT_WORKFLOW, PROPOSAL_WORKFLOW

A = AssignmentStatus
OPEN = (A.ASSIGNED, A.RETURN_REQUESTED, A.SIGNED, A.REPLY_DRAFTED)
OWING = (A.ASSIGNED, A.SIGNED, A.REPLY_DRAFTED)
RELATED = ("committee", "department", "proposal__category", "proposal__lead__user")
# Ratings are given on the round's replies once the proposal is replied.
RATEABLE_STATES = (ProposalStatus.REPLIED, ProposalStatus.CLOSED)


def proposer_seats(proposal: Proposal) -> Any:
    """The members who rate the proposal's replies: its lead and confirmed co-signers, and
    those of the proposals merged into it (each proposer still gets the reply)."""
    family = Q(pk=proposal.pk) | Q(merged_into_id=proposal.pk)
    return Member.objects.filter(
        Q(proposals__in=Proposal.objects.filter(family))
        | Q(
            cosigner__proposal__in=Proposal.objects.filter(family),
            cosigner__status=CoSignerStatus.CONFIRMED,
        )
    ).distinct()


def rating_round(proposal: Proposal) -> int:
    """The round whose replies are rated: the latest one."""
    rounds = proposal.assignments.exclude(status=A.RETURNED).values_list("round", flat=True)
    return max(rounds, default=1)


def _of_my_departments(user: Any) -> QuerySet[Assignment]:
    access = access_for(user)
    if access.is_superuser:
        return Assignment.objects.all()
    if not access.clerk_of:
        return Assignment.objects.none()
    return Assignment.objects.filter(department_id__in=list(access.clerk_of))


@dataclass(frozen=True)
class InboxFilter:
    status: str = ""  # an AssignmentStatus, "open" (the default) or "all"
    overdue: bool = False


def assignment_inbox(*, user: Any, filters: InboxFilter = InboxFilter()) -> QuerySet[Assignment]:
    """The assignments of the user's departments (承办单位), soonest due first: by default
    those still open; `overdue` keeps only those past their deadline without a reply."""
    qs = _of_my_departments(user)
    if filters.status in A.values:
        qs = qs.filter(status=filters.status)
    elif filters.status != "all":
        qs = qs.filter(status__in=OPEN)
    if filters.overdue:
        qs = qs.filter(status__in=OWING, deadline__lt=timezone.now())
    return qs.select_related(*RELATED).order_by("deadline", "id")


def assignment_get(*, user: Any, pk: int) -> Assignment:
    """One assignment, for the clerks of its department; 404 for anyone else."""
    assignment = _of_my_departments(user).select_related(*RELATED).filter(pk=pk).first()
    if assignment is None:
        raise Http404(_("No such assignment, or it is not your department's."))
    return assignment


def proposers_of(*, proposal: Proposal) -> list[Member]:
    """The lead proposer first, then the confirmed co-signers."""
    confirmed = list(
        Member.objects.filter(
            cosigner__proposal=proposal, cosigner__status=CoSignerStatus.CONFIRMED
        )
        .exclude(pk=proposal.lead_id)
        .select_related("user")
        .order_by("cosigner__id")
    )
    return [proposal.lead, *confirmed]


def round_assignments(*, assignment: Assignment) -> QuerySet[Assignment]:
    """Every department of the assignment's round (returned ones left out), lead first,
    with the co-handlers' opinions and the replies."""
    return (
        Assignment.objects.filter(proposal_id=assignment.proposal_id, round=assignment.round)
        .exclude(status=A.RETURNED)
        .select_related("department", "opinion", "reply")
        .order_by("role", "id")
    )


def earlier_replies(*, assignment: Assignment) -> QuerySet[Reply]:
    """The sent replies of the proposal's earlier rounds (for a re-handling)."""
    return (
        Reply.objects.sent()
        .filter(
            assignment__proposal_id=assignment.proposal_id,
            assignment__round__lt=assignment.round,
        )
        .select_related("assignment__department")
        .order_by("assignment__round", "id")
    )


def notes_of(*, assignment: Assignment) -> QuerySet[ProgressNote]:
    return assignment.notes.select_related("created_by").order_by("happened_on", "id")


def reply_of(*, assignment: Assignment) -> Reply | None:
    return Reply.objects.filter(assignment=assignment).select_related("approved_by").first()


def opinion_of(*, assignment: Assignment) -> CoOpinion | None:
    return CoOpinion.objects.filter(assignment=assignment).first()


def assignment_timeline(*, assignment: Assignment) -> list[TimelineEntry]:
    """The assignment's own steps and notes, then the proposal's public steps, by time."""
    entries = ASSIGNMENT_WORKFLOW.timeline(assignment, public_only=False)
    entries += PROPOSAL_WORKFLOW.timeline(assignment.proposal, public_only=True)
    return sorted(entries, key=lambda e: (e.event.created_at, e.event.pk))


def grade_choices(*, committee_id: int) -> list[tuple[str, str]]:
    """The grades A–D with the committee's own wording where it has one."""
    wording = dict(
        GradeWording.objects.filter(committee_id=committee_id).values_list("grade", "wording")
    )
    return [
        (value, f"{value} {wording[value]}" if value in wording else str(label))
        for value, label in Grade.choices
    ]


def grade_label(*, committee_id: int, grade: str) -> str:
    return dict(grade_choices(committee_id=committee_id)).get(grade, grade)


def handling_counts(*, user: Any) -> dict[str, int]:
    """For a clerk's home page: what waits in their departments — to sign for, being
    handled, overdue, and (for department heads) replies awaiting approval."""
    qs = _of_my_departments(user)
    now = timezone.now()
    head_of = list(
        DepartmentClerk.objects.filter(user_id=user.pk, is_head=True).values_list(
            "department_id", flat=True
        )
    )
    return {
        "to_sign": qs.filter(status=A.ASSIGNED).count(),
        "in_hand": qs.filter(status=A.SIGNED).count(),
        "overdue": qs.filter(status__in=OWING, deadline__lt=now).count(),
        "to_approve": qs.filter(status=A.REPLY_DRAFTED, department_id__in=head_of).count(),
    }


# --- Ratings -----------------------------------------------------------------------------


def _proposer_of(user: Any) -> Q:
    """Proposals the user proposed: as lead, as confirmed co-signer, or one merged into it
    by them."""
    mine = Q(lead__user_id=user.pk) | Q(
        cosigners__member__user_id=user.pk, cosigners__status=CoSignerStatus.CONFIRMED
    )
    merged_mine = Proposal.objects.filter(mine, merged_into_id=OuterRef("pk"))
    return mine | Q(Exists(merged_mine))


def proposal_get_for_rating(*, user: Any, pk: int) -> Proposal:
    """A proposal the user is a proposer of (lead, confirmed co-signer, or of a proposal
    merged into it); 404 otherwise — a proposer rates only their own."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    proposal = (
        Proposal.objects.filter(_proposer_of(user))
        .filter(pk=pk)
        .select_related("committee", "category", "lead__user")
        .distinct()
        .first()
    )
    if proposal is None:
        raise Http404(_("No such proposal, or it is not yours."))
    return proposal


@dataclass(frozen=True)
class RatingState:
    round: int
    replies: list[Reply]
    ratings: list[ProposalRating]
    mine: ProposalRating | None
    can_rate: bool


def rating_state(*, proposal: Proposal, user: Any) -> RatingState:
    """The round's sent replies, its ratings, and whether the user may still rate."""
    round_ = rating_round(proposal)
    replies = list(
        Reply.objects.sent()
        .filter(assignment__proposal=proposal, assignment__round=round_)
        .select_related("assignment__department")
        .order_by("assignment__role", "assignment_id")
    )
    ratings = list(
        ProposalRating.objects.filter(proposal=proposal, round=round_)
        .select_related("member__user")
        .order_by("created_at", "id")
    )
    mine = next((r for r in ratings if r.member.user_id == user.pk), None)
    is_proposer = proposer_seats(proposal).filter(user_id=user.pk).exists()
    return RatingState(
        round=round_,
        replies=replies,
        ratings=ratings,
        mine=mine,
        can_rate=is_proposer and mine is None and proposal.status in RATEABLE_STATES,
    )


def proposals_to_rate(*, user: Any) -> QuerySet[Proposal]:
    """For a member's home page: replied proposals of theirs whose latest replies they
    have not rated yet."""
    if not getattr(user, "is_authenticated", False):
        return Proposal.objects.none()
    rated = ProposalRating.objects.filter(proposal_id=OuterRef("pk"), member__user_id=user.pk)
    latest_round_rated = rated.filter(
        round__gte=Assignment.objects.filter(proposal_id=OuterRef(OuterRef("pk")))
        .order_by("-round")
        .values("round")[:1]
    )
    return (
        Proposal.objects.filter(_proposer_of(user), status=ProposalStatus.REPLIED)
        .exclude(Exists(latest_round_rated))
        .distinct()
        .order_by("-id")
    )


def proposals_dissatisfied(*, user: Any) -> QuerySet[Proposal]:
    """For the proposal office: replied proposals a proposer rated 不满意 in the latest
    round — the office decides on re-handling (重办) or closes them."""
    access = access_for(user)
    qs = Proposal.objects.filter(status=ProposalStatus.REPLIED)
    if not access.is_superuser:
        qs = qs.filter(committee_id__in=access.staff_committee_ids)
    latest = (
        Assignment.objects.filter(proposal_id=OuterRef(OuterRef("pk")))
        .order_by("-round")
        .values("round")[:1]
    )
    unhappy = ProposalRating.objects.filter(
        proposal_id=OuterRef("pk"), value=Satisfaction.DISSATISFIED, round__gte=latest
    )
    return qs.filter(Exists(unhappy)).select_related("lead__user").order_by("-id")


def reply_get_for_letter(*, user: Any, pk: int) -> Reply:
    """A reply whose letter the user may download: the clerks of its department, staff of
    its committee, and — once sent — the proposers; 404 for anyone else."""
    access = access_for(user)
    reply = Reply.objects.select_related("assignment__proposal", "assignment").filter(pk=pk).first()
    if reply is None or not reply.letter:
        raise Http404(_("No such reply letter."))
    assignment = reply.assignment
    allowed = (
        access.is_superuser
        or assignment.department_id in access.clerk_of
        or assignment.committee_id in access.staff_committee_ids
        or (
            reply.status == ReplyStatus.SENT
            and getattr(user, "is_authenticated", False)
            and Proposal.objects.filter(_proposer_of(user), pk=assignment.proposal_id).exists()
        )
    )
    if not allowed:
        raise Http404(_("No such reply letter."))
    return reply
