"""Demo data: 广东省政协 → 广州市政协 → the five district committees of the article, and
in them the sectors (界别), special committees (专委会), local groups (地方组, one per
town or street) and the departments that handle referrals (the districts' bureaus, some
streets' and towns' offices, a few of the city's).

`load_organisation()` loads them in that order; the committees are matched by code,
everything else by (committee, name).
"""

from __future__ import annotations

from dataclasses import dataclass

from xieshang.core.models import Committee, CommitteeLevel
from xieshang.demo.base import Loaded, sync
from xieshang.people.models import Department, DepartmentKind, LocalGroup, Sector, SpecialCommittee

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
# The committees with members in the demo (all but the province's), each with every one
# of the special committees above.
MEMBER_COMMITTEES: list[str] = ["guangzhou", *DISTRICTS]

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

# --- Loading ------------------------------------------------------------------------


def load_organisation(loaded: Loaded) -> None:
    """The committees, their sectors, special committees and local groups, then the
    departments."""
    _load_committees(loaded)
    _load_bodies(loaded)
    _load_departments(loaded)


def _load_committees(loaded: Loaded) -> None:
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


def _load_bodies(loaded: Loaded) -> None:
    """The sectors, special committees and local groups of the committees."""
    c = loaded.committees
    ids = [committee.pk for committee in c.values()]
    sectors = sync(
        Sector.objects.filter(committee_id__in=ids),
        (
            Sector(committee=c[code], name=name, order=order)
            for code, names in SECTORS.items()
            for order, name in enumerate(names)
        ),
        key=("committee_id", "name"),
        fields=("order",),
    )
    specials = sync(
        SpecialCommittee.objects.filter(committee_id__in=ids),
        (
            SpecialCommittee(committee=c[code], name=name, order=order)
            for code in MEMBER_COMMITTEES
            for order, name in enumerate(SPECIAL_COMMITTEES)
        ),
        key=("committee_id", "name"),
        fields=("order",),
    )
    groups = sync(
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


def _load_departments(loaded: Loaded) -> None:
    c = loaded.committees
    departments = sync(
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
