"""Demo data: the 2026 public holidays (法定节假日) and make-up working days (调休) of the
working-day calendar, and `load_calendar`, which enters them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from xieshang.core.models import CalendarDay, DayKind


@dataclass(frozen=True)
class HolidaySpec:
    name: str
    first: date  # first day off
    last: date  # last day off
    workdays: tuple[date, ...] = ()  # weekend days worked in exchange


# 国务院办公厅关于2026年部分节假日安排的通知.
HOLIDAYS_2026: list[HolidaySpec] = [
    HolidaySpec("元旦", date(2026, 1, 1), date(2026, 1, 3), (date(2026, 1, 4),)),
    HolidaySpec(
        "春节", date(2026, 2, 15), date(2026, 2, 23), (date(2026, 2, 14), date(2026, 2, 28))
    ),
    HolidaySpec("清明节", date(2026, 4, 4), date(2026, 4, 6)),
    HolidaySpec("劳动节", date(2026, 5, 1), date(2026, 5, 5), (date(2026, 5, 9),)),
    HolidaySpec("端午节", date(2026, 6, 19), date(2026, 6, 21)),
    HolidaySpec("中秋节", date(2026, 9, 25), date(2026, 9, 27)),
    HolidaySpec(
        "国庆节", date(2026, 10, 1), date(2026, 10, 7), (date(2026, 9, 20), date(2026, 10, 10))
    ),
]


def load_calendar(holidays: Sequence[HolidaySpec] = HOLIDAYS_2026) -> int:
    """Enter the holiday schedule in the working-day calendar; returns the days entered.
    Only the exceptions are rows: the weekdays off, and the weekend days worked (a weekend
    day off is off anyway). Idempotent: each day is matched by its date."""
    days: dict[date, tuple[str, str]] = {}
    for spec in holidays:
        day = spec.first
        while day <= spec.last:
            if day.weekday() < 5:
                days[day] = (DayKind.HOLIDAY, spec.name)
            day += timedelta(days=1)
        for workday in spec.workdays:
            if workday.weekday() >= 5:
                days[workday] = (DayKind.WORKDAY, spec.name)
    for day, (kind, name) in days.items():
        CalendarDay.objects.update_or_create(date=day, defaults={"kind": kind, "name": name})
    return len(days)
