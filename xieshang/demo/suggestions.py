"""Demo data: citizen suggestions (百姓提案). The settings first: the default categories of
the city committee and every district, the districts' towns and streets (from
`organisation.STREETS`) and some of their communities as areas, each district's policy,
and the campaigns (征集活动); then the sample suggestions and the steps each is moved along.

`load_suggestions()` syncs the settings (a committee's own policy numbers are left alone;
campaign dates are set when a campaign is created and never moved), then submits the
samples through the intake service, each under a fixed idempotency key, so a second run gets
the stored ones back. They are moved along (triage, referral, answer, rating …) through the
suggestion services, by the demo staff and clerk, only in the run that submitted them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from xieshang.demo.base import Key, Loaded, sync
from xieshang.demo.members import LOGINS
from xieshang.demo.organisation import DISTRICTS, STREETS
from xieshang.suggestions.models import (
    Area,
    AreaKind,
    Campaign,
    Category,
    Channel,
    Policy,
    Rating,
    Referral,
    ReferralStatus,
    RejectReason,
    ReplyResult,
    Suggestion,
)
from xieshang.suggestions.services import (
    Intake,
    referral_approve,
    referral_create,
    referral_reply,
    referral_transition,
    suggestion_answer,
    suggestion_merge,
    suggestion_rate,
    suggestion_reject,
    suggestion_submit,
    suggestion_transition,
)

# --- Settings -----------------------------------------------------------------------

# The default categories, in this order, for the city committee and every district.
CATEGORIES: list[str] = [
    "城乡建设",
    "环境保护",
    "交通运输",
    "教育文体",
    "劳动和社会保障",
    "商贸旅游",
    "卫生计生",
]
CATEGORY_COMMITTEES: list[str] = ["guangzhou", *DISTRICTS]

# Communities and villages (社区/村) inside some of the streets and towns of STREETS.
COMMUNITIES: dict[str, dict[str, list[str]]] = {
    "tianhe": {
        "猎德街": ["猎德社区", "利雅湾社区", "誉城苑社区"],
        "天河南街": ["龙口东社区", "天河东社区", "育蕾社区"],
        "石牌街": ["石牌东社区", "龙口西社区", "暨大社区"],
        "冼村街": ["冼村社区", "金穗社区"],
    },
    "haizhu": {
        "沙园街": ["港海社区", "金德社区", "沙园社区"],
        "琶洲街": ["琶洲社区", "黄埔村"],
        "华洲街": ["龙潭村", "土华村", "小洲村"],
    },
    "baiyun": {
        "三元里街": ["三元里社区", "松柏社区"],
        "棠景街": ["棠溪村", "棠景社区"],
    },
    "panyu": {
        "钟村街": ["祈福新邨社区", "钟一村", "谢村"],
        "石楼镇": ["思贤村", "大岭村", "石楼村"],
        "市桥街": ["东城社区", "西城社区"],
    },
    "huadu": {
        "新华街": ["三华村", "建设北社区"],
        "狮岭镇": ["益群村", "芙蓉村"],
    },
}

# The committee's numbers for suggestions (the model's defaults, written down).
POLICY_REFERRAL_WORKING_DAYS = 15
POLICY_HOURLY_LIMIT = 10


def _around_now(before: int, after: int) -> Callable[[datetime], tuple[datetime, datetime]]:
    def window(now: datetime) -> tuple[datetime, datetime]:
        return now - timedelta(days=before), now + timedelta(days=after)

    return window


def _ended_last_month(now: datetime) -> tuple[datetime, datetime]:
    """From the first of the month three months ago to the 20th of last month (local)."""
    this_month = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    starts = (last_month - timedelta(days=40)).replace(day=1)
    return starts, last_month + timedelta(days=20)


@dataclass(frozen=True)
class CampaignSpec:
    code: str
    committee: str
    title: str
    description: str
    # The dates, computed from the time of the first load; never moved afterwards.
    window: Callable[[datetime], tuple[datetime, datetime]]
    workroom: str | None = None


CAMPAIGNS: list[CampaignSpec] = [
    CampaignSpec(
        "tianhe-yiji",
        "tianhe",
        "我为天河高质量发展献一计",
        "围绕优化产业结构、商圈经济、夜间经济、营商环境和民生改善，征集群众和企业的意见建议。",
        _around_now(30, 60),
    ),
    CampaignSpec(
        "haizhu-ebike",
        "haizhu",
        "电动自行车安全管理“百姓提案”线索征集",
        "围绕电动自行车停放、充电和通行安全，征集“百姓提案”线索。",
        _ended_last_month,
    ),
    CampaignSpec(
        "panyu-yukuai",
        "panyu",
        "“禺”快协商·云工作室“百姓提案”征集",
        "通过政协云工作室和“百姓提案”征集二维码，随时随地反映身边的急难愁盼问题。",
        _around_now(14, 180),
        workroom="panyu-cloud",
    ),
]


# --- Sample suggestions -------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One step a sample suggestion is moved along, by the committee's demo staff (or
    the department's demo clerk for sign and reply, the citizen for rate)."""

    action: str  # triage offer opinion topic refer sign reply approve answer rate reject merge
    text: str = ""  # note, instructions, answer, reply or comment
    department: str = ""  # refer
    reason: str = ""  # reject: a RejectReason
    rating: str = ""  # rate: a Rating
    into: str = ""  # merge: the idempotency key of the main suggestion


