"""Reads of the workrooms app, each scoped to who is asking."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from django.db.models import Count, Min, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.models import CalendarDay, Committee, DayKind
from xieshang.duty.models import Shift, ShiftStatus
from xieshang.people.access import access_for
from xieshang.people.models import Member
from xieshang.workrooms.models import (
    Activity,
    ActivityKind,
    ActivityPhoto,
    ChecklistEvidence,
    ChecklistItem,
    ServicePoint,
    Workroom,
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


def workroom_duty_this_week(*, workroom: Workroom) -> QuerySet[Shift]:
    """Shifts of the workroom this week (Monday to Sunday, Beijing time) that take place:
    scheduled, not on a public holiday entered since they were generated, with a member
    who still serves."""
    monday, sunday = week_of(timezone.localdate())
    holidays = CalendarDay.objects.filter(kind=DayKind.HOLIDAY).values("date")
    return (
        Shift.objects.filter(
            workroom=workroom,
            status=ShiftStatus.SCHEDULED,
            member__is_active=True,
            date__range=(monday, sunday),
        )
        .exclude(date__in=holidays)
        .select_related("member__user")
        .order_by("starts_at", "id")
    )


# --- Duty activities (履职活动) ----------------------------------------------------------


@dataclass(frozen=True)
class ActivityFilter:
    committee_id: int | None = None
    kind: str = ""  # a kind's name: kinds are per committee, the figures add up by name
    workroom_id: int | None = None
    member_id: int | None = None
    since: date | None = None
    until: date | None = None
    query: str = ""


@dataclass(frozen=True)
class KindTotal:
    kind: str
    activities: int
    participations: int
    citizens: int
    issues: int


def activity_visible_committee_ids(*, user: Any) -> frozenset[int] | None:
    """Committees whose activities the user may see (None: all)."""
    return workroom_visible_committee_ids(user=user)


def activity_list(*, user: Any, filters: ActivityFilter = ActivityFilter()) -> QuerySet[Activity]:
    """Activities of the user's committees (staff, members, leaders), filtered."""
    ids = activity_visible_committee_ids(user=user)
    qs = Activity.objects.all() if ids is None else Activity.objects.filter(committee_id__in=ids)
    f = filters
    if f.committee_id is not None:
        qs = qs.filter(committee_id=f.committee_id)
    if f.kind:
        qs = qs.filter(kind__name=f.kind)
    if f.workroom_id is not None:
        qs = qs.filter(workroom_id=f.workroom_id)
    if f.member_id is not None:
        qs = qs.filter(
            pk__in=Activity.members.through.objects.filter(member_id=f.member_id).values(
                "activity_id"
            )
        )
    if f.since is not None:
        qs = qs.filter(date__gte=f.since)
    if f.until is not None:
        qs = qs.filter(date__lte=f.until)
    if f.query:
        qs = qs.filter(Q(title__icontains=f.query) | Q(note__icontains=f.query))
    return qs.select_related("committee", "kind", "workroom", "recorded_by").order_by(
        "-date", "-id"
    )


def activity_totals(activities: QuerySet[Activity]) -> list[KindTotal]:
    """Per kind: activities, member participations (人次), citizens reached and issues
    collected — the figures the committees publish — over the given rows."""
    rows = Activity.objects.filter(pk__in=activities.values("pk"))
    sums = (
        rows.values("kind__name")
        .annotate(
            n=Count("id"),
            citizens=Sum("citizens_reached"),
            issues=Sum("issues_collected"),
            first=Min("kind__order"),
        )
        .order_by("first", "kind__name")
    )
    taking_part = {
        row["activity__kind__name"]: row["n"]
        for row in Activity.members.through.objects.filter(activity__in=rows)
        .values("activity__kind__name")
        .annotate(n=Count("id"))
    }
    return [
        KindTotal(
            kind=row["kind__name"],
            activities=row["n"],
            participations=taking_part.get(row["kind__name"], 0),
            citizens=row["citizens"] or 0,
            issues=row["issues"] or 0,
        )
        for row in sums
    ]


def activity_get(*, user: Any, pk: int) -> Activity:
    try:
        return activity_list(user=user).get(pk=pk)
    except Activity.DoesNotExist:
        raise Http404(_("No such activity, or it is not yours to see.")) from None


def activity_photo_get(*, user: Any, pk: int) -> ActivityPhoto:
    """A photo of an activity the user may see; 404 otherwise (photos show people)."""
    photo = (
        ActivityPhoto.objects.filter(pk=pk, activity__in=activity_list(user=user).values("pk"))
        .select_related("activity")
        .first()
    )
    if photo is None:
        raise Http404(_("No such photo, or it is not yours to see."))
    return photo


def workroom_activity_log(*, workroom: Workroom, limit: int = 20) -> list[Activity]:
    """The workroom's latest activities with their members (the caller has checked that
    the user may see the workroom, or that it is public)."""
    return list(
        Activity.objects.filter(workroom=workroom)
        .select_related("kind")
        .prefetch_related(Prefetch("members", queryset=Member.objects.select_related("user")))
        .order_by("-date", "-id")[:limit]
    )


def activity_kinds_of(*, committee_id: int, keep: Activity | None = None) -> QuerySet[ActivityKind]:
    """The committee's kinds in use; with `keep`, also that activity's own kind, even if
    retired since, so correcting an old record does not force a new kind on it."""
    in_use = Q(is_active=True)
    if keep is not None:
        in_use |= Q(pk=keep.kind_id)
    return ActivityKind.objects.filter(in_use, committee_id=committee_id).order_by("order", "id")


def activity_members_of(*, committee_id: int, keep: Activity | None = None) -> QuerySet[Member]:
    """The committee's serving members, who may be named as taking part; with `keep`,
    also the members that activity already names, even if they have left since."""
    serving = Q(is_active=True)
    if keep is not None:
        serving |= Q(pk__in=keep.members.values("pk"))
    return (
        Member.objects.filter(serving, committee_id=committee_id)
        .select_related("user")
        .order_by("user__name", "id")
    )


def activity_committees(*, user: Any) -> QuerySet[Committee]:
    """Committees the user may record activities for: where they are staff or member."""
    access = access_for(user)
    qs = Committee.objects.all()
    if not access.is_superuser:
        qs = qs.filter(pk__in=access.staff_committee_ids | access.member_of)
    return qs.order_by("order", "id")
