"""What every demo module shares: the seed of the generated names, the demo password and
superuser, `sync` (create what is missing in bulk, bring changed fields back; the rows are
matched by natural keys, nothing is deleted) and `Loaded`, the record of what the loaders
have loaded so far, by natural key, that each loader reads the ones before it from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from django.db import models

from xieshang.core.models import Committee
from xieshang.people.models import Department, LocalGroup, Member, Sector, SpecialCommittee, User
from xieshang.suggestions.models import Area, Campaign, Category
from xieshang.workrooms.models import Workroom

SEED = 2026  # of the random.Random that makes up the generated members
DEMO_PASSWORD = "demo2026"  # public: only the demo logins have it
SUPERUSER = "admin"
ACTIVATION_NOTE = "演示数据"  # the note of the events the demo's own transitions write


class Writer(Protocol):
    def write(self, msg: str, /) -> Any: ...


M = TypeVar("M", bound=models.Model)
Key = tuple[Any, ...]


def sync(
    queryset: models.QuerySet[M],
    wanted: Iterable[M],
    *,
    key: tuple[str, ...],
    fields: Sequence[str] = (),
) -> dict[Key, M]:
    """Create the rows of `wanted` missing from `queryset` (matched by the `key`
    attributes) and bring `fields` of existing ones up to date. Returns every wanted
    row, saved, by key."""
    existing = {tuple(getattr(o, k) for k in key): o for o in queryset}
    result: dict[Key, M] = {}
    missing: list[M] = []
    changed: list[M] = []
    for obj in wanted:
        obj_key = tuple(getattr(obj, k) for k in key)
        current = existing.get(obj_key)
        if current is None:
            missing.append(obj)
            result[obj_key] = obj
            continue
        stale = [f for f in fields if getattr(current, f) != getattr(obj, f)]
        for f in stale:
            setattr(current, f, getattr(obj, f))
        if stale:
            changed.append(current)
        result[obj_key] = current
    manager = queryset.model._default_manager
    if missing:
        manager.bulk_create(missing)
        if any(o.pk is None for o in missing):  # a database that returns no ids
            fresh = {tuple(getattr(o, k) for k in key): o for o in queryset.all()}
            result = {k: fresh[k] for k in result}
    if changed:
        manager.bulk_update(changed, list(fields))
    return result


@dataclass
class Loaded:
    """What the loaders of one `seed_demo()` run have loaded, by natural key, and what
    they created (for the summary line)."""

    committees: dict[str, Committee] = field(default_factory=dict)
    sectors: dict[Key, Sector] = field(default_factory=dict)
    specials: dict[Key, SpecialCommittee] = field(default_factory=dict)
    groups: dict[Key, LocalGroup] = field(default_factory=dict)
    departments: dict[Key, Department] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    seats: dict[Key, Member] = field(default_factory=dict)  # (username, committee code)
    workrooms: dict[str, Workroom] = field(default_factory=dict)
    categories: dict[Key, Category] = field(default_factory=dict)  # (committee code, name)
    areas: dict[Key, Area] = field(default_factory=dict)  # (code, street, community or None)
    campaigns: dict[str, Campaign] = field(default_factory=dict)
    created_users: int = 0
    activated: int = 0
    created_suggestions: int = 0
