"""Computing figures: one aggregate query per base of records, scoped to what the user
may see.

A user sees the figures of the committees they staff or lead and of every committee
below those (a city's staff and leaders see the districts'); a superuser, all."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from xieshang.core.models import Committee
from xieshang.core.periods import Period
from xieshang.core.selectors import committee_list_public, committee_tree_ids, committees_within
from xieshang.figures.counting import (
    MemberGroup,
    Number,
    Ranges,
    Result,
    Scope,
    bounds,
    ranges_q,
    run,
    scoped,
)
from xieshang.figures.cube import CUBED, CubeRead, cubable, month_period, months_of
from xieshang.figures.cube import read as cube_read
from xieshang.figures.definitions import BASES, FIGURES, Base, Figure
from xieshang.people.access import access_for
from xieshang.people.selectors import member_groups_of_committees, member_ids_of_group
from xieshang.workrooms.models import Workroom
from xieshang.workrooms.selectors import workrooms_of_committees

__all__ = ["MemberGroup", "Number", "Result", "Scope"]


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


GROUP_LABELS = {"sector": "界别", "special": "专委会", "local": "委员小组"}


def member_groups_for_picker(*, committee: Committee) -> list[dict[str, str]]:
    """The sectors, special committees and local groups of the committee and those
    below it: each's kind (in words), value (`sector:12`) and name."""
    return [
        {"kind": GROUP_LABELS[kind], "value": f"{kind}:{group.pk}", "name": str(group.name)}
        for kind, group in member_groups_of_committees(committee_tree_ids(committee.pk))
    ]


def figure_group_get(*, committee: Committee, value: str) -> MemberGroup:
    """A group (`sector:12`, `special:3`, `local:5`) of the committee or of one below it,
    with its members."""
    kind, _sep, pk = value.partition(":")
    for found_kind, group in member_groups_of_committees(committee_tree_ids(committee.pk)):
        if found_kind == kind and str(group.pk) == pk:
            members = tuple(member_ids_of_group(kind, group.pk))
            return MemberGroup(kind=kind, pk=group.pk, name=str(group.name), member_ids=members)
    raise Http404(_("No such group."))


def workrooms_for_picker(*, committee: Committee) -> QuerySet[Workroom]:
    return workrooms_of_committees(committee_tree_ids(committee.pk)).order_by(
        "committee__order", "committee_id", "kind", "name"
    )


# --- Computing -----------------------------------------------------------------------------


def base_records(base: Base, scope: Scope, period: Period) -> QuerySet[Any] | None:
    """The base's records in the scope and period (None: the base has no workrooms and
    the scope is one workroom)."""
    qs = scoped(base, scope)
    if qs is not None and base.date_field is not None:
        qs = qs.filter(ranges_q(base.date_field, [bounds(qs, base, period)]))
    return qs


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


Table = dict[int | None, dict[str, Number]]


def _count(
    scope: Scope,
    periods: Sequence[Period],
    keys: Sequence[str] | None,
    *,
    grouped: bool,
    cube: bool = True,
) -> tuple[list[Table], int]:
    """The figures for each period, over the scope (key None) or, grouped, for each of
    its committees: per base one query for all the periods, reading whole months of the
    cubed bases from their monthly pre-aggregates (months that changed since are counted
    from the records). Returns the tables and the queries made."""
    wanted, by_base = _split(keys)
    ids = list(scope.committee_ids)
    groups: list[int | None] = list(ids) if grouped else [None]
    tables: list[Table] = [{g: {} for g in groups} for _ in periods]
    months = [months_of(p) for p in periods]
    read_bases = []
    if cube and scope.whole:
        read_bases = [b for b, figs in by_base.items() if b in CUBED and any(map(cubable, figs))]
    wanted_months = [m for found in months for m in found or []]
    held = cube_read(read_bases, ids, wanted_months) if read_bases else CubeRead()
    queries = held.queries
    for base_key, figs in by_base.items():
        base = BASES[base_key]
        qs = scoped(base, scope)
        if qs is None:
            for table in tables:
                for values in table.values():
                    values.update({f.key: None for f in figs})
            continue
        items: list[tuple[str, Figure, Ranges | None, int]] = []
        for i, period in enumerate(periods):
            usable = held.usable.get(base_key, set())
            in_cube = [m for m in months[i] or [] if m in usable]
            for fig in figs:
                alias = f"{fig.key}__p{i}"
                for values in tables[i].values():
                    values[fig.key] = 0
                if in_cube and cubable(fig):
                    for g, values in tables[i].items():
                        values[fig.key] = held.total(
                            base_key, fig.key, ids if g is None else [g], in_cube
                        )
                    rest = [m for m in months[i] or [] if m not in usable]
                    if rest:
                        ranges = [bounds(qs, base, month_period(m)) for m in rest]
                        items.append((alias, fig, ranges, i))
                elif base.date_field is None:
                    items.append((alias, fig, None, i))
                else:
                    items.append((alias, fig, [bounds(qs, base, period)], i))
        if not items:
            continue
        group_by = base.committee_field if grouped else None
        rows = run(base, qs, [(a, f, r) for a, f, r, _i in items], group_by)
        queries += 1
        for row in rows:
            group = row[group_by] if group_by else None
            for alias, fig, _r, i in items:
                current = tables[i][group][fig.key]
                tables[i][group][fig.key] = int(current or 0) + int(row[alias] or 0)
    for table in tables:
        for values in table.values():
            fill_ratios(values, wanted)
    return tables, queries


def compute(scope: Scope, period: Period, keys: Sequence[str] | None = None) -> Result:
    """The figures `keys` (all by default) over the scope and period: one query per base.
    A figure that does not apply (a proposal figure for one workroom) is None."""
    return compute_periods(scope, [period], keys)[0]


def compute_periods(
    scope: Scope,
    periods: Sequence[Period],
    keys: Sequence[str] | None = None,
    *,
    cube: bool = True,
) -> list[Result]:
    """The figures over the scope for each of the periods (this year and last): one
    conditional-aggregate query per base for all the periods together. The first
    result's `queries` is what they took; `cube=False` counts only from the records."""
    tables, queries = _count(scope, periods, keys, grouped=False, cube=cube)
    results = [Result(values=table[None]) for table in tables]
    results[0].queries = queries
    return results


def compute_by_committee(
    committee_ids: Sequence[int], period: Period, keys: Sequence[str] | None = None
) -> dict[int, dict[str, Number]]:
    """Each committee's own figures (not including those below it), one grouped query per
    base: the city roll-up's columns."""
    return compute_by_committee_periods(committee_ids, [period], keys)[0]


def compute_by_committee_periods(
    committee_ids: Sequence[int],
    periods: Sequence[Period],
    keys: Sequence[str] | None = None,
    *,
    cube: bool = True,
) -> list[dict[int, dict[str, Number]]]:
    """Each committee's own figures for each period: one query per base, grouped by
    committee, for all the periods together (no query per committee)."""
    return count_by_committee(committee_ids, periods, keys, cube=cube)[0]


def count_by_committee(
    committee_ids: Sequence[int],
    periods: Sequence[Period],
    keys: Sequence[str] | None = None,
    *,
    cube: bool = True,
) -> tuple[list[dict[int, dict[str, Number]]], int]:
    """`compute_by_committee_periods` and the queries it made."""
    tables, queries = _count(Scope(tuple(committee_ids)), periods, keys, grouped=True, cube=cube)
    return [{int(g): v for g, v in table.items() if g is not None} for table in tables], queries


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
