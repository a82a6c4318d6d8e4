"""Reads behind the proposal documents (Word, Excel) and the public replies page, each
scoped to who is asking: a record the user may not see is a 404, nothing revealed.

Who may download what:
- a proposal's Word file: the superuser; staff of its committee once it is submitted; its
  proposers (the lead and confirmed co-signers) at any time; clerks of a department it is
  assigned to (not one that returned it); leaders of its committee when it is a chosen
  key proposal;
- a reply letter: clerks of the replying department at any time (to check the draft);
  once the reply is sent, also the committee's staff, the superuser and the proposers,
  including those of proposals merged into it (each proposer still gets the reply);
- the Excel list and the per-department summary: staff of the committee (any role).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.models import Committee
from xieshang.people.access import access_for
from xieshang.proposals.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    CoSigner,
    CoSignerStatus,
    Grade,
    GradeWording,
    KeyProposal,
    KeyStatus,
    Proposal,
    ProposalCategory,
    ProposalRating,
    ProposalStatus,
    ProposerKind,
    Reply,
    ReplyStatus,
    Satisfaction,
)
from xieshang.proposals.selectors.office import ProposalFilter, proposal_list_for_staff

PUBLISHED_STATES = (ProposalStatus.REPLIED, ProposalStatus.CLOSED)
OPEN_ASSIGNMENT = (
    AssignmentStatus.ASSIGNED,
    AssignmentStatus.SIGNED,
    AssignmentStatus.REPLY_DRAFTED,
)


def _proposer_q(user_id: int, prefix: str = "") -> Q:
    """The proposals `user_id` is a proposer of: the lead or a confirmed co-signer."""
    confirmed = CoSigner.objects.filter(
        member__user_id=user_id, status=CoSignerStatus.CONFIRMED
    ).values("proposal_id")
    return Q(**{f"{prefix}lead__user_id": user_id}) | Q(**{f"{prefix}pk__in": confirmed})


def proposals_for_documents(*, user: Any) -> QuerySet[Proposal]:
    """The proposals whose Word file the user may download (see the module docstring)."""
    access = access_for(user)
    qs = Proposal.objects.all()
    if not access.is_superuser:
        if not getattr(user, "is_authenticated", False):
            return qs.none()
        assigned = (
            Assignment.objects.filter(department_id__in=list(access.clerk_of))
            .exclude(status=AssignmentStatus.RETURNED)
            .values("proposal_id")
        )
        key = KeyProposal.objects.filter(
            committee_id__in=access.leader_of, status=KeyStatus.CHOSEN
        ).values("proposal_id")
        staff = proposal_list_for_staff(user=user).values("pk")
        qs = qs.filter(Q(pk__in=staff) | _proposer_q(user.pk) | Q(pk__in=assigned) | Q(pk__in=key))
    return qs.select_related(
        "committee", "category", "session", "lead__user", "sector", "special_committee"
    )


def proposal_get_for_documents(*, user: Any, pk: int) -> Proposal:
    try:
        return proposals_for_documents(user=user).get(pk=pk)
    except Proposal.DoesNotExist:
        raise Http404(_("No such proposal, or it is not yours to see.")) from None


def reply_get_for_letter(*, user: Any, pk: int) -> Reply:
    """A reply whose letter the user may download (see the module docstring)."""
    access = access_for(user)
    qs = Reply.objects.select_related(
        "assignment__department",
        "assignment__committee",
        "assignment__proposal__committee",
        "assignment__proposal__category",
        "assignment__proposal__session",
        "assignment__proposal__lead__user",
        "assignment__proposal__sector",
        "assignment__proposal__special_committee",
    )
    if not access.is_superuser:
        if not getattr(user, "is_authenticated", False):
            raise Http404(_("No such reply, or it is not yours to see."))
        proposer = _proposer_q(user.pk, "assignment__proposal__") | Q(
            assignment__proposal__merged__in=Proposal.objects.filter(_proposer_q(user.pk))
        )
        qs = qs.filter(
            Q(assignment__department_id__in=list(access.clerk_of))
            | (
                Q(assignment__status=AssignmentStatus.REPLIED)
                & (Q(assignment__committee_id__in=access.staff_committee_ids) | proposer)
            )
        ).distinct()
    try:
        return qs.get(pk=pk)
    except Reply.DoesNotExist:
        raise Http404(_("No such reply, or it is not yours to see.")) from None


def proposer_names(proposal: Proposal) -> list[str]:
    """Who proposed it, as printed: the lead and the confirmed co-signers, or the sector,
    special committee or party group that filed it. Members are public figures; nothing
    but their names is given."""
    if proposal.proposer_kind == ProposerKind.SECTOR and proposal.sector_id:
        return [str(proposal.sector)]
    if proposal.proposer_kind == ProposerKind.SPECIAL_COMMITTEE and proposal.special_committee_id:
        return [str(proposal.special_committee)]
    if proposal.proposer_kind == ProposerKind.PARTY_GROUP and proposal.party_group:
        return [proposal.party_group]
    names = [str(proposal.lead.user)]
    cosigners = [
        c
        for c in proposal.cosigners.all()  # prefetched by the lists
        if c.status == CoSignerStatus.CONFIRMED
    ]
    names += [str(c.member.user) for c in sorted(cosigners, key=lambda c: c.pk)]
    return names


def letter_addressees(proposal: Proposal) -> list[str]:
    """The proposers a reply is addressed to: the proposal's and those of the proposals
    merged into it (并案: each proposer still gets the reply)."""
    names = proposer_names(proposal)
    merged = Proposal.objects.filter(merged_into=proposal).select_related(
        "lead__user", "sector", "special_committee"
    )
    for other in merged.prefetch_related("cosigners__member__user").order_by("pk"):
        names += [n for n in proposer_names(other) if n not in names]
    return names


def grade_wordings(committee_id: int) -> dict[str, str]:
    """The committee's words for each grade, with the defaults for those it has not set."""
    wordings = {g.value: str(g.label) for g in Grade}
    for grade, wording in GradeWording.objects.filter(committee_id=committee_id).values_list(
        "grade", "wording"
    ):
        wordings[grade] = wording
    return wordings


