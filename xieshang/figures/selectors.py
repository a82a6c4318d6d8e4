"""Computing figures: one aggregate query per base of records, scoped to what the user
may see.

A user sees the figures of the committees they staff or lead and of every committee
below those (a city's staff and leaders see the districts'); a superuser, all."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, DateTimeField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from xieshang.core.models import Committee
from xieshang.core.periods import Period
from xieshang.core.selectors import committee_list_public, committee_tree_ids, committees_within
from xieshang.figures.definitions import BASES, FIGURES, Base, Figure
from xieshang.people.access import access_for
from xieshang.workrooms.models import Workroom
from xieshang.workrooms.selectors import workrooms_of_committees

Number = int | float | None


# --- Scope ---------------------------------------------------------------------------------


def figure_committees(*, user: Any) -> QuerySet[Committee]:
    """Committees whose figures the user may see: those they staff or lead, and every
    committee below them."""
    access = access_for(user)
    if access.is_superuser:
        return committee_list_public()
    return committees_within(access.staff_committee_ids | access.leader_of).order_by("order", "id")


def figure_committee_get(*, user: Any, code: str) -> Committee:
    try:
        return figure_committees(user=user).get(code=code)
    except Committee.DoesNotExist:
        raise Http404(_("No such committee, or its figures are not yours to see.")) from None


def figure_workroom_get(*, committee: Committee, pk: int) -> Workroom:
    """A workroom of the committee or of one below it."""
    try:
        return workrooms_of_committees(committee_tree_ids(committee.pk)).get(pk=pk)
    except Workroom.DoesNotExist:
        raise Http404(_("No such workroom.")) from None


def workrooms_for_picker(*, committee: Committee) -> QuerySet[Workroom]:
    return workrooms_of_committees(committee_tree_ids(committee.pk)).order_by(
        "committee__order", "committee_id", "kind", "name"
    )


# --- Computing -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What to count over: the committees (a committee and those below it) and,
    optionally, one workroom."""

    committee_ids: tuple[int, ...]
    workroom_id: int | None = None

    @classmethod
    def of(cls, committee: Committee, workroom: Workroom | None = None) -> Scope:
        return cls(tuple(committee_tree_ids(committee.pk)), workroom.pk if workroom else None)


@dataclass
class Result:
    values: dict[str, Number] = field(default_factory=dict)
    queries: int = 0

    def __getitem__(self, key: str) -> Number:
        return self.values[key]


def _expression(fig: Figure, window: Q | None = None) -> Any:
    """The aggregate of one figure; `window` narrows it to one period when a query
    counts several periods at once."""
    condition = fig.where if fig.where else None
    if window is not None:
        condition = window & condition if condition is not None else window
    if fig.how == "sum":
        return Coalesce(Sum(fig.of, filter=condition), 0)
    if fig.of == "pk":
        # COUNT(1): the row itself, so a covering index answers it without the table.
        return Count(Value(1), filter=condition)
    return Count(fig.of, filter=condition, distinct=True)


def _scoped(base: Base, scope: Scope) -> QuerySet[Any] | None:
    """The base's records in the scope, any period (None: the base has no workrooms and
    the scope is one workroom)."""
    qs = base.records(scope.committee_ids)
    if scope.workroom_id is not None:
        if base.workroom_field is None:
            return None
        qs = qs.filter(**{base.workroom_field: scope.workroom_id})
    return qs


def _bounds(qs: QuerySet[Any], base: Base, period: Period) -> tuple[Any, Any]:
    assert base.date_field is not None
    return period.bounds() if _is_datetime(qs, base.date_field) else period_dates(period)


def _window(qs: QuerySet[Any], base: Base, period: Period) -> Q:
    start, end = _bounds(qs, base, period)
    return Q(**{f"{base.date_field}__gte": start, f"{base.date_field}__lt": end})


def base_records(base: Base, scope: Scope, period: Period) -> QuerySet[Any] | None:
    """The base's records in the scope and period (None: the base has no workrooms and
    the scope is one workroom)."""
    qs = _scoped(base, scope)
    if qs is not None and base.date_field is not None:
        qs = qs.filter(_window(qs, base, period))
    return qs


def _counted(
    base: Base, qs: QuerySet[Any], figs: Sequence[Figure], periods: Sequence[Period]
) -> tuple[QuerySet[Any], dict[str, Any], list[dict[str, str]]]:
    """The records to aggregate over (every period's, one index range), the aggregates
    (one per figure and period, each narrowed to its period when there are several) and,
    for each period, which aggregate is which figure. A state base counts once."""
    if base.date_field is None:
        names = {f.key: f.key for f in figs}
        return qs, {f.key: _expression(f) for f in figs}, [names for _ in periods]
    if len(periods) == 1:
        names = {f.key: f.key for f in figs}
        return (
            qs.filter(_window(qs, base, periods[0])),
            {f.key: _expression(f) for f in figs},
            [names],
        )
    bounds = [_bounds(qs, base, p) for p in periods]
    qs = qs.filter(
        **{
            f"{base.date_field}__gte": min(b[0] for b in bounds),
            f"{base.date_field}__lt": max(b[1] for b in bounds),
        }
    )
    expressions: dict[str, Any] = {}
    names_by_period: list[dict[str, str]] = []
    for i, period in enumerate(periods):
        window = _window(qs, base, period)
        names = {}
        for f in figs:
            names[f"{f.key}__p{i}"] = f.key
            expressions[f"{f.key}__p{i}"] = _expression(f, window)
        names_by_period.append(names)
    return qs, expressions, names_by_period


