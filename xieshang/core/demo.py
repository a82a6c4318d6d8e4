"""Demo data: 广东省政协 → 广州市政协 → the five district committees of the article.

The data are plain constants below; `seed_demo()` loads them. It is deterministic (names
come from a seeded `random.Random`) and idempotent: rows are matched by natural keys
(committee code, (committee, name), username, workroom code), missing ones are created
in bulk, changed fields are brought back to the values here, nothing is ever deleted.
Workrooms are activated through their workflow, by the demo superuser, and only while
they are still being prepared, so a second run changes nothing.

Only the demo logins get a password (`DEMO_PASSWORD`), and only when they are created;
every other member account has an unusable password.
"""

from __future__ import annotations

import random
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Protocol, TypeVar

from django.contrib.auth.hashers import make_password
from django.db import models, transaction

from xieshang.core.models import CalendarDay, Committee, CommitteeLevel, DayKind
from xieshang.people.models import (
    Department,
    DepartmentClerk,
    DepartmentKind,
    LeaderPosition,
    LeaderTitle,
    LocalGroup,
    Member,
    MemberRole,
    Sector,
    SpecialCommittee,
    StaffPosition,
    StaffRole,
    User,
)
from xieshang.workrooms.models import (
    ServicePoint,
    Workroom,
    WorkroomKind,
    WorkroomMembership,
    WorkroomRole,
    WorkroomStatus,
)
from xieshang.workrooms.services import workroom_transition

SEED = 2026
DEMO_PASSWORD = "demo2026"
SUPERUSER = "admin"
ACTIVATION_NOTE = "演示数据"

# --- Committees ---------------------------------------------------------------------


@dataclass(frozen=True)
class CommitteeSpec:
    code: str
    name: str
    short_name: str
    level: str
    parent: str | None
    address: str


def _district(code: str, area: str) -> CommitteeSpec:
    return CommitteeSpec(
        code=code,
        name=f"中国人民政治协商会议广州市{area}区委员会",
        short_name=f"{area}区政协",
        level=CommitteeLevel.DISTRICT,
        parent="guangzhou",
        address=f"广州市{area}区",
    )


DISTRICTS: dict[str, str] = {
    "tianhe": "天河",
    "haizhu": "海珠",
    "baiyun": "白云",
    "panyu": "番禺",
    "huadu": "花都",
}

COMMITTEES: list[CommitteeSpec] = [
    CommitteeSpec(
        "guangdong",
        "中国人民政治协商会议广东省委员会",
        "广东省政协",
        CommitteeLevel.PROVINCE,
        None,
        "广州市越秀区",
    ),
    CommitteeSpec(
        "guangzhou",
        "中国人民政治协商会议广州市委员会",
        "广州市政协",
        CommitteeLevel.CITY,
        "guangdong",
        "广州市越秀区",
    ),
    *(_district(code, area) for code, area in DISTRICTS.items()),
]

# --- Sectors, special committees, local groups --------------------------------------

ALL_SECTORS: list[str] = [
    "中共界",
    "民革界",
    "民盟界",
    "民建界",
    "民进界",
    "农工党界",
    "致公党界",
    "九三学社界",
    "无党派人士界",
    "共青团界",
    "工会界",
    "妇联界",
    "工商联界",
    "科技界",
    "社会科学界",
    "经济界",
    "农业界",
    "教育界",
    "文化艺术界",
    "医药卫生界",
    "体育界",
    "新闻出版界",
    "社会福利和社会保障界",
    "少数民族界",
    "宗教界",
    "特邀界",
    "律师界",
]

_PARTIES = ALL_SECTORS[:9]  # 中共界 … 无党派人士界

SECTORS: dict[str, list[str]] = {
    "guangzhou": [
        *_PARTIES,
        "共青团界",
        "工会界",
        "妇联界",
        "工商联界",
        "科技界",
        "经济界",
        "教育界",
        "文化艺术界",
        "医药卫生界",
        "新闻出版界",
        "律师界",
    ],
    "tianhe": [
        *_PARTIES,
        "工商联界",
        "科技界",
        "经济界",
        "教育界",
        "文化艺术界",
        "医药卫生界",
        "律师界",
    ],
    "haizhu": [
        *(s for s in _PARTIES if s != "致公党界"),
        "共青团界",
        "妇联界",
        "工商联界",
        "教育界",
        "医药卫生界",
        "社会福利和社会保障界",
    ],
    # The article: 26 sectors in 白云.
    "baiyun": [s for s in ALL_SECTORS if s != "致公党界"],
    "panyu": [
        *(s for s in _PARTIES if s != "致公党界"),
        "工商联界",
        "农业界",
        "经济界",
        "教育界",
        "医药卫生界",
        "文化艺术界",
        "特邀界",
    ],
    "huadu": [
        "中共界",
        "民盟界",
        "民建界",
        "民进界",
        "农工党界",
        "无党派人士界",
        "工会界",
        "工商联界",
        "农业界",
        "经济界",
        "教育界",
        "医药卫生界",
    ],
}

