"""Platforms (履职平台) and who serves in them: a state at the time of viewing."""

from __future__ import annotations

from django.db.models import Q

from xieshang.core.models import CommitteeLevel
from xieshang.figures.registry import base, figure
from xieshang.workrooms.models import WorkroomKind, WorkroomStatus
from xieshang.workrooms.selectors import (
    workroom_memberships_of_committees,
    workrooms_of_committees,
)

SOURCE = "workrooms"

base(
    "workrooms",
    source=SOURCE,
    label="履职平台",
    records=workrooms_of_committees,
    date_field=None,
    workroom_field="pk",
    columns=(("名称", "name"), ("类型", "kind"), ("状态", "status")),
    detail="workrooms:detail",
)
base(
    "workroom_members",
    source=SOURCE,
    label="平台入驻委员",
    records=workroom_memberships_of_committees,
    date_field=None,
    committee_field="workroom__committee_id",
    workroom_field="workroom_id",
    columns=(
        ("委员", "member__user__name"),
        ("所属政协", "member__committee__short_name"),
        ("平台", "workroom__name"),
    ),
    member_field="member_id",
)

ACTIVE = Q(status=WorkroomStatus.ACTIVE)
GROUP = "履职平台"

figure(
    "platforms",
    label="履职平台总数",
    definition="状态为“运行中”的履职平台（委员工作室、委员之家、示范点等）个数，按平台所属政协计；"
    "不随统计期变化，为查看时的状态。",
    base="workrooms",
    where=ACTIVE,
    public=True,
    group=GROUP,
    source=SOURCE,
)
KIND_LABELS = {
    WorkroomKind.MEMBERS_HOME: "委员之家",
    WorkroomKind.STREET: "街道/镇街工作室",
    WorkroomKind.PARK: "园区/楼宇工作室",
    WorkroomKind.SECTOR: "界别工作室",
    WorkroomKind.INDUSTRY: "行业工作室",
    WorkroomKind.PERSONAL: "个人工作室",
    WorkroomKind.CLOUD: "云工作室",
    WorkroomKind.DEMONSTRATION: "基层协商示范点",
}
for _kind, _label in KIND_LABELS.items():
    figure(
        f"platforms_{_kind}",
        label=_label,
        definition=f"运行中的履职平台中类型为“{_label}”的个数；查看时的状态。",
        base="workrooms",
        where=ACTIVE & Q(kind=_kind),
        public=True,
        group=GROUP,
        source=SOURCE,
    )

SERVING = Q(workroom__status=WorkroomStatus.ACTIVE, member__is_active=True)
figure(
    "members_in_workrooms_city",
    label="入驻平台的市政协委员",
    definition="在运行中的平台任职（召集人或成员）且在任的委员中，席位属于市级政协的人数；"
    "一人入驻多个平台只计一次。平台属于哪个政协，就计入哪个政协（市委员入驻区平台计入该区）。",
    base="workroom_members",
    where=SERVING & Q(member__committee__level=CommitteeLevel.CITY),
    of="member_id",
    additive=False,
    public=True,
    group=GROUP,
    source=SOURCE,
)
figure(
    "members_in_workrooms_district",
    label="入驻平台的区政协委员",
    definition="在运行中的平台任职且在任的委员中，席位属于区级政协的人数；一人入驻多个平台只计一次。",
    base="workroom_members",
    where=SERVING & Q(member__committee__level=CommitteeLevel.DISTRICT),
    of="member_id",
    additive=False,
    public=True,
    group=GROUP,
    source=SOURCE,
)
