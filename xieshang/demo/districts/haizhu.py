"""The workrooms of 海珠区政协: four demonstration sites of grassroots consultation
(协商民主基层示范点).
"""

from __future__ import annotations

from xieshang.demo.districts import HOURS, WorkroomSpec
from xieshang.demo.members import member_username
from xieshang.workrooms.models import WorkroomKind


def _workrooms() -> list[WorkroomSpec]:
    sites = [
        ("haizhu-chigang", "赤岗街", "赤岗街协商民主基层示范点", "赤岗街党群服务中心"),
        ("haizhu-pazhou", "琶洲街", "琶洲街协商民主基层示范点", "琶洲街党群服务中心"),
        ("haizhu-nanshitou", "南石头街", "南石头街协商民主基层示范点", "南石头街党群服务中心"),
        ("haizhu-ganghai", "沙园街", "沙园街港海社区协商民主基层示范点", "港海社区居委会"),
    ]
    return [
        WorkroomSpec(
            code,
            "haizhu",
            name,
            WorkroomKind.DEMONSTRATION,
            venue=venue,
            address=f"广州市海珠区{street}",
            opening_hours=HOURS[index % len(HOURS)],
            guiding_local_group=street,
            description="“党建引领+民主共商”，推动四级政协委员到基层履职。",
            members=(member_username("haizhu", 1),) if index == 0 else (),
        )
        for index, (code, street, name, venue) in enumerate(sites)
    ]


WORKROOMS: list[WorkroomSpec] = _workrooms()
