"""Reads of drafting, each scoped to who is asking: a member sees the proposals they lead
or were invited to co-sign, and nothing else (another member's, another committee's: 404).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.models import Event
from xieshang.core.workflow import TimelineEntry
from xieshang.people.access import access_for
from xieshang.people.models import Member
from xieshang.proposals.models import (
    CoSigner,
    CoSignerStatus,
    GradeWording,
    Proposal,
    ProposalCategory,
    ProposalRating,
    ProposalStatus,
    Reply,
)
from xieshang.proposals.workflow import PROPOSAL_WORKFLOW
from xieshang.suggestions.models import Suggestion

# Events of drafting a proposer sees on its timeline besides the public steps.
PROPOSER_EVENTS = ("create", "edit", "invite", "cosign", "cosign_decline", "withdraw", "rate")
# Once a proposal has left its proposers' hands, the citizen whose suggestion it came from
# may learn that it became a proposal (not who wrote it).
PUBLIC_STATES = tuple(
    s for s in ProposalStatus.values if s not in (ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN)
)


def _uid(user: Any) -> int:
    """The user's id; 0 (no one) for an anonymous user."""
    return int(user.pk) if getattr(user, "is_authenticated", False) else 0


def member_seats(*, user: Any) -> QuerySet[Member]:
    """The user's serving seats, one per committee."""
    return (
        Member.objects.filter(user_id=_uid(user), is_active=True)
        .select_related("committee", "sector")
        .order_by("committee__level", "committee_id")
    )


def seat_in(*, user: Any, committee_id: int) -> Member | None:
    return member_seats(user=user).filter(committee_id=committee_id).first()


def proposals_for_proposer(*, user: Any) -> QuerySet[Proposal]:
    """Proposals the user leads or was invited to co-sign (a superuser: all)."""
    qs = Proposal.objects.all()
    if not access_for(user).is_superuser:
        uid = _uid(user)
        ids = CoSigner.objects.filter(member__user_id=uid).values("proposal_id")
        qs = qs.filter(Q(lead__user_id=uid) | Q(pk__in=ids))
    return qs.select_related("committee", "category", "lead__user", "session")


def proposal_get_for_proposer(*, user: Any, pk: int) -> Proposal:
    try:
        return proposals_for_proposer(user=user).get(pk=pk)
    except Proposal.DoesNotExist:
        raise Http404(_("No such proposal, or it is not yours to see.")) from None


@dataclass(frozen=True)
class MyProposals:
    led: list[Proposal]
    cosigned: list[CoSigner]
    invitations: list[CoSigner]


def proposals_mine(*, user: Any) -> MyProposals:
    """我的提案: as lead proposer, as co-signer, and invitations still to answer."""
    uid = _uid(user)
    led = list(Proposal.objects.filter(lead__user_id=uid).select_related("committee", "category"))
    rows = (
        CoSigner.objects.filter(member__user_id=uid)
        .select_related("proposal__committee", "proposal__lead__user", "proposal__category")
        .order_by("-invited_at", "-id")
    )
    open_invitations = Q(
        status=CoSignerStatus.INVITED,
        deadline__gte=timezone.now(),
        proposal__status__in=(ProposalStatus.DRAFT, ProposalStatus.SUBMITTED),
    )
    return MyProposals(
        led=led,
        cosigned=list(rows.filter(status=CoSignerStatus.CONFIRMED)),
        invitations=list(rows.filter(open_invitations)),
    )


def invitation_count(*, user: Any) -> int:
    """For the home page: co-signing invitations the user still has to answer."""
    return len(proposals_mine(user=user).invitations)


def cosigner_get(*, user: Any, pk: int) -> CoSigner:
    """The user's own invitation (anyone else's: 404)."""
    try:
        return CoSigner.objects.select_related("proposal", "member").get(
            pk=pk, member__user_id=_uid(user)
        )
    except CoSigner.DoesNotExist:
        raise Http404(_("No such invitation.")) from None


def categories_of(*, committee_id: int) -> QuerySet[ProposalCategory]:
    return ProposalCategory.objects.filter(committee_id=committee_id, is_active=True)


def invitable_members(*, proposal: Proposal) -> QuerySet[Member]:
    """Serving members of the proposal's committee who are not yet on it."""
    invited = CoSigner.objects.filter(proposal=proposal).values("member_id")
    return (
        Member.objects.filter(committee_id=proposal.committee_id, is_active=True)
        .exclude(pk=proposal.lead_id)
        .exclude(pk__in=invited)
        .select_related("user", "sector")
        .order_by("user__name", "id")
    )


def cosigners_of(*, proposal: Proposal) -> list[CoSigner]:
    return list(proposal.cosigners.select_related("member__user").order_by("id"))


def proposer_timeline(*, proposal: Proposal) -> list[TimelineEntry]:
    """The timeline its proposers see: the public steps and the drafting events (internal
    notes of the office, e.g. a key-proposal nomination, are left out)."""
    events = (
        Event.objects.for_object(proposal)
        .filter(Q(is_public=True) | Q(action__in=PROPOSER_EVENTS))
        .select_related("actor")
    )
    return [PROPOSAL_WORKFLOW.describe(e) for e in events]


@dataclass(frozen=True)
class SentReply:
    reply: Reply
    department: str
    grade: str


def replies_sent(*, proposal: Proposal) -> list[SentReply]:
    """The departments' replies once sent, with the grade in the committee's words."""
    wording = dict(
        GradeWording.objects.filter(committee_id=proposal.committee_id).values_list(
            "grade", "wording"
        )
    )
    rows = (
        Reply.objects.sent()
        .filter(assignment__proposal=proposal)
        .select_related("assignment__department")
        .order_by("assignment__round", "sent_at", "id")
    )
    return [
        SentReply(
            reply=r,
            department=r.assignment.department.name,
            grade=f"{r.grade} {wording.get(r.grade) or r.get_grade_display()}",
        )
        for r in rows
    ]


def ratings_of(*, proposal: Proposal) -> QuerySet[ProposalRating]:
    return proposal.ratings.select_related("member__user").order_by("round", "id")


@dataclass(frozen=True)
class PublicProposalMark:
    """What a citizen's tracking page says of a proposal developed from the suggestion:
    its subject, number once accepted, and state; never who wrote it."""

    title: str
    number: str
    status: str


def proposal_marks_for_suggestion(*, suggestion: Suggestion) -> list[PublicProposalMark]:
    rows = Proposal.objects.filter(from_suggestion=suggestion, status__in=PUBLIC_STATES).order_by(
        "submitted_at", "id"
    )
    return [
        PublicProposalMark(title=p.title, number=p.number or "", status=p.get_status_display())
        for p in rows
    ]


def draft_from_suggestion_of(*, user: Any, suggestion: Suggestion) -> Proposal | None:
    """The draft the user's claim of the suggestion created."""
    return (
        Proposal.objects.filter(
            from_suggestion=suggestion,
            lead__user_id=_uid(user),
            status=ProposalStatus.DRAFT,
        )
        .order_by("-id")
        .first()
    )