# --- The Excel list --------------------------------------------------------------------


def proposals_for_export(*, user: Any, filters: ProposalFilter) -> QuerySet[Proposal]:
    """The staff's list with every filter it offers, and what the workbook prints."""
    return (
        proposal_list_for_staff(user=user, filters=filters)
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("department", "reply").order_by(
                    "round", "role", "id"
                ),
            ),
            Prefetch("cosigners", queryset=CoSigner.objects.select_related("member__user")),
            "ratings",
        )
        .select_related("sector", "special_committee")
    )


# --- The per-department summary ---------------------------------------------------------


@dataclass
class DepartmentSummary:
    """What one department did with the proposals assigned to it in a year."""

    department: str
    assigned: int = 0
    signed: int = 0
    replied: int = 0
    replied_on_time: int = 0
    replied_late: int = 0
    overdue: int = 0
    returned: int = 0
    grades: Counter[str] = field(default_factory=Counter)
    satisfaction: Counter[str] = field(default_factory=Counter)


def summary_committees(*, user: Any) -> QuerySet[Committee]:
    """The committees whose summary the user may download: those they staff."""
    access = access_for(user)
    qs = Committee.objects.all()
    return qs if access.is_superuser else qs.filter(pk__in=access.staff_committee_ids)


def summary_committee_get(*, user: Any, pk: int) -> Committee:
    try:
        return summary_committees(user=user).get(pk=pk)
    except Committee.DoesNotExist:
        raise Http404(_("No such committee, or it is not yours to see.")) from None


def department_summary(*, committee: Committee, year: int) -> list[DepartmentSummary]:
    """Per department, the assignments of `committee` made in `year` (every round):
    how many were assigned, signed for, returned, replied on time or late, and are overdue
    now; the grades of the replies sent; and the proposers' ratings of the rounds the
    department replied to (as lead or split handler). The caller checked the committee is
    the user's (`summary_committee_get`)."""
    now = timezone.now()
    assignments = (
        Assignment.objects.filter(committee=committee, assigned_at__year=year)
        .select_related("department", "reply", "opinion")
        .order_by("department__kind", "department_id", "id")
    )
    rows: dict[int, DepartmentSummary] = {}
    replied_rounds: dict[tuple[int, int], set[int]] = {}
    for a in assignments:
        row = rows.setdefault(a.department_id, DepartmentSummary(department=str(a.department)))
        if a.status == AssignmentStatus.RETURNED:
            row.returned += 1
            continue
        row.assigned += 1
        if a.signed_at is not None or a.status not in (
            AssignmentStatus.ASSIGNED,
            AssignmentStatus.RETURN_REQUESTED,
        ):
            row.signed += 1
        if a.status in OPEN_ASSIGNMENT and a.deadline < now:
            row.overdue += 1
        if a.status != AssignmentStatus.REPLIED:
            continue
        row.replied += 1
        answered_at = _answered_at(a)
        if answered_at is not None and answered_at <= a.deadline:
            row.replied_on_time += 1
        else:
            row.replied_late += 1
        reply = getattr(a, "reply", None)
        if reply is not None and reply.status == ReplyStatus.SENT:
            row.grades[reply.grade] += 1
        if a.role in (AssignmentRole.LEAD, AssignmentRole.SPLIT):
            replied_rounds.setdefault((a.proposal_id, a.round), set()).add(a.department_id)
    if replied_rounds:
        ratings = ProposalRating.objects.filter(
            proposal_id__in={p for p, _r in replied_rounds}
        ).values_list("proposal_id", "round", "value")
        for proposal_id, round_, value in ratings:
            for department_id in replied_rounds.get((proposal_id, round_), ()):
                rows[department_id].satisfaction[value] += 1
    return list(rows.values())


