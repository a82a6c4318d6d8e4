"""Reads of the workrooms app, each scoped to who is asking."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from xieshang.core.models import Committee
from xieshang.people.access import access_for
from xieshang.workrooms.models import (
    ChecklistEvidence,
    ChecklistItem,
    ServicePoint,
    Workroom,
    WorkroomMembership,
    WorkroomStatus,
)


def workroom_visible_committee_ids(*, user: Any) -> frozenset[int] | None:
    """Committees whose workrooms the user may see in the workspace (None: all)."""
    access = access_for(user)
    if access.is_superuser:
        return None
    return access.staff_committee_ids | access.leader_of | access.member_of


def workroom_list(
    *,
    user: Any,
    kind: str = "",
    status: str = "",
    query: str = "",
    committee_id: int | None = None,
) -> QuerySet[Workroom]:
    ids = workroom_visible_committee_ids(user=user)
    qs = Workroom.objects.all() if ids is None else Workroom.objects.filter(committee_id__in=ids)
    if committee_id is not None:
        qs = qs.filter(committee_id=committee_id)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(address__icontains=query))
    return (
        qs.select_related("committee", "parent")
        .annotate(member_count=Count("memberships"))
        .order_by("committee__order", "committee_id", "kind", "id")
    )


def workroom_list_of_member(*, user: Any) -> QuerySet[Workroom]:
    """The workrooms the user sits in as a member."""
    return workroom_list(user=user).filter(memberships__member__user_id=user.pk).distinct()


def workroom_get(*, user: Any, pk: int) -> Workroom:
    """The workroom, if the user may see it; 404 otherwise, so ids of other committees'
    records reveal nothing."""
    try:
        return (
            workroom_list(user=user)
            .select_related("guiding_special_committee", "guiding_local_group")
            .get(pk=pk)
        )
    except Workroom.DoesNotExist:
        raise Http404(_("No such workroom, or it is not yours to see.")) from None


def workroom_list_public(*, committee: Committee) -> QuerySet[Workroom]:
    return (
        Workroom.objects.filter(committee=committee, status=WorkroomStatus.ACTIVE)
        .select_related("parent")
        .order_by("kind", "id")
    )


def workroom_get_public(*, code: str) -> Workroom:
    """An active workroom by its public code (the one in its QR code)."""
    try:
        return Workroom.objects.select_related("committee").get(
            code=code, status=WorkroomStatus.ACTIVE
        )
    except Workroom.DoesNotExist:
        raise Http404(_("No such workroom, or it is not open.")) from None


def service_point_list_public(*, committee: Committee) -> QuerySet[ServicePoint]:
    return ServicePoint.objects.filter(committee=committee, is_active=True)


def workroom_counts_for_staff(*, user: Any) -> dict[str, int]:
    """Workrooms in the user's staff committees by status, for the home page."""
    access = access_for(user)
    rows = (
        Workroom.objects.filter(committee_id__in=access.staff_committee_ids)
        .values("status")
        .annotate(n=Count("id"))
    )
    counts = {s.value: 0 for s in WorkroomStatus}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


# --- The workroom tree ---------------------------------------------------------------


def workroom_tree(workrooms: Iterable[Workroom]) -> list[Workroom]:
    """The workrooms in tree order, children right after their parent, each with a
    `depth` attribute (0 for a root or a workroom whose parent is not in the list)."""
    rows = list(workrooms)
    present = {w.pk for w in rows}
    children: dict[int | None, list[Workroom]] = {}
    for w in rows:
        parent = w.parent_id if w.parent_id in present else None
        children.setdefault(parent, []).append(w)
    ordered: list[Workroom] = []
    stack = [(w, 0) for w in reversed(children.get(None, []))]
    seen: set[int] = set()
    while stack:
        workroom, depth = stack.pop()
        if workroom.pk in seen:  # a cycle made in the admin must not loop forever
            continue
        seen.add(workroom.pk)
        workroom.depth = depth  # type: ignore[attr-defined]
        ordered.append(workroom)
        stack.extend((c, depth + 1) for c in reversed(children.get(workroom.pk, [])))
    # Rows only reachable through a cycle still appear, at the top level.
    for w in rows:
        if w.pk not in seen:
            w.depth = 0  # type: ignore[attr-defined]
            ordered.append(w)
    return ordered


# --- The standard checklist (五有) -------------------------------------------------


class Standing(StrEnum):
    MET = "met"
    AWAITING = "awaiting"
    MISSING = "missing"


@dataclass(frozen=True)
class StandardCell:
    item: ChecklistItem
    evidence: ChecklistEvidence | None

    @property
    def standing(self) -> Standing:
        if self.evidence is None:
            return Standing.MISSING
        return Standing.MET if self.evidence.is_met else Standing.AWAITING


