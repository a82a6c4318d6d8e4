"""Predicates of positions — who a user is in a record's committee — which every app's
rules.py combines, and the people app's own permissions.

A predicate gets the actor and the record (anything with `committee_id`, a Committee
included), or None for a page without one, where it asks whether the user holds the role
anywhere. A citizen or the system (`ActorKind`) holds no position.
"""

from __future__ import annotations

from typing import Any

from rules.predicates import Predicate, predicate

from xieshang.core.rules import permission
from xieshang.people.access import access_for
from xieshang.people.models import DepartmentClerk, StaffRole


def _user_id(actor: Any) -> int | None:
    return getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None


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
is_proposal_office = staff_with(StaffRole.PROPOSAL_OFFICE, StaffRole.ADMINISTRATOR)
is_liaison_office = staff_with(StaffRole.LIAISON_OFFICE, StaffRole.ADMINISTRATOR)


@predicate
def is_member(user: Any, obj: Any = None) -> bool:
    """Holds an active seat in the record's committee (in any, for a page)."""
    access = access_for(user)
    return bool(access.member_of) if obj is None else _committee_id(obj) in access.member_of


@predicate
def is_leader(user: Any, obj: Any = None) -> bool:
    """Holds a leader's position (主席, 主席会议, 书记, 区长) in the record's committee."""
    access = access_for(user)
    return bool(access.leader_of) if obj is None else _committee_id(obj) in access.leader_of


@predicate
def is_clerk(user: Any, obj: Any = None) -> bool:
    """A clerk of an active department of the record's committee (any department: the
    selectors narrow to the clerk's own)."""
    access = access_for(user)
    if obj is None:
        return bool(access.clerk_of)
    return _committee_id(obj) in access.clerk_of.values()


@predicate
def is_department_clerk(user: Any, record: Any = None) -> bool:
    """A clerk of the department the record (a referral, an assignment, an opinion sent
    to a department) was given to; for a page, of any department."""
    access = access_for(user)
    if record is None:
        return bool(access.clerk_of)
    return record.department_id in access.clerk_of


@predicate
def is_department_head(user: Any, record: Any = None) -> bool:
    """The head (负责人) of the department the record was given to: approves its replies."""
    user_id = _user_id(user)
    if user_id is None or not access_for(user).clerk_of:
        return False
    heads = DepartmentClerk.objects.filter(
        user_id=user_id, is_head=True, department__is_active=True
    )
    if record is None:
        return heads.exists()
    return heads.filter(department_id=record.department_id).exists()


permission(
    "people.view_member",
    is_superuser | is_staff | is_leader,
    doc="See the committee's member directory.",
)
permission(
    "people.view_department",
    is_superuser | is_staff | is_leader,
    doc="See the committee's department directory.",
)
