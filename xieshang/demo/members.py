"""Demo data: the people. The demo logins (staff of each committee, a member, a clerk,
a leader, the superuser) with their positions, and the members' seats: the logins' own,
then each committee's generated members (the article's named people first, the rest with
names made up by a seeded `random.Random`), then the district seats of some city members.
Also `demo_logins_table()`, the logins as `manage.py seed_demo` lists them.

`load_members()` creates the accounts (matched by username), the seats (by user and
committee) with their special committees, and the positions. Only the demo logins get a
password (`DEMO_PASSWORD`), and only when they are created; every other member account has
an unusable password.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from xieshang.demo.base import DEMO_PASSWORD, SEED, SUPERUSER, Loaded, sync
from xieshang.demo.organisation import (
    COMMITTEES,
    DEPARTMENTS,
    DISTRICTS,
    SECTORS,
    SPECIAL_COMMITTEES,
    STREETS,
)
from xieshang.people.models import (
    DepartmentClerk,
    LeaderPosition,
    LeaderTitle,
    Member,
    MemberRole,
    StaffPosition,
    StaffRole,
    User,
)

# --- Demo logins --------------------------------------------------------------------

DEMO_LOGINS: list[tuple[str, str]] = [
    ("admin", "系统管理员（超级用户）"),
    ("tianhe.staff", "天河区政协机关工作人员（提案、联络、工作室、系统管理）"),
    ("tianhe.member", "天河区政协委员（律师界），珠江新城东塔政协委员工作室召集人"),
    ("tianhe.clerk", "天河区住房和城乡建设局承办人"),
    ("tianhe.leader", "天河区政协主席（督办重点提案）"),
    ("tianhe.d01.head", "每个承办单位一名承办人（.clerk）和一名负责人（.head，审签答复）"),
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

# --- Loading ------------------------------------------------------------------------


def load_members(loaded: Loaded) -> None:
    """The accounts, the members' seats and the positions of the demo logins."""
    _load_users(loaded)
    _load_seats(loaded)
    _load_positions(loaded)
    _load_department_staff(loaded)


def _load_users(loaded: Loaded) -> None:
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
    users = sync(
        User.objects.filter(username__in=[u.username for u in members_only]),
        members_only,
        key=("username",),
        fields=("name",),
    )
    users |= sync(
        User.objects.filter(username__in=list(logins)),
        [wanted[name] for name in logins],
        key=("username",),
        fields=("name", "is_staff", "is_superuser"),
    )
    loaded.users = {k[0]: v for k, v in users.items()}
    loaded.created_users = len(wanted) - before


def _load_seats(loaded: Loaded) -> None:
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
    seats = sync(
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


def _load_positions(loaded: Loaded) -> None:
    users, committees = loaded.users, loaded.committees
    logins = LOGINS
    user_ids = [users[login.username].pk for login in logins]
    sync(
        StaffPosition.objects.filter(user_id__in=user_ids),
        (
            StaffPosition(user=users[login.username], committee=committees[code], role=role)
            for login in logins
            for code in login.staff_of
            for role in StaffRole.values
        ),
        key=("user_id", "committee_id", "role"),
    )
    sync(
        LeaderPosition.objects.filter(user_id__in=user_ids),
        (
            LeaderPosition(user=users[login.username], committee=committees[code], title=title)
            for login in logins
            for code, title in login.leader_of
        ),
        key=("user_id", "committee_id", "title"),
    )
    sync(
        DepartmentClerk.objects.filter(user_id__in=user_ids),
        (
            DepartmentClerk(user=users[login.username], department=loaded.departments[(code, name)])
            for login in logins
            for code, name in login.clerk_of
        ),
        key=("user_id", "department_id"),
    )


def department_staff_usernames() -> list[tuple[str, str, str, str, bool]]:
    """(username, name, committee code, department name, is head): a clerk (承办人) and a
    head (负责人, who approves the reply) for every demo department, so that a reply can
    be carried to the end in the demo. Usernames like `tianhe.d03.clerk`, numbered in
    the order of the departments of each committee."""
    rows: list[tuple[str, str, str, str, bool]] = []
    numbers: dict[str, int] = {}
    for spec in DEPARTMENTS:
        numbers[spec.committee] = numbers.get(spec.committee, 0) + 1
        prefix = f"{spec.committee}.d{numbers[spec.committee]:02d}"
        for role, title, head in (("clerk", "承办人", False), ("head", "负责人", True)):
            rows.append(
                (f"{prefix}.{role}", f"{spec.short_name}{title}", spec.committee, spec.name, head)
            )
    return rows


def _load_department_staff(loaded: Loaded) -> None:
    rows = department_staff_usernames()
    names = [row[0] for row in rows]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    # One hash of the (public) demo password, shared, and only when an account is new.
    encoded = make_password(DEMO_PASSWORD) if set(names) - existing else ""
    users = sync(
        User.objects.filter(username__in=names),
        [User(username=u, name=name, password=encoded) for u, name, _c, _d, _h in rows],
        key=("username",),
        fields=("name",),
    )
    user_ids = [user.pk for user in users.values()]
    sync(
        DepartmentClerk.objects.filter(user_id__in=user_ids),
        (
            DepartmentClerk(
                user=users[(username,)],
                department=loaded.departments[(code, department)],
                is_head=head,
            )
            for username, _name, code, department, head in rows
        ),
        key=("user_id", "department_id"),
        fields=("is_head",),
    )


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