SPECIAL_COMMITTEES: list[str] = [
    "提案委员会",
    "经济科技委员会",
    "人口资源环境委员会",
    "教科卫体委员会",
    "文化文史和学习委员会",
    "社会和法制委员会",
    "港澳台侨和外事委员会",
    "民族和宗教委员会",
]

# Towns and streets (镇街); each has a local group "<area>地方组".
STREETS: dict[str, list[str]] = {
    "tianhe": [
        "五山街",
        "员村街",
        "车陂街",
        "沙河街",
        "石牌街",
        "沙东街",
        "天河南街",
        "林和街",
        "兴华街",
        "棠下街",
        "天园街",
        "猎德街",
        "冼村街",
        "元岗街",
        "黄村街",
        "龙洞街",
        "长兴街",
        "凤凰街",
        "前进街",
        "珠吉街",
        "新塘街",
    ],
    "haizhu": [
        "赤岗街",
        "新港街",
        "昌岗街",
        "江南中街",
        "滨江街",
        "素社街",
        "海幢街",
        "南华西街",
        "龙凤街",
        "沙园街",
        "南石头街",
        "凤阳街",
        "瑞宝街",
        "江海街",
        "琶洲街",
        "南洲街",
        "华洲街",
        "官洲街",
    ],
    # The article: 24 local groups in 白云.
    "baiyun": [
        "三元里街",
        "松洲街",
        "景泰街",
        "同德街",
        "黄石街",
        "棠景街",
        "新市街",
        "同和街",
        "京溪街",
        "永平街",
        "嘉禾街",
        "均禾街",
        "石井街",
        "金沙街",
        "云城街",
        "鹤龙街",
        "白云湖街",
        "石门街",
        "龙归街",
        "大源街",
        "人和镇",
        "太和镇",
        "钟落潭镇",
        "江高镇",
    ],
    # The article: 16 town/street workrooms in 番禺, one per 镇街.
    "panyu": [
        "市桥街",
        "沙头街",
        "东环街",
        "桥南街",
        "小谷围街",
        "大石街",
        "洛浦街",
        "石壁街",
        "钟村街",
        "大龙街",
        "沙湾街",
        "南村镇",
        "新造镇",
        "化龙镇",
        "石楼镇",
        "石碁镇",
    ],
    "huadu": [
        "新华街",
        "新雅街",
        "秀全街",
        "花城街",
        "花山镇",
        "炭步镇",
        "赤坭镇",
        "狮岭镇",
        "梯面镇",
        "花东镇",
    ],
}