@dataclass(frozen=True)
class SampleSpec:
    key: str  # the idempotency key: a second load returns the stored suggestion
    committee: str
    title: str
    content: str
    category: str
    street: str | None = None
    community: str | None = None
    address: str = ""
    citizen: str = ""
    phone: str = ""
    show_name: bool = False
    workroom: str | None = None
    campaign: str | None = None
    channel: str = Channel.ONLINE
    entered_by: str | None = None  # a demo login who entered it for the citizen
    steps: tuple[Step, ...] = ()


TRIAGE = Step("triage")

SAMPLES: list[SampleSpec] = [
    # 天河
    SampleSpec(
        "demo-001",
        "tianhe",
        "龙口东路下水道返臭",
        "龙口东路段几个下水道口长期返臭，雨后和夏天尤其严重，行人只能绕道走，希望尽快整治。",
        "城乡建设",
        "天河南街",
        "龙口东社区",
        address="广州市天河区龙口东路",
        citizen="陈先生",
        phone="13800000001",
        steps=(
            TRIAGE,
            Step(
                "refer",
                "请核查龙口东路段排水管网，整治下水道返臭问题，并答复群众。",
                department="天河区水务局",
            ),
        ),
    ),
    SampleSpec(
        "demo-002",
        "tianhe",
        "龙口东路一带下水道臭味大",
        "龙口东路靠近天河北路一带下水道臭味很大，已经持续很久。",
        "城乡建设",
        "天河南街",
        address="广州市天河区龙口东路",
        steps=(Step("merge", into="demo-001"),),
    ),
    SampleSpec(
        "demo-003",
        "tianhe",
        "石牌东路老旧小区楼道管线杂乱",
        "小区建于上世纪九十年代，楼道里电线、网线、水管乱拉乱接，存在消防隐患，"
        "建议纳入老旧小区改造一并整治。",
        "城乡建设",
        "石牌街",
        "石牌东社区",
        address="广州市天河区石牌东路",
        citizen="黄女士",
        phone="13800000002",
        steps=(
            TRIAGE,
            Step(
                "refer",
                "请结合老旧小区微改造计划研究办理，并答复群众。",
                department="天河区住房和城乡建设局",
            ),
            Step("sign"),
            Step("reply", "已将该小区纳入今年老旧小区微改造计划，楼道管线已完成规整和线槽入槽。"),
            Step("approve"),
            Step("rate", "改造后楼道整洁多了，谢谢！", rating=Rating.SATISFIED),
        ),
    ),
    SampleSpec(
        "demo-004",
        "tianhe",
        "员村街工地夜间施工噪音扰民",
        "附近在建工地经常在晚上十一点以后施工，噪音很大，老人小孩都睡不好。",
        "环境保护",
        "员村街",
        address="广州市天河区员村二横路",
        citizen="刘先生",
        phone="13800000003",
        steps=(
            TRIAGE,
            Step(
                "refer",
                "请督促施工单位落实夜间施工管理规定，并答复群众。",
                department="天河区住房和城乡建设局",
            ),
            Step("sign"),
        ),
    ),
    SampleSpec(
        "demo-005",
        "tianhe",
        "做大做强天河路商圈夜间经济",
        "建议在天河路商圈延长部分商场和地铁站出入口的开放时间，增设夜间步行街区和"
        "特色市集，打造天河夜间消费品牌。",
        "商贸旅游",
        "天河南街",
        citizen="吴先生",
        phone="13800000004",
        show_name=True,
        campaign="tianhe-yiji",
        steps=(TRIAGE, Step("offer", "建议有意向的委员认领，培育为“百姓提案”。")),
    ),
    SampleSpec(
        "demo-006",
        "tianhe",
        "为“专精特新”企业人才提供更多公寓房源",
        "园区里的“专精特新”企业招来的年轻人才租房难、通勤远，建议在园区周边统筹人才公寓房源。",
        "劳动和社会保障",
        "珠吉街",
        campaign="tianhe-yiji",
    ),
    SampleSpec(
        "demo-007",
        "tianhe",
        "珠江新城写字楼消防通道被杂物占用",
        "委员在工作室接待时，企业员工反映所在写字楼部分楼层的消防通道长期堆放杂物，存在消防隐患。",
        "城乡建设",
        "猎德街",
        address="广州市天河区珠江东路",
        citizen="赵女士",
        phone="13800000005",
        workroom="tianhe-east-tower",
        channel=Channel.VISIT,
        entered_by="tianhe.member",
        steps=(
            TRIAGE,
            Step(
                "answer",
                "已联系物业管理单位清理消防通道杂物，街道安全生产部门将定期复查。",
            ),
        ),
    ),
    SampleSpec(
        "demo-008",
        "tianhe",
        "车陂路与中山大道路口早高峰拥堵",
        "每天早上七点半到九点，车陂路与中山大道交叉路口排队很长，建议优化信号灯配时。",
        "交通运输",
        "车陂街",
        address="广州市天河区车陂路与中山大道交叉口",
        citizen="林先生",
        phone="13800000006",
        steps=(
            TRIAGE,
            Step(
                "answer",
                "经与交警部门沟通，已优化该路口早高峰信号灯配时，并增派警力疏导交通。",
            ),
            Step("rate", "早高峰好了一些，希望继续优化。", rating=Rating.FAIRLY),
        ),
    ),
    SampleSpec(
        "demo-009",
        "tianhe",
        "楼上邻居装修漏水纠纷",
        "楼上住户装修后我家天花板漏水，多次协商没有结果，希望政协帮忙解决。",
        "城乡建设",
        "棠下街",
        citizen="周女士",
        phone="13800000007",
        steps=(
            Step(
                "reject",
                "建议向所在社区居委会申请人民调解，或依法通过诉讼解决。",
                reason=RejectReason.PERSONAL,
            ),
        ),
    ),
    SampleSpec(
        "demo-010",
        "tianhe",
        "猎德地铁站口共享单车乱停放",
        "猎德地铁站出入口周边共享单车乱停放，挤占人行道，建议划定停放区并加强管理。",
        "交通运输",
        "猎德街",
        "猎德社区",
        workroom="tianhe-liede",
    ),
    # 海珠
    SampleSpec(
        "demo-011",
        "haizhu",
        "港海社区三线下地",
        "港海社区电力、通信线路架空杂乱，像“蜘蛛网”一样，存在安全隐患，建议“三线”下地。",
        "城乡建设",
        "沙园街",
        "港海社区",
        citizen="李女士",
        phone="13800000011",
        show_name=True,
        workroom="haizhu-ganghai",
        steps=(
            TRIAGE,
            Step(
                "answer",
                "经市区政协联动协商，港海社区“三线”下地工程已完工，架空线路已整治入地。",
            ),
            Step("rate", "小区整洁安全多了！", rating=Rating.SATISFIED),
        ),
    ),
    SampleSpec(
        "demo-012",
        "haizhu",
        "金德社区老旧楼房自来水管改造",
        "楼龄三十多年，自来水管锈蚀严重，经常爆管，水也发黄，希望尽快改造。",
        "城乡建设",
        "沙园街",
        "金德社区",
        citizen="黄伯",
        phone="13800000012",
        steps=(
            TRIAGE,
            Step(
                "refer",
                "请将该楼纳入老旧楼房自来水管改造计划，并答复群众。",
                department="海珠区水务局",
            ),
        ),
    ),
    SampleSpec(
        "demo-013",
        "haizhu",
        "电动自行车在楼道充电存在隐患",
        "不少住户把电动自行车推进楼道充电，晚上充一整夜，建议在小区增设集中充电桩。",
        "城乡建设",
        "南石头街",
        steps=(TRIAGE, Step("offer", "电动自行车安全管理是今年的民生热点，建议委员认领。")),
    ),
    SampleSpec(
        "demo-014",
        "haizhu",
        "琶洲人才安居房配套",
        "琶洲人才安居房周边缺少菜市场、幼儿园和公交接驳，建议同步完善配套。",
        "劳动和社会保障",
        "琶洲街",
        "琶洲社区",
        citizen="郑先生",
        phone="13800000013",
        steps=(TRIAGE,),
    ),
    SampleSpec(
        "demo-015",
        "haizhu",
        "海珠湿地周边停车位不足",
        "周末去海珠湿地游玩的人多，周边停车位严重不足，车辆乱停占道。",
        "交通运输",
        "华洲街",
        "龙潭村",
        citizen="何女士",
        phone="13800000014",
        steps=(
            TRIAGE,
            Step("answer", "海珠湿地已新增200个专用停车位，节假日开通接驳公交。"),
        ),
    ),
    SampleSpec(
        "demo-016",
        "haizhu",
        "老旧小区加装电梯协调难",
        "小区想加装电梯，但低层住户意见不一，希望有关部门和社区帮助协商。",
        "城乡建设",
        "赤岗街",
        workroom="haizhu-chigang",
    ),
    # 白云
    SampleSpec(
        "demo-017",
        "baiyun",
        "白云火车站北广场配套设施不足",
        "白云站北广场周边公交接驳、出租车候客区和便民商业配套不足，旅客换乘不便。",
        "交通运输",
        "棠景街",
        "棠溪村",
        citizen="罗先生",
        phone="13800000021",
        workroom="baiyun-construction",
        steps=(
            TRIAGE,
            Step("offer", "结合“广州火车站北广场规划建设”联合调研，建议委员培育为“百姓提案”。"),
        ),
    ),
    SampleSpec(
        "demo-018",
        "baiyun",
        "三元里皮具商圈货车装卸占道",
        "皮具商圈一带货车白天在路边装卸货，经常占用车道，造成拥堵。",
        "交通运输",
        "三元里街",
        "松柏社区",
        workroom="baiyun-leather",
    ),
    # 番禺
    SampleSpec(
        "demo-019",
        "panyu",
        "南大干线谷围新邨段南侧人行道建设",
        "南大干线谷围新邨段南侧没有连续的人行道，居民和学生只能在机动车道边行走，很不安全。",
        "交通运输",
        "新造镇",
        address="广州市番禺区南大干线谷围新邨段",
        citizen="简先生",
        phone="13800000031",
        workroom="panyu-cloud",
        channel=Channel.CLOUD,
        entered_by="panyu.member",
        steps=(
            TRIAGE,
            Step("topic", "列入区政协主席会议“改善交通出行环境”专题视察协商。"),
            Step(
                "refer",
                "请研究南大干线谷围新邨段南侧人行道建设方案，并答复群众。",
                department="番禺区交通运输局",
            ),
        ),
    ),
    SampleSpec(
        "demo-020",
        "panyu",
        "南大干线谷围新邨附近没有人行道",
        "谷围新邨附近南大干线路段行人没有路走，只能走机动车道。",
        "交通运输",
        "新造镇",
        steps=(Step("merge", into="demo-019"),),
    ),
    SampleSpec(
        "demo-021",
        "panyu",
        "加快解除番禺广场地铁上盖区域围蔽",
        "番禺广场地铁上盖区域围蔽多年，影响市民出行和周边商业，建议加快建设、分段解除围蔽。",
        "城乡建设",
        "市桥街",
        address="广州市番禺区番禺广场",
        citizen="梁先生",
        phone="13800000032",
        workroom="panyu-cloud",
        campaign="panyu-yukuai",
        steps=(
            TRIAGE,
            Step("opinion", "以社情民意信息形式报送有关部门。"),
            Step(
                "answer",
                "已以社情民意信息报送区有关部门，区政府已召开会议专题研究，"
                "将加快推进地铁上盖区域建设并分段解除围蔽。",
            ),
        ),
    ),
    SampleSpec(
        "demo-022",
        "panyu",
        "思贤村人行道地势低洼易积水",
        "村里的人行道地势低洼，一下雨就积水，台风暴雨季村民出行要蹚水走泥路。",
        "城乡建设",
        "石楼镇",
        "思贤村",
        citizen="陈伯",
        phone="13800000033",
        workroom="panyu-cloud",
        channel=Channel.CLOUD,
        entered_by="panyu.member",
        steps=(
            TRIAGE,
            Step(
                "answer",
                "经云工作室委员协调，石楼镇已对思贤村人行道进行抬高改造并完善排水设施。",
            ),
            Step("rate", "台风暴雨季不用再担心道路泥泞和水浸了！", rating=Rating.SATISFIED),
        ),
    ),
    SampleSpec(
        "demo-023",
        "panyu",
        "加快推进番禺国家级沿海渔港经济区建设",
        "建议加快推进番禺国家级沿海渔港经济区建设，完善渔港配套，带动渔民增收和渔旅融合。",
        "商贸旅游",
        "石楼镇",
        citizen="何先生",
        phone="13800000034",
        campaign="panyu-yukuai",
        steps=(
            TRIAGE,
            Step("offer", "建议委员认领形成“百姓提案”，向市政协反映，争取市区联动调研。"),
        ),
    ),
    SampleSpec(
        "demo-024",
        "panyu",
        "镇村产业园周边道路和公交配套不足",
        "产业园周边道路窄、公交班次少，上下班高峰员工出行困难。",
        "交通运输",
        "南村镇",
        workroom="panyu-nancun",
    ),
    SampleSpec(
        "demo-025",
        "panyu",
        "祈福新邨居民希望就近使用港澳药械",
        "祈福新邨港澳同胞较多，希望在附近医院就能使用在港澳已上市的药品和医疗器械。",
        "卫生计生",
        "钟村街",
        "祈福新邨社区",
        citizen="苏女士",
        phone="13800000035",
        workroom="panyu-zhongcun",
        steps=(
            TRIAGE,
            Step(
                "answer",
                "广东祈福医院已列入粤港澳大湾区“港澳药械通”指定医疗机构名单，"
                "居民可按规定就近使用。",
            ),
        ),
    ),
    SampleSpec(
        "demo-026",
        "panyu",
        "被拖欠的工程款已申请劳动仲裁",
        "我被拖欠工程款，已经申请了劳动仲裁，希望政协帮忙催促对方尽快支付。",
        "劳动和社会保障",
        "大石街",
        citizen="冯先生",
        phone="13800000036",
        steps=(
            Step(
                "reject",
                "请依法通过仲裁途径解决；如有困难，可向区法律援助机构申请法律援助。",
                reason=RejectReason.LITIGATION,
            ),
        ),
    ),
    # 花都
    SampleSpec(
        "demo-027",
        "huadu",
        "老旧小区垃圾定点投放点设置不合理",
        "垃圾投放点离住户太近，夏天气味大，建议重新选址并增加清运频次。",
        "环境保护",
        "新华街",
        "建设北社区",
        citizen="朱女士",
        phone="13800000041",
        workroom="huadu-10",
    ),
    SampleSpec(
        "demo-028",
        "huadu",
        "狮岭皮具产业园周边公交班次少",
        "产业园周边公交班次少、末班车早，工人下夜班回家不方便。",
        "交通运输",
        "狮岭镇",
        "益群村",
        workroom="huadu-shiling-leather",
    ),
    # 天河: several citizens about one building site's night work — a hotspot (热点问题).
    SampleSpec(
        "demo-101",
        "tianhe",
        "珠江新城工地夜间施工噪音扰民",
        "珠江新城花城大道旁的工地每天晚上施工到凌晨一两点，打桩声很大，周边居民无法休息。",
        "环境保护",
        "天河南街",
        address="广州市天河区花城大道",
    ),
    SampleSpec(
        "demo-102",
        "tianhe",
        "花城大道工地半夜还在打桩",
        "花城大道那个工地半夜还在打桩，吵得人睡不着觉，投诉过几次了，希望管一管。",
        "环境保护",
        "天河南街",
        address="广州市天河区花城大道",
    ),
    SampleSpec(
        "demo-103",
        "tianhe",
        "珠江新城工地晚上施工噪音大",
        "珠江新城花城大道旁工地每天晚上施工到凌晨，噪音很大，严重影响周边居民休息！",
        "环境保护",
        "天河南街",
    ),
    SampleSpec(
        "demo-104",
        "tianhe",
        "夜间施工太吵影响孩子学习",
        "家在花城大道附近，工地夜里施工机器轰鸣，孩子晚上没法学习和睡觉，请查处夜间违规施工。",
        "环境保护",
        "天河南街",
    ),
]

