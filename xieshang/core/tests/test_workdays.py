"""Working days: weekdays, less the holidays a clerk enters, plus the make-up weekend days;
deadlines end at the last instant of their last working day, Beijing time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xieshang.conftest import Cast
from xieshang.core.models import CalendarDay, DayKind
from xieshang.core.workdays import (
    Calendar,
    add_working_days,
    is_working_day,
    working_days_between,
)
from xieshang.demo.calendar import load_calendar

pytestmark = pytest.mark.django_db

CHINA = ZoneInfo("Asia/Shanghai")


def beijing(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=CHINA)


def end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59, 999999), tzinfo=CHINA)


@pytest.fixture
def calendar_2026() -> None:
    load_calendar()


# --- Which days work ----------------------------------------------------------------


def test_a_plain_week_works_monday_to_friday() -> None:
    week = [date(2026, 3, 9 + i) for i in range(7)]  # Monday 9 March to Sunday 15 March
    assert [is_working_day(d) for d in week] == [True] * 5 + [False] * 2


def test_a_holiday_takes_a_weekday_off_and_a_make_up_day_puts_a_weekend_day_on() -> None:
    CalendarDay.objects.create(date=date(2026, 3, 10), kind=DayKind.HOLIDAY, name="测试")
    CalendarDay.objects.create(date=date(2026, 3, 14), kind=DayKind.WORKDAY, name="测试")
    assert not is_working_day(date(2026, 3, 10))
    assert is_working_day(date(2026, 3, 14))
    assert not is_working_day(date(2026, 3, 15))


def test_a_holiday_on_a_weekend_or_a_make_up_day_on_a_weekday_changes_nothing() -> None:
    CalendarDay.objects.create(date=date(2026, 3, 14), kind=DayKind.HOLIDAY)
    CalendarDay.objects.create(date=date(2026, 3, 11), kind=DayKind.WORKDAY)
    assert not is_working_day(date(2026, 3, 14))
    assert is_working_day(date(2026, 3, 11))


def test_2026_has_248_working_days(calendar_2026: None) -> None:
    # 365 days, less 104 weekend days, less the 13 statutory holidays.
    assert working_days_between(date(2025, 12, 31), date(2026, 12, 31)) == 365 - 104 - 13


# --- Deadlines ----------------------------------------------------------------------


def test_a_deadline_in_a_plain_week_counts_from_the_next_day() -> None:
    monday = beijing(2026, 3, 9, 10, 0)
    assert add_working_days(monday, 1) == end_of(date(2026, 3, 10))
    assert add_working_days(monday, 4) == end_of(date(2026, 3, 13))
    assert add_working_days(monday, 5) == end_of(date(2026, 3, 16))  # over the weekend


def test_a_deadline_across_national_day_counts_the_make_up_saturday(
    calendar_2026: None,
) -> None:
    # 1–7 October off; 8, 9, 10 (the make-up Saturday), then 12 onwards.
    start = beijing(2026, 9, 30, 10, 0)
    assert add_working_days(start, 15) == end_of(date(2026, 10, 27))
    CalendarDay.objects.filter(date=date(2026, 10, 10)).delete()
    assert add_working_days(start, 15) == end_of(date(2026, 10, 28))


def test_a_friday_evening_referral_with_one_day_is_due_on_monday() -> None:
    with time_machine.travel(beijing(2026, 3, 13, 21, 30), tick=False):
        assert add_working_days(timezone.now(), 1) == end_of(date(2026, 3, 16))


def test_a_friday_referral_before_a_holiday_monday_is_due_on_tuesday(
    calendar_2026: None,
) -> None:
    with time_machine.travel(beijing(2026, 4, 3, 18, 0), tick=False):  # 清明: 4–6 April
        assert add_working_days(timezone.now(), 1) == end_of(date(2026, 4, 7))


def test_the_deadline_is_the_end_of_the_day_in_beijing() -> None:
    deadline = add_working_days(beijing(2026, 3, 9, 10, 0), 1)
    assert timezone.is_aware(deadline)
    local = deadline.astimezone(CHINA)
    assert (local.date(), local.time()) == (date(2026, 3, 10), time(23, 59, 59, 999999))
    assert deadline == datetime(2026, 3, 10, 15, 59, 59, 999999, tzinfo=UTC)


def test_the_start_counts_by_its_date_in_beijing_not_in_utc() -> None:
    # Sunday 17:00 UTC is already Monday 01:00 in Beijing: Monday does not count.
    start = datetime(2026, 3, 15, 17, 0, tzinfo=UTC)
    assert add_working_days(start, 1) == end_of(date(2026, 3, 17))


@pytest.mark.parametrize("days", [0, -1])
def test_it_refuses_fewer_than_one_day(days: int) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        add_working_days(beijing(2026, 3, 9, 10, 0), days)


def test_it_refuses_a_naive_start() -> None:
    with pytest.raises(ValueError, match="aware"):
        add_working_days(datetime(2026, 3, 9, 10, 0), 1)


# --- Counting between dates ---------------------------------------------------------


def test_working_days_between_is_zero_on_the_same_day() -> None:
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 9)) == 0
    assert working_days_between(date(2026, 3, 14), date(2026, 3, 15)) == 0  # a weekend


def test_working_days_between_counts_after_start_up_to_end(calendar_2026: None) -> None:
    assert working_days_between(date(2026, 3, 13), date(2026, 3, 16)) == 1  # Fri → Mon
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 12)) == 4  # 8, 9, 10, 12


def test_working_days_between_is_negative_when_end_is_before_start(calendar_2026: None) -> None:
    assert working_days_between(date(2026, 3, 16), date(2026, 3, 13)) == -1
    assert working_days_between(date(2026, 10, 12), date(2026, 9, 30)) == -4


def test_overdue_days_match_the_deadline(calendar_2026: None) -> None:
    deadline = add_working_days(beijing(2026, 9, 30, 10, 0), 15).date()
    assert working_days_between(deadline, date(2026, 10, 30)) == 3
    assert working_days_between(deadline, date(2026, 10, 23)) == -2


# --- Queries ------------------------------------------------------------------------


def test_a_15_day_deadline_takes_one_query(calendar_2026: None, django_assert_num_queries):
    with django_assert_num_queries(1):
        add_working_days(beijing(2026, 9, 30, 10, 0), 15)


def test_a_shared_calendar_reads_each_year_once(calendar_2026: None, django_assert_num_queries):
    calendar = Calendar()
    with django_assert_num_queries(1):
        overdue = [
            working_days_between(date(2026, 1, 1 + i % 28), date(2026, 12, 1), calendar=calendar)
            for i in range(200)
        ]
    assert overdue[0] == working_days_between(date(2026, 1, 1), date(2026, 12, 1))
    with django_assert_num_queries(1):  # 2027, once
        add_working_days(beijing(2026, 12, 20, 9, 0), 15, calendar=calendar)
        add_working_days(beijing(2026, 12, 21, 9, 0), 15, calendar=calendar)


def test_a_span_of_years_is_read_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert working_days_between(date(2024, 12, 31), date(2026, 12, 31)) == 261 + 261


# --- The 2026 schedule --------------------------------------------------------------


def test_the_2026_schedule_records_weekdays_off_and_weekend_days_worked_only() -> None:
    assert load_calendar() == 25
    holidays = CalendarDay.objects.filter(kind=DayKind.HOLIDAY)
    workdays = CalendarDay.objects.filter(kind=DayKind.WORKDAY)
    assert all(d.weekday() < 5 for d in holidays.values_list("date", flat=True))
    assert list(workdays.values_list("date", flat=True)) == [
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    ]
    assert set(
        CalendarDay.objects.filter(name="国庆节", kind=DayKind.HOLIDAY).values_list(
            "date__day", flat=True
        )
    ) == {1, 2, 5, 6, 7}


def test_loading_the_schedule_again_changes_nothing() -> None:
    load_calendar()
    CalendarDay.objects.filter(date=date(2026, 10, 1)).update(name="改过")
    load_calendar()
    assert CalendarDay.objects.count() == 25
    assert CalendarDay.objects.get(date=date(2026, 10, 1)).name == "国庆节"


# --- Admin --------------------------------------------------------------------------


def test_a_staff_administrator_sees_the_calendar_but_cannot_change_it(
    cast: Cast, client: Client, calendar_2026: None
) -> None:
    client.force_login(cast.staff)
    day = CalendarDay.objects.get(date=date(2026, 10, 1))
    response = client.get(reverse("admin:core_calendarday_changelist"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "国庆节" in body
    assert "法定节假日" in body
    assert reverse("admin:core_calendarday_change", args=[day.pk]) not in body
    assert reverse("admin:core_calendarday_add") not in body
    assert client.get(reverse("admin:core_calendarday_change", args=[day.pk])).status_code == 403
    post = {"date": "2026-10-01", "kind": DayKind.WORKDAY, "name": "改过"}
    client.post(reverse("admin:core_calendarday_change", args=[day.pk]), post)
    client.post(reverse("admin:core_calendarday_delete", args=[day.pk]), {"post": "yes"})
    client.post(reverse("admin:core_calendarday_add"), {**post, "date": "2026-03-09"})
    day.refresh_from_db()
    assert (day.kind, day.name) == (DayKind.HOLIDAY, "国庆节")
    assert not CalendarDay.objects.filter(date=date(2026, 3, 9)).exists()


def test_the_calendar_is_on_the_staff_admin_index(cast: Cast, client: Client) -> None:
    client.force_login(cast.staff)
    assert "工作日历" in client.get(reverse("admin:index")).content.decode()


def test_a_superuser_enters_a_holiday(cast: Cast, client: Client) -> None:
    client.force_login(cast.superuser)
    response = client.post(
        reverse("admin:core_calendarday_add"),
        {"date": "2026-03-09", "kind": DayKind.HOLIDAY, "name": "测试节"},
    )
    assert response.status_code == 302
    assert not is_working_day(date(2026, 3, 9))
    assert client.get(reverse("admin:core_calendarday_changelist")).status_code == 200
