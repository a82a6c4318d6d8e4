"""Reads of research topics, scoped to what the user may see."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.models import Committee
from xieshang.people.access import access_for
from xieshang.people.models import Member
from xieshang.research.models import Instruction, Outcome, Report, ReportStatus, Topic


def topics_visible(*, user: Any, year: int | None = None) -> QuerySet[Topic]:
    """The committee's topics for its staff and leaders, a group's topics for its members,
    the joint topics of the committees below for the upper committee's staff."""
    if not getattr(user, "is_authenticated", False):
        return Topic.objects.none()
    access = access_for(user)
    whole = access.staff_committee_ids | access.leader_of
    ids = Topic.objects.filter(
        Q(committee_id__in=whole)
        | Q(members__user=user)
        | Q(joint_with_upper=True, committee__parent_id__in=access.staff_committee_ids)
    ).values("pk")
    qs = Topic.objects.filter(pk__in=ids).select_related("committee", "report")
    if year is not None:
        qs = qs.filter(year=year)
    return qs


def topic_get(*, user: Any, pk: int) -> Topic:
    topic = topics_visible(user=user).filter(pk=pk).first()
    if topic is None:
        raise Http404(_("No such research topic."))
    return topic


def members_of(committee_id: int) -> QuerySet[Member]:
    return Member.objects.filter(committee_id=committee_id, is_active=True).select_related("user")


def report_of(*, topic: Topic) -> Report | None:
    """The topic's report, if one was handed in (the topic was read through `topic_get`)."""
    return Report.objects.filter(topic=topic).first()


def staff_committees(user: Any) -> QuerySet[Committee]:
    """The committees the user is staff of: where they may set research topics."""
    return Committee.objects.filter(pk__in=access_for(user).staff_committee_ids)


# --- for the figures app: the committees' records, unscoped (figures scopes by committee) ---


def topics_of_committees(ids: Sequence[int]) -> QuerySet[Topic]:
    """Research topics (调研课题) the committees set."""
    return Topic.objects.filter(committee_id__in=list(ids))


def reports_of_committees(ids: Sequence[int]) -> QuerySet[Report]:
    """Research reports of the committees' topics."""
    return Report.objects.filter(committee_id__in=list(ids))


def instructions_of_committees(ids: Sequence[int]) -> QuerySet[Instruction]:
    """Leaders' instructions (批示) on the committees' research reports."""
    return Instruction.objects.filter(report__committee_id__in=list(ids))


def outcomes_of_committees(ids: Sequence[int]) -> QuerySet[Outcome]:
    """What the committees' research led to (a proposal, a consultation, a policy)."""
    return Outcome.objects.filter(topic__committee_id__in=list(ids))


# --- for the performance app: members' duty records, unscoped (it scopes by committee) ---


def group_members_of_year(*, committee_id: int, year: int) -> list[tuple[int, int, str, date]]:
    """Members of the groups (课题组) of the committee's research topics of the year: rows
    `(member_id, topic_id, topic title, date the topic was set)`, for the duty record."""
    rows = (
        Topic.members.through.objects.filter(topic__committee_id=committee_id, topic__year=year)
        .order_by("topic_id", "member_id")
        .values_list("member_id", "topic_id", "topic__title", "topic__created_at")
    )
    out = []
    for member_id, topic_id, title, created_at in rows:
        day = timezone.localdate(created_at)
        out.append((member_id, topic_id, title, day if day.year == year else date(year, 1, 1)))
    return out


def group_reports_adopted_of_year(
    *, committee_id: int, year: int
) -> list[tuple[int, int, str, date]]:
    """Reports approved in the year of the committee's research topics: one row per member
    of the topic's group `(member_id, report_id, report title, day approved)`."""
    reports = Report.objects.filter(
        committee_id=committee_id, status=ReportStatus.ADOPTED, adopted_at__year=year
    ).order_by("adopted_at", "id")
    groups = Topic.members.through.objects.filter(topic__report__in=reports)
    members: dict[int, list[int]] = {}
    for topic_id, member_id in groups.order_by("member_id").values_list("topic_id", "member_id"):
        members.setdefault(topic_id, []).append(member_id)
    return [
        (member_id, r.pk, r.title, timezone.localdate(r.adopted_at))
        for r in reports
        if r.adopted_at is not None
        for member_id in members.get(r.topic_id, [])
    ]
