"""Reads of the performance app, each scoped to who is asking: a member sees their own
years (and their groups' medians, never others' names); the committee's staff see the
committee's rankings, rules and entered records; other committees see nothing."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from statistics import median
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieshang.core.models import Committee
from xieshang.core.rules import allowed
from xieshang.people.access import access_for
from xieshang.people.models import Member, MemberRole
from xieshang.people.selectors import member_groups
from xieshang.performance.models import (
    AttendanceStatus,
    BaselineReminder,
    CommitteeSession,
    LivelihoodResult,
    MemberYear,
    PointRuleChange,
    PointScheme,
    RecordItem,
    RecordLine,
    ResultStatus,
    SessionAttendance,
    SessionKind,
    WorkroomPlan,
)
from xieshang.workrooms.selectors import workroom_list, workroom_memberships_of

GROUPINGS = {
    "all": gettext_lazy("Whole committee"),
    "sector": gettext_lazy("Sector"),
    "local_group": gettext_lazy("Local group"),
    "special_committee": gettext_lazy("Special committee"),
    "workroom": gettext_lazy("Workroom"),
}


def staff_committees(*, user: Any) -> QuerySet[Committee]:
    """Committees whose rankings, rules and records the user works on (their staff's)."""
    access = access_for(user)
    qs = (
        Committee.objects.all()
        if access.is_superuser
        else Committee.objects.filter(pk__in=access.staff_committee_ids)
    )
    return qs.order_by("order", "id")


def staff_committee_get(*, user: Any, committee_id: int | None) -> Committee | None:
    """The chosen committee among the user's (the first when none is chosen)."""
    committees = list(staff_committees(user=user))
    if committee_id is None:
        return committees[0] if committees else None
    found = next((c for c in committees if c.pk == committee_id), None)
    if found is None:
        raise Http404(_("No such committee, or it is not yours to see."))
    return found


@dataclass
class OwnYear:
    seat: Member
    year: MemberYear | None
    lines: list[RecordLine]
    medians: list[tuple[str, float]]  # (group, median total): no names
    baseline: int | None


def _median(values: list[int]) -> float:
    return float(median(values)) if values else 0.0


def own_years(*, user: Any, year: int) -> list[OwnYear]:
    """The user's own record and points of the year, one per seat, with the medians of
    the committee, their sector and local group."""
    out = []
    seats = Member.objects.filter(user=user, is_active=True).select_related(
        "committee", "sector", "local_group"
    )
    for seat in seats:
        my = MemberYear.objects.filter(member=seat, year=year).first()
        totals = MemberYear.objects.filter(committee_id=seat.committee_id, year=year)
        medians = [
            (str(_("Whole committee")), _median(list(totals.values_list("total", flat=True))))
        ]
        if seat.sector_id:
            values = totals.filter(member__sector_id=seat.sector_id).values_list("total", flat=True)
            medians.append((seat.sector.name, _median(list(values))))  # type: ignore[union-attr]
        if seat.local_group_id:
            values = totals.filter(member__local_group_id=seat.local_group_id).values_list(
                "total", flat=True
            )
            medians.append((seat.local_group.name, _median(list(values))))  # type: ignore[union-attr]
        scheme = PointScheme.objects.filter(committee_id=seat.committee_id, year=year).first()
        out.append(
            OwnYear(
                seat=seat,
                year=my,
                lines=list(my.lines.order_by("date", "id")) if my else [],
                medians=medians,
                baseline=scheme.baseline if scheme else None,
            )
        )
    return out


def member_year_get(*, user: Any, pk: int) -> MemberYear:
    """A member's year, for the member or the committee's staff; 404 for anyone else."""
    my = (
        MemberYear.objects.select_related(
            "committee", "member__user", "member__sector", "member__local_group"
        )
        .filter(pk=pk)
        .first()
    )
    if my is None or not allowed(user, "performance.view_record", my):
        raise Http404(_("No such record, or it is not yours to see."))
    return my


def member_year_lines(my: MemberYear) -> list[RecordLine]:
    return list(my.lines.order_by("date", "id"))


@dataclass
class RankRow:
    rank: int
    year: MemberYear
    below: bool


@dataclass
class RankGroup:
    name: str
    rows: list[RankRow] = field(default_factory=list)
    median: float = 0.0


def ranking(*, user: Any, committee: Committee, year: int, grouping: str) -> list[RankGroup]:
    """The committee's members ranked by points within each group of `grouping`; members
    below the year's baseline flagged. Staff of the committee only."""
    if not allowed(user, "performance.view_ranking", committee):
        raise Http404(_("No such committee, or it is not yours to see."))
    scheme = PointScheme.objects.filter(committee=committee, year=year).first()
    baseline = scheme.baseline if scheme else 0
    years = {
        my.member_id: my
        for my in MemberYear.objects.filter(committee=committee, year=year).select_related(
            "member__user", "member__sector", "member__local_group"
        )
    }
    groups: dict[str, list[MemberYear]] = defaultdict(list)
    if grouping == "workroom":
        for _wid, name, member_id in workroom_memberships_of(committee_id=committee.pk):
            if member_id in years:
                groups[name].append(years[member_id])
    else:
        for member in member_groups(committee_id=committee.pk):
            my = years.get(member.pk)
            if my is None:
                continue
            if grouping == "sector":
                names = [member.sector.name] if member.sector else []
            elif grouping == "local_group":
                names = [member.local_group.name] if member.local_group else []
            elif grouping == "special_committee":
                names = [s.name for s in member.special_committees.all()]
            else:
                names = [str(_("Whole committee"))]
            for name in names:
                groups[name].append(my)
    out = []
    for name in sorted(groups):
        members = sorted(groups[name], key=lambda m: (-m.total, m.member.user.name))
        group = RankGroup(name=name, median=_median([m.total for m in members]))
        rank = 0
        previous: int | None = None
        for index, my in enumerate(members, start=1):
            if my.total != previous:
                rank, previous = index, my.total
            group.rows.append(RankRow(rank=rank, year=my, below=my.total < baseline))
        out.append(group)
    return out


def below_baseline(*, user: Any, committee: Committee, year: int) -> list[MemberYear]:
    """Members of the committee below the year's baseline, lowest first (staff only)."""
    if not allowed(user, "performance.view_ranking", committee):
        return []
    scheme = PointScheme.objects.filter(committee=committee, year=year).first()
    if scheme is None:
        return []
    return list(
        MemberYear.objects.filter(
            committee=committee, year=year, total__lt=scheme.baseline, member__is_active=True
        )
        .select_related("member__user")
        .order_by("total", "member__user__name")
    )


def scheme_of(*, user: Any, committee: Committee, year: int) -> PointScheme | None:
    if not allowed(user, "performance.manage_rules", committee):
        raise Http404(_("No such committee, or it is not yours to see."))
    return PointScheme.objects.filter(committee=committee, year=year).first()


def scheme_in_force(*, committee_id: int, year: int) -> PointScheme | None:
    """The point scheme a year's record is read against (the baseline, the rules). For a
    committee or member year the caller has already read through a scoped selector."""
    return PointScheme.objects.filter(committee_id=committee_id, year=year).first()


def plan_get(*, workroom: Any, year: int) -> WorkroomPlan | None:
    """The workroom's 三个一 plan for the year (the workroom read through a scoped selector)."""
    return WorkroomPlan.objects.filter(workroom=workroom, year=year).first()


def scheme_history(scheme: PointScheme) -> QuerySet[PointRuleChange]:
    return scheme.changes.select_related("changed_by").order_by("-changed_at", "-id")


def items_of(*, user: Any, committee: Committee, year: int) -> QuerySet[RecordItem]:
    if not allowed(user, "performance.enter_item", committee):
        raise Http404(_("No such committee, or it is not yours to see."))
    return RecordItem.objects.filter(committee=committee, date__year=year).select_related(
        "member__user", "entered_by"
    )


def item_get(*, user: Any, pk: int) -> RecordItem:
    item = RecordItem.objects.select_related("member__user").filter(pk=pk).first()
    if item is None or not allowed(user, "performance.enter_item", item):
        raise Http404(_("No such record, or it is not yours to see."))
    return item


def members_of(*, committee: Committee) -> list[Member]:
    return [m for m in member_groups(committee_id=committee.pk) if m.is_active]


# --- Plenary, standing and chairs' meetings ---------------------------------------------


def sessions_of(*, user: Any, committee: Committee, year: int) -> QuerySet[CommitteeSession]:
    """The committee's meetings of the year with their attendance counts (its staff)."""
    if not allowed(user, "performance.record_sessions", committee):
        raise Http404(_("No such committee, or it is not yours to see."))
    return (
        CommitteeSession.objects.filter(committee=committee, date__year=year)
        .annotate(
            present=Count("attendances", filter=Q(attendances__status=AttendanceStatus.PRESENT)),
            away=Count("attendances", filter=~Q(attendances__status=AttendanceStatus.PRESENT)),
        )
        .order_by("-date", "-id")
    )


def session_get(*, user: Any, pk: int) -> CommitteeSession:
    session = CommitteeSession.objects.select_related("committee").filter(pk=pk).first()
    if session is None or not allowed(user, "performance.record_sessions", session):
        raise Http404(_("No such meeting, or it is not yours to see."))
    return session


def session_attendances(session: CommitteeSession) -> QuerySet[SessionAttendance]:
    return session.attendances.select_related("member__user", "recorded_by").order_by(
        "status", "member__user__name", "id"
    )


# Whose meeting it is: everyone's plenary; the standing committee's, the chairs'.
EXPECTED_ROLES: dict[str, tuple[str, ...]] = {
    SessionKind.STANDING: (MemberRole.CHAIR, MemberRole.VICE_CHAIR, MemberRole.STANDING),
    SessionKind.CHAIRS: (MemberRole.CHAIR, MemberRole.VICE_CHAIR),
}


def session_unrecorded(session: CommitteeSession) -> list[tuple[Member, bool]]:
    """The committee's serving members whose attendance is not yet recorded, each with
    whether the meeting is theirs (everyone at a plenary, the standing committee at a
    standing meeting, the chairs at a chairs' meeting), those first."""
    done = set(session.attendances.values_list("member_id", flat=True))
    roles = EXPECTED_ROLES.get(session.kind)
    rows = [
        (m, roles is None or m.role in roles)
        for m in member_groups(committee_id=session.committee_id)
        if m.is_active and m.pk not in done
    ]
    return sorted(rows, key=lambda row: not row[1])


def attendance_get(*, user: Any, pk: int) -> SessionAttendance:
    found = (
        SessionAttendance.objects.select_related("session", "member__user").filter(pk=pk).first()
    )
    if found is None or not allowed(user, "performance.record_sessions", found.session):
        raise Http404(_("No such record, or it is not yours to see."))
    return found


def session_members(*, session: CommitteeSession, ids: list[int]) -> dict[int, Member]:
    """The session's committee's members among `ids` (others are left out: the service
    refuses a member it is not given)."""
    return {
        m.pk: m
        for m in Member.objects.filter(
            committee_id=session.committee_id, pk__in=ids
        ).select_related("user")
    }


# --- Members below the baseline --------------------------------------------------------


@dataclass
class BelowRow:
    member: Member
    total: int
    member_year_id: int | None


@dataclass
class Flagged:
    committee: Committee
    reminder: BaselineReminder
    rows: list[BelowRow]


def baseline_flags(*, user: Any, committee: Committee | None = None) -> list[Flagged]:
    """The latest reminder of this year of each of the user's committees (or of the one
    given) that named members below the pro-rata baseline, with their points now."""
    year = timezone.localdate().year
    committees = [committee] if committee is not None else list(staff_committees(user=user))
    out = []
    for c in committees:
        if not allowed(user, "performance.view_ranking", c):
            continue
        reminder = (
            BaselineReminder.objects.filter(scheme__committee=c, scheme__year=year)
            .select_related("scheme")
            .order_by("-checkpoint")
            .first()
        )
        if reminder is None or not reminder.members:
            continue
        members = {
            m.pk: m for m in Member.objects.filter(pk__in=reminder.members).select_related("user")
        }
        years = {
            member_id: (pk, total)
            for member_id, pk, total in MemberYear.objects.filter(
                member_id__in=reminder.members, year=year
            ).values_list("member_id", "pk", "total")
        }
        rows = [
            BelowRow(members[pk], years.get(pk, (None, 0))[1], years.get(pk, (None, 0))[0])
            for pk in reminder.members
            if pk in members
        ]
        out.append(Flagged(c, reminder, rows))
    return out


# --- Livelihood results (民生实事) and 三个一 ----------------------------------------------


def results_of(*, user: Any, committee: Committee) -> QuerySet[LivelihoodResult]:
    if not allowed(user, "performance.manage_results", committee):
        raise Http404(_("No such committee, or it is not yours to see."))
    return LivelihoodResult.objects.filter(committee=committee).select_related("workroom")


def result_get(*, user: Any, pk: int) -> LivelihoodResult:
    result = LivelihoodResult.objects.select_related("committee", "workroom").filter(pk=pk).first()
    if result is None or not allowed(user, "performance.manage_results", result):
        raise Http404(_("No such record, or it is not yours to see."))
    return result


def results_public(*, committee: Committee) -> QuerySet[LivelihoodResult]:
    """What the public page shows: results under way or done, with their causes (titles
    of suggestions whose citizens allowed publication, and proposals filed)."""
    return (
        LivelihoodResult.objects.filter(committee=committee)
        .exclude(status=ResultStatus.PLANNED)
        .select_related("workroom")
        .prefetch_related("suggestions", "proposals")
        .order_by("-done_on", "-id")
    )


@dataclass
class PlanRow:
    workroom: Any
    plan: WorkroomPlan | None
    state: str  # done, under_way, late, missing


def plans_of(*, user: Any, committee: Committee, year: int, today: date) -> list[PlanRow]:
    """Every active workroom of the committee with its 三个一 for the year: done (all
    three fulfilled), under way, late (not all fulfilled by December, or the year is
    over) or missing (no plan)."""
    if not allowed(user, "performance.manage_results", committee):
        raise Http404(_("No such committee, or it is not yours to see."))
    plans = {
        p.workroom_id: p
        for p in WorkroomPlan.objects.filter(committee=committee, year=year).select_related(
            "research_activity", "proposal", "livelihood"
        )
    }
    rows = []
    for workroom in workroom_list(user=user, committee_id=committee.pk):
        plan = plans.get(workroom.pk)
        if plan is None:
            state = "missing"
        elif plan.fulfilled == 3:
            state = "done"
        elif today >= date(year, 12, 1):
            state = "late"
        else:
            state = "under_way"
        rows.append(PlanRow(workroom=workroom, plan=plan, state=state))
    return rows
