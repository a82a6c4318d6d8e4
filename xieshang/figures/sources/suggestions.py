"""Citizen suggestions (百姓提案): what was received, and what became of it."""

from __future__ import annotations

from django.db.models import F, Q

from xieshang.core.models import CommitteeLevel
from xieshang.figures.registry import base, figure
from xieshang.suggestions.models import (
    Channel,
    DispositionKind,
    Rating,
    ReferralStatus,
    Source,
    SuggestionStatus,
)
from xieshang.suggestions.selectors import (
    dispositions_of_committees,
    escalations_to_committees,
    referrals_of_committees,
    suggestions_of_committees,
)

SOURCE = "suggestions"
GROUP = "百姓提案"

base(
    "suggestions",
    source=SOURCE,
    label="百姓提案",
    records=suggestions_of_committees,
    date_field="created_at",
    workroom_field="workroom_id",
    columns=(("标题", "title"), ("提交时间", "created_at"), ("状态", "status")),
    detail="suggestions:detail",
)
base(
    "dispositions",
    source=SOURCE,
    label="百姓提案的处理",
    records=dispositions_of_committees,
    date_field="suggestion__created_at",
    committee_field="suggestion__committee_id",
    workroom_field="suggestion__workroom_id",
    columns=(
        ("百姓提案", "suggestion__title"),
        ("提交时间", "suggestion__created_at"),
        ("处理方式", "kind"),
    ),
)
base(
    "referrals",
    source=SOURCE,
    label="转办",
    records=referrals_of_committees,
    date_field="created_at",
    workroom_field="suggestion__workroom_id",
    columns=(
        ("百姓提案", "suggestion__title"),
        ("承办单位", "department__name"),
        ("转办时间", "created_at"),
        ("办理期限", "deadline"),
        ("答复时间", "replied_at"),
    ),
    detail="suggestions:referral",
)
base(
    "escalations",
    source=SOURCE,
    label="报送上级",
    records=escalations_to_committees,
    date_field="created_at",
    columns=(
        ("百姓提案", "suggestion__title"),
        ("来自", "suggestion__committee__short_name"),
        ("报送时间", "created_at"),
        ("状态", "status"),
    ),
)

figure(
    "suggestions_received",
    label="收到百姓提案",
    definition="统计期内提交（以提交时间 created_at 为准）的百姓提案件数，"
    "含后来被合并、不予受理的；计入受理它的政协。",
    base="suggestions",
    public=True,
    group=GROUP,
    source=SOURCE,
)
SOURCE_LABELS = {
    Source.WEB: "政协网页提交",
    Source.WORKROOM: "工作室二维码提交",
    Source.CAMPAIGN: "征集活动提交",
    Source.ON_BEHALF: "工作人员代为录入",
}
for _source, _label in SOURCE_LABELS.items():
    figure(
        f"suggestions_source_{_source}",
        label=_label,
        definition=f"统计期内提交的百姓提案中，来源为“{_label}”的件数。",
        base="suggestions",
        where=Q(source=_source),
        group=GROUP,
        source=SOURCE,
    )
CHANNEL_LABELS = {
    Channel.ONLINE: "网上",
    Channel.VISIT: "来访",
    Channel.PHONE: "来电",
    Channel.FIELD_VISIT: "走访",
    Channel.CLOUD: "云工作室",
}
for _channel, _label in CHANNEL_LABELS.items():
    figure(
        f"suggestions_channel_{_channel}",
        label=f"渠道：{_label}",
        definition=f"统计期内提交的百姓提案中，渠道为“{_label}”的件数。",
        base="suggestions",
        where=Q(channel=_channel),
        group=GROUP,
        source=SOURCE,
    )

