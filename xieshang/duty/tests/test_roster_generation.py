"""Duty patterns, rotations and shift generation: weekly shifts split into slots in Beijing
time, the rotation by week index across holidays, closed dates and swaps, idempotency; and
closed dates, which cancel a day's shifts or refuse while talks are booked.

`Roster`, `roster` and `book` are shared by the other test_roster_*.py files."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import F
from django.utils.translation import override

from xieshang.conftest import Cast, make_user
from xieshang.core.errors import Conflict, DomainError, Forbidden
from xieshang.core.models import ActorKind, CalendarDay, Committee, DayKind, Event
from xieshang.duty.models import (
    Booking,
    BookingStatus,
    ClosedDate,
    DutyPattern,
    MeetingMode,
    RotationEntry,
    Shift,
    ShiftStatus,
    Slot,
)
from xieshang.duty.selectors.roster import duty_this_week, shifts_of_member
from xieshang.duty.services.roster import (
    PatternData,
    closed_date_add,
    closed_date_remove,
    pattern_create,
    pattern_update,
    rotation_set,
    shift_cancel,
    shift_change_request,
    shift_change_transition,
    shifts_extend_all,
    shifts_generate,
)
from xieshang.people.models import Member
from xieshang.workrooms.models import Workroom, WorkroomKind
from xieshang.workrooms.services import workroom_transition

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Monday 21 September 2026, 10:00 in Guangzhou. The pattern's Wednesdays follow.
MONDAY = datetime(2026, 9, 21, 10, 0, tzinfo=SHANGHAI)
WED = [date(2026, 9, 23) + timedelta(weeks=n) for n in range(12)]


@dataclass
class Roster:
    cast: Cast
    workroom: Workroom
    pattern: DutyPattern
    a: Member  # the cast's member, first in the rotation
    b: Member
    c: Member


def seat(cast: Cast, username: str, name: str, committee: Committee | None = None) -> Member:
    return Member.objects.create(user=make_user(username, name), committee=committee or cast.tianhe)


@pytest.fixture
def today() -> Iterator[None]:
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def roster(cast: Cast, today: None) -> Roster:
    workroom_transition(
        workroom=cast.workroom, action="activate", actor=cast.staff, expected_state=None
    )
    cast.workroom.refresh_from_db()
    a = Member.objects.get(user=cast.member)
    b = seat(cast, "t.b", "委员乙")
    c = seat(cast, "t.c", "委员丙")
    pattern = pattern_create(
        workroom=cast.workroom,
        data=PatternData(weekday=2, start_time=time(14, 30), end_time=time(17, 30)),
        actor=cast.staff,
    )
    rotation_set(pattern=pattern, members=[a, b, c], actor=cast.staff)
    return Roster(cast=cast, workroom=cast.workroom, pattern=pattern, a=a, b=b, c=c)


def book(shift: Shift, *, status: str = BookingStatus.CONFIRMED) -> Booking:
    """A citizen's booking of the shift's first free slot, made as the booking service
    would (the booking helper's service is not needed to test the roster)."""
    slot = shift.slots.filter(booked__lt=F("capacity")).order_by("starts_at").first()
    assert slot is not None
    if status in (BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN):
        Slot.objects.filter(pk=slot.pk).update(booked=F("booked") + 1)
    return Booking.objects.create(
        committee_id=shift.committee_id,
        slot=slot,
        workroom=shift.workroom,
        member=shift.member,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        mode=MeetingMode.IN_PERSON,
        citizen_name="陈先生",
        phone_encrypted="x",
        phone_lookup=uuid.uuid4().hex,
        phone_masked="138****8000",
        topic="小区停车难",
        idempotency_key=uuid.uuid4().hex,
        status=status,
    )


def who(shifts: Iterable[Shift]) -> list[str]:
    return [s.member.user.username for s in shifts]


def dates(pattern: DutyPattern) -> list[date]:
    return list(
        Shift.objects.filter(pattern=pattern).order_by("date").values_list("date", flat=True)
    )


# --- Generation ----------------------------------------------------------------------


def test_it_generates_weekly_shifts_in_rotation_order(roster: Roster) -> None:
    shifts = shifts_generate(pattern=roster.pattern, weeks=4, actor=roster.cast.staff)
    assert [s.date for s in shifts] == WED[:4]
    assert who(shifts) == ["t.member", "t.b", "t.c", "t.member"]
    assert all(s.committee_id == roster.cast.tianhe.pk for s in shifts)
    assert all(s.status == ShiftStatus.SCHEDULED for s in shifts)
    event = Event.objects.filter(action="generate").get()
    assert event.actor == roster.cast.staff and "4" in event.note


def test_it_splits_a_shift_into_slots_in_beijing_time(roster: Roster) -> None:
    shift = shifts_generate(pattern=roster.pattern, weeks=1, actor=roster.cast.staff)[0]
    # Asia/Shanghai has no daylight saving: 14:30 there is 06:30 UTC all year round.
    assert shift.starts_at == datetime(2026, 9, 23, 6, 30, tzinfo=UTC)
    assert shift.ends_at == datetime(2026, 9, 23, 9, 30, tzinfo=UTC)
    slots = list(shift.slots.order_by("starts_at"))
    assert len(slots) == 9
    assert [s.starts_at.astimezone(SHANGHAI).strftime("%H:%M") for s in slots[:3]] == [
        "14:30",
        "14:50",
        "15:10",
    ]
    assert slots[-1].ends_at == shift.ends_at
    assert all(s.capacity == 1 and s.booked == 0 for s in slots)
    assert all(s.ends_at - s.starts_at == timedelta(minutes=20) for s in slots)


def test_it_drops_a_last_partial_slot_and_uses_the_capacity(roster: Roster) -> None:
    pattern_update(
        pattern=roster.pattern,
        data=PatternData(
            weekday=2,
            start_time=time(14, 30),
            end_time=time(17, 30),
            slot_minutes=40,
            slot_capacity=3,
        ),
        actor=roster.cast.staff,
    )
    roster.pattern.refresh_from_db()
    shift = shifts_generate(pattern=roster.pattern, weeks=1, actor=roster.cast.staff)[0]
    slots = list(shift.slots.order_by("starts_at"))
    assert len(slots) == 4  # 4 × 40′ = 160′; the last 20′ make no slot
    assert slots[-1].ends_at.astimezone(SHANGHAI).time() == time(17, 10)
    assert {s.capacity for s in slots} == {3}


def test_generating_twice_creates_nothing_new(roster: Roster) -> None:
    first = shifts_generate(pattern=roster.pattern, weeks=3, actor=roster.cast.staff)
    assert shifts_generate(pattern=roster.pattern, weeks=3, actor=roster.cast.staff) == []
    assert Shift.objects.count() == 3
    assert Slot.objects.count() == 27
    assert Event.objects.filter(action="generate").count() == 1
    # Further weeks continue the rotation where it stood.
    more = shifts_generate(pattern=roster.pattern, weeks=5, actor=roster.cast.staff)
    assert [s.date for s in more] == WED[3:5]
    assert who(first) + who(more) == ["t.member", "t.b", "t.c", "t.member", "t.b"]


def test_a_holiday_is_skipped_and_the_rotation_goes_on(roster: Roster) -> None:
    for day in range(1, 9):  # 国庆节 1–8 October 2026
        CalendarDay.objects.create(date=date(2026, 10, day), kind=DayKind.HOLIDAY, name="国庆节")
    CalendarDay.objects.create(date=WED[0], kind=DayKind.WORKDAY)  # a worked day changes nothing
    shifts = shifts_generate(pattern=roster.pattern, weeks=5, actor=roster.cast.staff)
    assert [s.date for s in shifts] == [WED[0], WED[1], WED[3], WED[4]]
    # The rotation goes by week (decision 24): the holiday week's member, 丙, loses that
    # turn; the weeks after keep theirs.
    assert who(shifts) == ["t.member", "t.b", "t.member", "t.b"]


def test_closed_dates_of_the_committee_and_of_the_workroom_are_skipped(roster: Roster) -> None:
    cast = roster.cast
    other = Workroom.objects.create(
        committee=cast.tianhe, name="猎德街工作室", code="t-liede", kind=WorkroomKind.STREET
    )
    ClosedDate.objects.create(committee=cast.tianhe, date=WED[1], reason="全会")
    ClosedDate.objects.create(
        committee=cast.tianhe, workroom=roster.workroom, date=WED[2], reason="装修"
    )
    ClosedDate.objects.create(committee=cast.tianhe, workroom=other, date=WED[3], reason="别处")
    ClosedDate.objects.create(committee=cast.haizhu, date=WED[4], reason="海珠的")
    shifts = shifts_generate(pattern=roster.pattern, weeks=5, actor=cast.staff)
    assert [s.date for s in shifts] == [WED[0], WED[3], WED[4]]
    assert who(shifts) == ["t.member", "t.member", "t.b"]  # weeks 0, 3 and 4 of the rotation


def test_a_swap_does_not_shift_the_rotation(roster: Roster) -> None:
    cast = roster.cast
    first = shifts_generate(pattern=roster.pattern, weeks=3, actor=cast.staff)
    change = shift_change_request(
        shift=first[0], kind="cover", colleague=roster.b, reason="出差", actor=cast.member
    )
    shift_change_transition(change=change, action="agree", actor=roster.b.user, expected_state=None)
    shift_change_transition(change=change, action="approve", actor=cast.staff, expected_state=None)
    assert who(Shift.objects.filter(pattern=roster.pattern)) == ["t.b", "t.b", "t.c"]
    more = shifts_generate(pattern=roster.pattern, weeks=6, actor=cast.staff)
    # The 4th shift is the 1st place's again, whoever sat last.
    assert who(more) == ["t.member", "t.b", "t.c"]


def test_a_cancelled_shift_keeps_its_place_in_the_rotation(roster: Roster) -> None:
    cast = roster.cast
    first = shifts_generate(pattern=roster.pattern, weeks=2, actor=cast.staff)
    shift_cancel(shift=first[1], actor=cast.staff)
    more = shifts_generate(pattern=roster.pattern, weeks=4, actor=cast.staff)
    assert who(more) == ["t.c", "t.member"]


def test_a_shift_already_begun_today_is_not_generated(roster: Roster) -> None:
    with time_machine.travel(datetime(2026, 9, 23, 15, 0, tzinfo=SHANGHAI), tick=False):
        shifts = shifts_generate(pattern=roster.pattern, weeks=2, actor=roster.cast.staff)
    assert [s.date for s in shifts] == [WED[1]]


def test_the_validity_and_the_start_day_bound_generation(roster: Roster) -> None:
    cast = roster.cast
    pattern_update(
        pattern=roster.pattern,
        data=PatternData(
            weekday=2,
            start_time=time(14, 30),
            end_time=time(17, 30),
            valid_from=WED[1],
            valid_until=WED[3],
        ),
        actor=cast.staff,
    )
    roster.pattern.refresh_from_db()
    shifts = shifts_generate(pattern=roster.pattern, weeks=8, actor=cast.staff)
    assert [s.date for s in shifts] == WED[1:4]
    assert shifts_generate(pattern=roster.pattern, weeks=2, actor=cast.staff, start=WED[6]) == []


def test_inactive_patterns_and_workrooms_get_no_shifts(roster: Roster) -> None:
    cast = roster.cast
    workroom_transition(
        workroom=roster.workroom,
        action="suspend",
        actor=cast.staff,
        note="整改",
        expected_state=None,
    )
    assert shifts_generate(pattern=roster.pattern, weeks=4, actor=cast.staff) == []
    workroom_transition(
        workroom=roster.workroom, action="resume", actor=cast.staff, expected_state=None
    )
    DutyPattern.objects.filter(pk=roster.pattern.pk).update(is_active=False)
    assert shifts_generate(pattern=roster.pattern, weeks=4, actor=cast.staff) == []
    assert not Shift.objects.exists()


def test_an_empty_rotation_or_a_silly_number_of_weeks_is_refused(roster: Roster) -> None:
    cast = roster.cast
    with pytest.raises(DomainError):
        shifts_generate(pattern=roster.pattern, weeks=0, actor=cast.staff)
    with pytest.raises(DomainError):
        shifts_generate(pattern=roster.pattern, weeks=27, actor=cast.staff)
    rotation_set(pattern=roster.pattern, members=[], actor=cast.staff)
    with override("en"), pytest.raises(DomainError, match="empty"):
        shifts_generate(pattern=roster.pattern, weeks=4, actor=cast.staff)
    assert not Shift.objects.exists()


def test_only_workroom_staff_of_the_committee_change_a_roster(roster: Roster) -> None:
    cast = roster.cast
    for actor in (cast.member, cast.outsider, cast.leader):
        with pytest.raises(Forbidden):
            shifts_generate(pattern=roster.pattern, weeks=2, actor=actor)
        with pytest.raises(Forbidden):
            rotation_set(pattern=roster.pattern, members=[roster.a], actor=actor)
    assert not Shift.objects.exists()
    assert RotationEntry.objects.filter(pattern=roster.pattern).count() == 3


def test_the_rotation_takes_only_serving_members_of_the_committee_once(roster: Roster) -> None:
    cast = roster.cast
    haizhu = seat(cast, "h.member", "海珠委员", cast.haizhu)
    retired = seat(cast, "t.retired", "退休委员")
    Member.objects.filter(pk=retired.pk).update(is_active=False)
    retired.refresh_from_db()
    for members in ([roster.a, haizhu], [roster.a, retired], [roster.a, roster.b, roster.a]):
        with pytest.raises(DomainError):
            rotation_set(pattern=roster.pattern, members=members, actor=cast.staff)
    assert [e.member for e in roster.pattern.rotation.order_by("position")] == [
        roster.a,
        roster.b,
        roster.c,
    ]
    rotation_set(pattern=roster.pattern, members=[roster.c, roster.a], actor=cast.staff)
    assert [e.member for e in roster.pattern.rotation.order_by("position")] == [
        roster.c,
        roster.a,
    ]
    assert Event.objects.filter(action="rotation_set").count() == 2


def test_a_bad_pattern_is_refused(roster: Roster) -> None:
    for data in (
        PatternData(weekday=2, start_time=time(17, 0), end_time=time(14, 0)),
        PatternData(weekday=7, start_time=time(14, 0), end_time=time(17, 0)),
        PatternData(weekday=2, start_time=time(14, 0), end_time=time(14, 15), slot_minutes=20),
        PatternData(weekday=2, start_time=time(14, 0), end_time=time(17, 0), slot_capacity=0),
    ):
        with pytest.raises(DomainError):
            pattern_create(workroom=roster.workroom, data=data, actor=roster.cast.staff)
    assert DutyPattern.objects.count() == 1


def test_extend_all_keeps_every_active_pattern_generated(roster: Roster) -> None:
    empty = pattern_create(
        workroom=roster.workroom,
        data=PatternData(weekday=4, start_time=time(9, 0), end_time=time(11, 0)),
        actor=roster.cast.staff,
    )
    assert shifts_extend_all(weeks=3) == 3
    assert shifts_extend_all(weeks=3) == 0
    assert not Shift.objects.filter(pattern=empty).exists()
    event = Event.objects.get(action="generate")
    assert event.actor is None and event.actor_kind == ActorKind.SYSTEM


def test_duty_this_week_is_monday_to_sunday_in_beijing(roster: Roster) -> None:
    shifts = shifts_generate(pattern=roster.pattern, weeks=2, actor=roster.cast.staff)
    assert duty_this_week(workroom=roster.workroom) == [shifts[0]]
    # Sunday 23:30 in Guangzhou is still the same week (15:30 UTC).
    with time_machine.travel(datetime(2026, 9, 27, 23, 30, tzinfo=SHANGHAI), tick=False):
        assert duty_this_week(workroom=roster.workroom) == [shifts[0]]
    with time_machine.travel(datetime(2026, 9, 28, 0, 30, tzinfo=SHANGHAI), tick=False):
        assert duty_this_week(workroom=roster.workroom) == [shifts[1]]
    shift_cancel(shift=shifts[0], actor=roster.cast.staff)
    assert duty_this_week(workroom=roster.workroom) == []


def test_shifts_of_member_lists_the_users_own_upcoming_shifts(roster: Roster) -> None:
    shifts_generate(pattern=roster.pattern, weeks=4, actor=roster.cast.staff)
    mine = list(shifts_of_member(user=roster.cast.member))
    assert [s.date for s in mine] == [WED[0], WED[3]]
    with time_machine.travel(datetime(2026, 9, 24, 9, 0, tzinfo=SHANGHAI), tick=False):
        assert [s.date for s in shifts_of_member(user=roster.cast.member)] == [WED[3]]
        assert [s.date for s in shifts_of_member(user=roster.cast.member, upcoming=False)] == [
            WED[0]
        ]


# --- Closed dates --------------------------------------------------------------------


def test_closing_a_day_cancels_its_shifts(roster: Roster) -> None:
    cast = roster.cast
    shifts = shifts_generate(pattern=roster.pattern, weeks=3, actor=cast.staff)
    closed, cancelled = closed_date_add(
        committee=cast.tianhe, day=WED[1], reason="全会", actor=cast.staff
    )
    assert cancelled == 1
    assert closed.workroom is None and closed.date == WED[1]
    statuses = dict(Shift.objects.values_list("date", "status"))
    assert statuses == {
        WED[0]: ShiftStatus.SCHEDULED,
        WED[1]: ShiftStatus.CANCELLED,
        WED[2]: ShiftStatus.SCHEDULED,
    }
    cancel = Event.objects.get(action="cancel")
    assert cancel.object_id == shifts[1].pk and cancel.to_state == ShiftStatus.CANCELLED
    assert Event.objects.filter(action="close", object_id=closed.pk).exists()
    # Generating again does not bring the day back.
    assert shifts_generate(pattern=roster.pattern, weeks=3, actor=cast.staff) == []


def test_closing_a_day_with_booked_talks_is_refused_and_changes_nothing(roster: Roster) -> None:
    cast = roster.cast
    shifts = shifts_generate(pattern=roster.pattern, weeks=2, actor=cast.staff)
    book(shifts[1])
    book(shifts[1])
    book(shifts[1], status=BookingStatus.CANCELLED)  # a cancelled one does not count
    events = Event.objects.count()
    with pytest.raises(Conflict, match="2"):
        closed_date_add(committee=cast.tianhe, day=WED[1], reason="全会", actor=cast.staff)
    with pytest.raises(Conflict):
        closed_date_add(
            committee=cast.tianhe,
            workroom=roster.workroom,
            day=WED[1],
            reason="装修",
            actor=cast.staff,
        )
    assert not ClosedDate.objects.exists()
    assert Shift.objects.get(pk=shifts[1].pk).status == ShiftStatus.SCHEDULED
    assert Event.objects.count() == events
    with pytest.raises(Conflict):
        shift_cancel(shift=shifts[1], actor=cast.staff)


def test_a_day_closes_once_for_the_right_committee(roster: Roster) -> None:
    cast = roster.cast
    closed_date_add(committee=cast.tianhe, day=WED[2], reason="全会", actor=cast.staff)
    with pytest.raises(Conflict):
        closed_date_add(committee=cast.tianhe, day=WED[2], reason="再来", actor=cast.staff)
    with pytest.raises(Conflict):  # the whole committee is closed already
        closed_date_add(
            committee=cast.tianhe,
            workroom=roster.workroom,
            day=WED[2],
            reason="装修",
            actor=cast.staff,
        )
    with pytest.raises(DomainError):
        closed_date_add(
            committee=cast.haizhu,
            workroom=roster.workroom,
            day=WED[3],
            reason="错的",
            actor=cast.outsider,
        )
    with pytest.raises(Forbidden):
        closed_date_add(committee=cast.tianhe, day=WED[3], reason="越权", actor=cast.outsider)
    with pytest.raises(Forbidden):
        closed_date_add(committee=cast.tianhe, day=WED[3], reason="越权", actor=cast.member)
    with pytest.raises(DomainError):
        closed_date_add(
            committee=cast.tianhe, day=date(2026, 9, 1), reason="过去", actor=cast.staff
        )
    with pytest.raises(DomainError):
        closed_date_add(committee=cast.tianhe, day=WED[3], reason="  ", actor=cast.staff)
    assert ClosedDate.objects.count() == 1


def test_reopening_a_day_lets_the_next_generation_fill_it(roster: Roster) -> None:
    cast = roster.cast
    closed, _n = closed_date_add(committee=cast.tianhe, day=WED[1], reason="全会", actor=cast.staff)
    assert [s.date for s in shifts_generate(pattern=roster.pattern, weeks=2, actor=cast.staff)] == [
        WED[0]
    ]
    with pytest.raises(Forbidden):
        closed_date_remove(closed_date=closed, actor=cast.outsider)
    closed_date_remove(closed_date=closed, actor=cast.staff)
    assert not ClosedDate.objects.exists()
    assert Event.objects.filter(action="reopen").count() == 1
    again = shifts_generate(pattern=roster.pattern, weeks=2, actor=cast.staff)
    assert [s.date for s in again] == [WED[1]]
    assert who(again) == ["t.b"]
