"""What the figure pages show, assembled from the selectors (no queries of its own)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from xieshang.core.models import Committee
from xieshang.core.periods import Period
from xieshang.core.selectors import committee_children
from xieshang.figures.definitions import FIGURES, Figure
from xieshang.figures.selectors import (
    Number,
    Scope,
    compute_periods,
    count_by_committee,
    fill_ratios,
    with_dependencies,
)


@dataclass
class Row:
    figure: Figure
    value: Number
    previous: Number
    columns: list[Number] = field(default_factory=list)

    @property
    def change(self) -> Number:
        if self.value is None or self.previous is None or self.figure.how == "ratio":
            return None
        return self.value - self.previous


@dataclass
class Table:
    title: str
    period: Period
    previous: Period
    rows: list[Row]
    column_names: list[str] = field(default_factory=list)
    column_committees: list[Committee] = field(default_factory=list)
    queries: int = 0

    def groups(self) -> list[tuple[str, list[Row]]]:
        found: dict[str, list[Row]] = {}
        for row in self.rows:
            found.setdefault(row.figure.group, []).append(row)
        return list(found.items())

    def chart(self) -> dict[str, Any]:
        """The data the charts draw (read by static/js/figures.js from a json_script)."""
        data: dict[str, Any] = {"period": str(self.period), "previous": str(self.previous)}
        groups = []
        for group, rows in self.groups():
            counted = [r for r in rows if r.figure.how != "ratio" and r.value is not None]
            if counted:
                groups.append(
                    {
                        "name": group,
                        "labels": [r.figure.label for r in counted],
                        "values": [r.value for r in counted],
                        "previous": [r.previous for r in counted],
                    }
                )
        data["groups"] = groups
        if self.column_committees:
            key = "suggestions_received"
            row = next((r for r in self.rows if r.figure.key == key), None)
            if row is not None:
                data["rollup"] = {
                    "label": row.figure.label,
                    "names": self.column_names[:-1],
                    "values": row.columns[:-1],
                }
        return data


def figure_table(
    committee: Committee,
    period: Period,
    *,
    workroom: Any = None,
    keys: list[str] | None = None,
    rollup: bool = True,
) -> Table:
    """The figures of a committee (and those below it) or one of its workrooms, this
    period against the same period a year earlier; a committee with committees below
    gets a column each (its own records, then each below) and the total."""
    keys = keys if keys is not None else list(FIGURES)
    scope = Scope.of(committee, workroom)
    # `workroom`: one of the committee's workrooms, or a group of members (MemberGroup)
    children = list(committee_children(committee.pk)) if workroom is None and rollup else []
    columns = [committee, *children]
    previous_period = period.previous()
    periods = [period, previous_period]
    by_committee: dict[int, dict[str, Number]] = {}
    if children and set(scope.committee_ids) == {c.pk for c in columns}:
        # The columns are the whole tree: the total of an additive figure is the sum of
        # the columns, so only the others are counted over the tree again. Both periods
        # are counted by the same queries: one per base grouped by committee.
        both, queries = count_by_committee([c.pk for c in columns], periods, keys)
        by_committee = both[0]
        rest = [k for k in keys if not FIGURES[k].additive]
        current, earlier = compute_periods(scope, periods, rest)
        queries += current.queries
        for result, rows in ((current, both[0]), (earlier, both[1])):
            for key in with_dependencies(keys):
                fig = FIGURES[key]
                if fig.additive and fig.how != "ratio":
                    result.values[key] = sum(int(rows[c.pk][key] or 0) for c in columns)
            fill_ratios(result.values, keys)
    else:
        current, earlier = compute_periods(scope, periods, keys)
        queries = current.queries
        if children:
            columns_counted, more = count_by_committee([c.pk for c in columns], [period], keys)
            by_committee = columns_counted[0]
            queries += more
    title = workroom.name if workroom is not None else committee.short_name
    table = Table(
        title=title,
        period=period,
        previous=previous_period,
        rows=[Row(FIGURES[k], current.values[k], earlier.values[k]) for k in keys],
        queries=queries,
    )
    if children:
        table.column_committees = columns
        table.column_names = [str(c.short_name) for c in columns] + [_("Total")]
        for row in table.rows:
            row.columns = [by_committee[c.pk].get(row.figure.key) for c in columns]
            row.columns.append(row.value)
    return table