PANYU_STREET_CODES: dict[str, str] = {
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


def local_group_name(area: str) -> str:
    return f"{area}地方组"


# --- Departments --------------------------------------------------------------------

# (name template, short name); "{d}" is the district without 区, e.g. 天河.
DISTRICT_BUREAUS: list[tuple[str, str]] = [
    ("{d}区住房和城乡建设局", "区住建局"),
    ("{d}区交通运输局", "区交通运输局"),
    ("广州市生态环境局{d}分局", "生态环境分局"),
    ("{d}区城市管理和综合执法局", "区城管执法局"),
    ("{d}区水务局", "区水务局"),
    ("{d}区卫生健康局", "区卫健局"),
    ("{d}区教育局", "区教育局"),
    ("{d}区人力资源和社会保障局", "区人社局"),
    ("{d}区市场监督管理局", "区市场监管局"),
    ("{d}区商务局", "区商务局"),
]

# Streets and towns whose offices (街道办事处 / 镇人民政府) handle assignments.
DEPARTMENT_AREAS: dict[str, list[str]] = {
    "tianhe": ["猎德街", "冼村街", "林和街", "天河南街", "石牌街", "珠吉街"],
    "haizhu": ["赤岗街", "琶洲街", "南石头街", "沙园街", "江海街"],
    "baiyun": ["三元里街", "京溪街", "钟落潭镇", "太和镇"],
    "panyu": ["市桥街", "钟村街", "大石街", "南村镇", "石楼镇"],
    "huadu": ["新华街", "花城街", "秀全街", "新雅街", "狮岭镇", "炭步镇"],
}

CITY_DEPARTMENTS: list[tuple[str, str]] = [
    ("广州市住房和城乡建设局", "市住建局"),
    ("广州市交通运输局", "市交通运输局"),
    ("广州市生态环境局", "市生态环境局"),
    ("广州市卫生健康委员会", "市卫健委"),
    ("广州市教育局", "市教育局"),
    ("广州市商务局", "市商务局"),
]


@dataclass(frozen=True)
class DepartmentSpec:
    committee: str
    name: str
    short_name: str
    kind: str


def _department_specs() -> list[DepartmentSpec]:
    specs = [
        DepartmentSpec("guangzhou", name, short, DepartmentKind.BUREAU)
        for name, short in CITY_DEPARTMENTS
    ]
    for code, area in DISTRICTS.items():
        specs += [
            DepartmentSpec(code, template.format(d=area), short, DepartmentKind.BUREAU)
            for template, short in DISTRICT_BUREAUS
        ]
        for place in DEPARTMENT_AREAS[code]:
            if place.endswith("镇"):
                specs.append(
                    DepartmentSpec(
                        code, f"{area}区{place}人民政府", f"{place}政府", DepartmentKind.TOWN
                    )
                )
            else:
                stem = place.removesuffix("街")
                specs.append(
                    DepartmentSpec(
                        code,
                        f"{area}区{stem}街道办事处",
                        f"{stem}街道办",
                        DepartmentKind.STREET,
                    )
                )
    return specs


DEPARTMENTS: list[DepartmentSpec] = _department_specs()

# --- Demo logins --------------------------------------------------------------------

DEMO_LOGINS: list[tuple[str, str]] = [
    ("admin", "系统管理员（超级用户）"),
    ("tianhe.staff", "天河区政协机关工作人员（提案、联络、工作室、系统管理）"),
    ("tianhe.member", "天河区政协委员（律师界），珠江新城东塔政协委员工作室召集人"),
    ("tianhe.clerk", "天河区住房和城乡建设局承办人"),
    ("tianhe.leader", "天河区政协主席（督办重点提案）"),
    ("haizhu.staff", "海珠区政协机关工作人员（全部职责）"),
    ("baiyun.staff", "白云区政协机关工作人员（全部职责）"),
    ("panyu.staff", "番禺区政协机关工作人员（全部职责）"),
    ("huadu.staff", "花都区政协机关工作人员（全部职责）"),
    ("city.staff", "广州市政协机关工作人员（全部职责）"),
    ("city.member", "广州市政协委员，兼任天河区政协委员"),
    ("panyu.member", "番禺区政协委员，云工作室轮流坐值"),
]


@dataclass(frozen=True)
class LoginSpec:
    username: str
    name: str
    is_staff: bool = False
    is_superuser: bool = False
    staff_of: tuple[str, ...] = ()
    leader_of: tuple[tuple[str, str], ...] = ()
    clerk_of: tuple[tuple[str, str], ...] = ()  # (committee code, department name)


LOGINS: list[LoginSpec] = [
    LoginSpec(SUPERUSER, "系统管理员", is_staff=True, is_superuser=True),
    LoginSpec("tianhe.staff", "林晓红", is_staff=True, staff_of=("tianhe",)),
    LoginSpec("tianhe.member", "郑嘉怡"),
    LoginSpec("tianhe.clerk", "王海涛", clerk_of=(("tianhe", "天河区住房和城乡建设局"),)),
    LoginSpec("tianhe.leader", "罗建华", leader_of=(("tianhe", LeaderTitle.CPPCC_CHAIR),)),
    LoginSpec("haizhu.staff", "黄嘉敏", is_staff=True, staff_of=("haizhu",)),
    LoginSpec("baiyun.staff", "李伟强", is_staff=True, staff_of=("baiyun",)),
    LoginSpec("panyu.staff", "何丽萍", is_staff=True, staff_of=("panyu",)),
    LoginSpec("huadu.staff", "陈思远", is_staff=True, staff_of=("huadu",)),
    LoginSpec("city.staff", "吴国栋", is_staff=True, staff_of=("guangzhou",)),
    LoginSpec("city.member", "梁志远"),
    LoginSpec("panyu.member", "何振邦"),
]

# --- Members ------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberSpec:
    username: str
    name: str
    committee: str
    role: str
    sector: str | None
    local_group: str | None  # the town or street, e.g. 冼村街
    special_committees: tuple[str, ...]
    employer: str


# Seats of the demo logins; counted in the role quotas below.
LOGIN_SEATS: list[MemberSpec] = [
    MemberSpec(
        "tianhe.leader",
        "罗建华",
        "tianhe",
        MemberRole.CHAIR,
        "中共界",
        "林和街",
        ("提案委员会",),
        "天河区政协 主席",
    ),
    MemberSpec(
        "tianhe.member",
        "郑嘉怡",
        "tianhe",
        MemberRole.MEMBER,
        "律师界",
        "冼村街",
        ("社会和法制委员会",),
        "广东卓信律师事务所 合伙人",
    ),
    MemberSpec(
        "city.member",
        "梁志远",
        "guangzhou",
        MemberRole.MEMBER,
        "经济界",
        None,
        ("经济科技委员会",),
        "广州云启智能科技有限公司 董事长",
    ),
    MemberSpec(
        "city.member",
        "梁志远",
        "tianhe",
        MemberRole.MEMBER,
        "经济界",
        "猎德街",
        ("经济科技委员会",),
        "广州云启智能科技有限公司 董事长",
    ),
    MemberSpec(
        "panyu.member",
        "何振邦",
        "panyu",
        MemberRole.MEMBER,
        "医药卫生界",
        "市桥街",
        ("教科卫体委员会",),
        "番禺区中医医院 主任医师",
    ),
]

# Generated members per committee (the seats of the demo logins come on top).
MEMBER_COUNTS: dict[str, int] = {
    "guangzhou": 20,
    "tianhe": 48,
    "haizhu": 40,
    "baiyun": 56,
    "panyu": 52,
    "huadu": 36,
}

# People the article names, in the first generated seats of their committee.
NAMED_MEMBERS: dict[str, list[tuple[str, str]]] = {
    "tianhe": [("曹利元", MemberRole.VICE_CHAIR), ("张玉玉", MemberRole.VICE_CHAIR)],
    "haizhu": [("温志文", MemberRole.CHAIR)],
    "baiyun": [("袁东华", MemberRole.CHAIR)],
    "panyu": [("覃海深", MemberRole.CHAIR), ("冯银彩", MemberRole.MEMBER)],
    "huadu": [("陈家飞", MemberRole.CHAIR)],
}

ROLE_QUOTAS: dict[str, list[tuple[str, int]]] = {
    "guangzhou": [(MemberRole.CHAIR, 1), (MemberRole.VICE_CHAIR, 2), (MemberRole.STANDING, 4)],
    **{
        code: [
            (MemberRole.CHAIR, 1),
            (MemberRole.VICE_CHAIR, 3),
            (MemberRole.STANDING, 6),
            (MemberRole.ADVISER, 1),
        ]
        for code in DISTRICTS
    },
}

# City members who also hold a seat in a district: generated seat number → district.
CITY_MEMBERS_IN_DISTRICTS: dict[int, str] = {
    16: "tianhe",
    17: "haizhu",
    18: "baiyun",
    19: "panyu",
    20: "huadu",
}

SURNAMES = "陈黄李梁林张何刘吴罗郑谢冯周杨曾邓蔡许卢钟潘叶朱王赖麦苏胡郭温彭骆古江余黎凌汤袁"
# Characters of given names, by the usual feel of the name.
GIVEN_CHARS = (
    "伟建国志明华强俊杰文军平海涛浩宇轩嘉豪晓东永鹏振宏锦荣泽林峰勇斌超立新德",
    "丽芳敏静婷燕玲红霞慧颖欣怡雪梅秀英佩珊淑仪咏诗彤雅琪美玉凤琳晓嘉丹洁",
)

# Work units, by sector where it matters; "{a}" is the area, e.g. 天河区 or 广州市.
SECTOR_EMPLOYERS: dict[str, list[str]] = {
    "律师界": ["广东卓信律师事务所 合伙人", "广东南粤正平律师事务所 主任"],
    "医药卫生界": ["{a}人民医院 副院长", "{a}中医医院 主任医师", "{a}妇幼保健院 院长"],
    "教育界": ["{a}第一中学 校长", "{a}实验小学 副校长", "华南师范大学 教授"],
    "科技界": ["广州云启智能科技有限公司 总工程师", "中山大学 教授"],
    "社会科学界": ["广东省社会科学院 研究员", "广州大学 教授"],
    "农业界": ["广州丰源农业发展有限公司 总经理", "{a}农业技术推广中心 主任"],
    "文化艺术界": ["{a}文化馆 馆长", "广州岭南书画院 画家"],
    "新闻出版界": ["{a}融媒体中心 主任记者", "广州日报社 编辑"],
    "工商联界": ["{a}工商业联合会 副主席", "广州华粤供应链管理有限公司 董事长"],
    "妇联界": ["{a}妇女联合会 副主席"],
    "工会界": ["{a}总工会 副主席"],
    "共青团界": ["共青团{a}委员会 副书记"],
    "体育界": ["{a}体育中心 主任"],
    "社会福利和社会保障界": ["{a}残疾人联合会 理事长", "{a}社会福利院 院长"],
}
GENERAL_EMPLOYERS: list[str] = [
    "广州穗通物流有限公司 总经理",
    "广州美湾化妆品有限公司 董事长",
    "广州恒信建设工程有限公司 总工程师",
    "广州康和医疗科技有限公司 创始人",
    "广州岭南设计院有限公司 总建筑师",
    "广东穗华会计师事务所 所长",
    "广州城建开发集团有限公司 项目总监",
    "广州华南皮具有限公司 总经理",
    "广州云裳服饰有限公司 董事长",
    "广州跨境优选电子商务有限公司 总经理",
    "{a}社区卫生服务中心 主任",
    "{a}工商业联合会 副主席",
    "华南理工大学 副教授",
    "中山大学 教授",
]


def _employer(rng: random.Random, sector: str | None, area: str) -> str:
    choices = SECTOR_EMPLOYERS.get(sector or "", GENERAL_EMPLOYERS)
    return rng.choice(choices).format(a=area)


def _area_of(code: str) -> str:
    return "广州市" if code == "guangzhou" else f"{DISTRICTS[code]}区"


def _short_name(code: str) -> str:
    return next(c.short_name for c in COMMITTEES if c.code == code)


def member_username(code: str, number: int) -> str:
    return f"m.{code}.{number:03d}"


def _member_specs() -> list[MemberSpec]:
    """Every seat, in a fixed order: the demo logins' seats, then each committee's
    generated members (article names first), then the district seats of city members."""
    rng = random.Random(SEED)
    used = {s.name for s in LOGIN_SEATS} | {
        name for named in NAMED_MEMBERS.values() for name, _role in named
    }
    used |= {login.name for login in LOGINS}

    def new_name() -> str:
        while True:
            chars = rng.choice(GIVEN_CHARS)
            given = rng.choice(chars)
            if rng.random() < 0.8:
                given += rng.choice(chars.replace(given, ""))
            candidate = rng.choice(SURNAMES) + given
            if candidate not in used:
                used.add(candidate)
                return candidate

    specs = list(LOGIN_SEATS)
    for code, count in MEMBER_COUNTS.items():
        named = NAMED_MEMBERS.get(code, [])
        taken = [s.role for s in LOGIN_SEATS if s.committee == code] + [r for _n, r in named]
        roles: list[str] = []
        for role, quota in ROLE_QUOTAS[code]:
            roles += [role] * max(0, quota - taken.count(role))
        slots: list[tuple[str | None, str]] = [(n, r) for n, r in named]
        slots += [(None, r) for r in roles]
        slots += [(None, MemberRole.MEMBER)] * (count - len(slots))
        streets = STREETS.get(code, [])
        for number, (fixed_name, role) in enumerate(slots, start=1):
            name = fixed_name or new_name()
            sector = rng.choice(SECTORS[code])
            local_group = rng.choice(streets) if streets else None
            specials = tuple(
                sorted(
                    rng.sample(SPECIAL_COMMITTEES, k=1 if rng.random() < 0.7 else 2),
                    key=SPECIAL_COMMITTEES.index,
                )
            )
            if role in (MemberRole.CHAIR, MemberRole.VICE_CHAIR):
                employer = f"{_short_name(code)} {'主席' if role == MemberRole.CHAIR else '副主席'}"
            else:
                employer = _employer(rng, sector, _area_of(code))
            specs.append(
                MemberSpec(
                    member_username(code, number),
                    name,
                    code,
                    role,
                    sector,
                    local_group,
                    specials,
                    employer,
                )
            )
    city = {s.username: s for s in specs if s.committee == "guangzhou"}
    for number, district in CITY_MEMBERS_IN_DISTRICTS.items():
        seat = city[member_username("guangzhou", number)]
        specs.append(
            MemberSpec(
                seat.username,
                seat.name,
                district,
                MemberRole.MEMBER,
                rng.choice(SECTORS[district]),
                rng.choice(STREETS[district]),
                seat.special_committees,
                seat.employer,
            )
        )
    return specs


MEMBERS: list[MemberSpec] = _member_specs()

# --- Workrooms ----------------------------------------------------------------------

HOURS = [
    "周三 14:30–17:30",
    "周二、周四 9:00–12:00",
    "每月第一个周五 14:30–17:30",
    "周一至周五 9:00–17:30",
    "周六 9:30–11:30",
    "周四 15:00–18:00",
]


@dataclass(frozen=True)
class WorkroomSpec:
    code: str
    committee: str
    name: str
    kind: str
    venue: str
    address: str
    opening_hours: str
    parent: str | None = None
    guiding_special_committee: str | None = None
    guiding_local_group: str | None = None  # the town or street
    description: str = ""
    members: tuple[str, ...] = ()  # usernames; the first is the convenor
    extra_members: int = 3  # further members picked from the committee
    active: bool = True


def _tianhe_workrooms() -> list[WorkroomSpec]:
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


def _haizhu_workrooms() -> list[WorkroomSpec]:
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


def _baiyun_workrooms() -> list[WorkroomSpec]:
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


PANYU_PERSONAL_COUNT = 24
PANYU_PREPARING = frozenset({"panyu-personal-23", "panyu-personal-24"})


def _panyu_workrooms() -> list[WorkroomSpec]:
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
    street_code = {area: f"panyu-{slug}" for area, slug in PANYU_STREET_CODES.items()}
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
    for number, host in enumerate(hosts[:PANYU_PERSONAL_COUNT], start=1):
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
                active=code not in PANYU_PREPARING,
            )
        )
    return specs


