"""Demo data: the duty record and points (履职档案、履职积分). Runs last: every member
committee gets this year's default point scheme (by the demo superuser, through the
service, so it has its history and event), a few members' leave entered by staff, the
year's plenary session, standing and chairs' meetings held so far with each member's
attendance, and its points computed from everything the demo recorded before
(activities, shifts, talks, proposals, claimed suggestions, consultations, 社情民意,
research groups).

Idempotent: a scheme is created only when the committee has none for the year, a leave
only when the member has none of that title and date; the recompute rebuilds the same
lines from the same records.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from xieshang.core.models import Committee
from xieshang.demo.base import SUPERUSER
from xieshang.demo.organisation import MEMBER_COMMITTEES
from xieshang.people.models import Member, MemberRole, User
from xieshang.performance.models import (
    AttendanceStatus,
    CommitteeSession,
    LivelihoodResult,
    PointScheme,
    RecordItem,
    RecordKind,
    ResultStatus,
    SessionKind,
    WorkroomPlan,
)
from xieshang.performance.services import (
    AttendanceInput,
    ItemInput,
    PlanInput,
    ResultInput,
    SessionInput,
    attendance_record,
    item_record,
    plan_set,
    points_recompute,
    result_create,
    result_link,
    result_set_status,
    scheme_create,
    session_create,
)
from xieshang.suggestions.models import Suggestion
from xieshang.workrooms.models import Workroom, WorkroomKind

LEAVE_TITLE = "请假：因公出差未能出席常委会会议"


def seed_performance() -> dict[str, int]:
    """Schemes, leave and points of the demo's member committees, then the livelihood
    results and 三个一; returns the counts of schemes created, members whose points were
    computed and results created."""
    results = seed_results()
    today = timezone.localdate()
    year = today.year
    admin = User.objects.get(username=SUPERUSER)
    created = members = 0
    leave_day = max(date(year, 1, 15), min(today, date(year, 3, 20)))
    for committee in Committee.objects.filter(code__in=MEMBER_COMMITTEES).order_by("id"):
        if not PointScheme.objects.filter(committee=committee, year=year).exists():
            scheme_create(committee=committee, year=year, actor=admin)
            created += 1
        if leave_day <= today:
            seats = Member.objects.filter(committee=committee, is_active=True).order_by("id")[1:3]
            for seat in seats:
                if not RecordItem.objects.filter(
                    member=seat, kind=RecordKind.LEAVE, title=LEAVE_TITLE, date=leave_day
                ).exists():
                    item_record(
                        committee=committee,
                        data=ItemInput(seat, RecordKind.LEAVE, LEAVE_TITLE, leave_day),
                        actor=admin,
                    )
        seed_sessions(committee, admin, today)
        members += points_recompute(committee_id=committee.pk, year=year)
    return {"schemes": created, "members": members, **results}


# --- Plenary, standing and chairs' meetings with attendance ------------------------------

# (month, day, kind, title) of the year's meetings; those after today are not held yet.
SESSIONS: tuple[tuple[int, int, str, str], ...] = (
    (1, 8, SessionKind.PLENARY, "全体会议（年度大会）"),
    (2, 10, SessionKind.CHAIRS, "主席会议：研究年度协商计划"),
    (3, 26, SessionKind.STANDING, "常委会议：通报重点提案督办情况"),
    (5, 12, SessionKind.CHAIRS, "主席会议：研究重点调研课题"),
    (6, 25, SessionKind.STANDING, "常委会议：专题协商“百千万工程”"),
    (8, 11, SessionKind.CHAIRS, "主席会议：研究社情民意工作"),
    (9, 24, SessionKind.STANDING, "常委会议：听取民生实事办理情况"),
    (11, 26, SessionKind.STANDING, "常委会议：年度履职评价"),
)
LEAVE_REASONS = ("因公出差", "身体原因", "参加上级组织的培训")
LEADING_ROLES = (MemberRole.CHAIR, MemberRole.VICE_CHAIR)


def _attendees(committee: Committee, kind: str) -> list[Member]:
    """Everyone at a plenary; the standing committee (the demo has few standing members,
    so the first serving members make up six) at a standing meeting; the chairs at a
    chairs' meeting."""
    serving = list(
        Member.objects.filter(committee=committee, is_active=True)
        .order_by("id")
        .select_related("user")
    )
    if kind == SessionKind.PLENARY:
        return serving
    leading = [m for m in serving if m.role in LEADING_ROLES]
    if kind == SessionKind.CHAIRS:
        return leading
    standing = leading + [m for m in serving if m.role == MemberRole.STANDING]
    others = [m for m in serving if m not in standing]
    return standing + others[: max(0, 6 - len(standing))]


