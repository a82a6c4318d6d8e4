"""Predicates shared by every app's rules.py: who a user is in a record's committee.

A predicate gets the record (anything with `committee_id`, a Committee included) or None
for a page without one, where it asks whether the user holds the role anywhere.
"""

from __future__ import annotations

from typing import Any

from rules.predicates import Predicate, predicate

from xieshang.people.access import access_for
from xieshang.people.models import StaffRole


def _committee_id(obj: Any) -> int:
    return int(obj.committee_id)


@predicate
def is_superuser(user: Any) -> bool:
    return access_for(user).is_superuser


def staff_with(*roles: str) -> Predicate:
    """Staff of the record's committee, in any of `roles` (any staff role if none given)."""

    def check(user: Any, obj: Any = None) -> bool:
        access = access_for(user)
        if obj is None:
            return bool(access.staff_ids_with(*roles))
        return access.is_staff_of(_committee_id(obj), *roles)

    name = "is_staff" if not roles else "is_staff_" + "_".join(roles)
    return Predicate(check, name=name)


is_staff = staff_with()
is_administrator = staff_with(StaffRole.ADMINISTRATOR)
is_workroom_manager = staff_with(StaffRole.WORKROOM_COORDINATOR, StaffRole.ADMINISTRATOR)


@predicate
def is_member(user: Any, obj: Any = None) -> bool:
    access = access_for(user)
    return bool(access.member_of) if obj is None else _committee_id(obj) in access.member_of


@predicate
def is_leader(user: Any, obj: Any = None) -> bool:
    access = access_for(user)
    return bool(access.leader_of) if obj is None else _committee_id(obj) in access.leader_of


@predicate
def is_clerk(user: Any, obj: Any = None) -> bool:
    access = access_for(user)
    if obj is None:
        return bool(access.clerk_of)
    return _committee_id(obj) in access.clerk_of.values()
