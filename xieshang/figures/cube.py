"""Monthly pre-aggregates (the cube) of the largest bases: the city's year reads a few
hundred rows instead of counting a million records.

For each base in `CUBED`, `MonthFigures` holds each committee's figures of each local month
(Asia/Shanghai), counted by the same definitions and the same query as the records' figures
(`rebuild`). A figure is read from the cube only when that is exact (`cubable`): a count of
the records or of the record its date belongs to, or a sum, additive over committees and
months, and not depending on the time of viewing. Everything else, and any period that is
not whole months, or one workroom, is counted from the records.

The cube is never trusted blindly: database triggers (migration 0002) write a `MonthChange`
for the month of every record of a cubed base that is added, changed or deleted, in the
writing transaction. A month with a change, or never built, is counted from the records
(only that month); the beat's `figures.cube_refresh` rebuilds the changed months and removes
the changes it has seen. `manage.py figures_cube` builds every month once (after deploying,
or to start again)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max, Min, Q
from django.db.models.expressions import BaseExpression
from django.db.models.functions import Now
from django.utils import timezone

from xieshang.core.models import Committee
from xieshang.core.periods import Period
from xieshang.figures.counting import grouped_values
from xieshang.figures.definitions import BASES, FIGURES, Figure
from xieshang.figures.models import MonthBuilt, MonthChange, MonthFigures

# The bases kept monthly, each with the tables whose triggers mark its months (migration
# 0002 installs them): the largest, where counting the city's year from the records is slow.
CUBED = (
    "suggestions",
    "dispositions",
    "referrals",
    "activities",
    "participations",
    "proposals",
    "replies",
    "ratings",
)


def _mentions_now(value: Any) -> bool:
    if isinstance(value, Now):
        return True
    if isinstance(value, Q):
        return any(_mentions_now(child) for child in value.children)
    if isinstance(value, tuple):
        return any(_mentions_now(v) for v in value)
    if isinstance(value, BaseExpression):
        return any(_mentions_now(e) for e in value.get_source_expressions())
    return False


def cubable(fig: Figure) -> bool:
    """Whether the figure's monthly values add up exactly to a period's, and the
    committees' to their total: a count of the records (or of the record whose date
    decides the period, like a suggestion's dispositions), or a sum; not a count of
    people (one person counts once however many months), nor what depends on the time
    of viewing."""
    if fig.how == "ratio" or fig.base not in CUBED or not fig.additive:
        return False
    if _mentions_now(fig.where):
        return False
    if fig.how == "sum" or fig.of == "pk":
        return True
    date_field = BASES[fig.base].date_field or ""
    parent = fig.of.removesuffix("_id")
    return fig.of.endswith("_id") and date_field.startswith(parent + "__")


def months_of(period: Period) -> list[date] | None:
    """The first days of the months the period is made of; None when it is not whole
    months (custom dates)."""
    if period.start.day != 1 or period.end.day != 1:
        return None
    months = []
    current = period.start
    while current < period.end:
        months.append(current)
        current = date(current.year + (current.month == 12), current.month % 12 + 1, 1)
    return months


def month_period(month: date) -> Period:
    return Period.month(month.year, month.month)


@dataclass
class CubeRead:
    """What the cube holds for some bases, committees and months: `usable[base]` are
    the months that may be read (built, unchanged since), `values[base][(committee,
    month)]` their figures."""

    usable: dict[str, set[date]] = field(default_factory=dict)
    values: dict[str, dict[tuple[int, date], dict[str, int]]] = field(default_factory=dict)
    queries: int = 0

    def total(
        self, base: str, key: str, committee_ids: Iterable[int], months: Iterable[date]
    ) -> int:
        rows = self.values.get(base, {})
        return sum(
            int(rows.get((c, m), {}).get(key, 0) or 0) for c in committee_ids for m in months
        )


def read(bases: Sequence[str], committee_ids: Sequence[int], months: Iterable[date]) -> CubeRead:
    """The cube's usable months and values: three queries whatever the number of bases."""
    found = CubeRead()
    wanted = sorted(set(months))
    bases = [b for b in bases if b in CUBED]
    if not wanted or not bases:
        return found
    first, last = wanted[0], wanted[-1]
    built = MonthBuilt.objects.filter(base__in=bases, month__gte=first, month__lte=last)
    for base, month in built.values_list("base", "month"):
        found.usable.setdefault(base, set()).add(month)
    changed = MonthChange.objects.filter(base__in=bases).filter(
        Q(month__isnull=True) | Q(month__gte=first, month__lte=last)
    )
    for base, changed_month in changed.values_list("base", "month").distinct():
        if changed_month is None:
            found.usable.pop(base, None)
        else:
            found.usable.get(base, set()).discard(changed_month)
    found.queries += 2
    if any(found.usable.values()):
        rows = MonthFigures.objects.filter(
            base__in=list(found.usable),
            committee_id__in=list(committee_ids),
            month__gte=first,
            month__lte=last,
        )
        for base, committee_id, month, values in rows.values_list(
            "base", "committee_id", "month", "values"
        ):
            found.values.setdefault(base, {})[(committee_id, month)] = values
        found.queries += 1
    return found


