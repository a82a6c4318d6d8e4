"""Demo consultations (协商议事), after the article: 天河's 8 topics of the year (龙口东路
下水道返臭 with its site visit, from the citizens' suggestions), 海珠's 26 consultations with
200-odd opinions — among them the one joint with the city (广州塔—琶洲, 市区联动) whose
建议书 has 4 categories and 11 aspects, all adopted — and 番禺's 主席会议 专题视察协商 on
改善交通出行环境 (the topic a suggestion's disposition already opened).

`seed_consultations()` runs after the suggestions (which it links to). Idempotent: a topic
is matched by committee, year and title; its events, opinions and sendings are written only
while it has none, through the services, as the staff and clerks who would do it. The
topics are dated back to the start of the year (the demo writes that field directly), so
their events can fall in the months before today.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from xieshang.consultations.models import (
    Adoption,
    ConsultationAction,
    InviteeKind,
    Meeting,
    MeetingKind,
    OrganiserKind,
    Topic,
    TopicKind,
)
from xieshang.consultations.services import (
    InviteeInput,
    MeetingInput,
    OpinionInput,
    TopicInput,
    invitation_answer,
    invitation_create,
    meeting_record,
    opinion_record,
    opinion_send,
    sending_reply,
    sending_transition,
    topic_create,
    topic_issue,
    topic_update,
)
from xieshang.core.models import Committee
from xieshang.demo.base import SUPERUSER
from xieshang.people.models import Department, Member, User
from xieshang.suggestions.models import Suggestion

YEAR = 2026


@dataclass(frozen=True)
class EventSpec:
    kind: str
    day: date
    place: str
    agenda: str = ""
    participants: str = ""
    count: int = 0


@dataclass(frozen=True)
class OpinionSpec:
    category: str
    text: str
    department: str = ""  # sent to it when given
    adoption: str = ""  # the department's reply, when given
    reply: str = ""


@dataclass(frozen=True)
class TopicSpec:
    committee: str
    title: str
    kind: str
    organiser_kind: str = OrganiserKind.COMMITTEE
    organiser_name: str = ""
    departments: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()  # idempotency keys of the demo suggestions
    other_sources: str = ""
    is_joint: bool = False
    summary: str = ""
    events: tuple[EventSpec, ...] = ()
    opinions: tuple[OpinionSpec, ...] = ()
    issue: bool = False
    staff: str = ""
    clerk: str = SUPERUSER  # who replies for the departments without a demo clerk
    extra: dict[str, str] = field(default_factory=dict)


def _d(month: int, day: int) -> date:
    return date(YEAR, month, day)


# --- 天河: 8 topics ----------------------------------------------------------------------

TIANHE: list[TopicSpec] = [
    TopicSpec(
        "tianhe",
        "龙口东路下水道返臭",
        TopicKind.GRASSROOTS,
        OrganiserKind.LOCAL_GROUP,
        "天河南街地方组",
        departments=("天河区水务局", "天河区住房和城乡建设局"),
        suggestions=("demo-001", "demo-002"),
        summary="群众反映龙口东路段下水道长期返臭，委员会同水务、住建部门现场视察，协商整治方案。",
        events=(
            EventSpec(
                MeetingKind.SITE_VISIT,
                _d(5, 14),
                "龙口东路（天河北路至龙口西路段）",
                "察看排水口和化粪池，听取街道和水务部门情况介绍",
                "天河南街地方组委员、天河区水务局、天河区住房和城乡建设局、龙口东社区居民代表",
                18,
            ),
            EventSpec(
                MeetingKind.MEETING,
                _d(5, 28),
                "天河南街党群服务中心",
                "协商整治方案",
                "委员、部门负责人、居民代表、排水专家",
                22,
            ),
        ),
        opinions=(
            OpinionSpec(
                "排水设施",
                "对龙口东路段排水管网开展全面清淤和破损检测，年内完成雨污分流改造。",
                "天河区水务局",
                Adoption.ADOPTED,
                "已完成龙口东路段1.2公里管网清淤和检测，雨污分流改造于10月完工，返臭问题已解决。",
            ),
            OpinionSpec(
                "排水设施",
                "对沿线老旧小区化粪池进行排查，督促物业定期清掏。",
                "天河区住房和城乡建设局",
                Adoption.PARTLY,
                "已排查沿线12个小区化粪池，督促物业建立清掏台账，后续纳入老旧小区改造。",
            ),
            OpinionSpec("长效管理", "建立街道、水务、物业联动的巡查机制，群众反映问题限时处置。"),
        ),
        issue=True,
        staff="tianhe.staff",
    ),
    *(
        TopicSpec(
            "tianhe",
            title,
            kind,
            OrganiserKind.SPECIAL_COMMITTEE if i % 2 else OrganiserKind.COMMITTEE,
            "经济科技委员会" if i % 2 else "",
            departments=(department,),
            events=(EventSpec(MeetingKind.MEETING, _d(3 + i, 10), place, "", "", 15 + i),),
            opinions=tuple(OpinionSpec(category, text) for category, text in opinions),
            staff="tianhe.staff",
        )
        for i, (title, kind, department, place, opinions) in enumerate(
            [
                (
                    "珠江新城地下空间互联互通",
                    TopicKind.THEMATIC,
                    "天河区住房和城乡建设局",
                    "区政协会议室",
                    [("规划", "统筹地下空间规划，打通地铁站与商业体连廊。")],
                ),
                (
                    "天河路商圈夜间经济",
                    TopicKind.COUNTERPART,
                    "天河区商务局",
                    "天河路商会",
                    [("商业", "延长商圈公共交通运营时间。"), ("管理", "优化夜间外摆审批。")],
                ),
                (
                    "老旧小区加装电梯协商",
                    TopicKind.GRASSROOTS,
                    "天河区住房和城乡建设局",
                    "石牌街社区议事厅",
                    [("审批", "推行加装电梯一站式审批。"), ("协商", "发挥委员工作室调解作用。")],
                ),
                (
                    "中小学课后服务提质",
                    TopicKind.SECTOR,
                    "天河区教育局",
                    "天河区教育局",
                    [("资源", "引入高校和场馆资源开设特色课程。")],
                ),
                (
                    "社区嵌入式养老服务",
                    TopicKind.FORUM,
                    "天河区卫生健康局",
                    "林和街长者中心",
                    [("设施", "利用闲置物业建设养老服务点。"), ("人才", "完善护理员培训激励。")],
                ),
                (
                    "猎德涌水环境治理视察",
                    TopicKind.INSPECTION,
                    "天河区水务局",
                    "猎德涌沿线",
                    [("治水", "加快截污纳管，巩固黑臭水体治理成效。")],
                ),
                (
                    "重点提案办理协商：软件园企业出海",
                    TopicKind.PROPOSAL,
                    "天河区商务局",
                    "天河软件园",
                    [("服务", "建立企业出海合规服务平台。")],
                ),
            ],
            start=1,
        )
    ),
]


# --- 海珠: 26 consultations, 200+ opinions -------------------------------------------------

# The 建议书 of the joint city–海珠 consultation: 4 categories, 11 aspects.
PAZHOU_OPINIONS: list[tuple[str, str, str]] = [
    ("交通组织", "优化广州塔至琶洲段公交线网，增开高峰接驳线路。", "海珠区交通运输局"),
    ("交通组织", "完善琶洲西区停车诱导系统，新增公共停车泊位。", "海珠区交通运输局"),
    ("交通组织", "打通滨江慢行系统断点，实现广州塔至琶洲步行骑行贯通。", "海珠区交通运输局"),
    ("公共空间", "提升滨江绿道照明和休憩设施，增设无障碍设施。", "海珠区城市管理和综合执法局"),
    ("公共空间", "利用桥下空间建设口袋公园和运动场地。", "海珠区住房和城乡建设局"),
    ("公共空间", "统一沿江建筑立面和夜景灯光管理标准。", "海珠区城市管理和综合执法局"),
    ("产业配套", "完善琶洲数字经济企业人才公寓和子女入学配套。", "海珠区商务局"),
    ("产业配套", "引进品质商业和餐饮，补齐琶洲夜间消费短板。", "海珠区商务局"),
    ("产业配套", "建设会展期间临时交通和服务保障机制。", "海珠区商务局"),
    ("城市管理", "建立市区联动的滨江区域综合执法协作机制。", "海珠区城市管理和综合执法局"),
    ("城市管理", "加强会展和节假日人流监测与应急疏导。", "海珠区城市管理和综合执法局"),
]
PAZHOU_REPLIES: list[tuple[str, str]] = [
    (Adoption.ADOPTED, "已新开两条高峰接驳线路，广州塔至琶洲段平均候车时间缩短至8分钟。"),
    (Adoption.ADOPTED, "停车诱导系统已上线，新增公共泊位600个。"),
    (Adoption.ADOPTED, "滨江慢行系统三处断点已打通。"),
    (Adoption.ADOPTED, "已完成4公里绿道照明提升，增设无障碍坡道12处。"),
    (Adoption.ADOPTED, "两处桥下空间已建成口袋公园和篮球场。"),
    (Adoption.ADOPTED, "已出台沿江夜景灯光管理导则。"),
    (Adoption.ADOPTED, "新增人才公寓800套，琶洲片区新增学位1200个。"),
    (Adoption.PARTLY, "已引进品牌餐饮12家，夜间消费街区建设中。"),
    (Adoption.ADOPTED, "会展交通保障方案已纳入每届展会工作机制。"),
    (Adoption.ADOPTED, "市区联合执法协作机制已建立并运行。"),
    (Adoption.ADOPTED, "人流监测平台已覆盖滨江重点区域。"),
]

PAZHOU = TopicSpec(
    "haizhu",
    "广州塔—琶洲滨江区域品质提升联动协商",
    TopicKind.LINKED,
    OrganiserKind.COMMITTEE,
    "广州市政协、海珠区政协",
    departments=(
        "海珠区交通运输局",
        "海珠区住房和城乡建设局",
        "海珠区城市管理和综合执法局",
        "海珠区商务局",
    ),
    suggestions=("demo-014",),
    other_sources="市政协委员调研建议；海珠区政协重点提案",
    is_joint=True,
    summary="市区两级政协联合调研、联合视察、联动协商，形成4个类别11个方面的意见建议，"
    "以建议书报送有关部门，均被采纳。",
    events=(
        EventSpec(
            MeetingKind.SITE_VISIT,
            _d(4, 16),
            "广州塔至琶洲滨江沿线",
            "联合视察滨江交通、公共空间和产业配套",
            "市政协委员、海珠区政协委员、市区有关部门负责人",
            36,
        ),
        EventSpec(
            MeetingKind.MEETING,
            _d(6, 18),
            "琶洲街协商民主基层示范点",
            "联动协商，形成建议书",
            "市政协委员、海珠区政协委员、部门负责人、企业和居民代表、专家",
            42,
        ),
    ),
    opinions=tuple(
        OpinionSpec(category, text, department, adoption, reply)
        for (category, text, department), (adoption, reply) in zip(
            PAZHOU_OPINIONS, PAZHOU_REPLIES, strict=True
        )
    ),
    issue=True,
    staff="haizhu.staff",
)

HAIZHU_THEMES: list[str] = [
    "海珠湿地周边交通微循环",
    "老旧小区加装电梯",
    "电动自行车集中充电设施",
    "城中村治理",
    "社区居家养老服务",
    "中小学学位供给",
    "背街小巷环境整治",
    "海珠涌水环境治理",
    "菜市场升级改造",
    "无障碍环境建设",
    "社区托育服务",
    "琶洲人才安居配套",
    "滨江夜景与文旅融合",
    "历史文化街区活化",
    "垃圾分类长效管理",
    "停车难问题",
    "社区卫生服务能力",
    "小微企业融资",
    "新就业形态劳动者权益",
    "沙园街旧厂房活化",
    "赤岗街公共空间微改造",
    "江海街道路交通安全",
    "南石头街社区治理",
    "餐饮油烟扰民治理",
    "校园周边交通安全",
]
OPINION_TEMPLATES: list[tuple[str, str]] = [
    ("规划建设", "将{t}纳入年度重点项目，明确牵头部门和完成时限。"),
    ("资金保障", "加大{t}财政投入，探索社会资本参与。"),
    ("部门协同", "建立{t}部门联席会议制度，定期通报进展。"),
    ("群众参与", "在{t}中推行居民议事会，听取群众意见。"),
    ("长效管理", "制定{t}长效管理办法，落实日常巡查。"),
    ("示范引领", "选取试点推进{t}，总结经验逐步推广。"),
    ("考核督办", "把{t}纳入街道工作考核，政协跟踪民主监督。"),
    ("宣传引导", "加强{t}政策宣传，回应群众关切。"),
]
HAIZHU_KINDS = [
    TopicKind.THEMATIC,
    TopicKind.COUNTERPART,
    TopicKind.SECTOR,
    TopicKind.GRASSROOTS,
    TopicKind.INSPECTION,
    TopicKind.FORUM,
    TopicKind.PROPOSAL,
]
HAIZHU_STREETS = ["赤岗街", "琶洲街", "南石头街", "沙园街", "江海街"]

HAIZHU: list[TopicSpec] = [
    PAZHOU,
    *(
        TopicSpec(
            "haizhu",
            f"{theme}专题协商",
            HAIZHU_KINDS[i % len(HAIZHU_KINDS)],
            OrganiserKind.LOCAL_GROUP if i % 3 == 0 else OrganiserKind.COMMITTEE,
            f"{HAIZHU_STREETS[i % len(HAIZHU_STREETS)]}地方组" if i % 3 == 0 else "",
            events=(
                EventSpec(
                    MeetingKind.MEETING,
                    _d(2 + i % 9, 5 + i % 20),
                    f"{HAIZHU_STREETS[i % len(HAIZHU_STREETS)]}协商议事厅",
                    f"围绕{theme}开展协商",
                    "委员、部门负责人、居民代表",
                    12 + i % 15,
                ),
            ),
            opinions=tuple(
                OpinionSpec(category, text.format(t=theme)) for category, text in OPINION_TEMPLATES
            ),
            issue=i % 2 == 0,
            staff="haizhu.staff",
        )
        for i, theme in enumerate(HAIZHU_THEMES)
    ),
]


# --- 番禺: 主席会议 专题视察协商 ------------------------------------------------------------

PANYU: list[TopicSpec] = [
    TopicSpec(
        "panyu",
        "改善交通出行环境",  # opened by demo-019's disposition (列入…“改善交通出行环境”…)
        TopicKind.INSPECTION,
        OrganiserKind.COMMITTEE,
        "区政协主席会议",
        departments=("番禺区交通运输局", "番禺区住房和城乡建设局"),
        suggestions=("demo-019",),
        summary="区政协主席会议专题视察协商改善交通出行环境，群众关心的南大干线人行道问题纳入议题。",
        events=(
            EventSpec(
                MeetingKind.SITE_VISIT,
                _d(9, 17),
                "南大干线谷围新邨段、番禺广场周边",
                "视察道路和慢行系统建设",
                "区政协主席、副主席、常委、区交通运输局负责人",
                26,
            ),
            EventSpec(
                MeetingKind.MEETING,
                _d(9, 24),
                "区政协主席会议室",
                "主席会议专题协商",
                "主席会议成员、区有关部门负责人",
                20,
            ),
        ),
        opinions=(
            OpinionSpec(
                "慢行系统",
                "加快南大干线谷围新邨段南侧人行道建设，保障居民和学生出行安全。",
                "番禺区交通运输局",
                Adoption.PARTLY,
                "人行道建设方案已完成设计，计划明年一季度开工。",
            ),
            OpinionSpec("公共交通", "优化番禺广场周边公交线网和地铁接驳。", "番禺区交通运输局"),
            OpinionSpec("道路建设", "打通区内断头路，提升路网连通性。"),
        ),
        issue=True,
        staff="panyu.staff",
    ),
]

TOPICS: list[TopicSpec] = [*TIANHE, *HAIZHU, *PANYU]


def _start_of_year() -> datetime:
    return timezone.make_aware(datetime.combine(date(YEAR, 1, 1), time(9)))


def _seed_topic(spec: TopicSpec, committee: Committee, users: dict[str, User]) -> int:
    """Write one topic and what belongs to it; the number of opinions written."""
    staff = users[spec.staff]
    departments = {
        d.name: d for d in Department.objects.filter(committee=committee, is_active=True)
    }
    data = TopicInput(
        title=spec.title,
        kind=spec.kind,
        year=YEAR,
        organiser_kind=spec.organiser_kind,
        organiser_name=spec.organiser_name,
        departments=[departments[name] for name in spec.departments],
        suggestions=list(
            Suggestion.objects.filter(committee=committee, idempotency_key__in=spec.suggestions)
        ),
        other_sources=spec.other_sources,
        is_joint=spec.is_joint,
        summary=spec.summary,
    )
    topic = Topic.objects.filter(committee=committee, year=YEAR, title=spec.title).first()
    if topic is None:
        topic = topic_create(committee=committee, data=data, actor=staff)
    elif topic.meetings.exists():
        return 0  # seeded already
    else:  # opened by a suggestion's disposition: the plan's details filled in
        topic = topic_update(topic=topic, data=data, actor=staff)
    if topic.created_at > _start_of_year():
        Topic.objects.filter(pk=topic.pk).update(created_at=_start_of_year())
        topic.created_at = _start_of_year()
    meetings = [
        meeting_record(
            topic=topic,
            data=MeetingInput(
                kind=e.kind,
                date=e.day,
                place=e.place,
                agenda=e.agenda,
                participants=e.participants,
                participant_count=e.count,
            ),
            actor=staff,
        )
        for e in spec.events
    ]
    last = meetings[-1] if meetings else None
    for o in spec.opinions:
        opinion = opinion_record(
            topic=topic,
            data=OpinionInput(text=o.text, category=o.category, meeting=last),
            actor=staff,
        )
        if not o.department:
            continue
        sending = opinion_send(opinion=opinion, department=departments[o.department], actor=staff)
        if not o.adoption:
            continue
        clerk = users[spec.clerk]
        sending_transition(sending=sending, action="sign", actor=clerk, expected_state="sent")
        sending_reply(
            sending=sending,
            actor=clerk,
            adoption=o.adoption,
            text=o.reply,
            expected_state="signed",
        )
        if o.adoption == Adoption.ADOPTED:
            sending_transition(
                sending=sending, action="approve", actor=staff, expected_state="replied"
            )
    if spec.issue and spec.opinions:
        topic_issue(topic=topic, actor=staff, expected_state=topic.status)
    return len(spec.opinions)


# --- Invitations: who was asked to the article's consultation events, and their answers ----


@dataclass(frozen=True)
class GuestSpec:
    kind: str
    name: str
    organisation: str
    phone: str = ""
    email: str = ""
    answer: str = ""  # "accept", "decline" or "" (not answered)
    reason: str = ""


@dataclass(frozen=True)
class InvitationsSpec:
    committee: str
    topic: str
    place: str  # the event's place, which names it within the topic
    members: int  # how many of the committee's members are invited
    member_answers: str  # one letter per member: a(ccept), d(ecline), -(no answer)
    guests: tuple[GuestSpec, ...] = ()
    days_ahead: int = 0  # an event this many days from today, written when missing


G = GuestSpec
OFFICIAL, CITIZEN, EXPERT = InviteeKind.OFFICIAL, InviteeKind.CITIZEN, InviteeKind.EXPERT
INVITATIONS: list[InvitationsSpec] = [
    InvitationsSpec(
        "tianhe",
        "龙口东路下水道返臭",
        "天河南街党群服务中心",
        members=6,
        member_answers="aaada-",
        guests=(
            G(OFFICIAL, "陈志明", "天河区水务局 副局长", "13700001001", answer="accept"),
            G(OFFICIAL, "黄立新", "天河区住房和城乡建设局 科长", "13700001002", answer="accept"),
            G(CITIZEN, "李阿姨", "龙口东社区居民代表", "13700001003", answer="accept"),
            G(
                CITIZEN,
                "王先生",
                "龙口东社区居民代表",
                "13700001004",
                answer="decline",
                reason="当天值班，委托邻居李阿姨反映意见",
            ),
            G(
                EXPERT,
                "钟伟强",
                "广州市市政工程设计研究总院 高级工程师",
                email="zhong@example.com",
                answer="accept",
            ),
        ),
    ),
    InvitationsSpec(
        "panyu",
        "改善交通出行环境",
        "区政协主席会议室",
        members=5,
        member_answers="aaaad",
        guests=(
            G(OFFICIAL, "何建军", "番禺区交通运输局 局长", "13700002001", answer="accept"),
            G(
                OFFICIAL,
                "梁志华",
                "番禺区住房和城乡建设局 副局长",
                "13700002002",
                answer="decline",
                reason="同期参加市里会议，由科室负责人代为出席",
            ),
            G(CITIZEN, "谭女士", "谷围新邨居民代表", "13700002003"),
        ),
    ),
    InvitationsSpec(
        "haizhu",
        "广州塔—琶洲滨江区域品质提升联动协商",
        "琶洲街协商民主基层示范点",
        members=6,
        member_answers="aaaa-d",
        guests=(
            G(OFFICIAL, "邓伟", "海珠区交通运输局 副局长", "13700003001", answer="accept"),
            G(OFFICIAL, "苏敏", "海珠区商务局 科长", "13700003002", answer="accept"),
            G(CITIZEN, "陈先生", "琶洲街企业代表", "13700003003", answer="accept"),
            G(EXPERT, "刘教授", "华南理工大学 城市规划专家", email="liu@example.com"),
        ),
    ),
    # The follow-up visit (回头看) ahead: answers still coming in, the reminder due the
    # day before; the demo member finds it in the workspace.
    InvitationsSpec(
        "tianhe",
        "龙口东路下水道返臭",
        "龙口东路（回头看）",
        members=5,
        member_answers="-a---",
        guests=(
            G(OFFICIAL, "陈志明", "天河区水务局 副局长", "13700001001", answer="accept"),
            G(CITIZEN, "李阿姨", "龙口东社区居民代表", "13700001003"),
        ),
        days_ahead=6,
    ),
]


def _invited_members(committee: Committee, n: int) -> list[Member]:
    """The demo member login first, then the committee's first serving members."""
    serving = Member.objects.filter(committee=committee, is_active=True).order_by("id")
    login = list(serving.filter(user__username=f"{committee.code}.member"))
    return login + list(serving.exclude(pk__in=[m.pk for m in login])[: n - len(login)])


