"""Demo 社情民意 and research topics, the article's examples (issue 16):

- 番禺: "加快解除番禺广场地铁上盖区域围蔽", a citizen suggestion forwarded as 社情民意 (the
  draft demo/suggestions.py starts), written up, issued, and studied
  at a district government meeting (recorded as the district leader's instruction);
- 海珠: citizen suggestions forwarded as 社情民意 (one issued in 《社情民意》, one a draft);
- 天河: the year's 8 key research topics (元宇宙产业发展, 做大做强天河夜间经济 among them)
  with their reports;
- 白云: 广州火车站北广场规划建设, researched jointly with the city committee.

`seed_opinions()` runs after the suggestions and proposals. Idempotent: an item is matched
by committee and title, a topic by committee, year and title; what is found is left as
it is. Everything goes through the services, as the people who would do it.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from xieshang.core.models import Committee
from xieshang.opinions import services as opinions
from xieshang.opinions.models import Item, ItemStatus
from xieshang.people.models import Member, User
from xieshang.research import services as research
from xieshang.research.models import Topic
from xieshang.suggestions.models import Suggestion, SuggestionStatus
from xieshang.suggestions.services import suggestion_transition

PANYU_ITEM = (
    "加快解除番禺广场地铁上盖区域围蔽",
    "番禺广场地铁上盖区域围蔽施工多年，周边道路狭窄，市民出行和商户经营受到较大影响，"
    "群众反映强烈。",
    "建议区政府牵头，会同地铁集团明确上盖项目建设时间表，分段尽快解除围蔽，恢复道路通行，"
    "并完善周边交通组织和公交接驳。",
)
# 海珠: the suggestions (idempotency keys of demo/suggestions.py) forwarded as 社情民意,
# and whether the item goes on to be issued.
HAIZHU_FORWARDED = (("demo-014", True), ("demo-013", False))

TIANHE_TOPICS = (
    ("元宇宙产业发展", "经济科技委员会"),
    ("做大做强天河夜间经济", "经济科技委员会"),
    ("推动天河中央商务区高质量发展", "主席会议成员"),
    ("数字经济与实体经济深度融合", "经济科技委员会"),
    ("天河区老旧小区改造与城市更新", "城乡建设委员会"),
    ("完善天河区居家社区养老服务体系", "社会和法制委员会"),
    ("推进天河区义务教育优质均衡发展", "教科卫体委员会"),
    ("珠江新城片区慢行系统建设", "珠江新城东塔政协委员工作室"),
)
BAIYUN_JOINT = "广州火车站北广场规划建设"


def _first_member(committee: Committee, username: str = "") -> Member | None:
    seats = Member.objects.filter(committee=committee, is_active=True).order_by("id")
    return seats.filter(user__username=username).first() or seats.first()


def _issue(item: Item, staff: User, *, recipients: str) -> None:
    opinions.item_transition(actor=staff, item=item, action="adopt", note="采用")
    item.refresh_from_db()
    opinions.issue_create(
        actor=staff, committee=item.committee, items=[item], recipients=recipients
    )
    item.refresh_from_db()


def _seed_panyu(counts: dict[str, int]) -> None:
    """The citizen suggestion of demo/suggestions.py was forwarded as 社情民意 (a draft for
    the liaison office); written up, it is submitted, adopted, issued and instructed on."""
    committee = Committee.objects.filter(code="panyu").first()
    title, situation, advice = PANYU_ITEM
    if committee is None:
        return
    staff = User.objects.get(username="panyu.staff")
    item = Item.objects.filter(committee=committee, title=title).first()
    if item is None:
        item = opinions.item_create(
            actor=staff,
            committee=committee,
            data=opinions.ItemData(
                title=title, situation=situation, suggestion=advice, author_unit="联络委"
            ),
        )
        counts["items"] += 1
    if item.status != ItemStatus.DRAFT:
        return
    author = _first_member(committee, "panyu.member")
    opinions.item_update(
        actor=item.created_by,
        item=item,
        data=opinions.ItemData(
            title=title,
            situation=situation,
            suggestion=advice,
            author_unit=item.author_unit,
            coauthor_ids=[author.pk] if author is not None else [],
        ),
        expected_state=ItemStatus.DRAFT,
    )
    opinions.item_transition(actor=item.created_by, item=item, action="submit")
    _issue(item, staff, recipients="区委、区政府、区住房和城乡建设局、区交通运输局")
    opinions.instruction_add(
        actor=staff,
        item=item,
        level="district",
        leader="番禺区人民政府区长",
        text="请区住建局、区交通运输局会同地铁集团研究，提交区政府常务会议专题研究。"
        "（区政府已召开专题会议研究，明确分段解除围蔽的时间表。）",
        on=date(timezone.localdate().year, 4, 15),
    )


def _seed_haizhu(counts: dict[str, int]) -> None:
    committee = Committee.objects.filter(code="haizhu").first()
    if committee is None:
        return
    staff = User.objects.get(username="haizhu.staff")
    for key, issue in HAIZHU_FORWARDED:
        suggestion = Suggestion.objects.filter(committee=committee, idempotency_key=key).first()
        if suggestion is None or suggestion.opinion_items.exists():
            continue
        if suggestion.status != SuggestionStatus.TRIAGE:
            continue
        author = _first_member(committee)
        suggestion_transition(
            suggestion=suggestion,
            action="opinion",
            actor=staff,
            note="群众反映集中，转为社情民意信息报送。",
            member_id=author.pk if author is not None and issue else None,
        )
        item = suggestion.opinion_items.get()
        counts["items"] += 1
        if not issue or author is None:
            continue
        opinions.item_update(
            actor=author.user,
            item=item,
            data=opinions.ItemData(
                title=item.title,
                situation=item.situation,
                suggestion="建议区有关部门统筹规划，同步完善菜市场、幼儿园和公交接驳等配套。",
            ),
            expected_state=ItemStatus.DRAFT,
        )
        opinions.item_transition(actor=author.user, item=item, action="submit")
        _issue(item, staff, recipients="区委、区政府、市政协社情民意信息工作室")


def _seed_tianhe(counts: dict[str, int]) -> None:
    committee = Committee.objects.filter(code="tianhe").first()
    if committee is None:
        return
    staff = User.objects.get(username="tianhe.staff")
    year = timezone.localdate().year
    members = list(Member.objects.filter(committee=committee, is_active=True).order_by("id"))
    for n, (title, lead) in enumerate(TIANHE_TOPICS):
        if Topic.objects.filter(committee=committee, year=year, title=title).exists():
            continue
        group = [m.pk for m in members[n * 3 : n * 3 + 3]]
        topic = research.topic_create(
            actor=staff,
            committee=committee,
            data=research.TopicData(
                title=title,
                lead=lead,
                year=year,
                is_key=True,
                member_ids=group,
                plan="走访相关职能部门和重点企业，召开座谈会，形成调研报告。",
            ),
        )
        counts["topics"] += 1
        report = research.report_save(
            actor=staff,
            topic=topic,
            title=f"关于{title}的调研报告",
            text=f"课题组围绕“{title}”开展调研，走访了相关职能部门、街道和企业，"
            "召开座谈会听取意见，梳理存在问题，提出对策建议。",
        )
        if n == len(TIANHE_TOPICS) - 1:
            continue  # the last one is still being written
        research.report_transition(actor=staff, report=report, action="submit")
        research.report_transition(actor=staff, report=report, action="adopt")
        if n < 2:
            research.instruction_add(
                actor=staff,
                report=report,
                level="district",
                leader="天河区委书记",
                text="调研报告很有价值，请区有关部门认真研究吸纳。",
                on=date(year, 6, 1 + n),
            )


def _seed_baiyun(counts: dict[str, int]) -> None:
    committee = Committee.objects.filter(code="baiyun").first()
    year = timezone.localdate().year
    if committee is None or committee.parent_id is None:
        return
    if Topic.objects.filter(committee=committee, year=year, title=BAIYUN_JOINT).exists():
        return
    staff = User.objects.get(username="baiyun.staff")
    topic = research.topic_create(
        actor=staff,
        committee=committee,
        data=research.TopicData(
            title=BAIYUN_JOINT,
            lead="白云区政协主席会议",
            year=year,
            is_key=True,
            joint_with_upper=True,
            plan="与市政协联合调研，走访市区规划、交通部门和广州火车站地区管委会。",
        ),
    )
    research.report_save(
        actor=User.objects.get(username="city.staff"),
        topic=topic,
        title="关于广州火车站北广场规划建设的联合调研报告",
        text="市区两级政协联合调研组实地察看北广场片区，建议统筹站城一体化规划，"
        "完善交通接驳和公共空间。",
    )
    counts["topics"] += 1


def seed_opinions() -> dict[str, int]:
    counts = {"items": 0, "topics": 0}
    _seed_panyu(counts)
    _seed_haizhu(counts)
    _seed_tianhe(counts)
    _seed_baiyun(counts)
    return counts
