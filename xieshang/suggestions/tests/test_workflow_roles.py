"""Every transition of the three workflows, tried by every member of the cast: allowed
for exactly the people its permission names, refused (with nothing changed) for the rest."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from xieshang.conftest import Cast
from xieshang.core.errors import Forbidden
from xieshang.core.models import ActorKind, Event
from xieshang.core.workflow import Transition, Workflow
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


STAFF, CLERK = {"staff"}, {"clerk"}
# Who of the cast (records of 天河; an escalation's is 广州市政协's) holds each transition's
# permission: written out here, not read from rules.py, so a change there shows.
EXPECTED: dict[str, set[str]] = {
    "suggestions.triage_suggestion": STAFF,
    "suggestions.offer_suggestion": STAFF,
    "suggestions.claim_suggestion": {"member"},
    "suggestions.opinion_suggestion": STAFF,
    "suggestions.topic_suggestion": STAFF,
    "suggestions.refer_suggestion": STAFF,
    "suggestions.escalate_suggestion": STAFF,
    "suggestions.upper_declined_suggestion": {"system"},
    "suggestions.upper_answered_suggestion": {"system"},
    "suggestions.answer_suggestion": STAFF,
    "suggestions.reject_suggestion": STAFF,
    "suggestions.merge_suggestion": STAFF,
    "suggestions.rate_ok_suggestion": {"citizen"},
    "suggestions.rate_bad_suggestion": {"citizen"},
    "suggestions.close_suggestion": STAFF,
    "suggestions.sign_referral": CLERK,
    "suggestions.ask_return_referral": CLERK,
    "suggestions.accept_return_referral": STAFF,
    "suggestions.refuse_return_referral": STAFF,
    "suggestions.reply_referral": CLERK,
    "suggestions.approve_referral": STAFF,
    "suggestions.send_back_referral": STAFF,
    "suggestions.accept_escalation": {"city_staff"},
    "suggestions.decline_escalation": {"city_staff"},
    "suggestions.answer_escalation": {"city_staff"},
}


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
def test_each_transition_is_allowed_for_exactly_its_permissions_holders(
    cast: Cast, places, record: str, workflow: Workflow[Any], transition: Transition
) -> None:
    expected = EXPECTED[transition.perm]
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


def test_every_transition_names_a_registered_permission() -> None:
    for workflow in (SUGGESTION_WORKFLOW, REFERRAL_WORKFLOW, ESCALATION_WORKFLOW):
        assert workflow.check_permissions() == []
    assert {t.perm for _r, _w, t in CASES} == set(EXPECTED)
