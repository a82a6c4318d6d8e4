"""The workrooms of 番禺区政协: the cloud workroom (云工作室), one workroom per town or
street (镇街), and members' own workrooms under those, the last two still being prepared.
"""

from __future__ import annotations

from xieshang.demo.districts import HOURS, WorkroomSpec
from xieshang.demo.members import MEMBERS
from xieshang.demo.organisation import STREETS
from xieshang.people.models import MemberRole
from xieshang.workrooms.models import WorkroomKind

# The towns' and streets' workrooms are coded panyu-<this>.
STREET_CODES: dict[str, str] = {
    "市桥街": "shiqiao",
    "沙头街": "shatou",
    "东环街": "donghuan",
    "桥南街": "qiaonan",
    "小谷围街": "xiaoguwei",
    "大石街": "dashi",
    "洛浦街": "luopu",
    "石壁街": "shibi",
    "钟村街": "zhongcun",
    "大龙街": "dalong",
    "沙湾街": "shawan",
    "南村镇": "nancun",
    "新造镇": "xinzao",
    "化龙镇": "hualong",
    "石楼镇": "shilou",
    "石碁镇": "shiqi",
}

# The members' own workrooms, and those of them still being prepared.
PERSONAL_COUNT = 24
PREPARING = frozenset({"panyu-personal-23", "panyu-personal-24"})


def _workrooms() -> list[WorkroomSpec]:
    seats = [s for s in MEMBERS if s.committee == "panyu"]
    feng = next(s for s in seats if s.name == "冯银彩")
    specs = [
        WorkroomSpec(
            "panyu-cloud",
            "panyu",
            "番禺区政协云工作室",
            WorkroomKind.CLOUD,
            venue="线上视频连线",
            address="番禺政协微信公众号、小程序",
            opening_hours="周一至周五 9:00–12:00、14:30–17:30",
            guiding_special_committee="提案委员会",
            description=(
                "“禺”快协商：委员每周轮流坐值，群众通过公众号和小程序预约，"
                "到身边的政务晓屋与委员视频连线。"
            ),
            members=(feng.username, "panyu.member"),
            extra_members=6,
        )
    ]
    street_code = {area: f"panyu-{slug}" for area, slug in STREET_CODES.items()}
    for index, street in enumerate(STREETS["panyu"]):
        specs.append(
            WorkroomSpec(
                street_code[street],
                "panyu",
                f"{street}工作室",
                WorkroomKind.STREET,
                venue=f"{street}党群服务中心",
                address=f"广州市番禺区{street}",
                opening_hours=HOURS[index % len(HOURS)],
                guiding_local_group=street,
            )
        )
    hosts = [feng] + [
        s
        for s in seats
        if s is not feng
        and s.username.startswith("m.")
        and s.role in (MemberRole.MEMBER, MemberRole.STANDING)
    ]
    for number, host in enumerate(hosts[:PERSONAL_COUNT], start=1):
        code = f"panyu-personal-{number:02d}"
        area = host.local_group or STREETS["panyu"][0]
        specs.append(
            WorkroomSpec(
                code,
                "panyu",
                f"{host.name}委员工作室",
                WorkroomKind.PERSONAL,
                venue=host.employer.split(" ")[0],
                address=f"广州市番禺区{area}",
                opening_hours=HOURS[number % len(HOURS)],
                parent=street_code[area],
                guiding_local_group=area,
                members=(host.username,),
                extra_members=2,
                active=code not in PREPARING,
            )
        )
    return specs


WORKROOMS: list[WorkroomSpec] = _workrooms()
