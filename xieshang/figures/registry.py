"""The vocabulary a figure is defined in: bases (sets of records) and figures (counts
over a base).

A *source* module in `xieshang/figures/sources/` declares, for one app, its bases and the
figures computed over them, with `base()` and `figure()`; `definitions.py` loads every
source, so an app built later brings its figures by adding one module there.

A figure's label and definition are the Chinese terms the committees publish (履职成效):
they are domain data, like the demo's records, and `docs/figures.md` is generated from
them (`manage.py figures_doc`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db.models import Q, QuerySet

Records = Callable[[Sequence[int]], QuerySet[Any]]


@dataclass(frozen=True)
class Base:
    """The records of a kind for a set of committees, read through the app's selector.

    `date_field` decides the period a record belongs to (None: the base is a state at the
    time of viewing, the same for every period); `workroom_field` narrows to one
    workroom (None: the records do not belong to workrooms); `columns` are what the
    drill-down list shows of each record (label, lookup)."""

    key: str
    source: str
    label: str
    records: Records
    date_field: str | None
    committee_field: str = "committee_id"
    workroom_field: str | None = None
    # The member a record is of (their activity, shift, proposal): narrows to the members
    # of a sector, special committee or local group (None: not members' records).
    member_field: str | None = None
    columns: tuple[tuple[str, str], ...] = ()
    detail: str = ""  # the route name of a record's page in its app, given its pk


@dataclass(frozen=True)
class Figure:
    """One published number: `how` of `of` over the base's records that match `where`.

    how="count": distinct values of `of` (the record itself by default);
    how="sum": the sum of the integer field `of`;
    how="ratio": `numerator` / `denominator`, two other figures, as a percentage.

    `additive`: the committees' own counts add up to their total. False when one thing
    may count under two committees (a city member serving in two districts' workrooms is
    one person in the city's total)."""

    key: str
    label: str
    definition: str
    base: str = ""
    where: Q = field(default_factory=Q)
    how: Literal["count", "sum", "ratio"] = "count"
    of: str = "pk"
    numerator: str = ""
    denominator: str = ""
    public: bool = False
    additive: bool = True
    group: str = ""
    source: str = ""


BASES: dict[str, Base] = {}
FIGURES: dict[str, Figure] = {}


def base(key: str, **kwargs: Any) -> Base:
    if key in BASES:
        raise ValueError(f"Base {key!r} declared twice")
    declared = Base(key=key, **kwargs)
    BASES[key] = declared
    return declared


def figure(key: str, **kwargs: Any) -> Figure:
    """Declare a figure; its key is unique across all sources."""
    if key in FIGURES:
        raise ValueError(f"Figure {key!r} declared twice")
    declared = Figure(key=key, **kwargs)
    if declared.how == "ratio":
        if not (declared.numerator and declared.denominator):
            raise ValueError(f"Ratio {key!r} needs a numerator and a denominator")
    elif declared.base not in BASES:
        raise ValueError(f"Figure {key!r} counts over an unknown base {declared.base!r}")
    FIGURES[key] = declared
    return declared
