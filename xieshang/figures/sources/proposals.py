"""Proposals (提案): submitted, accepted, key, replied, satisfaction."""

from __future__ import annotations

from django.db.models import F, Q

from xieshang.figures.registry import base, figure
from xieshang.proposals.models import (
    AssignmentStatus,
    Grade,
    KeyStatus,
    ProposalStatus,
    Satisfaction,
)
from xieshang.proposals.selectors.figures import (
    key_proposals_of_committees,
    proposals_of_committees,
    ratings_of_committees,
    replies_of_committees,
)

SOURCE = "proposals"
GROUP = "提案"

base(
    "proposals",
    source=SOURCE,
    label="提案",
    records=proposals_of_committees,
    date_field="submitted_at",
    columns=(
        ("编号", "number"),
        ("案由", "title"),
        ("提交时间", "submitted_at"),
        ("状态", "status"),
    ),
    detail="proposals:review_detail",
    member_field="lead_id",
)
base(
    "key_proposals",
    source=SOURCE,
    label="重点提案",
    records=key_proposals_of_committees,
    date_field="proposal__submitted_at",
    columns=(("编号", "proposal__number"), ("案由", "proposal__title"), ("状态", "status")),
    detail="proposals:key_detail",
    member_field="proposal__lead_id",
)
base(
    "replies",
    source=SOURCE,
    label="提案答复",
    records=replies_of_committees,
    date_field="sent_at",
    committee_field="assignment__committee_id",
    columns=(
        ("案由", "assignment__proposal__title"),
        ("承办单位", "assignment__department__name"),
        ("答复时间", "sent_at"),
        ("办理期限", "assignment__deadline"),
        ("等级", "grade"),
    ),
    member_field="assignment__proposal__lead_id",
)
base(
    "ratings",
    source=SOURCE,
    label="提案者评价",
    records=ratings_of_committees,
    date_field="created_at",
    committee_field="proposal__committee_id",
    columns=(
        ("案由", "proposal__title"),
        ("评价时间", "created_at"),
        ("评价", "value"),
    ),
)

SUBMITTED = ~Q(status__in=[ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN])
ACCEPTED_STATES = [
    ProposalStatus.ACCEPTED,
    ProposalStatus.ASSIGNED,
    ProposalStatus.HANDLING,
    ProposalStatus.REPLIED,
    ProposalStatus.REHANDLING,
    ProposalStatus.CLOSED,
]
figure(
    "proposals_submitted",
    label="提交提案",
    definition="统计期内提交（以提交时间 submitted_at 为准）且未撤回的提案件数，含不立案、并案的；"
    "草稿不计。联名提案只计一件，计入提交到的政协。",
    base="proposals",
    where=SUBMITTED,
    public=True,
    group=GROUP,
    source=SOURCE,
)
figure(
    "proposals_accepted",
    label="立案",
    definition="统计期内提交的提案中，已立案（立案、交办、办理、已答复、重办、办结各状态）的件数。",
    base="proposals",
    where=Q(status__in=ACCEPTED_STATES),
    public=True,
    group=GROUP,
    source=SOURCE,
)
figure(
    "proposals_not_accepted",
    label="不立案",
    definition="统计期内提交的提案中，状态为“不立案”的件数（转为意见建议或社情民意的也在内）。",
    base="proposals",
    where=Q(status=ProposalStatus.NOT_ACCEPTED),
    group=GROUP,
    source=SOURCE,
)
figure(
    "proposals_merged",
    label="并案",
    definition="统计期内提交的提案中，并入其他提案办理的件数。",
    base="proposals",
    where=Q(status=ProposalStatus.MERGED),
    group=GROUP,
    source=SOURCE,
)
figure(
    "proposals_from_suggestions",
    label="由百姓提案培育的提案",
    definition="统计期内提交的提案中，由百姓提案培育而来（from_suggestion 有值）的件数；"
    "计入提案提交到的政协，百姓提案来自哪个政协不论。",
    base="proposals",
    where=SUBMITTED & Q(from_suggestion__isnull=False),
    public=True,
    group=GROUP,
    source=SOURCE,
)
figure(
    "proposals_key",
    label="重点提案",
    definition="统计期内提交的提案中，经主席会议确定为重点提案的件数。",
    base="key_proposals",
    where=Q(status=KeyStatus.CHOSEN),
    public=True,
    group=GROUP,
    source=SOURCE,
)
figure(
    "proposals_replied",
    label="已答复提案",
    definition="统计期内提交的提案中，目前状态为“已答复”“重办”或“办结”的件数。",
    base="proposals",
    where=Q(status__in=[ProposalStatus.REPLIED, ProposalStatus.REHANDLING, ProposalStatus.CLOSED]),
    public=True,
    group=GROUP,
    source=SOURCE,
)
figure(
    "proposals_rehandling",
    label="重办中",
    definition="统计期内提交的提案中，目前状态为“重办”的件数。",
    base="proposals",
    where=Q(status=ProposalStatus.REHANDLING),
    group=GROUP,
    source=SOURCE,
)
SENT = Q(assignment__status=AssignmentStatus.REPLIED, sent_at__isnull=False)
figure(
    "replies_sent",
    label="部门答复件",
    definition="统计期内（以答复发出时间 sent_at 为准）承办单位负责人审定发出的答复件数；"
    "主办、会办、分办各自的答复各计一件。",
    base="replies",
    where=SENT,
    group=GROUP,
    source=SOURCE,
)
figure(
    "replies_on_time",
    label="按期答复件",
    definition="统计期内发出的答复中，发出时间不晚于该交办的答复期限的件数。",
    base="replies",
    where=SENT & Q(sent_at__lte=F("assignment__deadline")),
    group=GROUP,
    source=SOURCE,
)
figure(
    "replies_on_time_rate",
    label="按期答复率",
    definition="按期答复件 ÷ 部门答复件，百分比。",
    how="ratio",
    numerator="replies_on_time",
    denominator="replies_sent",
    public=True,
    group=GROUP,
    source=SOURCE,
)
for _grade in Grade.values:
    figure(
        f"replies_grade_{_grade.lower()}",
        label=f"{_grade}类答复",
        definition=f"统计期内发出的答复中，答复等级为 {_grade} 的件数。",
        base="replies",
        where=SENT & Q(grade=_grade),
        group=GROUP,
        source=SOURCE,
    )
figure(
    "ratings_given",
    label="提案者评价",
    definition="统计期内（以评价时间为准）提案者（领衔人和确认的联名人）给出的评价条数；每人每轮一条。",
    base="ratings",
    group=GROUP,
    source=SOURCE,
)
figure(
    "ratings_satisfied",
    label="满意或基本满意评价",
    definition="统计期内的评价中，为“满意”或“基本满意”的条数。",
    base="ratings",
    where=Q(value__in=[Satisfaction.SATISFIED, Satisfaction.BASICALLY]),
    group=GROUP,
    source=SOURCE,
)
figure(
    "proposals_satisfaction_rate",
    label="提案办理满意率",
    definition="满意或基本满意评价 ÷ 提案者评价，百分比。",
    how="ratio",
    numerator="ratings_satisfied",
    denominator="ratings_given",
    public=True,
    group=GROUP,
    source=SOURCE,
)
