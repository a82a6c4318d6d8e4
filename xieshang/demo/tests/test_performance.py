"""The demo's duty record and points: a scheme per member committee, points computed from
what the demo recorded, and a second run that changes nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from xieshang.core.models import Committee
from xieshang.demo.organisation import MEMBER_COMMITTEES
from xieshang.demo.seed import seed_demo
from xieshang.performance.models import (
    MemberYear,
    PointRuleChange,
    PointScheme,
    RecordItem,
    RecordLine,
)

pytestmark = pytest.mark.django_db


def test_every_member_committee_has_points_from_its_records() -> None:
    seed_demo()
    year = timezone.localdate().year
    committees = Committee.objects.filter(code__in=MEMBER_COMMITTEES)
    assert PointScheme.objects.filter(year=year, committee__in=committees).count() == len(
        MEMBER_COMMITTEES
    )
    assert MemberYear.objects.filter(year=year, total__gt=0).exists()
    assert RecordLine.objects.filter(source__startswith="activity:").exists()
    counts = (
        PointScheme.objects.count(),
        PointRuleChange.objects.count(),
        RecordItem.objects.count(),
        MemberYear.objects.count(),
        sorted(MemberYear.objects.values_list("member_id", "total")),
    )
    seed_demo()
    assert counts == (
        PointScheme.objects.count(),
        PointRuleChange.objects.count(),
        RecordItem.objects.count(),
        MemberYear.objects.count(),
        sorted(MemberYear.objects.values_list("member_id", "total")),
    )
