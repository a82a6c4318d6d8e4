"""The monthly pre-aggregates equal the records: built, after records change (the
changed months are counted from the records until rebuilt) and after the refresh."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xieshang.activities.models import Activity
from xieshang.core.periods import Period
from xieshang.figures import cube
from xieshang.figures.definitions import FIGURES
from xieshang.figures.models import MonthBuilt, MonthChange, MonthFigures
from xieshang.figures.selectors import (
    Scope,
    compute_by_committee_periods,
    compute_periods,
)
from xieshang.figures.tests.conftest import YEAR, Seeded, local, suggestion
from xieshang.figures.views_data import figure_table
from xieshang.people.models import Member
from xieshang.proposals.models import (
    Assignment,
    Proposal,
    ProposalCategory,
    ProposalRating,
    Reply,
)
from xieshang.suggestions.models import Disposition, DispositionKind, Suggestion, SuggestionStatus

pytestmark = pytest.mark.django_db

PERIODS = [
    Period.year(YEAR),
    Period.year(YEAR - 1),
    Period.year(YEAR + 1),
    Period.quarter(YEAR, 1),
    Period.month(YEAR, 12),
    Period.custom(date(YEAR, 2, 15), date(YEAR, 12, 31)),  # not whole months
]


def proposals(seeded: Seeded) -> None:
    """Proposals of 天河 with replies and ratings, around the year's boundaries."""
    cast = seeded.cast
    seat = Member.objects.get(user=cast.member)
    category = ProposalCategory.objects.create(committee=cast.tianhe, name="城建")
    for i, (submitted, status, sent, grade, deadline) in enumerate(
        [
            (local(date(YEAR, 1, 1), 0, 0), "replied", local(date(YEAR, 3, 1)), "A", 10),
            (
                local(date(YEAR, 12, 31), 23, 59),
                "closed",
                local(date(YEAR + 1, 1, 1), 0, 1),
                "B",
                5,
            ),
            (local(date(YEAR - 1, 12, 31), 23, 59), "merged", None, "", 5),
            (local(date(YEAR, 6, 1)), "accepted", local(date(YEAR, 6, 30)), "C", 1),
        ]
    ):
        proposal = Proposal.objects.create(
            committee=cast.tianhe,
            kind="interim",
            title=f"提案{i}",
            analysis="分析",
            recommendations="建议",
            category=category,
            proposer_kind="member",
            lead=seat,
            status=status,
            created_by=cast.staff,
            submitted_at=submitted,
        )
        assignment = Assignment.objects.create(
            committee=cast.tianhe,
            proposal=proposal,
            department=cast.department,
            role="lead",
            status="replied",
            deadline=local(date(YEAR, 3, deadline)),
            return_by=submitted,
            assigned_at=submitted,
        )
        if sent is not None:
            Reply.objects.create(
                assignment=assignment, text="答复", grade=grade, drafted_by=cast.staff, sent_at=sent
            )
            rating = ProposalRating.objects.create(
                proposal=proposal, member=seat, value="satisfied"
            )
            ProposalRating.objects.filter(pk=rating.pk).update(created_at=sent)


def assert_cube_equals_records(seeded: Seeded) -> None:
    cast = seeded.cast
    for committee in (cast.city, cast.tianhe, cast.haizhu):
        scope = Scope.of(committee)
        cubed = compute_periods(scope, PERIODS)
        counted = compute_periods(scope, PERIODS, cube=False)
        for period, a, b in zip(PERIODS, cubed, counted, strict=True):
            assert a.values == b.values, (committee.code, period)
    ids = [cast.city.pk, cast.tianhe.pk, cast.haizhu.pk]
    assert compute_by_committee_periods(ids, PERIODS) == compute_by_committee_periods(
        ids, PERIODS, cube=False
    )
    workroom = Scope.of(cast.tianhe, cast.workroom)
    assert [r.values for r in compute_periods(workroom, PERIODS)] == [
        r.values for r in compute_periods(workroom, PERIODS, cube=False)
    ]


