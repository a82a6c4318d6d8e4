"""`people.access`: the one place that turns positions into roles (issue 14, item 8)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xieshang.conftest import Cast, make_staff, make_user
from xieshang.people.access import NO_ACCESS, Role, access_for, forget_access
from xieshang.people.models import (
    DepartmentClerk,
    LeaderPosition,
    LeaderTitle,
    Member,
    StaffPosition,
    StaffRole,
)

pytestmark = pytest.mark.django_db


def test_each_position_gives_its_role_in_its_committee_only(cast: Cast) -> None:
    tianhe, haizhu = cast.tianhe.pk, cast.haizhu.pk
    assert access_for(cast.staff).roles_in(tianhe) == {Role.STAFF, *map(Role, StaffRole.values)}
    assert access_for(cast.member).roles_in(tianhe) == {Role.MEMBER}
    assert access_for(cast.clerk).roles_in(tianhe) == {Role.DEPARTMENT_CLERK}
    assert access_for(cast.leader).roles_in(tianhe) == {Role.LEADER}
    for user in (cast.staff, cast.member, cast.clerk, cast.leader):
        assert access_for(user).roles_in(haizhu) == frozenset(), user.username
    assert access_for(cast.superuser).roles_in(haizhu) == {Role.SUPERUSER}
    assert access_for(cast.outsider).committee_ids == {haizhu}
    assert access_for(cast.clerk).committee_ids == {tianhe}


def test_a_staff_sub_role_is_checked_by_name(cast: Cast) -> None:
    liaison = make_staff("t.liaison", "联络委", cast.tianhe, StaffRole.LIAISON_OFFICE)
    access = access_for(liaison)
    assert access.is_staff_of(cast.tianhe.pk)
    assert access.is_staff_of(cast.tianhe.pk, StaffRole.LIAISON_OFFICE)
    assert not access.is_staff_of(cast.tianhe.pk, StaffRole.PROPOSAL_OFFICE)
    assert access.is_staff_of(cast.tianhe.pk, StaffRole.PROPOSAL_OFFICE, StaffRole.LIAISON_OFFICE)
    assert not access.is_staff_of(cast.haizhu.pk)
    assert access.staff_ids_with(StaffRole.LIAISON_OFFICE) == {cast.tianhe.pk}
    assert access.staff_ids_with(StaffRole.ADMINISTRATOR) == frozenset()
    assert access.roles_in(cast.tianhe.pk) == {Role.STAFF, Role.LIAISON_OFFICE}


def test_the_home_role_follows_the_order_of_precedence(cast: Cast) -> None:
    assert access_for(cast.staff).home_role == Role.STAFF
    assert access_for(cast.leader).home_role == Role.LEADER
    assert access_for(cast.clerk).home_role == Role.DEPARTMENT_CLERK
    assert access_for(cast.member).home_role == Role.MEMBER
    assert access_for(cast.superuser).home_role == Role.SUPERUSER
    assert access_for(make_user("nobody", "无职务")).home_role is None
    # A member who also leads: the leader's home comes first.
    LeaderPosition.objects.create(
        user=cast.member, committee=cast.tianhe, title=LeaderTitle.CPPCC_CHAIR
    )
    forget_access(cast.member)
    assert access_for(cast.member).home_role == Role.LEADER


def test_no_role_for_the_anonymous_the_inactive_and_what_ended(cast: Cast) -> None:
    assert access_for(None) is NO_ACCESS
    assert access_for(AnonymousUser()) is NO_ACCESS
    cast.staff.is_active = False
    assert access_for(cast.staff) is NO_ACCESS
    # A seat no longer served and a department closed give nothing.
    Member.objects.filter(user=cast.member).update(is_active=False)
    assert access_for(cast.member).member_of == frozenset()
    department = DepartmentClerk.objects.get(user=cast.clerk).department
    department.is_active = False
    department.save()
    assert access_for(cast.clerk).clerk_of == {}


def test_positions_are_read_once_per_user_object_until_forgotten(cast: Cast) -> None:
    with CaptureQueriesContext(connection) as first:
        access_for(cast.staff)
    assert 1 <= len(first) <= 4
    with CaptureQueriesContext(connection) as again:
        before = access_for(cast.staff)
    assert len(again) == 0
    StaffPosition.objects.filter(user=cast.staff).delete()
    assert access_for(cast.staff) is before  # still the cached one
    forget_access(cast.staff)
    assert access_for(cast.staff).staff == {}
    forget_access(cast.staff)
    forget_access(cast.staff)  # forgetting twice is harmless
