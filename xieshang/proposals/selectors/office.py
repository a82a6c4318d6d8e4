"""Reads of the proposal office: the review inbox, the staff's list of a committee's
proposals, overdue assignments, return requests, key proposals under supervision and the
excellent proposals. Each is scoped to who is asking: another committee's record is a 404.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.http import int_param, year_param
from xieshang.people.access import access_for
from xieshang.people.models import Department, LeaderPosition, StaffRole
from xieshang.proposals.models import (
    Assignment,
    AssignmentStatus,
    ExcellentProposal,
    KeyProposal,
    KeyStatus,
    Proposal,
    ProposalCategory,
    ProposalKind,
    ProposalStatus,
    Session,
)

M = TypeVar("M", bound=Model)

# An assignment still owes its reply while it is in one of these states.
OPEN_ASSIGNMENT = (
    AssignmentStatus.ASSIGNED,
    AssignmentStatus.SIGNED,
    AssignmentStatus.REPLY_DRAFTED,
)
OFFICE_ROLES = (StaffRole.PROPOSAL_OFFICE, StaffRole.ADMINISTRATOR)
# A proposal is merged into one awaiting review or being handled.
MERGE_TARGET_STATES = (
    ProposalStatus.SUBMITTED,
    ProposalStatus.ACCEPTED,
    ProposalStatus.ASSIGNED,
    ProposalStatus.HANDLING,
)


@dataclass(frozen=True)
class ProposalFilter:
    """The filters of the review inbox and the staff list (and of the Excel export)."""

    status: str = ""
    session_id: int | None = None
    kind: str = ""
    category_id: int | None = None
    department_id: int | None = None
    year: int | None = None
    query: str = ""
    overdue: bool = False
    key: bool = False
    sort: str = "-submitted_at"

    @classmethod
    def from_query(cls, g: Mapping[str, str], *, sort: str = "-submitted_at") -> ProposalFilter:
        """The filters as the list's page puts them in its query string; a value that
        cannot be read is left out rather than refused."""
        return cls(
            status=g.get("status", "") if g.get("status") in ProposalStatus.values else "",
            session_id=int_param(g.get("session")),
            kind=g.get("kind", "") if g.get("kind") in ProposalKind.values else "",
            category_id=int_param(g.get("category")),
            department_id=int_param(g.get("department")),
            year=year_param(g.get("year")),
            query=g.get("q", "").strip()[:50],
            overdue=g.get("overdue") == "1",
            key=g.get("key") == "1",
            sort=g.get("sort", sort),
        )


SORTS = {"-submitted_at", "submitted_at", "number", "-number", "deadline"}


def _staff_ids(user: Any) -> frozenset[int] | None:
    """The committees whose proposals the user reads as staff; None: every committee."""
    access = access_for(user)
    return None if access.is_superuser else access.staff_committee_ids


def _office_ids(user: Any) -> frozenset[int] | None:
    access = access_for(user)
    return None if access.is_superuser else access.staff_ids_with(*OFFICE_ROLES)


def _in(qs: QuerySet[M], ids: frozenset[int] | None, field: str = "committee_id") -> QuerySet[M]:
    return qs if ids is None else qs.filter(**{f"{field}__in": ids})


def _overdue_assignments() -> QuerySet[Assignment]:
    return Assignment.objects.filter(status__in=OPEN_ASSIGNMENT, deadline__lt=timezone.now())


def _filtered(qs: QuerySet[Proposal], f: ProposalFilter) -> QuerySet[Proposal]:
    if f.status:
        qs = qs.filter(status=f.status)
    if f.session_id:
        qs = qs.filter(session_id=f.session_id)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.category_id:
        qs = qs.filter(category_id=f.category_id)
    if f.year:
        qs = qs.filter(Q(year=f.year) | Q(year__isnull=True, submitted_at__year=f.year))
    if f.department_id:
        qs = qs.filter(
            Exists(
                Assignment.objects.filter(
                    proposal=OuterRef("pk"), department_id=f.department_id
                ).exclude(status=AssignmentStatus.RETURNED)
            )
        )
    if f.query:
        qs = qs.filter(
            Q(title__icontains=f.query)
            | Q(number=f.query)
            | Q(lead__user__name__icontains=f.query)
            | Q(analysis__icontains=f.query)
        )
    qs = qs.annotate(
        overdue=Exists(_overdue_assignments().filter(proposal=OuterRef("pk"))),
        is_key=Exists(KeyProposal.objects.filter(proposal=OuterRef("pk"), status=KeyStatus.CHOSEN)),
    )
    if f.overdue:
        qs = qs.filter(overdue=True)
    if f.key:
        qs = qs.filter(is_key=True)
    sort = f.sort if f.sort in SORTS else "-submitted_at"
    return qs.select_related("committee", "category", "session", "lead__user").order_by(sort, "-id")


def _submitted(qs: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """Drafts are the proposer's own: staff see a proposal once it has been submitted
    (a draft withdrawn before submission never was)."""
    return qs.exclude(status=ProposalStatus.DRAFT).exclude(
        status=ProposalStatus.WITHDRAWN, submitted_at__isnull=True
    )


def proposal_list_for_staff(
    *, user: Any, filters: ProposalFilter = ProposalFilter()
) -> QuerySet[Proposal]:
    """Every submitted proposal of the committees the user staffs (any staff role), with
    `overdue` (an assignment past its deadline without a reply) and `is_key` (a chosen key
    proposal) annotated."""
    return _filtered(_submitted(_in(Proposal.objects.all(), _staff_ids(user))), filters)


def review_inbox(*, user: Any, filters: ProposalFilter = ProposalFilter()) -> QuerySet[Proposal]:
    """The proposal office's inbox: its committees' proposals, by default those awaiting
    review (submitted)."""
    if not filters.status:
        filters = ProposalFilter(**{**filters.__dict__, "status": ProposalStatus.SUBMITTED})
    return _filtered(_submitted(_in(Proposal.objects.all(), _office_ids(user))), filters)


def _reader_ids(user: Any) -> frozenset[int] | None:
    """Committees whose proposals the user reads: those they staff or lead."""
    access = access_for(user)
    return None if access.is_superuser else access.staff_committee_ids | access.leader_of


def proposal_list_for_readers(
    *, user: Any, filters: ProposalFilter = ProposalFilter()
) -> QuerySet[Proposal]:
    """The staff list as a leader (主席, 副主席) reads it too: every submitted proposal of
    the committees the user staffs or leads, annotated as `proposal_list_for_staff`."""
    return _filtered(_submitted(_in(Proposal.objects.all(), _reader_ids(user))), filters)


def proposal_get_for_reader(*, user: Any, pk: int) -> Proposal:
    try:
        return proposal_list_for_readers(user=user).get(pk=pk)
    except Proposal.DoesNotExist:
        raise Http404(_("No such proposal, or it is not yours to see.")) from None


def proposal_get_for_staff(*, user: Any, pk: int) -> Proposal:
    try:
        return proposal_list_for_staff(user=user).get(pk=pk)
    except Proposal.DoesNotExist:
        raise Http404(_("No such proposal, or it is not yours to see.")) from None


def merge_targets(*, proposal: Proposal) -> QuerySet[Proposal]:
    """Proposals of the same committee another may be merged into: submitted or accepted
    and later, not merged themselves, not closed."""
    return (
        Proposal.objects.filter(committee_id=proposal.committee_id)
        .exclude(pk=proposal.pk)
        .filter(status__in=MERGE_TARGET_STATES)
        .order_by("-submitted_at", "-id")
    )


def merged_into_main(*, proposal: Proposal) -> Proposal:
    """The proposal whose handling and reply a merged one follows (itself if not merged).
    The proposers of a merged proposal read the main proposal's reply on its page."""
    seen = {proposal.pk}
    main = proposal
    while main.merged_into_id is not None and main.merged_into_id not in seen:
        seen.add(main.merged_into_id)
        main = Proposal.objects.get(pk=main.merged_into_id)
    return main


