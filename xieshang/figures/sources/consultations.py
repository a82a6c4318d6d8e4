"""Consultations (协商议事): topics consulted, events, participants, opinions formed, sent
to departments, replied and adopted."""

from __future__ import annotations

from django.db.models import Q

from xieshang.consultations.models import Adoption, SendingStatus
from xieshang.consultations.selectors import (
    meetings_of_committees,
    opinions_of_committees,
    sendings_of_committees,
)
from xieshang.figures.registry import base, figure

SOURCE = "consultations"
GROUP = "协商议事"

base(
    "consultation_meetings",
    source=SOURCE,
    label="协商活动",
    records=meetings_of_committees,
    date_field="date",
    committee_field="topic__committee_id",
    columns=(
        ("日期", "date"),
        ("议题", "topic__title"),
        ("形式", "kind"),
        ("地点", "place"),
        ("参加人数", "participant_count"),
    ),
)
base(
    "consultation_opinions",
    source=SOURCE,
    label="协商意见",
    records=opinions_of_committees,
    date_field="created_at",
    committee_field="topic__committee_id",
    columns=(
        ("议题", "topic__title"),
        ("类别", "category"),
        ("记录时间", "created_at"),
    ),
)
base(
    "consultation_sendings",
    source=SOURCE,
    label="协商意见交办",
    records=sendings_of_committees,
    date_field="created_at",
    columns=(
        ("议题", "opinion__topic__title"),
        ("承办单位", "department__name"),
        ("交办时间", "created_at"),
        ("状态", "status"),
        ("落实情况", "adoption"),
    ),
    detail="consultations:sending",
)

REPLIED = Q(status__in=[SendingStatus.REPLIED, SendingStatus.APPROVED])
ADOPTED = Q(adoption__in=[Adoption.ADOPTED, Adoption.PARTLY])

figure(
    "consultation_topics_held",
    label="开展协商议事",
    definition="统计期内至少开过一次协商会议或视察（以活动日期为准）的协商议题数，计入议题所属的政协。",
    base="consultation_meetings",
    of="topic_id",
    public=True,
    group=GROUP,
    source=SOURCE,
)
figure(
    "consultation_events",
    label="协商活动场次",
    definition="统计期内（以活动日期为准）记录的协商会议、视察调研等活动场次。",
    base="consultation_meetings",
    public=True,
    group=GROUP,
    source=SOURCE,
)
figure(
    "consultation_participants",
    label="参加协商人次",
    definition="统计期内协商活动记录的参加人数之和（委员、部门负责人、群众代表、专家）。",
    base="consultation_meetings",
    how="sum",
    of="participant_count",
    public=True,
    group=GROUP,
    source=SOURCE,
)
figure(
    "consultation_opinions_formed",
    label="形成协商意见",
    definition="统计期内（以记录时间为准）整理形成的协商意见条数。",
    base="consultation_opinions",
    public=True,
    group=GROUP,
    source=SOURCE,
)
figure(
    "consultation_opinions_sent",
    label="交办部门落实",
    definition="统计期内（以交办时间为准）交办职能部门的协商意见条数；一条意见交多个部门只计一条。",
    base="consultation_sendings",
    of="opinion_id",
    group=GROUP,
    source=SOURCE,
)
figure(
    "consultation_sendings_replied",
    label="部门答复",
    definition="统计期内交办的协商意见中，部门已答复（含待审核）的件次，一个部门计一次。",
    base="consultation_sendings",
    where=REPLIED,
    group=GROUP,
    source=SOURCE,
)
figure(
    "consultation_sendings_adopted",
    label="采纳落实",
    definition="统计期内交办的协商意见中，部门答复为“已采纳落实”或“正在落实”的件次。",
    base="consultation_sendings",
    where=REPLIED & ADOPTED,
    public=True,
    group=GROUP,
    source=SOURCE,
)
figure(
    "consultation_adoption_rate",
    label="协商意见采纳率",
    definition="采纳落实件次 ÷ 部门答复件次。",
    how="ratio",
    numerator="consultation_sendings_adopted",
    denominator="consultation_sendings_replied",
    group=GROUP,
    source=SOURCE,
)
