"""The duty record reads consultations and 社情民意 too: a sign-in at a consultation event,
an item handed in, adopted, instructed — each a record line, with the scheme's points, for
the author and the co-authors; drafts and other committees' records are not counted."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import timezone

from xieshang.conftest import Cast, make_user
from xieshang.consultations.models import Attendance, Meeting, MeetingKind, Topic, TopicKind
from xieshang.opinions.models import Instruction, Item, ItemStatus, LeaderLevel
from xieshang.people.models import Member
from xieshang.performance.models import MemberYear, RecordKind, RecordLine
from xieshang.performance.services import scheme_create

pytestmark = pytest.mark.django_db


def test_consultation_sign_ins_and_opinion_items_become_records_and_points(cast: Cast) -> None:
    year = timezone.localdate().year
    seat = Member.objects.get(user=cast.member, committee=cast.tianhe)
    partner = Member.objects.create(
        user=make_user("tianhe.partner", "联名委员"), committee=cast.tianhe, role=seat.role
    )
    topic = Topic.objects.create(
        committee=cast.tianhe,
        year=year,
        title="老旧小区加装电梯协商",
        kind=TopicKind.THEMATIC,
        created_by=cast.staff,
    )
    meeting = Meeting.objects.create(
        topic=topic,
        kind=MeetingKind.values[0],
        date=date(year, 1, 15),
        place="会议室",
        created_by=cast.staff,
    )
    Attendance.objects.create(meeting=meeting, member=seat)

    def item(title: str, status: str) -> Item:
        made = Item.objects.create(
            committee=cast.tianhe,
            author=seat,
            title=title,
            situation="情况",
            suggestion="建议",
            status=status,
            created_by=cast.member,
            created_at=timezone.make_aware(datetime(year, 2, 1, 10)),
        )
        made.coauthors.add(partner)
        return made

    adopted = item("关于加装电梯资金的建议", ItemStatus.ADOPTED)
    item("草稿", ItemStatus.DRAFT)
    item("已报送", ItemStatus.SUBMITTED)
    for leader in ("区委书记", "区长"):
        Instruction.objects.create(
            item=adopted,
            level=LeaderLevel.values[0],
            leader=leader,
            text="请研究",
            date=date(year, 3, 1),
            created_by=cast.staff,
        )

    scheme_create(committee=cast.tianhe, year=year, actor=cast.staff)
    kinds = sorted(
        RecordLine.objects.filter(member_year__member=seat).values_list("kind", flat=True)
    )
    assert kinds == sorted(
        [
            RecordKind.CONSULTATION_ATTENDED,
            RecordKind.OPINION_WRITTEN,
            RecordKind.OPINION_WRITTEN,  # the adopted one and the submitted one, not the draft
            RecordKind.OPINION_ADOPTED,
            RecordKind.OPINION_INSTRUCTED,  # two 批示, one record
        ]
    )
    # Default points: 2 (sign-in) + 1 + 1 (written) + 3 (adopted) + 5 (instructed).
    assert MemberYear.objects.get(member=seat, year=year).total == 12
    # The co-author gets the items' records, not the sign-in.
    assert MemberYear.objects.get(member=partner, year=year).total == 10
