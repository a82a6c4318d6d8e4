"""Reads of the duty roster, each scoped to who is asking: staff and members see their
committees' rosters; a shift change is seen by the two members in it and the staff of
its committee. Another committee's id gives 404 and reveals nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.models import CalendarDay, Committee, DayKind
from xieshang.duty.models import (
    ClosedDate,
    DutyPattern,
    RotationEntry,
    Shift,
    ShiftChange,
    ShiftChangeStatus,
    ShiftStatus,
)
from xieshang.people.access import access_for
from xieshang.people.models import Member, StaffRole
from xieshang.workrooms.models import Workroom, WorkroomMembership
from xieshang.workrooms.selectors import week_of

MANAGER_ROLES = (StaffRole.WORKROOM_COORDINATOR, StaffRole.ADMINISTRATOR)
OPEN_CHANGE = (ShiftChangeStatus.REQUESTED, ShiftChangeStatus.AGREED)


def roster_committee_ids(*, user: Any) -> frozenset[int] | None:
    """Committees whose rosters the user may read (None: all)."""
    access = access_for(user)
    if access.is_superuser:
        return None
    return access.staff_committee_ids | access.member_of


def roster_manager_committee_ids(*, user: Any) -> frozenset[int] | None:
    """Committees whose rosters the user may change (None: all)."""
    access = access_for(user)
    if access.is_superuser:
        return None
    return access.staff_ids_with(*MANAGER_ROLES)


def _in(ids: frozenset[int] | None, lookup: str = "committee_id") -> Q:
    return Q() if ids is None else Q(**{f"{lookup}__in": ids})


def roster_workroom_get(*, user: Any, pk: int) -> Workroom:
    try:
        return Workroom.objects.select_related("committee").get(
            _in(roster_committee_ids(user=user)), pk=pk
        )
    except Workroom.DoesNotExist:
        raise Http404(_("No such workroom, or it is not yours to see.")) from None


def pattern_list(*, workroom: Workroom) -> QuerySet[DutyPattern]:
    return DutyPattern.objects.filter(workroom=workroom).order_by("weekday", "start_time", "id")


def pattern_get(*, user: Any, pk: int) -> DutyPattern:
    try:
        return DutyPattern.objects.select_related("workroom__committee").get(
            _in(roster_committee_ids(user=user), "workroom__committee_id"), pk=pk
        )
    except DutyPattern.DoesNotExist:
        raise Http404(_("No such duty pattern, or it is not yours to see.")) from None


def rotation_of(*, pattern: DutyPattern) -> list[RotationEntry]:
    return list(
        RotationEntry.objects.filter(pattern=pattern)
        .select_related("member__user")
        .order_by("position")
    )


def rotation_candidates(*, workroom: Workroom) -> QuerySet[Member]:
    """Serving members of the workroom's committee, those who sit in it first."""
    sits = WorkroomMembership.objects.filter(workroom=workroom, member=OuterRef("pk"))
    return (
        Member.objects.filter(committee_id=workroom.committee_id, is_active=True)
        .annotate(in_workroom=Exists(sits))
        .select_related("user")
        .order_by("-in_workroom", "user__name", "id")
    )


def on_holiday() -> Exists:
    """For a shift query: whether the shift's day is a public holiday of the working-day
    calendar (entered, perhaps, after the shift was generated)."""
    return Exists(CalendarDay.objects.filter(date=OuterRef("date"), kind=DayKind.HOLIDAY))


def on_duty() -> Q:
    """Shifts that really take place: scheduled, on a day that is not a public holiday,
    with a member who still serves. A holiday's shift waits for the nightly task to
    cancel it; a member who left is flagged to staff on the roster page."""
    return Q(status=ShiftStatus.SCHEDULED, member__is_active=True) & ~Q(
        date__in=CalendarDay.objects.filter(kind=DayKind.HOLIDAY).values("date")
    )


def shifts_of_workroom(*, workroom: Workroom, weeks: int = 8) -> QuerySet[Shift]:
    """The workroom's shifts from today for `weeks` weeks, cancelled ones included;
    `on_holiday` tells those that fall on a public holiday."""
    today = timezone.localdate()
    return (
        Shift.objects.filter(
            workroom=workroom, date__gte=today, date__lt=today + timedelta(weeks=weeks)
        )
        .annotate(on_holiday=on_holiday())
        .select_related("member__user", "pattern")
        .order_by("starts_at", "id")
    )


def duty_this_week(*, workroom: Workroom) -> list[Shift]:
    """The workroom's shifts of the current Monday-to-Sunday week, Beijing time, that
    take place (`on_duty`: not cancelled, not on a public holiday, with a serving member)
    — for the public workroom page."""
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    return list(
        Shift.objects.filter(
            on_duty(),
            workroom=workroom,
            date__gte=monday,
            date__lte=monday + timedelta(days=6),
        )
        .select_related("member__user")
        .order_by("starts_at", "id")
    )


def shifts_of_member(
    *, user: Any, upcoming: bool = True, include_cancelled: bool = False
) -> QuerySet[Shift]:
    """The user's own shifts, in any of their seats: those not yet over when `upcoming`,
    else the past ones, newest first."""
    qs = Shift.objects.filter(member__user_id=user.pk).select_related(
        "workroom", "committee", "member__user"
    )
    if not include_cancelled:
        qs = qs.filter(status=ShiftStatus.SCHEDULED)
    qs = qs.annotate(on_holiday=on_holiday())
    now = timezone.now()
    if upcoming:
        open_change = ShiftChange.objects.filter(shift=OuterRef("pk"), status__in=OPEN_CHANGE)
        return (
            qs.filter(ends_at__gt=now)
            .annotate(has_open_change=Exists(open_change))
            .order_by("starts_at", "id")
        )
    return qs.filter(ends_at__lte=now).order_by("-starts_at", "-id")


