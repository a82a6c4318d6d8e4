"""The figures of the apps built later — consultations, 社情民意, research — counted from
known records: the right committee, the city over its districts, the period's date field,
drafts left out, one item counted once however many 批示 it has."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from xieshang.conftest import Cast
from xieshang.consultations.models import (
    Adoption,
    Meeting,
    MeetingKind,
    Opinion,
    Sending,
    SendingStatus,
    Topic,
    TopicKind,
)
from xieshang.core.models import Committee
from xieshang.core.periods import Period
from xieshang.figures.selectors import Scope, compute, figure_records
from xieshang.figures.tests.conftest import YEAR, local
from xieshang.opinions import models as opinions
from xieshang.people.models import Member
from xieshang.research import models as research

pytestmark = pytest.mark.django_db


def consultation(cast: Cast, committee: Committee, *, people: int, replies: list[str]) -> None:
    """One topic with a meeting, one opinion per reply, each opinion sent to the department
    and answered with the given result ('' = not answered yet)."""
    topic = Topic.objects.create(
        committee=committee,
        year=YEAR,
        title=f"{committee.name}协商议题",
        kind=TopicKind.THEMATIC,
        created_by=cast.staff,
        created_at=local(date(YEAR, 3, 1)),
    )
    meeting = Meeting.objects.create(
        topic=topic,
        kind=MeetingKind.values[0],
        date=date(YEAR, 3, 10),
        place="会议室",
        participant_count=people,
        created_by=cast.staff,
    )
    # A site visit of the next year is outside the period.
    Meeting.objects.create(
        topic=topic,
        kind=MeetingKind.values[0],
        date=date(YEAR + 1, 1, 5),
        place="现场",
        participant_count=99,
        created_by=cast.staff,
    )
    for number, result in enumerate(replies, start=1):
        opinion = Opinion.objects.create(
            topic=topic,
            meeting=meeting,
            number=number,
            text=f"意见{number}",
            created_by=cast.staff,
            created_at=local(date(YEAR, 3, 11)),
        )
        sent = local(date(YEAR, 3, 20))
        Sending.objects.create(
            opinion=opinion,
            committee=committee,
            department=cast.department,
            deadline=sent + timedelta(days=90),
            status=SendingStatus.APPROVED if result else SendingStatus.SIGNED,
            adoption=result,
            replied_at=sent + timedelta(days=30) if result else None,
            created_by=cast.staff,
            created_at=sent,
        )


def item(cast: Cast, committee: Committee, status: str, key: str) -> opinions.Item:
    return opinions.Item.objects.create(
        committee=committee,
        author=Member.objects.get(user=cast.member),
        title=f"社情民意{key}",
        situation="情况",
        suggestion="建议",
        status=status,
        created_by=cast.member,
        created_at=local(date(YEAR, 5, 1)),
    )


def test_consultations_opinions_and_research_of_a_district_and_the_city(cast: Cast) -> None:
    consultation(cast, cast.tianhe, people=30, replies=[Adoption.ADOPTED, Adoption.NOT_ADOPTED, ""])
    consultation(cast, cast.haizhu, people=12, replies=[Adoption.PARTLY])

    item(cast, cast.tianhe, opinions.ItemStatus.DRAFT, "草稿")  # the author's own
    adopted = item(cast, cast.tianhe, opinions.ItemStatus.ADOPTED, "采用")
    item(cast, cast.tianhe, opinions.ItemStatus.NOT_ADOPTED, "不采用")
    item(cast, cast.tianhe, opinions.ItemStatus.SUBMITTED, "待处理")
    for leader in ("区委书记", "区长"):  # two instructions, one item
        opinions.Instruction.objects.create(
            item=adopted,
            level=opinions.LeaderLevel.values[0],
            leader=leader,
            text="请相关部门研究",
            date=date(YEAR, 6, 1),
            created_by=cast.staff,
        )

    topic = research.Topic.objects.create(
        committee=cast.tianhe,
        year=YEAR,
        title="城中村改造调研",
        is_key=True,
        lead="主席会议",
        created_by=cast.staff,
        created_at=local(date(YEAR, 2, 1)),
    )
    research.Topic.objects.create(
        committee=cast.haizhu,
        year=YEAR,
        title="海珠调研",
        lead="文史委",
        created_by=cast.staff,
        created_at=local(date(YEAR, 2, 1)),
    )
    research.Report.objects.create(
        topic=topic,
        committee=cast.tianhe,
        title="城中村改造调研报告",
        text="报告",
        status=research.ReportStatus.ADOPTED,
        adopted_at=local(date(YEAR, 9, 1)),
        created_by=cast.staff,
    )
    research.Outcome.objects.create(
        topic=topic,
        kind=research.OutcomeKind.PROPOSAL,
        text="形成集体提案",
        date=date(YEAR, 10, 1),
        created_by=cast.staff,
    )

    tianhe = compute(Scope.of(cast.tianhe), Period.year(YEAR)).values
    assert tianhe["consultation_topics_held"] == 1
    assert tianhe["consultation_events"] == 1  # next January's visit is not this year's
    assert tianhe["consultation_participants"] == 30
    assert tianhe["consultation_opinions_formed"] == 3
    assert tianhe["consultation_opinions_sent"] == 3
    assert tianhe["consultation_sendings_replied"] == 2
    assert tianhe["consultation_sendings_adopted"] == 1
    assert tianhe["consultation_adoption_rate"] == 50.0
    assert tianhe["opinion_items_submitted"] == 3  # the draft is not counted
    assert tianhe["opinion_items_decided"] == 2
    assert tianhe["opinion_items_adopted"] == 1
    assert tianhe["opinion_adoption_rate"] == 50.0
    assert tianhe["opinion_items_instructed"] == 1  # two 批示, one item
    assert tianhe["research_topics_set"] == 1
    assert tianhe["research_key_topics"] == 1
    assert tianhe["research_reports_adopted"] == 1
    assert tianhe["research_outcomes_recorded"] == 1

    city = compute(Scope.of(cast.city), Period.year(YEAR)).values
    assert city["consultation_participants"] == 42
    assert city["consultation_sendings_adopted"] == 2
    assert city["research_topics_set"] == 2
    assert city["opinion_items_submitted"] == 3

    haizhu = compute(Scope.of(cast.haizhu), Period.year(YEAR)).values
    assert haizhu["opinion_items_submitted"] == 0
    assert haizhu["consultation_adoption_rate"] == 100.0

    # The drill-down lists what was counted, and nothing of another district.
    listed = figure_records("opinion_items_submitted", Scope.of(cast.tianhe), Period.year(YEAR))
    assert sorted(listed.values_list("title", flat=True)) == [
        "社情民意不采用",
        "社情民意待处理",
        "社情民意采用",
    ]