def _status(index: int, offset: int) -> tuple[str, str]:
    turn = (index + offset) % 11
    if turn == 3:
        return AttendanceStatus.LEAVE, LEAVE_REASONS[(index + offset) % len(LEAVE_REASONS)]
    if turn == 7:
        return AttendanceStatus.EXCUSED, "参加市政协专题调研"
    if turn == 9 and index % 2:
        return AttendanceStatus.ABSENT, ""
    return AttendanceStatus.PRESENT, ""


def seed_sessions(committee: Committee, admin: User, today: date) -> int:
    """The year's plenary session, standing and chairs' meetings held so far, each with
    its attendance, recorded by staff through the services; a meeting already recorded
    is left as it is. Returns the number of meetings recorded now."""
    made = 0
    for offset, (month, day, kind, title) in enumerate(SESSIONS):
        held = date(today.year, month, day)
        if (
            held > today
            or CommitteeSession.objects.filter(
                committee=committee, kind=kind, date=held, title=title
            ).exists()
        ):
            continue
        attendees = _attendees(committee, kind)
        if not attendees:
            continue
        session = session_create(
            committee=committee, data=SessionInput(kind, held, title), actor=admin
        )
        entries = [
            AttendanceInput(member, *_status(index, offset))
            for index, member in enumerate(attendees)
        ]
        attendance_record(session=session, entries=entries, actor=admin)
        made += 1
    return made


# --- Livelihood results (民生实事) and 三个一 ----------------------------------------------

# (committee, title, place, department, figures, status, the suggestion behind it)
RESULTS: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    (
        "haizhu",
        "沙园街港海社区“三线”入地",
        "沙园街港海社区",
        "海珠区工业和信息化局",
        "架空电力、通信线路整治入地",
        ResultStatus.DONE,
        "港海社区三线下地",
    ),
    (
        "haizhu",
        "老旧楼房自来水管改造",
        "沙园街金德社区",
        "海珠区水务局",
        "",
        ResultStatus.UNDER_WAY,
        "金德社区老旧楼房自来水管改造",
    ),
    (
        "haizhu",
        "海珠湿地新增200个专用停车位",
        "海珠国家湿地公园",
        "海珠区住房和城乡建设局",
        "新增200个专用停车位",
        ResultStatus.DONE,
        "海珠湿地周边停车位不足",
    ),
    (
        "haizhu",
        "桐斋旧址修缮利用",
        "海珠区",
        "海珠区文化广电旅游体育局",
        "",
        ResultStatus.UNDER_WAY,
        "",
    ),
)
PANYU_RESULTS = ("镇街长者饭堂建设", "村居道路路灯补建")
PLAN_TOPICS = ("社区养老服务调研", "关于完善社区养老服务的提案", "长者饭堂建设")


def seed_results() -> dict[str, int]:
    """海珠's four results linked to their suggestions, two per 番禺 town workroom, and
    白云's workrooms with their 三个一; each created only once."""
    admin = User.objects.get(username=SUPERUSER)
    today = timezone.localdate()
    created = 0
    for code, title, place, department, figures, status, cause in RESULTS:
        committee = Committee.objects.filter(code=code).first()
        if (
            committee is None
            or LivelihoodResult.objects.filter(committee=committee, title=title).exists()
        ):
            continue
        result = result_create(
            committee=committee,
            data=ResultInput(title, place=place, department=department, figures=figures),
            actor=admin,
        )
        suggestion = Suggestion.objects.filter(committee=committee, title=cause).first()
        if cause and suggestion is not None:
            result_link(result=result, suggestions=[suggestion], actor=admin)
        if status != ResultStatus.PLANNED:
            result_set_status(result=result, status=status, actor=admin, done_on=today)
        created += 1
    panyu = Committee.objects.filter(code="panyu").first()
    if panyu is not None:
        towns = Workroom.objects.filter(committee=panyu, kind=WorkroomKind.STREET).order_by("id")
        for workroom, title in zip(towns[:2], PANYU_RESULTS, strict=False):
            full = f"{workroom.name}：{title}"[:100]
            if LivelihoodResult.objects.filter(committee=panyu, title=full).exists():
                continue
            result = result_create(
                committee=panyu, data=ResultInput(full, workroom=workroom), actor=admin
            )
            result_set_status(result=result, status=ResultStatus.DONE, actor=admin, done_on=today)
            created += 1
    baiyun = Committee.objects.filter(code="baiyun").first()
    if baiyun is not None:
        for workroom in Workroom.objects.filter(committee=baiyun).order_by("id")[:6]:
            if WorkroomPlan.objects.filter(workroom=workroom, year=today.year).exists():
                continue
            plan_set(workroom=workroom, year=today.year, data=PlanInput(*PLAN_TOPICS), actor=admin)
    return {"results": created}