def _split(keys: Sequence[str] | None) -> tuple[list[str], dict[str, list[Figure]]]:
    """The figures wanted (ratios with what they divide) and the counted ones by base."""
    wanted = with_dependencies(keys if keys is not None else list(FIGURES))
    by_base: dict[str, list[Figure]] = {}
    for key in wanted:
        fig = FIGURES[key]
        if fig.how != "ratio":
            by_base.setdefault(fig.base, []).append(fig)
    return wanted, by_base


def fill_ratios(values: dict[str, Number], wanted: Iterable[str]) -> None:
    for key in wanted:
        fig = FIGURES[key]
        if fig.how == "ratio":
            values[key] = ratio(values.get(fig.numerator), values.get(fig.denominator))


def period_dates(period: Period) -> tuple[Any, Any]:
    return period.start, period.end


def _is_datetime(qs: QuerySet[Any], lookup: str) -> bool:
    model = qs.model
    parts = lookup.split("__")
    for part in parts[:-1]:
        model = model._meta.get_field(part).related_model
    return isinstance(model._meta.get_field(parts[-1]), DateTimeField)


def with_dependencies(keys: Iterable[str]) -> list[str]:
    wanted: list[str] = []
    for key in keys:
        fig = FIGURES[key]
        for needed in (fig.numerator, fig.denominator, key) if fig.how == "ratio" else (key,):
            if needed not in wanted:
                wanted.append(needed)
    return wanted


def ratio(numerator: Number, denominator: Number) -> Number:
    if not denominator or numerator is None:
        return None
    return round(100.0 * float(numerator) / float(denominator), 1)


def compute(scope: Scope, period: Period, keys: Sequence[str] | None = None) -> Result:
    """The figures `keys` (all by default) over the scope and period: one query per base.
    A figure that does not apply (a proposal figure for one workroom) is None."""
    return compute_periods(scope, [period], keys)[0]


def compute_periods(
    scope: Scope, periods: Sequence[Period], keys: Sequence[str] | None = None
) -> list[Result]:
    """The figures over the scope for each of the periods (this year and last): one
    conditional-aggregate query per base for all the periods together. Each result's
    `queries` is what it took; the first carries them all."""
    wanted, by_base = _split(keys)
    results = [Result() for _ in periods]
    for base_key, figs in by_base.items():
        base = BASES[base_key]
        qs = _scoped(base, scope)
        if qs is None:
            for result in results:
                result.values.update({f.key: None for f in figs})
            continue
        qs, expressions, names = _counted(base, qs, figs, periods)
        row = qs.order_by().aggregate(**expressions)
        results[0].queries += 1
        for result, named in zip(results, names, strict=True):
            result.values.update({key: row[alias] for alias, key in named.items()})
    for result in results:
        fill_ratios(result.values, wanted)
    return results


def compute_by_committee(
    committee_ids: Sequence[int], period: Period, keys: Sequence[str] | None = None
) -> dict[int, dict[str, Number]]:
    """Each committee's own figures (not including those below it), one grouped query per
    base: the city roll-up's columns."""
    return compute_by_committee_periods(committee_ids, [period], keys)[0]


def compute_by_committee_periods(
    committee_ids: Sequence[int], periods: Sequence[Period], keys: Sequence[str] | None = None
) -> list[dict[int, dict[str, Number]]]:
    """Each committee's own figures for each period: one query per base, grouped by
    committee, for all the periods together (no query per committee)."""
    wanted, by_base = _split(keys)
    tables: list[dict[int, dict[str, Number]]] = [{c: {} for c in committee_ids} for _ in periods]
    scope = Scope(tuple(committee_ids))
    for base_key, figs in by_base.items():
        base = BASES[base_key]
        qs = _scoped(base, scope)
        assert qs is not None
        qs, expressions, names = _counted(base, qs, figs, periods)
        grouped = qs.order_by().values(base.committee_field).annotate(**expressions)
        for rows in tables:
            for values in rows.values():
                values.update({f.key: 0 for f in figs})
        for row in grouped:
            committee_id = row[base.committee_field]
            for rows, named in zip(tables, names, strict=True):
                rows[committee_id].update({key: row[alias] for alias, key in named.items()})
    for rows in tables:
        for values in rows.values():
            fill_ratios(values, wanted)
    return tables


def figure_records(key: str, scope: Scope, period: Period) -> QuerySet[Any]:
    """The records a figure counts (for a ratio, its numerator's): its drill-down list."""
    fig = FIGURES[key]
    if fig.how == "ratio":
        fig = FIGURES[fig.numerator]
    qs = base_records(BASES[fig.base], scope, period)
    if qs is None:
        return BASES[fig.base].records(()).none()
    if fig.where:
        qs = qs.filter(fig.where)
    return qs.distinct()


def public_keys() -> list[str]:
    return [key for key, fig in FIGURES.items() if fig.public]