def _huadu_workrooms() -> list[WorkroomSpec]:
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


WORKROOMS: list[WorkroomSpec] = [
    *_tianhe_workrooms(),
    *_haizhu_workrooms(),
    *_baiyun_workrooms(),
    *_panyu_workrooms(),
    *_huadu_workrooms(),
]

# --- Service points (政务晓屋) --------------------------------------------------------

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

# --- Public holidays (法定节假日) and make-up working days (调休) --------------------


@dataclass(frozen=True)
class HolidaySpec:
    name: str
    first: date  # first day off
    last: date  # last day off
    workdays: tuple[date, ...] = ()  # weekend days worked in exchange


# 国务院办公厅关于2026年部分节假日安排的通知.
HOLIDAYS_2026: list[HolidaySpec] = [
    HolidaySpec("元旦", date(2026, 1, 1), date(2026, 1, 3), (date(2026, 1, 4),)),
    HolidaySpec(
        "春节", date(2026, 2, 15), date(2026, 2, 23), (date(2026, 2, 14), date(2026, 2, 28))
    ),
    HolidaySpec("清明节", date(2026, 4, 4), date(2026, 4, 6)),
    HolidaySpec("劳动节", date(2026, 5, 1), date(2026, 5, 5), (date(2026, 5, 9),)),
    HolidaySpec("端午节", date(2026, 6, 19), date(2026, 6, 21)),
    HolidaySpec("中秋节", date(2026, 9, 25), date(2026, 9, 27)),
    HolidaySpec(
        "国庆节", date(2026, 10, 1), date(2026, 10, 7), (date(2026, 9, 20), date(2026, 10, 10))
    ),
]

