"""The workrooms of 白云区政协: sixteen industry, park and sector workrooms built to the
五有 standard.
"""

from __future__ import annotations

from xieshang.demo.districts import HOURS, WorkroomSpec
from xieshang.demo.members import member_username
from xieshang.workrooms.models import WorkroomKind


def _workrooms() -> list[WorkroomSpec]:
    economy = "经济科技委员会"
    # (code, name, kind, guiding special committee, guiding local group, venue)
    rooms: list[tuple[str, str, str, str, str | None, str]] = [
        (
            "baiyun-construction",
            "建设行业委员工作室",
            WorkroomKind.INDUSTRY,
            "人口资源环境委员会",
            None,
            "白云区建筑业协会",
        ),
        (
            "baiyun-leather",
            "皮具行业委员工作室",
            WorkroomKind.INDUSTRY,
            economy,
            "三元里街",
            "三元里皮具商圈",
        ),
        (
            "baiyun-apparel",
            "服装服饰行业委员工作室",
            WorkroomKind.INDUSTRY,
            economy,
            None,
            "白云区服装服饰行业商会",
        ),
        (
            "baiyun-logistics",
            "数字物流及供应链行业委员工作室",
            WorkroomKind.INDUSTRY,
            economy,
            None,
            "广州国际港",
        ),
        (
            "baiyun-cross-border",
            "跨境电商供应链行业委员工作室",
            WorkroomKind.INDUSTRY,
            economy,
            "三元里街",
            "跨境电商产业园",
        ),
        (
            "baiyun-private-tech-park",
            "广州民营科技园委员工作室",
            WorkroomKind.PARK,
            economy,
            "钟落潭镇",
            "广州民营科技园",
        ),
        (
            "baiyun-internet-medical",
            "互联网医疗行业委员工作室",
            WorkroomKind.INDUSTRY,
            "教科卫体委员会",
            None,
            "白云区互联网医疗产业园",
        ),
        (
            "baiyun-cosmetics",
            "化妆品产业委员工作室",
            WorkroomKind.INDUSTRY,
            economy,
            None,
            "白云美湾化妆品产业园",
        ),
        (
            "baiyun-innovation",
            "科技创新发展委员工作室",
            WorkroomKind.INDUSTRY,
            economy,
            None,
            "白云区科技企业孵化器",
        ),
        (
            "baiyun-exhibition",
            "会展经济委员工作室",
            WorkroomKind.INDUSTRY,
            economy,
            None,
            "白云国际会议中心",
        ),
        (
            "baiyun-aviation-logistics",
            "航空物流产业委员工作室",
            WorkroomKind.INDUSTRY,
            economy,
            "人和镇",
            "白云国际机场综合保税区",
        ),
        (
            "baiyun-health-park",
            "美丽健康产业园委员工作室",
            WorkroomKind.PARK,
            economy,
            "钟落潭镇",
            "美丽健康产业园",
        ),
        (
            "baiyun-lawyers",
            "律师界委员工作室",
            WorkroomKind.SECTOR,
            "社会和法制委员会",
            None,
            "白云区律师协会",
        ),
        (
            "baiyun-medical",
            "医药卫生界委员工作室",
            WorkroomKind.SECTOR,
            "教科卫体委员会",
            None,
            "白云区人民医院",
        ),
        (
            "baiyun-culture",
            "文化艺术界委员工作室",
            WorkroomKind.SECTOR,
            "文化文史和学习委员会",
            None,
            "白云区文化馆",
        ),
        (
            "baiyun-hmt",
            "港澳台侨界委员工作室",
            WorkroomKind.SECTOR,
            "港澳台侨和外事委员会",
            None,
            "白云区归国华侨联合会",
        ),
    ]
    return [
        WorkroomSpec(
            code,
            "baiyun",
            name,
            kind,
            venue=venue,
            address=f"广州市白云区{group or ''}{venue.removeprefix('白云区')}",
            opening_hours=HOURS[index % len(HOURS)],
            guiding_special_committee=special,
            guiding_local_group=group,
            description=(
                "按“五有”标准建成：有组织架构、有委员队伍、有统一标识、有固定场所、有履职安排。"
            ),
            members=(member_username("baiyun", 1),) if index == 0 else (),
            extra_members=4,
        )
        for index, (code, name, kind, special, group, venue) in enumerate(rooms)
    ]


WORKROOMS: list[WorkroomSpec] = _workrooms()
