"""Research (调研): topics set, reports approved, leaders' instructions, what came of it."""

from __future__ import annotations

from django.db.models import Q

from xieshang.figures.registry import base, figure
from xieshang.research.models import ReportStatus
from xieshang.research.selectors import (
    instructions_of_committees,
    outcomes_of_committees,
    reports_of_committees,
    topics_of_committees,
)

SOURCE = "research"
GROUP = "调研"

base(
    "research_topics",
    source=SOURCE,
    label="调研课题",
    records=topics_of_committees,
    date_field="created_at",
    columns=(
        ("年度", "year"),
        ("课题", "title"),
        ("牵头", "lead"),
        ("重点课题", "is_key"),
        ("联合调研", "joint_with_upper"),
    ),
    detail="research:topic",
)
base(
    "research_reports",
    source=SOURCE,
    label="调研报告",
    records=reports_of_committees,
    date_field="adopted_at",
    columns=(("报告", "title"), ("状态", "status"), ("通过时间", "adopted_at")),
)
base(
    "research_instructions",
    source=SOURCE,
    label="调研成果批示",
    records=instructions_of_committees,
    date_field="date",
    committee_field="report__committee_id",
    columns=(
        ("报告", "report__title"),
        ("批示领导", "leader"),
        ("层级", "level"),
        ("日期", "date"),
    ),
)
base(
    "research_outcomes",
    source=SOURCE,
    label="调研成果转化",
    records=outcomes_of_committees,
    date_field="date",
    committee_field="topic__committee_id",
    columns=(("课题", "topic__title"), ("成果", "kind"), ("内容", "text"), ("日期", "date")),
)

figure(
    "research_topics_set",
    label="开展调研课题",
    definition="统计期内（以立项时间为准）确定的调研课题数，含与上级政协联合调研的课题。",
    base="research_topics",
    public=True,
    group=GROUP,
    source=SOURCE,
)
figure(
    "research_key_topics",
    label="重点调研课题",
    definition="统计期内确定的调研课题中列为重点调研课题的个数。",
    base="research_topics",
    where=Q(is_key=True),
    group=GROUP,
    source=SOURCE,
)
figure(
    "research_reports_adopted",
    label="调研报告通过",
    definition="统计期内（以通过时间为准）经主席会议审议通过的调研报告篇数。",
    base="research_reports",
    where=Q(status=ReportStatus.ADOPTED),
    public=True,
    group=GROUP,
    source=SOURCE,
)
figure(
    "research_reports_instructed",
    label="获领导批示报告",
    definition="统计期内（以批示日期为准）获得领导批示的调研报告篇数；一篇多次批示只计一篇。",
    base="research_instructions",
    of="report_id",
    public=True,
    group=GROUP,
    source=SOURCE,
)
figure(
    "research_outcomes_recorded",
    label="调研成果转化",
    definition="统计期内（以日期为准）记录的调研成果转化：形成提案、协商建议、社情民意信息、被采纳为政策等，每项计一次。",
    base="research_outcomes",
    public=True,
    group=GROUP,
    source=SOURCE,
)
