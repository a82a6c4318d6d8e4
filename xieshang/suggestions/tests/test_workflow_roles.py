"""Every transition of the three workflows, tried by every member of the cast: allowed
for exactly the roles the table names, refused (with nothing changed) for the rest."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from xieshang.conftest import Cast
from xieshang.core.errors import Forbidden
from xieshang.core.models import ActorKind, Event
from xieshang.core.workflow import Transition, Workflow
from xieshang.people.access import Role
from xieshang.suggestions.models import Escalation, Referral, Suggestion
from xieshang.suggestions.tests.conftest import submit
from xieshang.suggestions.workflow import (
    ESCALATION_WORKFLOW,
    REFERRAL_WORKFLOW,
    SUGGESTION_WORKFLOW,
)

ACTORS = ["staff", "member", "clerk", "leader", "outsider", "city_staff", "citizen", "system"]


def actor_of(cast: Cast, who: str) -> Any:
    if who == "citizen":
        return ActorKind.CITIZEN
    if who == "system":
        return ActorKind.SYSTEM
    return getattr(cast, who)


def allowed(role: Role, record: str) -> set[str]:
    """Who holds `role` for a record of 天河 (an escalation's record is 广州市政协's)."""
    staff = "city_staff" if record == "escalation" else "staff"
    return {
        Role.STAFF: {staff},
        Role.MEMBER: {"member"} if record != "escalation" else set(),
        Role.DEPARTMENT_CLERK: {"clerk"},
        Role.CITIZEN: {"citizen"},
        Role.SYSTEM: {"system"},
    }[role]


def records(cast: Cast, record: str, state: str) -> Any:
    suggestion = submit(cast)
    if record == "suggestion":
        Suggestion.objects.filter(pk=suggestion.pk).update(status=state)
        return Suggestion.objects.get(pk=suggestion.pk)
    if record == "referral":
        return Referral.objects.create(
            suggestion=suggestion,
            committee=cast.tianhe,
            department=cast.department,
            deadline=timezone.now() + timedelta(days=20),
            created_by=cast.staff,
            status=state,
        )
    return Escalation.objects.create(
        suggestion=suggestion, committee=cast.city, note="上报", created_by=cast.staff, status=state
    )


CASES = [
    (record, workflow, transition)
    for record, workflow in (
        ("suggestion", SUGGESTION_WORKFLOW),
        ("referral", REFERRAL_WORKFLOW),
        ("escalation", ESCALATION_WORKFLOW),
    )
    for transition in workflow.table.values()
]


@pytest.mark.parametrize(
    ("record", "workflow", "transition"),
    CASES,
    ids=[f"{r}:{t.source}-{t.action}" for r, _w, t in CASES],
)
def test_each_transition_is_allowed_for_exactly_its_roles(
    cast: Cast, places, record: str, workflow: Workflow[Any], transition: Transition
) -> None:
    expected = set().union(*(allowed(role, record) for role in transition.roles))
    assert expected, "a transition nobody in the cast may take"
    for who in ACTORS:
        obj = records(cast, record, transition.source)
        events = Event.objects.count()
        actor = actor_of(cast, who)
        if who in expected:
            workflow.apply(obj, action=transition.action, actor=actor, note="理由")
            obj.refresh_from_db()
            assert obj.status == transition.target, who
        else:
            with pytest.raises(Forbidden):
                workflow.apply(obj, action=transition.action, actor=actor, note="理由")
            obj.refresh_from_db()
            assert obj.status == transition.source, who
            assert Event.objects.count() == events, who