def rebuild(base_key: str, month: date) -> int:
    """Count the base's cubable figures of one month for every committee, from the
    records, and store them; returns the committees with records that month."""
    figs = [f for f in FIGURES.values() if f.base == base_key and cubable(f)]
    committee_ids = list(Committee.objects.values_list("pk", flat=True))
    base = BASES[base_key]
    rows = grouped_values(base, committee_ids, figs, month_period(month))
    with transaction.atomic():
        MonthFigures.objects.filter(base=base_key, month=month).delete()
        MonthFigures.objects.bulk_create(
            MonthFigures(base=base_key, committee_id=cid, month=month, values=values)
            for cid, values in rows.items()
            if any(values.values())
        )
        MonthBuilt.objects.update_or_create(base=base_key, month=month)
    return len(rows)


def refresh(*, limit: int = 5000) -> int:
    """Rebuild the months that changed (up to `limit` changes at a time) and remove the
    changes seen: a change written meanwhile stays, so its month is not read from the
    cube until the next refresh. Returns the months rebuilt."""
    changes = list(MonthChange.objects.order_by("pk").values_list("pk", "base", "month")[:limit])
    if not changes:
        return 0
    every = {base for _pk, base, month in changes if month is None}
    months: set[tuple[str, date]] = set()
    for base in every:
        months |= {
            (base, m) for m in MonthBuilt.objects.filter(base=base).values_list("month", flat=True)
        }
    months |= {(base, month) for _pk, base, month in changes if month is not None}
    for base, month in sorted(months):
        if base in CUBED:
            rebuild(base, month)
    MonthChange.objects.filter(pk__in=[pk for pk, _b, _m in changes]).delete()
    return len(months)


def build(
    *, bases: Sequence[str] = CUBED, since: date | None = None, until: date | None = None
) -> int:
    """Build every month of the bases from their first record (or `since`, if earlier)
    to `until` (this month by default); returns the months built."""
    until = until or timezone.localdate().replace(day=1)
    # The changes seen before counting are in what is counted (see `refresh`).
    seen = MonthChange.objects.filter(base__in=list(bases)).aggregate(last=Max("pk"))["last"]
    built = 0
    all_ids = list(Committee.objects.values_list("pk", flat=True))
    for base_key in bases:
        base = BASES[base_key]
        assert base.date_field is not None
        first = base.records(all_ids).aggregate(first=Min(base.date_field))["first"]
        if first is not None and hasattr(first, "astimezone"):
            first = timezone.localtime(first).date()
        first = min(d for d in (first, since) if d is not None) if first or since else None
        if first is None:
            continue
        month = first.replace(day=1)
        while month <= until:
            rebuild(base_key, month)
            built += 1
            month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    if seen is not None:
        MonthChange.objects.filter(base__in=list(bases), pk__lte=seen, month__lte=until).delete()
    return built