DISPOSITION_LABELS = {
    DispositionKind.MEMBER_CLAIM: "委员认领培育为提案",
    DispositionKind.OPINION: "转为社情民意信息",
    DispositionKind.TOPIC: "列为协商议题",
    DispositionKind.REFERRAL: "转交职能部门办理",
    DispositionKind.ESCALATION: "报送上级政协",
    DispositionKind.ANSWER: "直接答复",
    DispositionKind.MERGE: "合并办理",
    DispositionKind.REJECT: "不予受理",
}
for _kind, _label in DISPOSITION_LABELS.items():
    figure(
        f"suggestions_became_{_kind}",
        label=_label,
        definition=f"统计期内提交的百姓提案中，至少有一条处理记录为“{_label}”的件数"
        "（以百姓提案的提交时间定统计期；一件可有多种处理，各计一次）。",
        base="dispositions",
        where=Q(kind=_kind),
        of="suggestion_id",
        public=_kind in (DispositionKind.MEMBER_CLAIM, DispositionKind.REFERRAL),
        group=GROUP,
        source=SOURCE,
    )
for _level, _label in ((CommitteeLevel.CITY, "市"), (CommitteeLevel.DISTRICT, "区")):
    figure(
        f"suggestions_claimed_{_level}",
        label=f"培育为{_label}级提案线索",
        definition=f"统计期内提交的百姓提案中，被{_label}政协委员认领培育的件数（按认领委员的席位级别，"
        "区提案被市委员认领计入“市级”；计入受理百姓提案的政协）。",
        base="dispositions",
        where=Q(kind=DispositionKind.MEMBER_CLAIM, member__committee__level=_level),
        of="suggestion_id",
        public=True,
        group=GROUP,
        source=SOURCE,
    )
ANSWERED = Q(status__in=[SuggestionStatus.ANSWERED, SuggestionStatus.CLOSED])
figure(
    "suggestions_answered",
    label="已答复百姓提案",
    definition="统计期内提交的百姓提案中，目前状态为“已答复”或“已办结”的件数。",
    base="suggestions",
    where=ANSWERED,
    public=True,
    group=GROUP,
    source=SOURCE,
)
figure(
    "suggestions_rated",
    label="群众已评价",
    definition="统计期内提交的百姓提案中，群众已给出评价的件数。",
    base="suggestions",
    where=~Q(rating=""),
    group=GROUP,
    source=SOURCE,
)
figure(
    "suggestions_satisfied",
    label="群众满意或基本满意",
    definition="统计期内提交的百姓提案中，群众评价为“满意”或“比较满意”的件数。",
    base="suggestions",
    where=Q(rating__in=[Rating.SATISFIED, Rating.FAIRLY]),
    group=GROUP,
    source=SOURCE,
)
figure(
    "suggestions_satisfaction_rate",
    label="百姓提案满意率",
    definition="群众满意或基本满意 ÷ 群众已评价，百分比。",
    how="ratio",
    numerator="suggestions_satisfied",
    denominator="suggestions_rated",
    public=True,
    group=GROUP,
    source=SOURCE,
)
figure(
    "referrals_sent",
    label="转办件数",
    definition="统计期内（以转办时间为准）转交职能部门的转办件数；一件百姓提案转给两个部门计两件。",
    base="referrals",
    group=GROUP,
    source=SOURCE,
)
REPLIED = Q(status__in=[ReferralStatus.REPLIED, ReferralStatus.APPROVED])
figure(
    "referrals_replied",
    label="部门已答复",
    definition="统计期内转办的件数中，部门已提交答复（待审核或已通过）的件数。",
    base="referrals",
    where=REPLIED,
    group=GROUP,
    source=SOURCE,
)
figure(
    "referrals_on_time",
    label="按时答复",
    definition="统计期内转办的件数中，部门答复时间不晚于办理期限（deadline，按工作日计算）的件数。",
    base="referrals",
    where=REPLIED & Q(replied_at__lte=F("deadline")),
    group=GROUP,
    source=SOURCE,
)
figure(
    "referrals_on_time_rate",
    label="按时答复率",
    definition="按时答复 ÷ 转办件数，百分比。",
    how="ratio",
    numerator="referrals_on_time",
    denominator="referrals_sent",
    public=True,
    group=GROUP,
    source=SOURCE,
)
figure(
    "escalations_received",
    label="下级报送的百姓提案",
    definition="统计期内（以报送时间为准）区政协报送本政协的百姓提案件数。联合记录：该件同时计入区政协的"
    "“报送上级政协”（按提交时间）和本政协的此项（按报送时间），两项不相加。",
    base="escalations",
    group=GROUP,
    source=SOURCE,
)
