"""The demo's duty record and points: a scheme per member committee, points computed from
what the demo recorded, and a second run that changes nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from xieshang.core.models import Committee
from xieshang.demo.organisation import MEMBER_COMMITTEES
from xieshang.demo.seed import seed_demo
from xieshang.performance.models import (
    AttendanceStatus,
    CommitteeSession,
    LivelihoodResult,
    MemberYear,
    PointRuleChange,
    PointScheme,
    RecordItem,
    RecordKind,
    RecordLine,
    ResultStatus,
    SessionAttendance,
    SessionKind,
    WorkroomPlan,
)

pytestmark = pytest.mark.django_db


def test_every_member_committee_has_points_from_its_records(demo: str) -> None:
    year = timezone.localdate().year
    committees = Committee.objects.filter(code__in=MEMBER_COMMITTEES)
    assert PointScheme.objects.filter(year=year, committee__in=committees).count() == len(
        MEMBER_COMMITTEES
    )
    assert MemberYear.objects.filter(year=year, total__gt=0).exists()
    assert RecordLine.objects.filter(source__startswith="activity:").exists()
    # the year's plenary and standing meetings held so far, with attendance, are records
    held = CommitteeSession.objects.filter(committee__code="haizhu", date__year=year)
    assert held.filter(kind=SessionKind.PLENARY).count() == 1
    assert (
        SessionAttendance.objects.filter(session__in=held, status=AttendanceStatus.LEAVE)
        .exclude(reason="")
        .exists()
    )
    assert RecordLine.objects.filter(
        source__startswith="session:", kind=RecordKind.PLENARY_ATTENDED, points=5
    ).exists()
    counts = (
        PointScheme.objects.count(),
        PointRuleChange.objects.count(),
        RecordItem.objects.count(),
        MemberYear.objects.count(),
        sorted(MemberYear.objects.values_list("member_id", "total")),
        SessionAttendance.objects.count(),
    )
    seed_demo()
    assert counts == (
        PointScheme.objects.count(),
        PointRuleChange.objects.count(),
        RecordItem.objects.count(),
        MemberYear.objects.count(),
        sorted(MemberYear.objects.values_list("member_id", "total")),
        SessionAttendance.objects.count(),
    )


def test_haizhu_results_are_linked_to_their_suggestions(demo: str) -> None:
    parking = LivelihoodResult.objects.get(title="海珠湿地新增200个专用停车位")
    assert parking.status == ResultStatus.DONE
    assert [s.title for s in parking.suggestions.all()] == ["海珠湿地周边停车位不足"]
    assert LivelihoodResult.objects.filter(committee__code="haizhu").count() == 4
    assert WorkroomPlan.objects.filter(committee__code="baiyun").exists()
