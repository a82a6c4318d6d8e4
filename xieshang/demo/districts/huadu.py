"""The workrooms of 花都区政协: 10号工作室 (党群连心桥) and five industry and street
workrooms.
"""

from __future__ import annotations

from xieshang.demo.districts import HOURS, WorkroomSpec
from xieshang.demo.members import member_username
from xieshang.workrooms.models import WorkroomKind


def _workrooms() -> list[WorkroomSpec]:
    economy = "经济科技委员会"
    # (code, name, kind, special committee, local group, venue)
    rooms: list[tuple[str, str, str, str | None, str, str]] = [
        ("huadu-10", "10号工作室·党群连心桥", WorkroomKind.STREET, None, "新华街", "10号工作室"),
        (
            "huadu-shiling-leather",
            "狮岭皮革皮具委员工作室",
            WorkroomKind.INDUSTRY,
            economy,
            "狮岭镇",
            "狮岭皮革皮具产业园",
        ),
        (
            "huadu-jewelry",
            "珠宝产业委员工作室",
            WorkroomKind.INDUSTRY,
            economy,
            "新华街",
            "花都珠宝小镇",
        ),
        (
            "huadu-airport",
            "空港经济委员工作室",
            WorkroomKind.INDUSTRY,
            economy,
            "花东镇",
            "花东镇空港服务中心",
        ),
        (
            "huadu-xiuquan",
            "秀全街委员工作室",
            WorkroomKind.STREET,
            None,
            "秀全街",
            "秀全街党群服务中心",
        ),
        (
            "huadu-tanbu",
            "炭步镇委员工作室",
            WorkroomKind.STREET,
            None,
            "炭步镇",
            "炭步镇党群服务中心",
        ),
    ]
    return [
        WorkroomSpec(
            code,
            "huadu",
            name,
            kind,
            venue=venue,
            address=f"广州市花都区{group}",
            opening_hours=HOURS[index % len(HOURS)],
            guiding_special_committee=special,
            guiding_local_group=group,
            description=(
                "引导政协委员走进村(居)参与履职活动，打通联系群众“最后一公里”。"
                if code == "huadu-10"
                else ""
            ),
            members=(member_username("huadu", 1),) if code == "huadu-10" else (),
            extra_members=5 if code == "huadu-10" else 3,
        )
        for index, (code, name, kind, special, group, venue) in enumerate(rooms)
    ]


WORKROOMS: list[WorkroomSpec] = _workrooms()