# --- Loading ------------------------------------------------------------------------


class Writer(Protocol):
    def write(self, msg: str, /) -> Any: ...


M = TypeVar("M", bound=models.Model)
Key = tuple[Any, ...]


def _sync(
    queryset: models.QuerySet[M],
    wanted: Iterable[M],
    *,
    key: tuple[str, ...],
    fields: Sequence[str] = (),
) -> dict[Key, M]:
    """Create the rows of `wanted` missing from `queryset` (matched by the `key`
    attributes) and bring `fields` of existing ones up to date. Returns every wanted
    row, saved, by key."""
    existing = {tuple(getattr(o, k) for k in key): o for o in queryset}
    result: dict[Key, M] = {}
    missing: list[M] = []
    changed: list[M] = []
    for obj in wanted:
        obj_key = tuple(getattr(obj, k) for k in key)
        current = existing.get(obj_key)
        if current is None:
            missing.append(obj)
            result[obj_key] = obj
            continue
        stale = [f for f in fields if getattr(current, f) != getattr(obj, f)]
        for f in stale:
            setattr(current, f, getattr(obj, f))
        if stale:
            changed.append(current)
        result[obj_key] = current
    manager = queryset.model._default_manager
    if missing:
        manager.bulk_create(missing)
        if any(o.pk is None for o in missing):  # a database that returns no ids
            fresh = {tuple(getattr(o, k) for k in key): o for o in queryset.all()}
            result = {k: fresh[k] for k in result}
    if changed:
        manager.bulk_update(changed, list(fields))
    return result


