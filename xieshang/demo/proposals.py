"""Demo proposals: the default categories and the current session of every demo committee,
and a few proposals of 天河 and 番禺 in various states (drafts, one with co-signers
invited, submitted ones, one accepted and numbered, one assigned and signed for).

`seed_proposals()` runs after `xieshang.demo.seed.seed_demo()` (which creates the
committees, members, departments and logins). It is idempotent: a session is matched by
committee, term and meeting, a proposal by committee and subject, and a proposal found is
left as it is. Everything goes through the services, as the people who would do it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from xieshang.core.models import Committee
from xieshang.people.models import Department, Member, User
from xieshang.proposals.models import Proposal, ProposalCategory, Session
from xieshang.proposals.services import drafting
from xieshang.proposals.services import handling as handling_services
from xieshang.proposals.services import office as office_services

DEMO_COMMITTEES = ("guangzhou", "tianhe", "haizhu", "baiyun", "panyu", "huadu")
# The 15th term's first plenary (第一次会议) was in January 2022; a term has five.
FIRST_TERM, FIRST_YEAR, MEETINGS_PER_TERM = 15, 2022, 5


@dataclass(frozen=True)
class DemoProposal:
    committee: str
    lead: str  # username of the lead's seat
    title: str
    analysis: str
    recommendations: str
    category: str
    state: str  # draft, invited, submitted, accepted, assigned
    department: str = ""  # the lead department, for "assigned"
    staff: str = ""  # who accepts and assigns
    clerk: str = ""  # who signs for it


DEMO_PROPOSALS = (
    DemoProposal(
        "tianhe",
        "tianhe.member",
        "关于加快老旧小区加装电梯的建议",
        "天河区建成于上世纪八九十年代的老旧小区较多，老年居民上下楼困难。"
        "加装电梯涉及业主意见统一、审批环节多、资金分摊难，推进较慢。",
        "一、简化加装电梯的审批流程，推行一站式办理；\n二、加大财政补贴力度；\n"
        "三、发挥委员工作室作用，组织业主协商，化解意见分歧。",
        "城市建设管理",
        "assigned",
        department="天河区住房和城乡建设局",
        staff="tianhe.staff",
        clerk="tianhe.clerk",
    ),
    DemoProposal(
        "tianhe",
        "tianhe.member",
        "关于优化珠江新城地铁站接驳公交的建议",
        "珠江新城早晚高峰地铁站出口人流密集，接驳公交线路少、班次间隔长。",
        "一、增开高峰时段接驳微循环公交；\n二、优化站点出入口与公交站的步行连接。",
        "城市建设管理",
        "accepted",
        staff="tianhe.staff",
    ),
    DemoProposal(
        "tianhe",
        "tianhe.member",
        "关于推进中小学课后服务提质的建议",
        "课后服务已全面开展，但内容以看管和作业辅导为主，特色课程不足。",
        "一、引入社区、高校和文化场馆资源；\n二、建立课后服务质量评价机制。",
        "教科文卫体",
        "submitted",
    ),
    DemoProposal(
        "tianhe",
        "tianhe.member",
        "关于完善社区嵌入式养老服务的建议",
        "天河区老龄人口增长较快，社区养老服务设施分布不均，专业护理人员不足。",
        "一、利用闲置物业建设社区嵌入式养老服务点；\n二、完善护理人员培训和激励。",
        "社会事务",
        "invited",
    ),
    DemoProposal(
        "tianhe",
        "tianhe.member",
        "关于支持天河软件园企业出海的建议",
        "软件园企业拓展海外市场意愿强，但在合规、知识产权和融资方面经验不足。",
        "",
        "经济建设",
        "draft",
    ),
    DemoProposal(
        "panyu",
        "panyu.member",
        "关于提升番禺广场周边慢行系统的建议",
        "番禺广场周边道路以车行为主，步行和自行车道不连续，市民出行体验差。",
        "一、连通广场周边绿道与自行车道；\n二、增设过街设施和遮阴设施。",
        "城市建设管理",
        "submitted",
    ),
    DemoProposal(
        "panyu",
        "panyu.member",
        "关于加强农村生活污水治理设施运维的建议",
        "部分村的污水处理设施建成后缺乏运维，出现闲置和超标排放。",
        "一、明确运维责任主体和经费；\n二、引入第三方专业运维并加强考核。",
        "城市建设管理",
        "draft",
    ),
)


def _session_dates(year: int) -> tuple[date, date, date]:
    """The plenary of `year` (in January) and its filing window from 1 December."""
    return date(year - 1, 12, 1), date(year, 1, 10), date(year, 1, 13)


def _seed_committee(committee: Committee, year: int, counts: dict[str, int]) -> None:
    counts["categories"] += len(drafting.category_install_defaults(committee=committee))
    opens, starts, ends = _session_dates(year)
    terms, meeting = divmod(year - FIRST_YEAR, MEETINGS_PER_TERM)
    _session, made = Session.objects.get_or_create(
        committee=committee,
        term=FIRST_TERM + terms,
        meeting=meeting + 1,
        defaults={"filing_opens": opens, "plenary_starts": starts, "plenary_ends": ends},
    )
    counts["sessions"] += int(made)


def _co_signers(lead: Member) -> list[Member]:
    return list(
        Member.objects.filter(committee_id=lead.committee_id, is_active=True)
        .exclude(pk=lead.pk)
        .order_by("id")[:2]
    )


def _seed_proposal(spec: DemoProposal, counts: dict[str, int]) -> None:
    committee = Committee.objects.filter(code=spec.committee).first()
    if committee is None or Proposal.objects.filter(committee=committee, title=spec.title).exists():
        return
    lead = Member.objects.filter(
        committee=committee, user__username=spec.lead, is_active=True
    ).first()
    category = ProposalCategory.objects.filter(committee=committee, name=spec.category).first()
    if lead is None or category is None:
        return
    user = lead.user
    proposal = drafting.proposal_create(
        lead=lead,
        data=drafting.ProposalData(
            title=spec.title,
            analysis=spec.analysis,
            recommendations=spec.recommendations,
            category=category,
        ),
        actor=user,
    )
    counts["proposals"] += 1
    if spec.state == "draft":
        return
    cosigners = _co_signers(lead)
    if cosigners:
        rows = drafting.cosigners_invite(proposal=proposal, members=cosigners, actor=user)
        if spec.state != "invited":
            drafting.cosigner_answer(cosigner=rows[0], confirm=True, actor=rows[0].member.user)
    if spec.state == "invited":
        return
    drafting.proposal_submit(proposal=proposal, actor=user)
    if spec.state == "submitted":
        return
    staff = User.objects.get(username=spec.staff)
    office_services.proposal_accept(proposal=proposal, actor=staff)
    if spec.state == "accepted":
        return
    department = Department.objects.get(committee=committee, name=spec.department)
    assignments = office_services.proposal_assign(proposal=proposal, actor=staff, lead=department)
    if spec.clerk:
        clerk = User.objects.get(username=spec.clerk)
        handling_services.assignment_sign(assignment=assignments[0], actor=clerk)


def seed_proposals() -> dict[str, int]:
    """Categories and the current session of the demo committees, and the demo
    proposals. Returns how many categories, sessions and proposals this run created."""
    counts = {"categories": 0, "sessions": 0, "proposals": 0}
    year = timezone.localdate().year
    for committee in Committee.objects.filter(code__in=DEMO_COMMITTEES).order_by("id"):
        _seed_committee(committee, year, counts)
    for spec in DEMO_PROPOSALS:
        _seed_proposal(spec, counts)
    return counts
