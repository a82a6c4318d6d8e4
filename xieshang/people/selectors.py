"""Reads of the people app, each scoped to who is asking."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from xieshang.core.models import Committee
from xieshang.people.access import access_for
from xieshang.people.models import Department, LocalGroup, Member, Sector, SpecialCommittee


def _directory_committee_ids(user: Any) -> frozenset[int] | None:
    access = access_for(user)
    if access.is_superuser:
        return None
    return access.staff_committee_ids | access.leader_of


def member_list(*, user: Any, query: str = "", sector_id: int | None = None) -> QuerySet[Member]:
    """Members of the committees the user staffs or leads."""
    ids = _directory_committee_ids(user)
    qs = Member.objects.all() if ids is None else Member.objects.filter(committee_id__in=ids)
    if query:
        qs = qs.filter(
            Q(user__name__icontains=query)
            | Q(employer__icontains=query)
            | Q(sector__name__icontains=query)
        )
    if sector_id is not None:
        qs = qs.filter(sector_id=sector_id)
    return qs.select_related("user", "committee", "sector", "local_group").order_by(
        "committee", "role", "user__name"
    )


def department_list(*, user: Any) -> QuerySet[Department]:
    ids = _directory_committee_ids(user)
    qs = (
        Department.objects.all() if ids is None else Department.objects.filter(committee_id__in=ids)
    )
    return qs.select_related("committee").order_by("committee", "kind", "id")


def member_seats_of(*, user: Any) -> QuerySet[Member]:
    """The user's own seats (a city member may also sit in a district)."""
    return Member.objects.filter(user=user, is_active=True).select_related("committee")


def committee_list_for_user(*, user: Any) -> QuerySet[Committee]:
    """Committees the user works in, in any role (all of them for a superuser)."""
    access = access_for(user)
    qs = Committee.objects.all()
    return qs if access.is_superuser else qs.filter(pk__in=access.committee_ids)


def member_groups(*, committee_id: int) -> list[Member]:
    """A committee's members with what they are ranked within (sector, local group,
    special committees) loaded: for the duty record's rankings. Not scoped to a user:
    the caller shows the results only to the committee's staff."""
    return list(
        Member.objects.filter(committee_id=committee_id)
        .select_related("user", "sector", "local_group")
        .prefetch_related("special_committees")
        .order_by("user__name", "id")
    )


# The groups a member belongs to, by kind: 界别, 专委会, 委员小组.
GROUP_MODELS: dict[str, type[Sector] | type[SpecialCommittee] | type[LocalGroup]] = {
    "sector": Sector,
    "special": SpecialCommittee,
    "local": LocalGroup,
}


def member_groups_of_committees(
    ids: Iterable[int],
) -> list[tuple[str, Sector | SpecialCommittee | LocalGroup]]:
    """The sectors, special committees and local groups of the committees, by kind."""
    found: list[tuple[str, Sector | SpecialCommittee | LocalGroup]] = []
    for kind, model in GROUP_MODELS.items():
        rows = model.objects.filter(committee_id__in=list(ids)).order_by("committee_id", "name")
        found.extend((kind, row) for row in rows)
    return found


def member_ids_of_group(kind: str, pk: int) -> list[int]:
    """The members of a sector, special committee or local group (serving or not)."""
    lookup = {"sector": "sector_id", "special": "special_committees", "local": "local_group_id"}
    return list(
        Member.objects.filter(**{lookup[kind]: pk}).order_by("pk").values_list("pk", flat=True)
    )
