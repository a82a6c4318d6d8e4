"""The performance app's part of the URL walk (xieshang/core/tests/test_url_walk.py):
天河's point scheme, an entered record of 天河's member, and so the member's year."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from xieshang.conftest import Cast
from xieshang.people.models import Member
from xieshang.performance.models import (
    AttendanceStatus,
    CommitteeSession,
    LivelihoodResult,
    MemberYear,
    RecordItem,
    RecordKind,
    SessionAttendance,
    SessionKind,
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
    result_create,
    scheme_create,
    session_create,
)

ITEM_TITLE = "天河委员参加区人大常委会视察"
RESULT_TITLE = "珠江新城东塔新增停车位"
SESSION_TITLE = "天河区政协常委会第九次会议"
LEAVE_REASON = "天河委员赴外地考察请假"


def _year(cast: Cast) -> MemberYear:
    return MemberYear.objects.get(member__user=cast.member, member__committee=cast.tianhe)


SAMPLES: dict[str, Any] = {
    "performance:record": lambda c: {"pk": _year(c).pk},
    "performance:record_docx": lambda c: {"pk": _year(c).pk},
    "performance:item_remove": lambda c: {"pk": RecordItem.objects.get(title=ITEM_TITLE).pk},
    "performance:item_evidence": lambda c: {"pk": RecordItem.objects.get(title=ITEM_TITLE).pk},
    "performance:result": lambda c: {"pk": LivelihoodResult.objects.get(title=RESULT_TITLE).pk},
    "performance:results_public": lambda c: {"code": c.tianhe.code},
    "performance:session": lambda c: {"pk": CommitteeSession.objects.get(title=SESSION_TITLE).pk},
    "performance:attendance_change": lambda c: {
        "pk": SessionAttendance.objects.get(reason=LEAVE_REASON).pk
    },
}
POST_ONLY = {"performance:item_remove", "performance:attendance_change"}
SENTINELS = (ITEM_TITLE, RESULT_TITLE, SESSION_TITLE, LEAVE_REASON)


def prepare(cast: Cast) -> None:
    year = timezone.localdate().year
    scheme_create(committee=cast.tianhe, year=year, actor=cast.staff)
    seat = Member.objects.get(user=cast.member, committee=cast.tianhe)
    item_record(
        committee=cast.tianhe,
        data=ItemInput(
            member=seat,
            kind=RecordKind.OUTSIDE_WORK,
            title=ITEM_TITLE,
            date=date(year, 1, 2),
            evidence=b"%PDF-1.4\n%walk\n%%EOF\n",
        ),
        actor=cast.staff,
    )
    result = result_create(
        committee=cast.tianhe,
        data=ResultInput(RESULT_TITLE, workroom=cast.workroom),
        actor=cast.staff,
    )
    plan_set(
        workroom=cast.workroom,
        year=year,
        data=PlanInput("东塔周边停车调研", "东塔停车提案", RESULT_TITLE),
        actor=cast.staff,
    )
    assert result.pk
    session = session_create(
        committee=cast.tianhe,
        data=SessionInput(SessionKind.STANDING, date(year, 1, 2), SESSION_TITLE),
        actor=cast.staff,
    )
    attendance_record(
        session=session,
        entries=[AttendanceInput(seat, AttendanceStatus.LEAVE, LEAVE_REASON)],
        actor=cast.staff,
    )