def proposal_assignments(*, proposal: Proposal) -> QuerySet[Assignment]:
    """The proposal's assignments of every round, returned ones included (as history)."""
    return proposal.assignments.select_related("department").order_by("round", "role", "id")


def categories_of(committee_id: int) -> QuerySet[ProposalCategory]:
    return ProposalCategory.objects.filter(committee_id=committee_id, is_active=True)


def sessions_of(committee_id: int) -> QuerySet[Session]:
    return Session.objects.filter(committee_id=committee_id)


def departments_for_assignment(committee_id: int) -> QuerySet[Department]:
    """The departments a proposal of this committee may be assigned to."""
    return Department.objects.filter(committee_id=committee_id, is_active=True)


def leaders_of(committee_id: int) -> QuerySet[LeaderPosition]:
    """The leaders who may be named to supervise a key proposal of this committee."""
    return LeaderPosition.objects.filter(committee_id=committee_id).select_related("user")


def committees_in_lists(*, user: Any) -> list[int]:
    """The committees whose filter options (categories, sessions, departments) a staff
    list offers (a leader's: the committees they lead)."""
    ids = _reader_ids(user)
    if ids is None:
        return list(Proposal.objects.values_list("committee_id", flat=True).distinct())
    return sorted(ids)


def overdue_list(*, user: Any) -> QuerySet[Assignment]:
    """Assignments of the user's committees past their deadline and not yet replied,
    the longest overdue first."""
    return (
        _in(_overdue_assignments(), _staff_ids(user))
        .select_related("proposal", "department", "committee")
        .order_by("deadline", "id")
    )


