"""Demo data for the workroom standard and duty activities, on top of `core.demo`'s
committees, members and workrooms (run `seed_demo` first).

`seed_workrooms_extras()` is idempotent: the standard (五有) and the activity kinds are
installed only for committees without them; evidence is recorded only for items that have
none yet; an activity is recorded only when its committee has no activity of that title.
Everything goes in through the services, by the workroom's convenor or the committee's
demo staff, so every row has its event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from xieshang.activities.models import Activity, ActivityKind
from xieshang.activities.services import (
    ActivityInput,
    activity_kinds_install_defaults,
    activity_record,
)
from xieshang.core.models import Committee
from xieshang.people.models import Member, User
from xieshang.workrooms.models import (
    ChecklistEvidence,
    ChecklistItem,
    Workroom,
    WorkroomRole,
    WorkroomStatus,
)
from xieshang.workrooms.services import (
    checklist_install_defaults,
    evidence_confirm,
    evidence_record,
)

COMMITTEES = ("guangzhou", "tianhe", "haizhu", "baiyun", "panyu", "huadu")
SUPERUSER = "admin"

# Evidence per 五有 item, as a 白云 workroom would write it.
EVIDENCE_TEXT = {
    "有组织架构": "设召集人 1 名、联络员 1 名，工作规则已上墙。",
    "有委员队伍": "入驻区政协委员 6 名，名单在工作室公示。",
    "有统一标识": "门口悬挂统一制作的“委员工作室”标牌。",
    "有固定场所": "固定活动室约 60 平方米，配会议桌椅和视频设备。",
    "有履职安排": "每月第二个周三下午委员轮流接待，年度履职计划已报区政协。",
}
# (workroom's place among 白云's active workrooms, items with evidence, how many confirmed)
BAIYUN_EVIDENCE = ((0, 5, 5), (1, 5, 5), (2, 5, 3), (3, 3, 0))


@dataclass(frozen=True)
class ActivitySpec:
    committee: str
    room: int  # place among the committee's active workrooms
    kind: str
    title: str
    days_ago: int
    members: int  # how many of the workroom's members took part
    citizens: int
    issues: int
    note: str = ""


ACTIVITIES: tuple[ActivitySpec, ...] = (
    ActivitySpec("tianhe", 0, "接待来访", "委员之家接待日：听取老旧小区加装电梯诉求", 3, 3, 18, 5),
    ActivitySpec("tianhe", 1, "进社区", "进猎德社区宣讲基层协商议事规则", 9, 2, 60, 4),
    ActivitySpec("tianhe", 2, "走访慰问", "走访冼村独居长者", 15, 2, 12, 2),
    ActivitySpec("tianhe", 3, "座谈/协商", "楼宇企业座谈：写字楼停车难", 21, 4, 25, 6),
    ActivitySpec("haizhu", 0, "座谈/协商", "赤岗街协商议事：社区微改造", 5, 3, 40, 7),
    ActivitySpec("haizhu", 1, "视察", "视察琶洲滨水空间建设", 12, 4, 0, 3),
    ActivitySpec("haizhu", 2, "进社区", "南石头街进社区收集民生问题", 30, 2, 85, 9),
    ActivitySpec("baiyun", 0, "调研", "建设行业安全生产调研", 4, 3, 0, 5),
    ActivitySpec("baiyun", 1, "座谈/协商", "皮具商圈商户座谈会", 10, 3, 32, 8),
    ActivitySpec("baiyun", 2, "宣讲", "服装行业政策宣讲", 18, 2, 120, 3),
    ActivitySpec("baiyun", 3, "进社区", "物流园区进企业听意见", 26, 2, 45, 6),
    ActivitySpec("panyu", 0, "接待来访", "云工作室视频接待群众", 2, 1, 6, 4),
    ActivitySpec("panyu", 0, "接待来访", "云工作室周三坐值接待", 9, 1, 9, 5),
    ActivitySpec("panyu", 1, "进社区", "进社区开展“禺快协商”", 7, 3, 150, 12),
    ActivitySpec("panyu", 2, "进社区", "镇街委员工作室进村入户", 14, 3, 96, 10),
    ActivitySpec("panyu", 3, "会议", "委员工作室季度工作例会", 20, 4, 0, 0),
    ActivitySpec("huadu", 0, "走访慰问", "走访慰问困难群众", 6, 3, 40, 5),
    ActivitySpec("huadu", 1, "接待来访", "委员工作室接待群众来访", 11, 2, 28, 9),
    ActivitySpec("huadu", 2, "培训", "新任委员履职培训", 25, 5, 0, 0),
    ActivitySpec("guangzhou", 0, "视察", "市政协委员视察中心城区内涝治理", 8, 3, 0, 4),
)


def _staff_of(code: str) -> User:
    """The committee's demo staff, or the superuser where a committee has none."""
    user = User.objects.filter(username=f"{code}.staff").first()
    return user or User.objects.get(username=SUPERUSER)