@dataclass
class _Loaded:
    committees: dict[str, Committee] = field(default_factory=dict)
    sectors: dict[Key, Sector] = field(default_factory=dict)
    specials: dict[Key, SpecialCommittee] = field(default_factory=dict)
    groups: dict[Key, LocalGroup] = field(default_factory=dict)
    departments: dict[Key, Department] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    seats: dict[Key, Member] = field(default_factory=dict)  # (username, committee code)
    workrooms: dict[str, Workroom] = field(default_factory=dict)
    created_users: int = 0
    activated: int = 0


def seed_demo(*, stdout: Writer | None = None) -> None:
    """Load the demo data; safe to run again (see the module docstring)."""
    started = time.monotonic()
    loaded = _Loaded()
    with transaction.atomic():
        _load_committees(loaded)
        _load_organisation(loaded)
        _load_departments(loaded)
        _load_users(loaded)
        _load_members(loaded)
        _load_positions(loaded)
        _load_workrooms(loaded)
        _load_memberships(loaded)
        _load_service_points(loaded)
        _activate_workrooms(loaded)
        load_calendar()
    if stdout is not None:
        stdout.write(
            f"演示数据已就绪：{len(loaded.committees)} 个政协、{len(loaded.seats)} 个委员席位、"
            f"{len(loaded.workrooms)} 个履职平台；新建账号 {loaded.created_users} 个，"
            f"启用工作室 {loaded.activated} 个；用时 {time.monotonic() - started:.1f} 秒。\n"
        )


