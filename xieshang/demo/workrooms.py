"""Demo data: the workrooms (履职平台) of the five districts (their specs are in
`xieshang.demo.districts`), their members, the service points (政务晓屋), and then the
workroom standard (五有) and the duty activities.

`load_workrooms()` creates the workrooms (matched by code, parents before children), their
memberships (the named members, then members of the committee picked deterministically,
the local group's first) and the service points, then activates through the workflow, by
the demo superuser, the workrooms meant to be active that are still being prepared, so a
second run changes nothing.

`seed_workrooms_extras()` runs later, after the calendar and the suggestions. It is
idempotent: the standard (五有) and the activity kinds are installed only for committees
without them; evidence is recorded only for items that have none yet; an activity is
recorded only when its committee has no activity of that title. Everything goes in through
the services, by the workroom's convenor or the committee's demo staff, so every row has its
event.
"""

from __future__ import annotations

import random
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
from xieshang.demo.base import ACTIVATION_NOTE, SEED, SUPERUSER, Loaded, sync
from xieshang.demo.districts import WorkroomSpec, baiyun, haizhu, huadu, panyu, tianhe
from xieshang.demo.members import MEMBERS
from xieshang.demo.organisation import MEMBER_COMMITTEES
from xieshang.people.models import Member, MemberRole, User
from xieshang.workrooms.models import (
    ChecklistEvidence,
    ChecklistItem,
    ServicePoint,
    Workroom,
    WorkroomMembership,
    WorkroomRole,
    WorkroomStatus,
)
from xieshang.workrooms.services import (
    checklist_install_defaults,
    evidence_confirm,
    evidence_record,
    workroom_transition,
)

WORKROOMS: list[WorkroomSpec] = [
    *tianhe.WORKROOMS,
    *haizhu.WORKROOMS,
    *baiyun.WORKROOMS,
    *panyu.WORKROOMS,
    *huadu.WORKROOMS,
]

# --- Service points (政务晓屋) ------------------------------------------------------

SERVICE_HOURS = "周一至周五 9:00–12:00、14:00–17:30"

# (committee, name, address)
SERVICE_POINTS: list[tuple[str, str, str]] = [
    ("panyu", "市桥街政务晓屋", "广州市番禺区市桥街党群服务中心一楼"),
    ("panyu", "沙头街政务晓屋", "广州市番禺区沙头街党群服务中心一楼"),
    ("panyu", "钟村街政务晓屋", "广州市番禺区钟村街祈福新邨社区服务站"),
    ("panyu", "大石街政务晓屋", "广州市番禺区大石街政务服务中心"),
    ("panyu", "南村镇政务晓屋", "广州市番禺区南村镇政务服务中心"),
    ("panyu", "石楼镇政务晓屋", "广州市番禺区石楼镇政务服务中心"),
    ("tianhe", "猎德街政务晓屋", "广州市天河区猎德街党群服务中心"),
    ("huadu", "新华街政务晓屋", "广州市花都区新华街政务服务中心"),
]

# --- Loading ------------------------------------------------------------------------


def load_workrooms(loaded: Loaded) -> None:
    """The workrooms, their members and the service points; then the activations."""
    _load_workrooms(loaded)
    _load_memberships(loaded)
    _load_service_points(loaded)
    _activate_workrooms(loaded)


def _depth(spec: WorkroomSpec, by_code: dict[str, WorkroomSpec]) -> int:
    return 0 if spec.parent is None else 1 + _depth(by_code[spec.parent], by_code)


def _load_workrooms(loaded: Loaded) -> None:
    by_code = {spec.code: spec for spec in WORKROOMS}
    levels: dict[int, list[WorkroomSpec]] = {}
    for spec in WORKROOMS:
        levels.setdefault(_depth(spec, by_code), []).append(spec)
    for depth in sorted(levels):  # parents before their children
        wanted = [
            Workroom(
                committee=loaded.committees[s.committee],
                name=s.name,
                code=s.code,
                kind=s.kind,
                parent=loaded.workrooms[s.parent] if s.parent else None,
                guiding_special_committee=(
                    loaded.specials[(s.committee, s.guiding_special_committee)]
                    if s.guiding_special_committee
                    else None
                ),
                guiding_local_group=(
                    loaded.groups[(s.committee, s.guiding_local_group)]
                    if s.guiding_local_group
                    else None
                ),
                venue=s.venue,
                address=s.address,
                opening_hours=s.opening_hours,
                description=s.description,
            )
            for s in levels[depth]
        ]
        rooms = sync(
            Workroom.objects.filter(code__in=[s.code for s in levels[depth]]),
            wanted,
            key=("code",),
            fields=(
                "committee_id",
                "name",
                "kind",
                "parent_id",
                "guiding_special_committee_id",
                "guiding_local_group_id",
                "venue",
                "address",
                "opening_hours",
                "description",
            ),
        )
        loaded.workrooms.update({k[0]: v for k, v in rooms.items()})


def _workroom_members(spec: WorkroomSpec) -> list[str]:
    """Usernames of the workroom's members, the convenor first: the named ones, then
    members of its committee picked deterministically, its local group's first."""
    rng = random.Random(f"{SEED}:{spec.code}")
    pool = [
        s
        for s in MEMBERS
        if s.committee == spec.committee
        and s.username not in spec.members
        and s.role != MemberRole.CHAIR
    ]
    near = [s.username for s in pool if s.local_group == spec.guiding_local_group]
    far = [s.username for s in pool if s.local_group != spec.guiding_local_group]
    rng.shuffle(near)
    rng.shuffle(far)
    chosen = list(spec.members)
    if spec.guiding_local_group:
        chosen += near[:2]
    chosen += [u for u in near + far if u not in chosen][: spec.extra_members]
    return chosen


def _load_memberships(loaded: Loaded) -> None:
    wanted: list[WorkroomMembership] = []
    for spec in WORKROOMS:
        workroom = loaded.workrooms[spec.code]
        for index, username in enumerate(_workroom_members(spec)):
            wanted.append(
                WorkroomMembership(
                    workroom=workroom,
                    member=loaded.seats[(username, spec.committee)],
                    role=WorkroomRole.CONVENOR if index == 0 else WorkroomRole.MEMBER,
                )
            )
    sync(
        WorkroomMembership.objects.filter(
            workroom_id__in=[w.pk for w in loaded.workrooms.values()]
        ),
        wanted,
        key=("workroom_id", "member_id"),
        fields=("role",),
    )


def _load_service_points(loaded: Loaded) -> None:
    c = loaded.committees
    sync(
        ServicePoint.objects.filter(committee_id__in=[x.pk for x in c.values()]),
        (
            ServicePoint(committee=c[code], name=name, address=address, opening_hours=SERVICE_HOURS)
            for code, name, address in SERVICE_POINTS
        ),
        key=("committee_id", "name"),
        fields=("address", "opening_hours"),
    )


def _activate_workrooms(loaded: Loaded) -> None:
    """Activate, through the workflow, the workrooms meant to be active that are still
    being prepared. The demo superuser acts: the workflow accepts its role."""
    admin = loaded.users[SUPERUSER]
    for spec in WORKROOMS:
        workroom = loaded.workrooms[spec.code]
        if spec.active and workroom.status == WorkroomStatus.PREPARING:
            workroom_transition(
                workroom=workroom,
                action="activate",
                actor=admin,
                note=ACTIVATION_NOTE,
                expected_state=WorkroomStatus.PREPARING,
            )
            loaded.activated += 1


# --- The standard (五有) and the activities -----------------------------------------

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
        committees = {c.code: c for c in Committee.objects.filter(code__in=MEMBER_COMMITTEES)}
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