def _active_rooms(committee: Committee) -> list[Workroom]:
    return list(
        Workroom.objects.filter(committee=committee, status=WorkroomStatus.ACTIVE).order_by(
            "kind", "id"
        )
    )


def _evidence(committee: Committee, staff: User) -> tuple[int, int]:
    rooms = _active_rooms(committee)
    items = list(ChecklistItem.objects.filter(committee=committee, is_active=True))
    recorded = confirmed = 0
    for place, with_evidence, to_confirm in BAIYUN_EVIDENCE:
        if place >= len(rooms):
            continue
        room = rooms[place]
        convenor = _convenor(room) or staff
        for index, item in enumerate(items[:with_evidence]):
            if ChecklistEvidence.objects.filter(workroom=room, item=item).exists():
                continue
            text = EVIDENCE_TEXT.get(item.name, "已落实。")
            evidence = evidence_record(workroom=room, item=item, text=text, actor=convenor)
            recorded += 1
            if index < to_confirm:
                evidence_confirm(evidence=evidence, actor=staff)
                confirmed += 1
    return recorded, confirmed


def _convenor(room: Workroom) -> User | None:
    membership = (
        room.memberships.filter(role=WorkroomRole.CONVENOR, member__is_active=True)
        .select_related("member__user")
        .first()
    )
    return membership.member.user if membership else None


def _activity(spec: ActivitySpec, committee: Committee, staff: User) -> bool:
    if Activity.objects.filter(committee=committee, title=spec.title).exists():
        return False
    rooms = _active_rooms(committee)
    room = rooms[spec.room % len(rooms)] if rooms else None
    seats = (
        [m.member for m in room.memberships.select_related("member").order_by("role", "id")]
        if room
        else []
    )
    seats = [s for s in seats if s.is_active][: spec.members]
    if not seats:
        seats = list(
            Member.objects.filter(committee=committee, is_active=True).order_by("id")[
                : spec.members
            ]
        )
    if not seats:
        return False
    kind = ActivityKind.objects.get(committee=committee, name=spec.kind)
    recorder: Any = (_convenor(room) if room else None) or staff
    activity_record(
        committee=committee,
        data=ActivityInput(
            kind=kind,
            title=spec.title,
            date=timezone.localdate() - timedelta(days=spec.days_ago),
            members=seats,
            workroom=room,
            citizens_reached=spec.citizens,
            issues_collected=spec.issues,
            note=spec.note,
        ),
        actor=recorder,
    )
    return True


def seed_workrooms_extras() -> dict[str, int]:
    """Load the standard, evidence, activity kinds and sample activities; safe to run
    again. Returns what this run created."""
    created = dict.fromkeys(
        ("checklist_items", "activity_kinds", "evidence", "confirmed", "activities"), 0
    )
    admin = User.objects.get(username=SUPERUSER)
    with transaction.atomic():
        committees = {c.code: c for c in Committee.objects.filter(code__in=COMMITTEES)}
        for committee in committees.values():
            created["checklist_items"] += checklist_install_defaults(
                committee=committee, actor=admin
            )
            created["activity_kinds"] += activity_kinds_install_defaults(committee=committee)
        if "baiyun" in committees:
            recorded, confirmed = _evidence(committees["baiyun"], _staff_of("baiyun"))
            created["evidence"], created["confirmed"] = recorded, confirmed
        for spec in ACTIVITIES:
            owner = committees.get(spec.committee)
            if owner is not None and _activity(spec, owner, _staff_of(spec.committee)):
                created["activities"] += 1
    return created