def _load_committees(loaded: _Loaded) -> None:
    for order, spec in enumerate(COMMITTEES):
        committee, _created = Committee.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "short_name": spec.short_name,
                "level": spec.level,
                "parent": loaded.committees[spec.parent] if spec.parent else None,
                "address": spec.address,
                "order": order,
            },
        )
        loaded.committees[spec.code] = committee


def _load_organisation(loaded: _Loaded) -> None:
    c = loaded.committees
    ids = [committee.pk for committee in c.values()]
    sectors = _sync(
        Sector.objects.filter(committee_id__in=ids),
        (
            Sector(committee=c[code], name=name, order=order)
            for code, names in SECTORS.items()
            for order, name in enumerate(names)
        ),
        key=("committee_id", "name"),
        fields=("order",),
    )
    specials = _sync(
        SpecialCommittee.objects.filter(committee_id__in=ids),
        (
            SpecialCommittee(committee=c[code], name=name, order=order)
            for code in MEMBER_COUNTS
            for order, name in enumerate(SPECIAL_COMMITTEES)
        ),
        key=("committee_id", "name"),
        fields=("order",),
    )
    groups = _sync(
        LocalGroup.objects.filter(committee_id__in=ids),
        (
            LocalGroup(committee=c[code], name=local_group_name(area), area=area, order=order)
            for code, areas in STREETS.items()
            for order, area in enumerate(areas)
        ),
        key=("committee_id", "name"),
        fields=("area", "order"),
    )
    # Re-key by (committee code, name or area) for the loaders below.
    code_of = {committee.pk: code for code, committee in c.items()}
    loaded.sectors = {(code_of[k[0]], k[1]): v for k, v in sectors.items()}
    loaded.specials = {(code_of[k[0]], k[1]): v for k, v in specials.items()}
    loaded.groups = {(code_of[k[0]], v.area): v for k, v in groups.items()}


def _load_departments(loaded: _Loaded) -> None:
    c = loaded.committees
    departments = _sync(
        Department.objects.filter(committee_id__in=[x.pk for x in c.values()]),
        (
            Department(committee=c[d.committee], name=d.name, short_name=d.short_name, kind=d.kind)
            for d in DEPARTMENTS
        ),
        key=("committee_id", "name"),
        fields=("short_name", "kind"),
    )
    code_of = {committee.pk: code for code, committee in c.items()}
    loaded.departments = {(code_of[k[0]], k[1]): v for k, v in departments.items()}


def _load_users(loaded: _Loaded) -> None:
    wanted: dict[str, User] = {}
    for seat in MEMBERS:
        if seat.username not in wanted:
            user = User(username=seat.username, name=seat.name)
            user.set_unusable_password()
            wanted[seat.username] = user
    logins = {login.username: login for login in LOGINS}
    existing = set(
        User.objects.filter(username__in=list(logins)).values_list("username", flat=True)
    )
    # PBKDF2 takes about a second a hash: the (public) demo password is hashed once and
    # the hash shared by the demo logins created in this run.
    encoded = make_password(DEMO_PASSWORD) if set(logins) - existing else ""
    for login in LOGINS:
        user = User(
            username=login.username,
            name=login.name,
            is_staff=login.is_staff,
            is_superuser=login.is_superuser,
            password=encoded,
        )
        wanted[login.username] = user
    members_only = [u for name, u in wanted.items() if name not in logins]
    before = User.objects.filter(username__in=list(wanted)).count()
    users = _sync(
        User.objects.filter(username__in=[u.username for u in members_only]),
        members_only,
        key=("username",),
        fields=("name",),
    )
    users |= _sync(
        User.objects.filter(username__in=list(logins)),
        [wanted[name] for name in logins],
        key=("username",),
        fields=("name", "is_staff", "is_superuser"),
    )
    loaded.users = {k[0]: v for k, v in users.items()}
    loaded.created_users = len(wanted) - before


