"""Counting figures from the records: one conditional-aggregate query per base, for any
number of figures, periods (or months) and, grouped, committees.

`selectors.py` (the pages' figures) and `cube.py` (the monthly pre-aggregates) both count
through `run`, so a pre-aggregate is the same query as the figure it stands for."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, DateTimeField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from xieshang.core.models import Committee
from xieshang.core.periods import Period
from xieshang.core.selectors import committee_tree_ids
from xieshang.figures.registry import Base, Figure
from xieshang.workrooms.models import Workroom

Number = int | float | None
Ranges = list[tuple[Any, Any]]


@dataclass(frozen=True)
class MemberGroup:
    """A sector (界别), special committee (专委会) or local group (委员小组): its members'
    figures are those of the records of them (their activities, shifts, proposals)."""

    kind: str  # "sector" | "special" | "local"
    pk: int
    name: str
    member_ids: tuple[int, ...]

    @property
    def value(self) -> str:
        return f"{self.kind}:{self.pk}"


@dataclass(frozen=True)
class Scope:
    """What to count over: the committees (a committee and those below it) and,
    optionally, one workroom or the members of one group."""

    committee_ids: tuple[int, ...]
    workroom_id: int | None = None
    member_ids: tuple[int, ...] | None = None

    @classmethod
    def of(cls, committee: Committee, unit: Workroom | MemberGroup | None = None) -> Scope:
        ids = tuple(committee_tree_ids(committee.pk))
        if isinstance(unit, MemberGroup):
            return cls(ids, member_ids=unit.member_ids)
        return cls(ids, unit.pk if unit else None)

    @property
    def whole(self) -> bool:
        """Every record of the committees (not one workroom's, not a group's)."""
        return self.workroom_id is None and self.member_ids is None


@dataclass
class Result:
    values: dict[str, Number] = field(default_factory=dict)
    queries: int = 0

    def __getitem__(self, key: str) -> Number:
        return self.values[key]


def expression(fig: Figure, window: Q | None = None) -> Any:
    """The aggregate of one figure; `window` narrows it to some dates when a query
    counts several periods (or months) at once."""
    condition = fig.where if fig.where else None
    if window is not None:
        condition = window & condition if condition is not None else window
    if fig.how == "sum":
        return Coalesce(Sum(fig.of, filter=condition), 0)
    if fig.of == "pk":
        # COUNT(1): the row itself, so a covering index answers it without the table.
        return Count(Value(1), filter=condition)
    return Count(fig.of, filter=condition, distinct=True)


def scoped(base: Base, scope: Scope) -> QuerySet[Any] | None:
    """The base's records in the scope, any period (None: the base has no workrooms and
    the scope is one workroom, or is not of members and the scope is a group)."""
    qs = base.records(scope.committee_ids)
    if scope.workroom_id is not None:
        if base.workroom_field is None:
            return None
        qs = qs.filter(**{base.workroom_field: scope.workroom_id})
    if scope.member_ids is not None:
        if base.member_field is None:
            return None
        # By the records' ids: a record naming two of the members counts once.
        of_members = base.records(scope.committee_ids).filter(
            **{f"{base.member_field}__in": list(scope.member_ids)}
        )
        qs = qs.filter(pk__in=of_members.values("pk"))
    return qs


def is_datetime(qs: QuerySet[Any], lookup: str) -> bool:
    model = qs.model
    parts = lookup.split("__")
    for part in parts[:-1]:
        model = model._meta.get_field(part).related_model
    return isinstance(model._meta.get_field(parts[-1]), DateTimeField)


def bounds(qs: QuerySet[Any], base: Base, period: Period) -> tuple[Any, Any]:
    """The period's first and after-last values of the base's date field: local
    midnights for a date-time, dates for a date."""
    assert base.date_field is not None
    if is_datetime(qs, base.date_field):
        return period.bounds()
    return period.start, period.end


def ranges_q(date_field: str, ranges: Ranges) -> Q:
    found = Q()
    for start, end in ranges:
        found |= Q(**{f"{date_field}__gte": start, f"{date_field}__lt": end})
    return found


def merge(ranges: Ranges) -> Ranges:
    merged: Ranges = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def run(
    base: Base,
    qs: QuerySet[Any],
    items: Sequence[tuple[str, Figure, Ranges | None]],
    group_by: str | None = None,
) -> list[dict[str, Any]]:
    """One query: for each item (alias, figure, the date ranges it counts — None for a
    base that is a state), the figure's aggregate; grouped by `group_by` (a committee
    field) or one row. The records read are those of all the ranges together (one index
    range when they touch); each aggregate is narrowed to its own by FILTER when they
    differ."""
    if base.date_field is None:
        expressions = {alias: expression(fig) for alias, fig, _r in items}
    else:
        every = merge([r for _a, _f, ranges in items for r in ranges or []])
        qs = qs.filter(ranges_q(base.date_field, every))
        expressions = {}
        for alias, fig, ranges in items:
            own = merge(ranges or [])
            window = None if own == every else ranges_q(base.date_field, own)
            expressions[alias] = expression(fig, window)
    qs = qs.order_by()
    if group_by:
        return list(qs.values(group_by).annotate(**expressions))
    return [qs.aggregate(**expressions)]


def grouped_values(
    base: Base, committee_ids: Sequence[int], figs: Sequence[Figure], period: Period
) -> dict[int, dict[str, Any]]:
    """Each committee's own figures `figs` of the base over the period (one query)."""
    qs = base.records(committee_ids)
    rows = run(
        base, qs, [(f.key, f, [bounds(qs, base, period)]) for f in figs], base.committee_field
    )
    return {row.pop(base.committee_field): row for row in rows}