def return_requests(*, user: Any) -> QuerySet[Assignment]:
    """Departments' requests to return an assignment, for the proposal office to decide."""
    return (
        _in(Assignment.objects.filter(status=AssignmentStatus.RETURN_REQUESTED), _office_ids(user))
        .select_related("proposal", "department")
        .order_by("assigned_at", "id")
    )


def assignment_get_for_office(*, user: Any, pk: int) -> Assignment:
    """An assignment of a committee the user staffs (the workflow then asks for the
    proposal office)."""
    try:
        return (
            _in(Assignment.objects.all(), _staff_ids(user))
            .select_related("proposal", "department")
            .get(pk=pk)
        )
    except Assignment.DoesNotExist:
        raise Http404(_("No such assignment, or it is not yours to see.")) from None


def _key_ids(user: Any) -> frozenset[int] | None:
    access = access_for(user)
    if access.is_superuser:
        return None
    return access.staff_committee_ids | access.leader_of


def key_board(*, user: Any, status: str = "") -> QuerySet[KeyProposal]:
    """The supervision board: key proposals of the committees the user staffs or leads,
    with their proposal, supervisors and activities. Leaders see the ones chosen and those
    awaiting their decision."""
    qs = _in(KeyProposal.objects.all(), _key_ids(user))
    if status:
        qs = qs.filter(status=status)
    return (
        qs.annotate(overdue=Exists(_overdue_assignments().filter(proposal=OuterRef("proposal"))))
        .select_related("proposal__category", "proposal__lead__user", "committee")
        .prefetch_related("supervisors__user", "activities", "proposal__assignments__department")
        .order_by("status", "-nominated_at", "-id")
    )


def key_get(*, user: Any, pk: int) -> KeyProposal:
    try:
        return key_board(user=user).get(pk=pk)
    except KeyProposal.DoesNotExist:
        raise Http404(_("No such key proposal, or it is not yours to see.")) from None


def excellent_list(*, user: Any, year: int | None = None) -> QuerySet[ExcellentProposal]:
    """The excellent proposals of the committees the user staffs, newest year first."""
    qs = _in(ExcellentProposal.objects.all(), _staff_ids(user))
    if year:
        qs = qs.filter(year=year)
    return qs.select_related("proposal__category", "proposal__lead__user", "selected_by").order_by(
        "-year", "proposal__number", "id"
    )


def office_counts(*, user: Any) -> dict[str, int]:
    """For the home page: proposals awaiting review, return requests, overdue assignments
    and key proposals awaiting the leaders' decision."""
    return {
        "to_review": review_inbox(user=user).count(),
        "return_requests": return_requests(user=user).count(),
        "overdue": overdue_list(user=user).count(),
        "key_nominated": key_board(user=user, status=KeyStatus.NOMINATED).count(),
    }