# --- Loading ------------------------------------------------------------------------


def load_suggestions(loaded: Loaded) -> None:
    """The settings, then the samples (after the calendar: referral deadlines count
    working days)."""
    _load_suggestion_settings(loaded)
    _load_suggestions(loaded)


def _load_suggestion_settings(loaded: Loaded) -> None:
    """Categories, areas and policies of the committees, then the campaigns."""
    c = loaded.committees
    code_of = {committee.pk: code for code, committee in c.items()}
    categories = sync(
        Category.objects.filter(committee_id__in=[c[code].pk for code in CATEGORY_COMMITTEES]),
        (
            Category(committee=c[code], name=name, order=order)
            for code in CATEGORY_COMMITTEES
            for order, name in enumerate(CATEGORIES)
        ),
        key=("committee_id", "name"),
        fields=("order",),
    )
    loaded.categories = {(code_of[k[0]], k[1]): v for k, v in categories.items()}
    district_ids = [c[code].pk for code in DISTRICTS]
    streets = sync(
        Area.objects.filter(committee_id__in=district_ids, parent__isnull=True),
        (
            Area(
                committee=c[code],
                name=area,
                kind=AreaKind.TOWN if area.endswith("镇") else AreaKind.STREET,
            )
            for code in DISTRICTS
            for area in STREETS[code]
        ),
        key=("committee_id", "name"),
        fields=("kind",),
    )
    loaded.areas = {(code_of[k[0]], k[1], None): v for k, v in streets.items()}
    communities = sync(
        Area.objects.filter(committee_id__in=district_ids, parent__isnull=False),
        (
            Area(
                committee=c[code],
                name=name,
                kind=AreaKind.COMMUNITY,
                parent=loaded.areas[(code, street, None)],
            )
            for code, by_street in COMMUNITIES.items()
            for street, names in by_street.items()
            for name in names
        ),
        key=("committee_id", "parent_id", "name"),
        fields=("kind",),
    )
    street_of = {area.pk: area.name for area in streets.values()}
    loaded.areas |= {(code_of[k[0]], street_of[k[1]], k[2]): v for k, v in communities.items()}
    # Created when missing; a committee's own numbers are left alone.
    sync(
        Policy.objects.filter(committee_id__in=district_ids),
        (
            Policy(
                committee=c[code],
                referral_working_days=POLICY_REFERRAL_WORKING_DAYS,
                hourly_limit=POLICY_HOURLY_LIMIT,
            )
            for code in DISTRICTS
        ),
        key=("committee_id",),
    )
    now = timezone.now()
    wanted = []
    for spec in CAMPAIGNS:
        starts_at, ends_at = spec.window(now)
        wanted.append(
            Campaign(
                committee=c[spec.committee],
                workroom=loaded.workrooms[spec.workroom] if spec.workroom else None,
                title=spec.title,
                description=spec.description,
                code=spec.code,
                starts_at=starts_at,
                ends_at=ends_at,
            )
        )
    # The dates are set on creation only: a second load does not move them.
    campaigns = sync(
        Campaign.objects.filter(code__in=[spec.code for spec in CAMPAIGNS]),
        wanted,
        key=("code",),
        fields=("committee_id", "workroom_id", "title", "description"),
    )
    loaded.campaigns = {k[0]: v for k, v in campaigns.items()}