def shift_get(*, user: Any, pk: int) -> Shift:
    try:
        return Shift.objects.select_related("workroom", "committee", "member__user").get(
            _in(roster_committee_ids(user=user)), pk=pk
        )
    except Shift.DoesNotExist:
        raise Http404(_("No such shift, or it is not yours to see.")) from None


def colleagues_for(*, shift: Shift) -> QuerySet[Member]:
    """Who may be asked to cover or swap: the committee's other serving members."""
    return (
        Member.objects.filter(committee_id=shift.committee_id, is_active=True)
        .exclude(user_id=shift.member.user_id)
        .select_related("user")
        .order_by("user__name", "id")
    )


def swappable_shifts(*, shift: Shift) -> QuerySet[Shift]:
    """The colleagues' future scheduled shifts the asker could take in exchange."""
    return (
        Shift.objects.filter(
            committee_id=shift.committee_id,
            status=ShiftStatus.SCHEDULED,
            starts_at__gt=timezone.now(),
            member__is_active=True,
        )
        .exclude(member__user_id=shift.member.user_id)
        .select_related("workroom", "member__user")
        .order_by("starts_at", "id")
    )


def _change_qs() -> QuerySet[ShiftChange]:
    return ShiftChange.objects.select_related(
        "committee",
        "shift__workroom",
        "shift__member__user",
        "other_shift__workroom",
        "requested_by__user",
        "colleague__user",
    )


@dataclass(frozen=True)
class ChangeLists:
    asked_by_me: list[ShiftChange]
    asked_of_me: list[ShiftChange]
    to_approve: list[ShiftChange]


def shift_changes_for(*, user: Any, limit: int = 50) -> ChangeLists:
    """What the user asked, what they are asked, and (workroom staff) what awaits approval."""
    qs = _change_qs()
    managed = roster_manager_committee_ids(user=user)
    to_approve: list[ShiftChange] = []
    if managed is None or managed:
        to_approve = list(qs.filter(_in(managed), status=ShiftChangeStatus.AGREED)[:limit])
    return ChangeLists(
        asked_by_me=list(qs.filter(requested_by__user_id=user.pk)[:limit]),
        asked_of_me=list(qs.filter(colleague__user_id=user.pk)[:limit]),
        to_approve=to_approve,
    )


def shift_change_get(*, user: Any, pk: int) -> ShiftChange:
    """A request, for the two members in it and the staff of its committee."""
    access = access_for(user)
    scope = Q(requested_by__user_id=user.pk) | Q(colleague__user_id=user.pk)
    if access.is_superuser:
        scope = Q()
    elif access.staff_committee_ids:
        scope |= Q(committee_id__in=access.staff_committee_ids)
    try:
        return _change_qs().get(scope, pk=pk)
    except ShiftChange.DoesNotExist:
        raise Http404(_("No such request, or it is not yours to see.")) from None


def closed_date_list(*, user: Any) -> QuerySet[ClosedDate]:
    """Closed dates from today on, of the committees the user staffs."""
    access = access_for(user)
    ids = None if access.is_superuser else access.staff_committee_ids
    return (
        ClosedDate.objects.filter(_in(ids), date__gte=timezone.localdate())
        .select_related("committee", "workroom")
        .order_by("date", "committee_id", "id")
    )


def closed_date_get(*, user: Any, pk: int) -> ClosedDate:
    """A closed date the user may remove (workroom staff of its committee)."""
    try:
        return ClosedDate.objects.select_related("committee", "workroom").get(
            _in(roster_manager_committee_ids(user=user)), pk=pk
        )
    except ClosedDate.DoesNotExist:
        raise Http404(_("No such closed date, or it is not yours to change.")) from None


def committees_managed(*, user: Any) -> QuerySet[Committee]:
    return Committee.objects.filter(_in(roster_manager_committee_ids(user=user), "pk"))


def workrooms_managed(*, user: Any) -> QuerySet[Workroom]:
    return Workroom.objects.filter(_in(roster_manager_committee_ids(user=user))).order_by(
        "committee_id", "kind", "id"
    )


def roster_workrooms(*, user: Any) -> QuerySet[Workroom]:
    """Workrooms whose rosters the user manages, with the number of duty patterns."""
    return (
        workrooms_managed(user=user)
        .select_related("committee")
        .annotate(pattern_count=Count("duty_patterns"))
    )


def shift_change_counts(*, user: Any) -> dict[str, int]:
    """For the home page: requests waiting for the user's answer as the colleague
    (`to_answer`), and agreed ones waiting for their approval as workroom staff
    (`to_approve`)."""
    managed = roster_manager_committee_ids(user=user)
    to_approve = 0
    if managed is None or managed:
        to_approve = ShiftChange.objects.filter(
            _in(managed), status=ShiftChangeStatus.AGREED
        ).count()
    return {
        "to_answer": ShiftChange.objects.filter(
            colleague__user_id=user.pk, status=ShiftChangeStatus.REQUESTED
        ).count(),
        "to_approve": to_approve,
    }


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


# --- For the figures (履职成效): records of committees, read-only --------------------------
# The figures app has checked that the user may see these committees' figures.


def shifts_of_committees(ids: Sequence[int]) -> QuerySet[Shift]:
    """Duty shifts in the committees' workrooms, every status."""
    return Shift.objects.filter(committee_id__in=list(ids))
