"""Computing figures: one aggregate query per base of records, scoped to what the user
may see.

A user sees the figures of the committees they staff or lead and of every committee
below those (a city's staff and leaders see the districts'); a superuser, all."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, DateTimeField, QuerySet, Sum
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


def _expression(fig: Figure) -> Any:
    condition = fig.where if fig.where else None
    if fig.how == "sum":
        return Coalesce(Sum(fig.of, filter=condition), 0)
    return Count(fig.of, filter=condition, distinct=fig.of != "pk")


def base_records(base: Base, scope: Scope, period: Period) -> QuerySet[Any] | None:
    """The base's records in the scope and period (None: the base has no workrooms and
    the scope is one workroom)."""
    qs = base.records(scope.committee_ids)
    if scope.workroom_id is not None:
        if base.workroom_field is None:
            return None
        qs = qs.filter(**{base.workroom_field: scope.workroom_id})
    if base.date_field is not None:
        start, end = period.bounds() if _is_datetime(qs, base.date_field) else period_dates(period)
        qs = qs.filter(**{f"{base.date_field}__gte": start, f"{base.date_field}__lt": end})
    return qs


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
    wanted = with_dependencies(keys if keys is not None else list(FIGURES))
    by_base: dict[str, list[Figure]] = {}
    for key in wanted:
        fig = FIGURES[key]
        if fig.how != "ratio":
            by_base.setdefault(fig.base, []).append(fig)
    result = Result()
    for base_key, figs in by_base.items():
        qs = base_records(BASES[base_key], scope, period)
        if qs is None:
            result.values.update({f.key: None for f in figs})
            continue
        row = qs.order_by().aggregate(**{f.key: _expression(f) for f in figs})
        result.queries += 1
        result.values.update(row)
    for key in wanted:
        fig = FIGURES[key]
        if fig.how == "ratio":
            result.values[key] = ratio(
                result.values.get(fig.numerator), result.values.get(fig.denominator)
            )
    return result


def compute_by_committee(
    committee_ids: Sequence[int], period: Period, keys: Sequence[str] | None = None
) -> dict[int, dict[str, Number]]:
    """Each committee's own figures (not including those below it), one grouped query per
    base: the city roll-up's columns."""
    wanted = with_dependencies(keys if keys is not None else list(FIGURES))
    rows: dict[int, dict[str, Number]] = {c: {} for c in committee_ids}
    by_base: dict[str, list[Figure]] = {}
    for key in wanted:
        fig = FIGURES[key]
        if fig.how != "ratio":
            by_base.setdefault(fig.base, []).append(fig)
    scope = Scope(tuple(committee_ids))
    for base_key, figs in by_base.items():
        base = BASES[base_key]
        qs = base_records(base, scope, period)
        assert qs is not None
        grouped = (
            qs.order_by()
            .values(base.committee_field)
            .annotate(**{f.key: _expression(f) for f in figs})
        )
        for committee_id in rows:
            rows[committee_id].update({f.key: 0 for f in figs})
        for row in grouped:
            committee_id = row.pop(base.committee_field)
            rows[committee_id].update(row)
    for values in rows.values():
        for key in wanted:
            fig = FIGURES[key]
            if fig.how == "ratio":
                values[key] = ratio(values.get(fig.numerator), values.get(fig.denominator))
    return rows


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
