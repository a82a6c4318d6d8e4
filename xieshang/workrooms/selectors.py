"""Reads of the workrooms app, each scoped to who is asking."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from xieshang.core.models import Committee
from xieshang.people.access import access_for
from xieshang.workrooms.models import ServicePoint, Workroom, WorkroomStatus


def workroom_visible_committee_ids(*, user: Any) -> frozenset[int] | None:
    """Committees whose workrooms the user may see in the workspace (None: all)."""
    access = access_for(user)
    if access.is_superuser:
        return None
    return access.staff_committee_ids | access.leader_of | access.member_of


def workroom_list(
    *,
    user: Any,
    kind: str = "",
    status: str = "",
    query: str = "",
    committee_id: int | None = None,
) -> QuerySet[Workroom]:
    ids = workroom_visible_committee_ids(user=user)
    qs = Workroom.objects.all() if ids is None else Workroom.objects.filter(committee_id__in=ids)
    if committee_id is not None:
        qs = qs.filter(committee_id=committee_id)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(address__icontains=query))
    return (
        qs.select_related("committee", "parent")
        .annotate(member_count=Count("memberships"))
        .order_by("committee__order", "committee_id", "kind", "id")
    )


def workroom_list_of_member(*, user: Any) -> QuerySet[Workroom]:
    """The workrooms the user sits in as a member."""
    return workroom_list(user=user).filter(memberships__member__user_id=user.pk).distinct()


def workroom_get(*, user: Any, pk: int) -> Workroom:
    """The workroom, if the user may see it; 404 otherwise, so ids of other committees'
    records reveal nothing."""
    try:
        return (
            workroom_list(user=user)
            .select_related("guiding_special_committee", "guiding_local_group")
            .get(pk=pk)
        )
    except Workroom.DoesNotExist:
        raise Http404(_("No such workroom, or it is not yours to see.")) from None


def workroom_list_public(*, committee: Committee) -> QuerySet[Workroom]:
    return (
        Workroom.objects.filter(committee=committee, status=WorkroomStatus.ACTIVE)
        .select_related("parent")
        .order_by("kind", "id")
    )


def workroom_get_public(*, code: str) -> Workroom:
    """An active workroom by its public code (the one in its QR code)."""
    try:
        return Workroom.objects.select_related("committee").get(
            code=code, status=WorkroomStatus.ACTIVE
        )
    except Workroom.DoesNotExist:
        raise Http404(_("No such workroom, or it is not open.")) from None


def service_point_list_public(*, committee: Committee) -> QuerySet[ServicePoint]:
    return ServicePoint.objects.filter(committee=committee, is_active=True)


def workroom_counts_for_staff(*, user: Any) -> dict[str, int]:
    """Workrooms in the user's staff committees by status, for the home page."""
    access = access_for(user)
    rows = (
        Workroom.objects.filter(committee_id__in=access.staff_committee_ids)
        .values("status")
        .annotate(n=Count("id"))
    )
    counts = {s.value: 0 for s in WorkroomStatus}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts
