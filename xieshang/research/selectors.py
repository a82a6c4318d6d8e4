"""Reads of research topics, scoped to what the user may see."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.activities.models import Activity
from xieshang.core.models import Committee, Event
from xieshang.people.access import access_for
from xieshang.people.models import Member
from xieshang.research.models import (
    Instruction,
    Material,
    Outcome,
    Report,
    ReportStatus,
    ResearchAction,
    Topic,
)


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


def materials_of(*, topic: Topic) -> QuerySet[Material]:
    """The material attached to a topic the user may see (read through `topic_get`)."""
    return Material.objects.filter(topic=topic).select_related("activity", "created_by")


def visits_of(*, topic: Topic) -> QuerySet[Activity]:
    """The topic's visits and meetings (duty activities), with who attended."""
    return (
        topic.activities.select_related("kind")
        .prefetch_related("members__user")
        .order_by("date", "id")
    )


def material_get(*, user: Any, pk: int) -> Material:
    """Material of a topic the user may see (for its file), or 404."""
    material = (
        Material.objects.filter(pk=pk, topic__in=topics_visible(user=user).values("pk"))
        .select_related("topic")
        .first()
    )
    if material is None:
        raise Http404(_("No such material, or it is not yours to see."))
    return material


def instruction_get(*, user: Any, pk: int) -> Instruction:
    """A leader's instruction on the report of a topic the user may see (for its scan)."""
    instruction = (
        Instruction.objects.filter(pk=pk, report__topic__in=topics_visible(user=user).values("pk"))
        .select_related("report")
        .first()
    )
    if instruction is None:
        raise Http404(_("No such instruction."))
    return instruction


def report_decision(*, report: Report) -> str:
    """The note the chairs' meeting's approval of the report was recorded with."""
    event = (
        Event.objects.for_object(report)
        .filter(action=ResearchAction.ADOPT)
        .order_by("-created_at", "-id")
        .first()
    )
    return event.note if event is not None else ""


def topic_events(*, topic: Topic, report: Report | None) -> list[Event]:
    """The topic's timeline: its own steps (set, visits, material, outcomes) and its
    report's, oldest first."""
    events = list(Event.objects.for_object(topic).select_related("actor"))
    if report is not None:
        events += list(Event.objects.for_object(report).select_related("actor"))
    return sorted(events, key=lambda e: (e.created_at, e.pk))


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
