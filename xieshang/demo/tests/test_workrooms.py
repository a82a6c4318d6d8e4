"""The demo's workroom standard, evidence, activity kinds and activities: loadable twice."""

from __future__ import annotations

import pytest

from xieshang.activities.models import DEFAULT_ACTIVITY_KINDS, Activity, ActivityKind
from xieshang.core.models import Committee, Event
from xieshang.demo.workrooms import ACTIVITIES, seed_workrooms_extras
from xieshang.people.models import User
from xieshang.workrooms.models import (
    DEFAULT_CHECKLIST,
    ChecklistEvidence,
    ChecklistItem,
)
from xieshang.workrooms.selectors import standard_matrix

pytestmark = pytest.mark.django_db


def test_the_extras_load_once_and_a_second_run_changes_nothing(demo: str) -> None:
    assert ChecklistItem.objects.count() == 6 * len(DEFAULT_CHECKLIST)
    assert ActivityKind.objects.count() == 6 * len(DEFAULT_ACTIVITY_KINDS)
    assert Activity.objects.count() == len(ACTIVITIES)
    assert ChecklistEvidence.objects.count() == 18
    assert ChecklistEvidence.objects.filter(confirmed_at__isnull=False).count() == 13
    events = Event.objects.count()

    second = seed_workrooms_extras()
    assert set(second.values()) == {0}
    assert Event.objects.count() == events
    assert ChecklistItem.objects.count() == 6 * len(DEFAULT_CHECKLIST)
    assert ActivityKind.objects.count() == 6 * len(DEFAULT_ACTIVITY_KINDS)

    baiyun_staff = User.objects.get(username="baiyun.staff")
    baiyun = Committee.objects.get(code="baiyun")
    matrix = standard_matrix(user=baiyun_staff, committee_id=baiyun.pk)
    assert matrix.meeting_all == 2
    for activity in Activity.objects.prefetch_related("members"):
        assert activity.workroom is None or activity.workroom.committee_id == activity.committee_id
        assert all(m.committee_id == activity.committee_id for m in activity.members.all())
