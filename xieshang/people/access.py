"""What a user is, and where: the one place that turns positions into roles.

Loaded once per user object (cached on it), so a request that checks many permissions
makes at most four small queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from xieshang.people.models import (
    DepartmentClerk,
    LeaderPosition,
    Member,
    StaffPosition,
    StaffRole,
)


class Role(StrEnum):
    """Roles a transition table may name. Staff sub-roles are roles of their own; `STAFF`
    is held by anyone with any staff position in the committee."""

    STAFF = "staff"
    PROPOSAL_OFFICE = StaffRole.PROPOSAL_OFFICE.value
    LIAISON_OFFICE = StaffRole.LIAISON_OFFICE.value
    WORKROOM_COORDINATOR = StaffRole.WORKROOM_COORDINATOR.value
    ADMINISTRATOR = StaffRole.ADMINISTRATOR.value
    MEMBER = "member"
    DEPARTMENT_CLERK = "department_clerk"
    LEADER = "leader"
    SUPERUSER = "superuser"
    CITIZEN = "citizen"
    SYSTEM = "system"
    # Relations to one record, not positions: a workflow's `roles_of` grants them to the
    # person the record belongs to (who asked for a shift change, the member on duty for
    # a booking) and to the person it asks something of (the colleague asked to cover).
    OWNER = "owner"
    INVITEE = "invitee"


@dataclass(frozen=True)
class Access:
    is_superuser: bool = False
    staff: dict[int, frozenset[str]] = field(default_factory=dict)
    member_of: frozenset[int] = frozenset()
    leader_of: frozenset[int] = frozenset()
    # department id -> committee id
    clerk_of: dict[int, int] = field(default_factory=dict)

    @property
    def staff_committee_ids(self) -> frozenset[int]:
        return frozenset(self.staff)

    @property
    def committee_ids(self) -> frozenset[int]:
        """Committees the user works in, in any role."""
        return (
            self.staff_committee_ids
            | self.member_of
            | self.leader_of
            | frozenset(self.clerk_of.values())
        )

    def roles_in(self, committee_id: int) -> frozenset[Role]:
        roles: set[Role] = set()
        if self.is_superuser:
            roles.add(Role.SUPERUSER)
        if committee_id in self.staff:
            roles.add(Role.STAFF)
            roles.update(Role(r) for r in self.staff[committee_id])
        if committee_id in self.member_of:
            roles.add(Role.MEMBER)
        if committee_id in self.leader_of:
            roles.add(Role.LEADER)
        if committee_id in self.clerk_of.values():
            roles.add(Role.DEPARTMENT_CLERK)
        return frozenset(roles)

    def is_staff_of(self, committee_id: int, *roles: str) -> bool:
        held = self.staff.get(committee_id)
        if held is None:
            return False
        return not roles or bool(held & set(roles))

    def staff_ids_with(self, *roles: str) -> frozenset[int]:
        return frozenset(c for c in self.staff if self.is_staff_of(c, *roles))

    @property
    def home_role(self) -> Role | None:
        """The role the home page is built around, in order of precedence."""
        for role, held in (
            (Role.STAFF, bool(self.staff)),
            (Role.LEADER, bool(self.leader_of)),
            (Role.DEPARTMENT_CLERK, bool(self.clerk_of)),
            (Role.MEMBER, bool(self.member_of)),
            (Role.SUPERUSER, self.is_superuser),
        ):
            if held:
                return role
        return None


NO_ACCESS = Access()
_CACHE_ATTR = "_xieshang_access"


def access_for(user: Any) -> Access:
    """The user's positions, cached on the user object for the rest of the request."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_ACCESS
    cached: Access | None = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    staff: dict[int, set[str]] = {}
    for committee_id, role in StaffPosition.objects.filter(user=user).values_list(
        "committee_id", "role"
    ):
        staff.setdefault(committee_id, set()).add(role)
    access = Access(
        is_superuser=user.is_superuser,
        staff={c: frozenset(r) for c, r in staff.items()},
        member_of=frozenset(
            Member.objects.filter(user=user, is_active=True).values_list("committee_id", flat=True)
        ),
        leader_of=frozenset(
            LeaderPosition.objects.filter(user=user).values_list("committee_id", flat=True)
        ),
        clerk_of=dict(
            DepartmentClerk.objects.filter(user=user, department__is_active=True).values_list(
                "department_id", "department__committee_id"
            )
        ),
    )
    setattr(user, _CACHE_ATTR, access)
    return access


def forget_access(user: Any) -> None:
    """Drop the cached positions (after a service changed them)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
