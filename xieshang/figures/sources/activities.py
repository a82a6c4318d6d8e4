"""Duty activities (履职活动) recorded by the workrooms and the committee."""

from __future__ import annotations

from xieshang.activities.selectors import (
    activities_of_committees,
    participations_of_committees,
)
from xieshang.figures.registry import base, figure

SOURCE = "activities"
GROUP = "履职活动"

base(
    "activities",
    source=SOURCE,
    label="履职活动",
    records=activities_of_committees,
    date_field="date",
    workroom_field="workroom_id",
    columns=(
        ("日期", "date"),
        ("活动", "title"),
        ("类型", "kind__name"),
        ("平台", "workroom__name"),
        ("接待群众", "citizens_reached"),
        ("收集问题", "issues_collected"),
    ),
    detail="activities:detail",
    member_field="members",
)
base(
    "participations",
    source=SOURCE,
    label="委员参加活动",
    records=participations_of_committees,
    date_field="activity__date",
    committee_field="activity__committee_id",
    workroom_field="activity__workroom_id",
    columns=(
        ("日期", "activity__date"),
        ("活动", "activity__title"),
        ("委员", "member__user__name"),
    ),
    member_field="member_id",
)

figure(
    "activities_held",
    label="开展履职活动",
    definition="统计期内（以活动日期为准）记录的履职活动次数，计入记录它的政协。",
    base="activities",
    public=True,
    group=GROUP,
    source=SOURCE,
)
figure(
    "activity_attendance",
    label="委员参加活动人次",
    definition="统计期内履职活动的参加委员人次：一次活动的每位委员计一人次（进社区人次）。",
    base="participations",
    public=True,
    group=GROUP,
    source=SOURCE,
)
figure(
    "activity_citizens_reached",
    label="接待群众人次",
    definition="统计期内履职活动记录的“接待群众”人数之和。",
    base="activities",
    how="sum",
    of="citizens_reached",
    public=True,
    group=GROUP,
    source=SOURCE,
)
figure(
    "activity_issues_collected",
    label="收集问题建议",
    definition="统计期内履职活动记录的“收集问题”条数之和。",
    base="activities",
    how="sum",
    of="issues_collected",
    public=True,
    group=GROUP,
    source=SOURCE,
)