def test_the_cube_equals_the_records_built_changed_and_refreshed(seeded: Seeded) -> None:
    cast = seeded.cast
    proposals(seeded)
    assert MonthChange.objects.exists()  # the triggers saw the records arrive
    built = cube.build(until=date(YEAR + 1, 12, 1))
    assert built
    assert not MonthChange.objects.exists()  # the changes seen before counting are counted
    # 1 January 00:00 local is January's (in UTC it is still 31 December)
    january = MonthFigures.objects.get(
        base="suggestions", committee_id=cast.tianhe.pk, month=date(YEAR, 1, 1)
    )
    assert january.values["suggestions_received"] == 1
    december = MonthFigures.objects.get(
        base="suggestions", committee_id=cast.tianhe.pk, month=date(YEAR, 12, 1)
    )
    assert december.values["suggestions_received"] == 1  # 23:59 on the 31st
    assert MonthFigures.objects.filter(base="replies").exists()
    assert MonthFigures.objects.filter(base="participations").exists()
    assert_cube_equals_records(seeded)
    values = compute_periods(Scope.of(cast.tianhe), [Period.year(YEAR)])[0].values
    assert values["suggestions_received"] == 3
    assert values["proposals_submitted"] == 3  # the merged one is of the year before
    assert values["replies_grade_a"] == 1
    assert values["replies_on_time"] == 1  # the C reply came after its deadline

    # Records change: the months they touch are counted from the records until rebuilt.
    s1 = Suggestion.objects.get(idempotency_key="a")
    Suggestion.objects.filter(pk=s1.pk).update(status=SuggestionStatus.ANSWERED)
    s3 = Suggestion.objects.get(idempotency_key="c")
    Disposition.objects.create(suggestion=s3, kind=DispositionKind.TOPIC, created_by=cast.staff)
    suggestion(cast.haizhu, local(date(YEAR, 3, 4)), "h")
    activity = Activity.objects.filter(date=date(YEAR, 12, 31)).get()
    activity.members.remove(seeded.city_member)
    Reply.objects.filter(grade="A").update(grade="D")
    Member.objects.filter(pk=seeded.city_member.pk).update(committee=cast.tianhe)
    assert set(MonthChange.objects.exclude(month=None).values_list("base", "month")) >= {
        ("suggestions", date(YEAR, 1, 1)),
        ("dispositions", date(YEAR, 6, 1)),
        ("suggestions", date(YEAR, 3, 1)),
        ("participations", date(YEAR, 12, 1)),
        ("replies", date(YEAR, 3, 1)),
    }
    assert MonthChange.objects.filter(base="dispositions", month=None).exists()
    assert_cube_equals_records(seeded)
    values = compute_periods(Scope.of(cast.tianhe), [Period.year(YEAR)])[0].values
    assert values["suggestions_answered"] == 3
    assert values["suggestions_became_topic"] == 1
    assert values["suggestions_claimed_city"] == 0  # the claimer now sits in 天河
    assert values["activity_attendance"] == 3
    assert values["replies_grade_a"] == 0
    cube.refresh()
    assert not MonthChange.objects.exists()
    assert_cube_equals_records(seeded)
    # Deleting records marks their months too.
    Suggestion.objects.filter(idempotency_key="h").delete()
    assert MonthChange.objects.filter(base="suggestions", month=date(YEAR, 3, 1)).exists()
    assert_cube_equals_records(seeded)


def test_the_roll_up_reads_the_cube_with_fewer_queries(seeded: Seeded) -> None:
    cast = seeded.cast
    proposals(seeded)
    period = Period.year(YEAR)
    counted = figure_table(cast.city, period)
    cube.build(since=date(YEAR - 1, 1, 1), until=date(YEAR + 1, 12, 1))
    cube.refresh()
    assert MonthBuilt.objects.filter(base="suggestions", month=date(YEAR, 1, 1)).exists()
    with CaptureQueriesContext(connection) as queries:
        table = figure_table(cast.city, period)
    # and three finding the committees below (the tree, level by level, and the columns)
    assert table.queries + 3 == len(queries)
    assert not any("suggestions_suggestion" in q["sql"] for q in queries.captured_queries)
    assert table.queries < counted.queries
    assert [(r.value, r.previous, r.columns) for r in table.rows] == [
        (r.value, r.previous, r.columns) for r in counted.rows
    ]
    assert {r.figure.key for r in table.rows} == set(FIGURES)