def _load_suggestions(loaded: Loaded) -> None:
    """Submit the sample suggestions through the intake service (each under its fixed
    idempotency key, so a second load finds them) and move the ones submitted now along
    through the services. Stored ones are left as they are."""
    for spec in SAMPLES:
        committee = loaded.committees[spec.committee]
        workroom = loaded.workrooms[spec.workroom] if spec.workroom else None
        campaign = loaded.campaigns[spec.campaign] if spec.campaign else None
        area = None
        if spec.street:
            area = loaded.areas[(spec.committee, spec.street, spec.community)]
        intake = Intake(
            committee=committee,
            title=spec.title,
            content=spec.content,
            idempotency_key=spec.key,
            category=loaded.categories[(spec.committee, spec.category)],
            area=area,
            address=spec.address,
            # Leave out what no longer takes suggestions (a load long after the first).
            workroom=workroom if workroom is not None and workroom.is_active else None,
            campaign=campaign if campaign is not None and campaign.is_open() else None,
            channel=spec.channel,
            citizen_name=spec.citizen,
            phone=spec.phone,
            show_name=spec.show_name,
        )
        entered_by = loaded.users[spec.entered_by] if spec.entered_by else None
        suggestion, created = suggestion_submit(intake=intake, entered_by=entered_by)
        if created:
            loaded.created_suggestions += 1
            _advance(loaded, spec, suggestion)


