"""Demo data: the duty record and points (履职档案、履职积分). Runs last: every member
committee gets this year's default point scheme (by the demo superuser, through the
service, so it has its history and event), a few members' leave entered by staff, and its
points computed from everything the demo recorded before (activities, shifts, talks,
proposals, claimed suggestions).

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
from xieshang.people.models import Member, User
from xieshang.performance.models import PointScheme, RecordItem, RecordKind
from xieshang.performance.services import (
    ItemInput,
    item_record,
    points_recompute,
    scheme_create,
)

LEAVE_TITLE = "请假：因公出差未能出席常委会会议"


def seed_performance() -> dict[str, int]:
    """Schemes, leave and points of the demo's member committees; returns the counts of
    schemes created and members whose points were computed."""
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
        members += points_recompute(committee_id=committee.pk, year=year)
    return {"schemes": created, "members": members}
