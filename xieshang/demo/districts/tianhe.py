"""The workrooms of 天河区政协: the members' home (委员之家) in the TIT park, six street
workrooms under it, and fourteen park and building workrooms (园区/楼宇) under those, the
highest on the 60th floor of the east tower.
"""

from __future__ import annotations

from xieshang.demo.districts import HOURS, WorkroomSpec
from xieshang.demo.members import member_username
from xieshang.workrooms.models import WorkroomKind


def _workrooms() -> list[WorkroomSpec]:
    home = WorkroomSpec(
        "tianhe-home",
        "tianhe",
        "天河区政协委员之家",
        WorkroomKind.MEMBERS_HOME,
        venue="TIT智慧园",
        address="广州市天河区TIT智慧园",
        opening_hours="周一至周五 9:00–17:30",
        guiding_special_committee="经济科技委员会",
        description=(
            "“区政协委员之家—街道委员工作室—园区(楼宇)委员工作室”履职平台体系的枢纽，"
            "开展协商议事、文化交流，服务园区企业和委员企业。"
        ),
        members=(member_username("tianhe", 1), "city.member"),
        extra_members=4,
    )
    streets = [
        ("tianhe-liede", "猎德街"),
        ("tianhe-xiancun", "冼村街"),
        ("tianhe-linhe", "林和街"),
        ("tianhe-tianhenan", "天河南街"),
        ("tianhe-shipai", "石牌街"),
        ("tianhe-zhuji", "珠吉街"),
    ]
    specs = [home]
    for index, (code, street) in enumerate(streets):
        specs.append(
            WorkroomSpec(
                code,
                "tianhe",
                f"{street}政协委员工作室",
                WorkroomKind.STREET,
                venue=f"{street}党群服务中心",
                address=f"广州市天河区{street}",
                opening_hours=HOURS[index % len(HOURS)],
                parent="tianhe-home",
                guiding_local_group=street,
            )
        )
    # (code, name, venue, address, parent street workroom)
    parks = [
        (
            "tianhe-east-tower",
            "珠江新城东塔政协委员工作室",
            "珠江新城东塔60楼",
            "广州市天河区珠江东路6号",
            "tianhe-liede",
        ),
        (
            "tianhe-gaode",
            "高德置地广场政协委员工作室",
            "高德置地广场",
            "广州市天河区珠江东路",
            "tianhe-liede",
        ),
        (
            "tianhe-west-tower",
            "广州国际金融中心政协委员工作室",
            "广州国际金融中心",
            "广州市天河区珠江西路5号",
            "tianhe-xiancun",
        ),
        (
            "tianhe-huachenghui",
            "花城汇政协委员工作室",
            "花城汇",
            "广州市天河区花城广场",
            "tianhe-xiancun",
        ),
        (
            "tianhe-tianhe-road",
            "天河路商圈政协委员工作室",
            "天河路商圈",
            "广州市天河区天河路",
            "tianhe-tianhenan",
        ),
        (
            "tianhe-grandview",
            "正佳广场政协委员工作室",
            "正佳广场",
            "广州市天河区天河路228号",
            "tianhe-tianhenan",
        ),
        (
            "tianhe-citic",
            "中信广场政协委员工作室",
            "中信广场",
            "广州市天河区天河北路233号",
            "tianhe-linhe",
        ),
        (
            "tianhe-east-station",
            "广州东站商务区政协委员工作室",
            "广州东站商务区",
            "广州市天河区林和中路",
            "tianhe-linhe",
        ),
        (
            "tianhe-taikoo",
            "太古汇政协委员工作室",
            "太古汇",
            "广州市天河区天河路383号",
            "tianhe-shipai",
        ),
        (
            "tianhe-gangding",
            "岗顶数字商圈政协委员工作室",
            "岗顶数字商圈",
            "广州市天河区天河路",
            "tianhe-shipai",
        ),
        (
            "tianhe-software-park",
            "天河软件园政协委员工作室",
            "天河软件园",
            "广州市天河区天河软件园",
            "tianhe-shipai",
        ),
        (
            "tianhe-yangcheng",
            "羊城创意产业园政协委员工作室",
            "羊城创意产业园",
            "广州市天河区黄埔大道中",
            "tianhe-zhuji",
        ),
        (
            "tianhe-finance-city",
            "广州国际金融城政协委员工作室",
            "广州国际金融城",
            "广州市天河区广州国际金融城",
            "tianhe-zhuji",
        ),
        (
            "tianhe-smart-city",
            "天河智慧城政协委员工作室",
            "天河智慧城",
            "广州市天河区天河智慧城",
            "tianhe-zhuji",
        ),
    ]
    for index, (code, name, venue, address, parent) in enumerate(parks):
        east_tower = code == "tianhe-east-tower"
        specs.append(
            WorkroomSpec(
                code,
                "tianhe",
                name,
                WorkroomKind.PARK,
                venue=venue,
                address=address,
                opening_hours=HOURS[index % len(HOURS)],
                parent=parent,
                guiding_special_committee="社会和法制委员会" if east_tower else "经济科技委员会",
                description=(
                    "全市最高的政协委员工作室，律师界委员在此建言资政。" if east_tower else ""
                ),
                members=("tianhe.member",) if east_tower else (),
                extra_members=4 if east_tower else 3,
            )
        )
    return specs


WORKROOMS: list[WorkroomSpec] = _workrooms()