def _load_members(loaded: _Loaded) -> None:
    wanted = [
        Member(
            user=loaded.users[s.username],
            committee=loaded.committees[s.committee],
            role=s.role,
            sector=loaded.sectors[(s.committee, s.sector)] if s.sector else None,
            local_group=loaded.groups[(s.committee, s.local_group)] if s.local_group else None,
            employer=s.employer,
        )
        for s in MEMBERS
    ]
    seats = _sync(
        Member.objects.filter(committee_id__in=[c.pk for c in loaded.committees.values()]),
        wanted,
        key=("user_id", "committee_id"),
        fields=("role", "sector_id", "local_group_id", "employer"),
    )
    for spec, member in zip(MEMBERS, wanted, strict=True):
        loaded.seats[(spec.username, spec.committee)] = seats[(member.user_id, member.committee_id)]
    through = Member.special_committees.through
    seat_ids = [m.pk for m in loaded.seats.values()]
    have = set(
        through.objects.filter(member_id__in=seat_ids).values_list(
            "member_id", "specialcommittee_id"
        )
    )
    links = [
        (loaded.seats[(s.username, s.committee)].pk, loaded.specials[(s.committee, name)].pk)
        for s in MEMBERS
        for name in s.special_committees
    ]
    through.objects.bulk_create(
        [
            through(member_id=member_id, specialcommittee_id=special_id)
            for member_id, special_id in links
            if (member_id, special_id) not in have
        ]
    )


def _load_positions(loaded: _Loaded) -> None:
    users, committees = loaded.users, loaded.committees
    logins = LOGINS
    user_ids = [users[login.username].pk for login in logins]
    _sync(
        StaffPosition.objects.filter(user_id__in=user_ids),
        (
            StaffPosition(user=users[login.username], committee=committees[code], role=role)
            for login in logins
            for code in login.staff_of
            for role in StaffRole.values
        ),
        key=("user_id", "committee_id", "role"),
    )
    _sync(
        LeaderPosition.objects.filter(user_id__in=user_ids),
        (
            LeaderPosition(user=users[login.username], committee=committees[code], title=title)
            for login in logins
            for code, title in login.leader_of
        ),
        key=("user_id", "committee_id", "title"),
    )
    _sync(
        DepartmentClerk.objects.filter(user_id__in=user_ids),
        (
            DepartmentClerk(user=users[login.username], department=loaded.departments[(code, name)])
            for login in logins
            for code, name in login.clerk_of
        ),
        key=("user_id", "department_id"),
    )


def _depth(spec: WorkroomSpec, by_code: dict[str, WorkroomSpec]) -> int:
    return 0 if spec.parent is None else 1 + _depth(by_code[spec.parent], by_code)


def _load_workrooms(loaded: _Loaded) -> None:
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
        rooms = _sync(
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


def _load_memberships(loaded: _Loaded) -> None:
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
    _sync(
        WorkroomMembership.objects.filter(
            workroom_id__in=[w.pk for w in loaded.workrooms.values()]
        ),
        wanted,
        key=("workroom_id", "member_id"),
        fields=("role",),
    )


def _load_service_points(loaded: _Loaded) -> None:
    c = loaded.committees
    _sync(
        ServicePoint.objects.filter(committee_id__in=[x.pk for x in c.values()]),
        (
            ServicePoint(committee=c[code], name=name, address=address, opening_hours=SERVICE_HOURS)
            for code, name, address in SERVICE_POINTS
        ),
        key=("committee_id", "name"),
        fields=("address", "opening_hours"),
    )


def _activate_workrooms(loaded: _Loaded) -> None:
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


def load_calendar(holidays: Sequence[HolidaySpec] = HOLIDAYS_2026) -> int:
    """Enter the holiday schedule in the working-day calendar; returns the days entered.
    Only the exceptions are rows: the weekdays off, and the weekend days worked (a weekend
    day off is off anyway). Idempotent: each day is matched by its date."""
    days: dict[date, tuple[str, str]] = {}
    for spec in holidays:
        day = spec.first
        while day <= spec.last:
            if day.weekday() < 5:
                days[day] = (DayKind.HOLIDAY, spec.name)
            day += timedelta(days=1)
        for workday in spec.workdays:
            if workday.weekday() >= 5:
                days[workday] = (DayKind.WORKDAY, spec.name)
    for day, (kind, name) in days.items():
        CalendarDay.objects.update_or_create(date=day, defaults={"kind": kind, "name": name})
    return len(days)


# --- The logins table ---------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def demo_logins_table() -> str:
    """The demo logins as a plain-text table: username, password, role."""
    rows = [("用户名", "密码", "角色")] + [(u, DEMO_PASSWORD, d) for u, d in DEMO_LOGINS]
    widths = [max(_width(row[i]) for row in rows) for i in range(3)]
    lines = [
        "  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
