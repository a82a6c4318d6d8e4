"""Who may do what: the one vocabulary every app's rules.py is written in.

Each app's `rules.py` names a permission for every action of that app with `permission()`:
pages check it (`workspace_required`, `has_perm(perm, record)`), workflow transitions name
it (`Transition.perm`), and services enforce it with `require()`. Selectors only scope rows.

A predicate gets the actor — a user, or `ActorKind.CITIZEN` / `ActorKind.SYSTEM` for the
steps a citizen or the platform takes — and the record, or None for a page without one.
The predicates of positions (staff, member, clerk, leader) are in `people/rules.py`.
`docs/permissions.md` is generated from what is registered here (`manage.py
permissions_doc`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from rules.permissions import add_perm, has_perm
from rules.predicates import Predicate, predicate

from xieshang.core.errors import Forbidden
from xieshang.core.models import ActorKind


@dataclass(frozen=True)
class Permission:
    name: str
    predicate: Predicate
    doc: str
    refusal: str | Promise | None


PERMISSIONS: dict[str, Permission] = {}


def permission(
    name: str, rule: Predicate, *, doc: str, refusal: str | Promise | None = None
) -> None:
    """Register permission `name` ("app.action_model"): who holds it (`rule`), what it lets
    them do (`doc`, for docs/permissions.md) and, optionally, the Chinese message a refused
    service gives (`refusal`)."""
    add_perm(name, rule)
    PERMISSIONS[name] = Permission(name=name, predicate=rule, doc=doc, refusal=refusal)


def allowed(actor: Any, perm: str, obj: Any = None) -> bool:
    """Whether the actor (a user, or the citizen / the system) holds `perm` for `obj`."""
    if perm not in PERMISSIONS:
        raise KeyError(f"Unknown permission {perm!r}")
    return bool(has_perm(perm, actor, obj))


def require(actor: Any, perm: str, obj: Any = None) -> None:
    """Raise `Forbidden` (403, nothing changed) unless the actor holds `perm` for `obj`:
    the guard every service uses."""
    if not allowed(actor, perm, obj):
        refusal = PERMISSIONS[perm].refusal
        raise Forbidden(refusal if refusal is not None else None)


@predicate
def is_citizen(actor: Any) -> bool:
    """The citizen of a public page (no account; the tracking code or a signed link
    identified the record)."""
    return bool(actor == ActorKind.CITIZEN)


@predicate
def is_system(actor: Any) -> bool:
    """The platform itself: a step that follows from another one in the same
    transaction, or a scheduled job."""
    return bool(actor == ActorKind.SYSTEM)