def _seed_invitations(spec: InvitationsSpec, committee: Committee, staff: User) -> int:
    topic = Topic.objects.get(committee=committee, year=YEAR, title=spec.topic)
    if spec.days_ahead:
        meeting = topic.meetings.filter(place=spec.place).order_by("-date").first()
        if meeting is None:
            meeting = meeting_record(
                topic=topic,
                data=MeetingInput(
                    kind=MeetingKind.SITE_VISIT,
                    date=timezone.localdate() + timedelta(days=spec.days_ahead),
                    time=time(9, 30),
                    place=spec.place,
                    agenda="回头看：察看整治成效，听取居民意见",
                ),
                actor=staff,
            )
        clock = None  # now: the event is ahead
    else:
        meeting = Meeting.objects.get(topic=topic, place=spec.place)
        # Invited a week before the event, answered over the following days.
        clock = meeting.starts_at - timedelta(days=7)
    if meeting.invitations.exists():
        return 0
    written = 0

    def answer(invitation: object, letter: str, reason: str = "") -> None:
        if letter in ("a", "accept"):
            action = ConsultationAction.ACCEPT
        elif letter in ("d", "decline"):
            action = ConsultationAction.DECLINE
        else:
            return
        invitation_answer(
            invitation=invitation,  # type: ignore[arg-type]
            action=action,
            reason=reason,
            now=None if clock is None else clock + timedelta(days=2),
        )

    for seat, letter in zip(
        _invited_members(committee, spec.members), spec.member_answers, strict=False
    ):
        invitation = invitation_create(
            meeting=meeting,
            data=InviteeInput(kind=InviteeKind.MEMBER, member=seat),
            actor=staff,
            now=clock,
        )
        answer(invitation, letter, "外出调研，无法参加" if letter == "d" else "")
        written += 1
    for guest in spec.guests:
        invitation = invitation_create(
            meeting=meeting,
            data=InviteeInput(
                kind=guest.kind,
                name=guest.name,
                organisation=guest.organisation,
                phone=guest.phone,
                email=guest.email,
            ),
            actor=staff,
            now=clock,
        )
        answer(invitation, guest.answer, guest.reason)
        written += 1
    return written


def seed_invitations() -> int:
    """Invitations to the article's consultation events with a mix of answers, and a
    follow-up visit ahead; how many were written (0 on a second run)."""
    committees = {c.code: c for c in Committee.objects.all()}
    staff = {u.username: u for u in User.objects.filter(username__endswith=".staff")}
    return sum(
        _seed_invitations(spec, committees[spec.committee], staff[f"{spec.committee}.staff"])
        for spec in INVITATIONS
    )


def seed_consultations() -> dict[str, int]:
    """Load the demo consultations; what was written (0 on a second run)."""
    committees = {c.code: c for c in Committee.objects.all()}
    names = {s.staff for s in TOPICS} | {s.clerk for s in TOPICS}
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    written = {"topics": 0, "opinions": 0}
    for spec in TOPICS:
        opinions = _seed_topic(spec, committees[spec.committee], users)
        if opinions:
            written["topics"] += 1
            written["opinions"] += opinions
    written["invitations"] = seed_invitations()
    return written
