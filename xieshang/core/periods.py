"""Periods the figures are counted over: a year, a quarter, a month or custom dates.

A period is a half-open range of local dates [start, end) in the project's time zone
(Asia/Shanghai): a record belongs to it when the date that decides its period falls on
or after `start` and before `end`. A date-time field is compared with the local midnights
of those dates, so a suggestion handed in at 23:59 on 31 December counts in that year.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

KINDS = ("year", "quarter", "month", "custom")


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date  # exclusive

    @classmethod
    def year(cls, year: int) -> Period:
        return cls("year", date(year, 1, 1), date(year + 1, 1, 1))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if not 1 <= quarter <= 4:
            raise ValueError(quarter)
        first = 3 * (quarter - 1) + 1
        end = date(year + 1, 1, 1) if quarter == 4 else date(year, first + 3, 1)
        return cls("quarter", date(year, first, 1), end)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        return cls("month", date(year, month, 1), end)

    @classmethod
    def custom(cls, first: date, last: date) -> Period:
        """From `first` to `last`, both days included."""
        if last < first:
            raise ValueError("last before first")
        return cls("custom", first, last + timedelta(days=1))

    @classmethod
    def from_query(cls, query: Mapping[str, str], *, today: date | None = None) -> Period:
        """The period a page's query string names (`period=year&year=2025`,
        `period=quarter&year=2025&quarter=2`, `period=month&year=2025&month=3`,
        `period=custom&since=2025-01-01&until=2025-03-31`); this year when it names none
        or something unreadable."""
        today = today or timezone.localdate()
        kind = query.get("period", "year")
        try:
            year = int(query.get("year") or today.year)
            if kind == "quarter":
                return cls.quarter(year, int(query.get("quarter") or 1))
            if kind == "month":
                return cls.month(year, int(query.get("month") or 1))
            if kind == "custom":
                return cls.custom(
                    date.fromisoformat(query.get("since", "")),
                    date.fromisoformat(query.get("until", "")),
                )
            return cls.year(year)
        except (ValueError, OverflowError):
            return cls.year(today.year)

    @property
    def last(self) -> date:
        return self.end - timedelta(days=1)

    def bounds(self) -> tuple[datetime, datetime]:
        """The aware local midnights that start and end the period."""
        tz = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=tz),
            datetime.combine(self.end, time.min, tzinfo=tz),
        )

    def previous(self) -> Period:
        """The same period a year earlier (this year against last)."""

        def back(d: date) -> date:
            try:
                return d.replace(year=d.year - 1)
            except ValueError:  # 29 February
                return d.replace(year=d.year - 1, day=28)

        return Period(self.kind, back(self.start), back(self.end))

    def as_query(self) -> dict[str, str]:
        if self.kind == "year":
            return {"period": "year", "year": str(self.start.year)}
        if self.kind == "quarter":
            return {
                "period": "quarter",
                "year": str(self.start.year),
                "quarter": str((self.start.month - 1) // 3 + 1),
            }
        if self.kind == "month":
            return {"period": "month", "year": str(self.start.year), "month": str(self.start.month)}
        return {"period": "custom", "since": self.start.isoformat(), "until": self.last.isoformat()}

    def __str__(self) -> str:
        if self.kind == "year":
            return _("%(year)s") % {"year": self.start.year}
        if self.kind == "quarter":
            return _("%(year)s Q%(quarter)s") % {
                "year": self.start.year,
                "quarter": (self.start.month - 1) // 3 + 1,
            }
        if self.kind == "month":
            return _("%(year)s-%(month)02d") % {"year": self.start.year, "month": self.start.month}
        return f"{self.start.isoformat()} – {self.last.isoformat()}"
