"""Known records across committees, workrooms and dates, for asserting every figure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import pytest
from django.utils import timezone

from xieshang.activities.models import Activity, ActivityKind
from xieshang.conftest import Cast, make_user
from xieshang.core.models import Committee
from xieshang.people.models import Member
from xieshang.suggestions.models import (
    Channel,
    Disposition,
    DispositionKind,
    Escalation,
    Rating,
    Referral,
    Source,
    Suggestion,
    SuggestionStatus,
)
from xieshang.workrooms.models import Workroom, WorkroomKind, WorkroomMembership, WorkroomStatus

YEAR = 2025


def local(d: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime.combine(d, time(hour, minute), tzinfo=timezone.get_current_timezone())


def suggestion(committee: Committee, when: datetime, key: str, **extra: Any) -> Suggestion:
    values: dict[str, Any] = {
        "committee": committee,
        "title": f"百姓提案{key}",
        "content": "内容",
        "source": Source.WEB,
        "channel": Channel.ONLINE,
        "consented_at": when,
        "idempotency_key": key,
        "created_at": when,
    }
    values.update(extra)
    return Suggestion.objects.create(**values)


@dataclass
class Seeded:
    cast: Cast
    city_member: Member
    s_boundary_in: Suggestion
    s_boundary_out: Suggestion


@pytest.fixture
def seeded(cast: Cast) -> Seeded:
    """天河: 2 active workrooms (park, personal) + 1 preparing; 海珠: 1 active; the city: 1.
    Suggestions around the year's boundaries (local time), dispositions, referrals, an
    escalation from 天河 to the city, activities."""
    staff = cast.staff
    Workroom.objects.filter(pk__in=[cast.workroom.pk, cast.haizhu_workroom.pk]).update(
        status=WorkroomStatus.ACTIVE
    )
    personal = Workroom.objects.create(
        committee=cast.tianhe, name="天河个人工作室", code="t-personal", kind=WorkroomKind.PERSONAL
    )
    Workroom.objects.filter(pk=personal.pk).update(status=WorkroomStatus.ACTIVE)
    Workroom.objects.create(
        committee=cast.tianhe, name="天河筹备中", code="t-prep", kind=WorkroomKind.PARK
    )
    city_room = Workroom.objects.create(
        committee=cast.city, name="市委员之家", code="c-home", kind=WorkroomKind.MEMBERS_HOME
    )
    Workroom.objects.filter(pk=city_room.pk).update(status=WorkroomStatus.ACTIVE)
    seat = Member.objects.get(user=cast.member)  # 天河 district member, in t-east already
    WorkroomMembership.objects.create(workroom=personal, member=seat)  # counted once
    city_member = Member.objects.create(committee=cast.city, user=make_user("c.m", "市委员"))
    WorkroomMembership.objects.create(workroom=personal, member=city_member)
    WorkroomMembership.objects.create(workroom=city_room, member=city_member)

    tz_first = local(date(YEAR, 1, 1), 0, 0)  # in
    tz_last = local(date(YEAR, 12, 31), 23, 59)  # in
    before = local(date(YEAR - 1, 12, 31), 23, 59)  # out (UTC date is the same year-1)
    after = local(date(YEAR + 1, 1, 1), 0, 1)  # out (UTC it is still 31 December)
    s1 = suggestion(cast.tianhe, tz_first, "a", workroom=cast.workroom, source=Source.WORKROOM)
    s2 = suggestion(
        cast.tianhe,
        tz_last,
        "b",
        channel=Channel.VISIT,
        status=SuggestionStatus.ANSWERED,
        rating=Rating.SATISFIED,
    )
    s3 = suggestion(
        cast.tianhe,
        local(date(YEAR, 6, 1)),
        "c",
        status=SuggestionStatus.CLOSED,
        rating=Rating.UNSATISFIED,
    )
    suggestion(cast.tianhe, before, "d")
    s_out = suggestion(cast.tianhe, after, "e")
    suggestion(cast.haizhu, local(date(YEAR, 3, 3)), "f")
    suggestion(cast.city, local(date(YEAR, 3, 3)), "g")
    # The city member claimed it first and let it go; then a district member claimed it.
    Disposition.objects.create(
        suggestion=s1,
        kind=DispositionKind.MEMBER_CLAIM,
        member=city_member,
        created_by=staff,
        released_at=local(date(YEAR, 2, 1)),
    )
    Disposition.objects.create(
        suggestion=s1, kind=DispositionKind.MEMBER_CLAIM, member=seat, created_by=staff
    )
    Disposition.objects.create(suggestion=s2, kind=DispositionKind.REFERRAL, created_by=staff)
    Disposition.objects.create(suggestion=s3, kind=DispositionKind.ESCALATION, created_by=staff)
    Referral.objects.create(
        suggestion=s2,
        committee=cast.tianhe,
        department=cast.department,
        deadline=local(date(YEAR, 3, 10)),
        status="approved",
        replied_at=local(date(YEAR, 3, 9)),
        created_by=staff,
        created_at=local(date(YEAR, 3, 1)),
    )
    Referral.objects.create(
        suggestion=s3,
        committee=cast.tianhe,
        department=cast.department,
        deadline=local(date(YEAR, 3, 10)),
        status="approved",
        replied_at=local(date(YEAR, 3, 11)),
        created_by=staff,
        created_at=local(date(YEAR, 3, 1)),
    )
    Escalation.objects.create(
        suggestion=s3,
        committee=cast.city,
        note="需市层面统筹",
        created_by=staff,
        created_at=local(date(YEAR, 7, 1)),
    )
    kind = ActivityKind.objects.create(committee=cast.tianhe, name="进社区")
    for day, reached, workroom in (
        (date(YEAR, 1, 1), 30, cast.workroom),
        (date(YEAR, 12, 31), 20, None),
        (date(YEAR + 1, 1, 1), 1000, cast.workroom),
    ):
        activity = Activity.objects.create(
            committee=cast.tianhe,
            kind=kind,
            title=f"进社区{day}",
            date=day,
            workroom=workroom,
            citizens_reached=reached,
            issues_collected=reached // 10,
            recorded_by=staff,
        )
        activity.members.set([seat, city_member])
    return Seeded(cast=cast, city_member=city_member, s_boundary_in=s2, s_boundary_out=s_out)