CLERKS: dict[Key, str] = {
    (code, department): login.username for login in LOGINS for code, department in login.clerk_of
}


def _advance(loaded: Loaded, spec: SampleSpec, suggestion: Suggestion) -> None:
    staff = loaded.users[f"{spec.committee}.staff"]
    referral: Referral | None = None
    for step in spec.steps:
        if step.action in ("sign", "reply", "approve") and referral is None:
            raise ValueError(f"{spec.key}: {step.action} before refer")
        state = suggestion.status
        if step.action in ("triage", "offer", "opinion", "topic"):
            suggestion_transition(
                suggestion=suggestion,
                action=step.action,
                actor=staff,
                note=step.text,
                expected_state=state,
            )
        elif step.action == "refer":
            department = loaded.departments[(spec.committee, step.department)]
            referral = referral_create(
                suggestion=suggestion,
                department=department,
                instructions=step.text,
                actor=staff,
                expected_state=state,
            )
        elif step.action in ("sign", "reply"):
            assert referral is not None
            clerk = loaded.users[CLERKS[(spec.committee, referral.department.name)]]
            if step.action == "sign":
                referral_transition(
                    referral=referral,
                    action="sign",
                    actor=clerk,
                    expected_state=ReferralStatus.SENT,
                )
            else:
                referral_reply(
                    referral=referral,
                    actor=clerk,
                    text=step.text,
                    result=ReplyResult.RESOLVED,
                    expected_state=ReferralStatus.SIGNED,
                )
        elif step.action == "approve":
            assert referral is not None
            referral_approve(referral=referral, actor=staff, expected_state=ReferralStatus.REPLIED)
            suggestion.refresh_from_db()  # answered by the approval
        elif step.action == "answer":
            suggestion_answer(
                suggestion=suggestion, actor=staff, answer=step.text, expected_state=state
            )
        elif step.action == "rate":
            suggestion_rate(
                suggestion=suggestion, rating=step.rating, comment=step.text, expected_state=state
            )
        elif step.action == "reject":
            suggestion_reject(
                suggestion=suggestion,
                actor=staff,
                reason=step.reason,
                note=step.text,
                expected_state=state,
            )
        elif step.action == "merge":
            suggestion_merge(
                suggestion=suggestion,
                into=Suggestion.objects.get(idempotency_key=step.into),
                actor=staff,
                expected_state=state,
            )
        else:
            raise ValueError(f"{spec.key}: unknown step {step.action!r}")