def _answered_at(a: Assignment) -> Any:
    reply = getattr(a, "reply", None)
    if reply is not None and reply.sent_at is not None:
        return reply.sent_at
    opinion = getattr(a, "opinion", None)
    return opinion.created_at if opinion is not None else None


SATISFACTION_ORDER = tuple(Satisfaction.values)
GRADE_ORDER = tuple(Grade.values)


# --- The public replies page ------------------------------------------------------------


def public_replies(
    *, committee: Committee, query: str = "", category_id: int | None = None
) -> QuerySet[Proposal]:
    """提案答复公开: the committee's proposals whose reply it chose to publish, replied or
    closed, with their sent replies. Searchable in the title, number, the proposal's text
    and the replies."""
    qs = Proposal.objects.filter(
        committee=committee, publish_reply=True, status__in=PUBLISHED_STATES
    )
    if query:
        sent = Reply.objects.sent().filter(text__icontains=query)
        qs = qs.filter(
            Q(title__icontains=query)
            | Q(number=query)
            | Q(analysis__icontains=query)
            | Q(recommendations__icontains=query)
            | Q(pk__in=sent.values("assignment__proposal_id"))
        )
    if category_id:
        qs = qs.filter(category_id=category_id)
    sent_replies = Reply.objects.sent().order_by("assignment__round", "sent_at", "id")
    return (
        qs.select_related("category", "lead__user", "sector", "special_committee", "session")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.exclude(status=AssignmentStatus.RETURNED)
                .select_related("department")
                .prefetch_related(Prefetch("reply", queryset=sent_replies))
                .order_by("round", "role", "id"),
            ),
            Prefetch(
                "cosigners",
                queryset=CoSigner.objects.filter(status=CoSignerStatus.CONFIRMED).select_related(
                    "member__user"
                ),
            ),
        )
        .order_by("-year", "-sequence", "-id")
    )


def public_categories(committee_id: int) -> QuerySet[ProposalCategory]:
    return ProposalCategory.objects.filter(committee_id=committee_id)


# Lead first, then split handlers, then co-handlers.
ROLE_ORDER: dict[str, int] = {
    AssignmentRole.LEAD.value: 0,
    AssignmentRole.SPLIT.value: 1,
    AssignmentRole.CO.value: 2,
}


@dataclass(frozen=True)
class PublishedReply:
    department: str
    grade: str
    grade_wording: str
    text: str
    sent_at: Any


@dataclass(frozen=True)
class PublishedProposal:
    """What the public replies page shows of a proposal: no personal data beyond the
    proposers' names."""

    proposal: Proposal
    proposers: list[str]
    departments: list[str]
    replies: list[PublishedReply]


def published_items(proposals: Iterable[Proposal], committee_id: int) -> list[PublishedProposal]:
    """The page's proposals (from `public_replies`, prefetched) ready to show."""
    wordings = grade_wordings(committee_id)
    items = []
    for p in proposals:
        assignments = sorted(p.assignments.all(), key=lambda a: (a.round, ROLE_ORDER[a.role]))
        replies = []
        for a in assignments:
            reply = getattr(a, "reply", None)
            if reply is not None and reply.status == ReplyStatus.SENT:
                replies.append(
                    PublishedReply(
                        department=str(a.department),
                        grade=reply.grade,
                        grade_wording=wordings.get(reply.grade, ""),
                        text=reply.text,
                        sent_at=reply.sent_at,
                    )
                )
        departments = []
        for a in assignments:
            label = f"{a.department}（{a.get_role_display()}）"
            if label not in departments:
                departments.append(label)
        items.append(
            PublishedProposal(
                proposal=p,
                proposers=proposer_names(p),
                departments=departments,
                replies=replies,
            )
        )
    return items
