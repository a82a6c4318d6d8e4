"""Reads of the activities app, each scoped to who is asking."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Min, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from xieshang.activities.models import Activity, ActivityKind, ActivityPhoto
from xieshang.core.models import Committee
from xieshang.people.access import access_for
from xieshang.people.models import Member
from xieshang.workrooms.models import Workroom
from xieshang.workrooms.selectors import workroom_visible_committee_ids

# --- Duty activities (履职活动) ----------------------------------------------------------


@dataclass(frozen=True)
class ActivityFilter:
    committee_id: int | None = None
    kind: str = ""  # a kind's name: kinds are per committee, the figures add up by name
    workroom_id: int | None = None
    member_id: int | None = None
    since: date | None = None
    until: date | None = None
    query: str = ""


@dataclass(frozen=True)
class KindTotal:
    kind: str
    activities: int
    participations: int
    citizens: int
    issues: int


def activity_visible_committee_ids(*, user: Any) -> frozenset[int] | None:
    """Committees whose activities the user may see (None: all)."""
    return workroom_visible_committee_ids(user=user)


def activity_list(*, user: Any, filters: ActivityFilter = ActivityFilter()) -> QuerySet[Activity]:
    """Activities of the user's committees (staff, members, leaders), filtered."""
    ids = activity_visible_committee_ids(user=user)
    qs = Activity.objects.all() if ids is None else Activity.objects.filter(committee_id__in=ids)
    f = filters
    if f.committee_id is not None:
        qs = qs.filter(committee_id=f.committee_id)
    if f.kind:
        qs = qs.filter(kind__name=f.kind)
    if f.workroom_id is not None:
        qs = qs.filter(workroom_id=f.workroom_id)
    if f.member_id is not None:
        qs = qs.filter(
            pk__in=Activity.members.through.objects.filter(member_id=f.member_id).values(
                "activity_id"
            )
        )
    if f.since is not None:
        qs = qs.filter(date__gte=f.since)
    if f.until is not None:
        qs = qs.filter(date__lte=f.until)
    if f.query:
        qs = qs.filter(Q(title__icontains=f.query) | Q(note__icontains=f.query))
    return qs.select_related("committee", "kind", "workroom", "recorded_by").order_by(
        "-date", "-id"
    )


def activity_totals(activities: QuerySet[Activity]) -> list[KindTotal]:
    """Per kind: activities, member participations (人次), citizens reached and issues
    collected — the figures the committees publish — over the given rows."""
    rows = Activity.objects.filter(pk__in=activities.values("pk"))
    sums = (
        rows.values("kind__name")
        .annotate(
            n=Count("id"),
            citizens=Sum("citizens_reached"),
            issues=Sum("issues_collected"),
            first=Min("kind__order"),
        )
        .order_by("first", "kind__name")
    )
    taking_part = {
        row["activity__kind__name"]: row["n"]
        for row in Activity.members.through.objects.filter(activity__in=rows)
        .values("activity__kind__name")
        .annotate(n=Count("id"))
    }
    return [
        KindTotal(
            kind=row["kind__name"],
            activities=row["n"],
            participations=taking_part.get(row["kind__name"], 0),
            citizens=row["citizens"] or 0,
            issues=row["issues"] or 0,
        )
        for row in sums
    ]


def activity_get(*, user: Any, pk: int) -> Activity:
    try:
        return activity_list(user=user).get(pk=pk)
    except Activity.DoesNotExist:
        raise Http404(_("No such activity, or it is not yours to see.")) from None


def activity_photo_get(*, user: Any, pk: int) -> ActivityPhoto:
    """A photo of an activity the user may see; 404 otherwise (photos show people)."""
    photo = (
        ActivityPhoto.objects.filter(pk=pk, activity__in=activity_list(user=user).values("pk"))
        .select_related("activity")
        .first()
    )
    if photo is None:
        raise Http404(_("No such photo, or it is not yours to see."))
    return photo


def workroom_activity_log(*, workroom: Workroom, limit: int = 20) -> list[Activity]:
    """The workroom's latest activities with their members (the caller has checked that
    the user may see the workroom, or that it is public)."""
    return list(
        Activity.objects.filter(workroom=workroom)
        .select_related("kind")
        .prefetch_related(Prefetch("members", queryset=Member.objects.select_related("user")))
        .order_by("-date", "-id")[:limit]
    )


def activity_kinds_of(*, committee_id: int, keep: Activity | None = None) -> QuerySet[ActivityKind]:
    """The committee's kinds in use; with `keep`, also that activity's own kind, even if
    retired since, so correcting an old record does not force a new kind on it."""
    in_use = Q(is_active=True)
    if keep is not None:
        in_use |= Q(pk=keep.kind_id)
    return ActivityKind.objects.filter(in_use, committee_id=committee_id).order_by("order", "id")


def activity_members_of(*, committee_id: int, keep: Activity | None = None) -> QuerySet[Member]:
    """The committee's serving members, who may be named as taking part; with `keep`,
    also the members that activity already names, even if they have left since."""
    serving = Q(is_active=True)
    if keep is not None:
        serving |= Q(pk__in=keep.members.values("pk"))
    return (
        Member.objects.filter(serving, committee_id=committee_id)
        .select_related("user")
        .order_by("user__name", "id")
    )


def activity_committees(*, user: Any) -> QuerySet[Committee]:
    """Committees the user may record activities for: where they are staff or member."""
    access = access_for(user)
    qs = Committee.objects.all()
    if not access.is_superuser:
        qs = qs.filter(pk__in=access.staff_committee_ids | access.member_of)
    return qs.order_by("order", "id")


# --- Facts for the duty record (履职档案, the performance app) ---------------------------


def activity_participations(
    *, committee_id: int, year: int
) -> list[tuple[int, int, str, date, bool, str]]:
    """Every member's part in the committee's activities of the year: rows
    `(member_id, activity_id, title, date, in_a_workroom, kind name)`. Not scoped to a
    user: the point computation shows them only to whom may see them."""
    through = Activity.members.through
    rows = (
        through.objects.filter(activity__committee_id=committee_id, activity__date__year=year)
        .order_by("activity__date", "activity_id")
        .values_list(
            "member_id",
            "activity_id",
            "activity__title",
            "activity__date",
            "activity__workroom_id",
            "activity__kind__name",
        )
    )
    return [(m, pk, t, d, w is not None, k) for m, pk, t, d, w, k in rows]


# --- For the figures (履职成效): records of committees, read-only --------------------------
# The figures app has checked that the user may see these committees' figures.


def activities_of_committees(ids: Sequence[int]) -> QuerySet[Activity]:
    """Duty activities the committees recorded."""
    return Activity.objects.filter(committee_id__in=list(ids))


def participations_of_committees(ids: Sequence[int]) -> QuerySet[Any]:
    """One row per member taking part in one of the committees' activities (人次)."""
    return Activity.members.through.objects.filter(activity__committee_id__in=list(ids))
