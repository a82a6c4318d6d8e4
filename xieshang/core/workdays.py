"""Working days: Monday to Friday, except the public holidays, plus the weekend days
worked in exchange (调休). The exceptions are `CalendarDay` rows a clerk enters each year
from the State Council's schedule; nothing here knows a holiday by itself.

Deadlines (办理期限 "15 working days") end at the last instant of their last working day,
Beijing time. A `Calendar` reads the exceptions a year at a time, one query per year, so
a deadline or a page of "working days overdue" costs a query or two, not one a day.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from xieshang.core.models import CalendarDay, DayKind

CHINA = ZoneInfo("Asia/Shanghai")
_ONE_DAY = timedelta(days=1)


class Calendar:
    """The working-day exceptions, loaded lazily per year and kept for the instance's
    life. Share one instance across the rows of a page; make a new one per request (a
    clerk's edit shows in the next instance, not in one already loaded)."""

    def __init__(self) -> None:
        self._kinds: dict[date, str] = {}
        self._years: set[int] = set()

    def load(self, first_year: int, last_year: int) -> None:
        """Read the years from `first_year` to `last_year` not read yet, in one query."""
        missing = [y for y in range(first_year, last_year + 1) if y not in self._years]
        if not missing:
            return
        rows = CalendarDay.objects.filter(
            date__gte=date(min(missing), 1, 1), date__lte=date(max(missing), 12, 31)
        ).values_list("date", "kind")
        for day, kind in rows:
            if day.year in missing:
                self._kinds[day] = kind
        self._years.update(range(min(missing), max(missing) + 1))

    def is_working_day(self, day: date) -> bool:
        if day.year not in self._years:
            self.load(day.year, day.year)
        kind = self._kinds.get(day)
        if day.weekday() < 5:
            return kind != DayKind.HOLIDAY
        return kind == DayKind.WORKDAY


def is_working_day(day: date, *, calendar: Calendar | None = None) -> bool:
    """Mon–Fri unless a public holiday; Sat/Sun only when a make-up working day."""
    return (calendar or Calendar()).is_working_day(day)


def end_of_day(day: date) -> datetime:
    """The last instant of `day` in Beijing time (23:59:59.999999, timezone-aware)."""
    return datetime.combine(day, time.max, tzinfo=CHINA)


def add_working_days(start: datetime, days: int, *, calendar: Calendar | None = None) -> datetime:
    """The deadline `days` working days after `start`: the end of the `days`-th working
    day after start's date in Beijing time. The day of `start` itself never counts, so a
    referral on Friday evening with 1 working day is due at the end of Monday (or of the
    next working day when Monday is a holiday). `start` must be aware; `days` ≥ 1."""
    if days < 1:
        raise ValueError(f"days must be at least 1, not {days}")
    if timezone.is_naive(start):
        raise ValueError("start must be a timezone-aware datetime")
    cal = calendar or Calendar()
    day = start.astimezone(CHINA).date()
    counted = 0
    while counted < days:
        day += _ONE_DAY
        if cal.is_working_day(day):
            counted += 1
    return end_of_day(day)


def working_days_between(start: date, end: date, *, calendar: Calendar | None = None) -> int:
    """The working days in (start, end]: 0 on the same day, negative when `end` is before
    `start` (-n for the working days in (end, start]). With `start` a deadline's date and
    `end` today, a positive result is the working days overdue."""
    if end < start:
        return -working_days_between(end, start, calendar=calendar)
    cal = calendar or Calendar()
    cal.load(start.year, end.year)
    count = 0
    day = start
    while day < end:
        day += _ONE_DAY
        if cal.is_working_day(day):
            count += 1
    return count