@dataclass(frozen=True)
class StandardRow:
    workroom: Workroom
    cells: list[StandardCell]

    @property
    def meets_all(self) -> bool:
        return bool(self.cells) and all(c.standing == Standing.MET for c in self.cells)

    @property
    def met_count(self) -> int:
        return sum(1 for c in self.cells if c.standing == Standing.MET)


@dataclass(frozen=True)
class StandardMatrix:
    committee: Committee
    items: list[ChecklistItem]
    rows: list[StandardRow]

    @property
    def meeting_all(self) -> int:
        return sum(1 for r in self.rows if r.meets_all)


def checklist_items_of(*, committee_id: int) -> QuerySet[ChecklistItem]:
    """The committee's standard, in display order (items in use only)."""
    return ChecklistItem.objects.filter(committee_id=committee_id, is_active=True).order_by(
        "order", "id"
    )


def standard_committees(*, user: Any) -> QuerySet[Committee]:
    """Committees whose workroom standard the user may look at."""
    ids = workroom_visible_committee_ids(user=user)
    qs = Committee.objects.all() if ids is None else Committee.objects.filter(pk__in=ids)
    return qs.order_by("order", "id")


def standard_matrix(*, user: Any, committee_id: int) -> StandardMatrix:
    """The committee's workrooms × standard items, each cell met / awaiting confirmation /
    missing; 404 for a committee the user may not see."""
    try:
        committee = standard_committees(user=user).get(pk=committee_id)
    except Committee.DoesNotExist:
        raise Http404(_("No such committee, or it is not yours to see.")) from None
    items = list(checklist_items_of(committee_id=committee.pk))
    workrooms = workroom_tree(Workroom.objects.filter(committee=committee).order_by("kind", "id"))
    evidence = {
        (e.workroom_id, e.item_id): e
        for e in ChecklistEvidence.objects.filter(workroom__committee=committee, item__in=items)
    }
    rows = [
        StandardRow(
            workroom=w,
            cells=[StandardCell(item=i, evidence=evidence.get((w.pk, i.pk))) for i in items],
        )
        for w in workrooms
    ]
    return StandardMatrix(committee=committee, items=items, rows=rows)


def standard_row(*, workroom: Workroom) -> StandardRow:
    """One workroom's standing on each item (the caller has checked it may see it)."""
    items = list(checklist_items_of(committee_id=workroom.committee_id))
    evidence = {
        e.item_id: e
        for e in ChecklistEvidence.objects.filter(workroom=workroom).select_related(
            "recorded_by", "confirmed_by"
        )
    }
    return StandardRow(
        workroom=workroom,
        cells=[StandardCell(item=i, evidence=evidence.get(i.pk)) for i in items],
    )


def checklist_item_get(*, workroom: Workroom, pk: int) -> ChecklistItem:
    """An item of the workroom's committee's standard; 404 for another committee's."""
    try:
        return checklist_items_of(committee_id=workroom.committee_id).get(pk=pk)
    except ChecklistItem.DoesNotExist:
        raise Http404(_("No such standard item.")) from None


def evidence_get(*, user: Any, pk: int) -> ChecklistEvidence:
    """Evidence of a workroom the user may see; 404 otherwise."""
    try:
        return ChecklistEvidence.objects.select_related("workroom", "item").get(
            pk=pk, workroom__in=workroom_list(user=user).values("pk")
        )
    except ChecklistEvidence.DoesNotExist:
        raise Http404(_("No such evidence, or it is not yours to see.")) from None


# --- Duty this week --------------------------------------------------------------------


def week_of(day: date) -> tuple[date, date]:
    """Monday and Sunday of the week `day` falls in."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def workroom_memberships_of(*, committee_id: int) -> list[tuple[int, str, int]]:
    """A committee's workrooms and their members as rows `(workroom_id, workroom name,
    member_id)`: for the duty record's rankings per workroom. Not scoped to a user: the
    caller shows the results only to the committee's staff."""
    return list(
        WorkroomMembership.objects.filter(workroom__committee_id=committee_id)
        .order_by("workroom_id", "id")
        .values_list("workroom_id", "workroom__name", "member_id")
    )


# --- For the figures (履职成效): records of committees, read-only --------------------------
# The figures app has checked that the user may see these committees' figures.


def workrooms_of_committees(ids: Iterable[int]) -> QuerySet[Workroom]:
    """Workrooms of the committees, every status."""
    return Workroom.objects.filter(committee_id__in=list(ids))


def workroom_memberships_of_committees(ids: Iterable[int]) -> QuerySet[WorkroomMembership]:
    """Who serves in the committees' workrooms (a member of another committee included:
    a city member in a district's workroom counts for that district)."""
    return WorkroomMembership.objects.filter(workroom__committee_id__in=list(ids))
