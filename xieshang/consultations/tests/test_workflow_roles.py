"""Every transition of the topic, sending, event and invitation workflows, tried by every
member of the cast: allowed for exactly the people its permission names, refused (nothing
changed) for the rest — a joint topic's upper committee sees it but moves nothing; an
invitation is answered by the citizen with the link, the member it is for, or staff."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from xieshang.conftest import Cast
from xieshang.consultations.models import (
    Invitation,
    InviteeKind,
    Meeting,
    Opinion,
    Sending,
    Topic,
    TopicKind,
)
from xieshang.consultations.services import topic_issue
from xieshang.consultations.workflow import (
    INVITATION_WORKFLOW,
    MEETING_WORKFLOW,
    SENDING_WORKFLOW,
    TOPIC_WORKFLOW,
)
from xieshang.core.errors import Forbidden
from xieshang.core.models import ActorKind, Event
from xieshang.core.rules import allowed
from xieshang.core.workflow import Transition, Workflow
from xieshang.people.models import Member

ACTORS = ["staff", "member", "clerk", "leader", "outsider", "city_staff", "citizen", "system"]
STAFF, CLERK = {"staff"}, {"clerk"}
EXPECTED: dict[str, set[str]] = {
    "consultations.issue_topic": STAFF,
    "consultations.close_topic": STAFF,
    "consultations.sign_sending": CLERK,
    "consultations.ask_return_sending": CLERK,
    "consultations.accept_return_sending": STAFF,
    "consultations.refuse_return_sending": STAFF,
    "consultations.reply_sending": CLERK,
    "consultations.approve_sending": STAFF,
    "consultations.send_back_sending": STAFF,
    "consultations.cancel_meeting": STAFF,
    "consultations.accept_invitation": {"staff", "member", "citizen"},
    "consultations.decline_invitation": {"staff", "member", "citizen"},
}


def actor_of(cast: Cast, who: str) -> Any:
    if who == "citizen":
        return ActorKind.CITIZEN
    if who == "system":
        return ActorKind.SYSTEM
    return getattr(cast, who)


def records(cast: Cast, record: str, state: str, n: int) -> Any:
    planned = state == "planned"
    topic = Topic.objects.create(
        committee=cast.tianhe,
        year=2026,
        title=f"议题{n}",
        kind=TopicKind.THEMATIC,
        is_joint=True,
        created_by=cast.staff,
        status=state if record == "topic" else "planned",
        document_number=None if planned or record != "topic" else n,
        issued_at=None if planned or record != "topic" else timezone.now(),
    )
    opinion = Opinion.objects.create(topic=topic, number=1, text="意见", created_by=cast.staff)
    if record == "topic":
        return topic
    if record in ("meeting", "invitation"):
        meeting = Meeting.objects.create(
            topic=topic,
            kind="meeting",
            date=timezone.localdate() + timedelta(days=2),
            place="会议室",
            created_by=cast.staff,
            status=state if record == "meeting" else "scheduled",
        )
        if record == "meeting":
            return meeting
        return Invitation.objects.create(
            meeting=meeting,
            committee=cast.tianhe,
            kind=InviteeKind.MEMBER,
            member=Member.objects.get(user=cast.member, committee=cast.tianhe),
            name="天河委员",
            status=state,
            created_by=cast.staff,
        )
    replied = state in ("replied", "approved")
    return Sending.objects.create(
        opinion=opinion,
        committee=cast.tianhe,
        department=cast.department,
        deadline=timezone.now() + timedelta(days=30),
        created_by=cast.staff,
        status=state,
        adoption="adopted" if replied else "",
        replied_at=timezone.now() if replied else None,
        reply_text="已落实" if replied else "",
    )


def apply(workflow: Workflow[Any], obj: Any, transition: Transition, actor: Any) -> None:
    if transition.action == "issue":
        topic_issue(topic=obj, actor=actor)
    elif transition.action == "reply":

        def set_reply(locked: Any, _t: object) -> None:
            locked.adoption, locked.replied_at = "adopted", timezone.now()

        workflow.apply(obj, action="reply", actor=actor, note="已落实", on_apply=set_reply)
    else:
        workflow.apply(obj, action=transition.action, actor=actor, note="理由")


CASES = [
    (record, workflow, transition)
    for record, workflow in (
        ("topic", TOPIC_WORKFLOW),
        ("sending", SENDING_WORKFLOW),
        ("meeting", MEETING_WORKFLOW),
        ("invitation", INVITATION_WORKFLOW),
    )
    for transition in workflow.table.values()
]


@pytest.mark.parametrize(
    ("record", "workflow", "transition"),
    CASES,
    ids=[f"{r}:{t.source}-{t.action}" for r, _w, t in CASES],
)
def test_each_transition_is_allowed_for_exactly_its_permissions_holders(
    cast: Cast, record: str, workflow: Workflow[Any], transition: Transition
) -> None:
    expected = EXPECTED[transition.perm]
    for n, who in enumerate(ACTORS, start=1):
        obj = records(cast, record, transition.source, n)
        events = Event.objects.count()
        actor = actor_of(cast, who)
        if who in expected:
            apply(workflow, obj, transition, actor)
            obj.refresh_from_db()
            assert obj.status == transition.target, who
        else:
            with pytest.raises(Forbidden):
                apply(workflow, obj, transition, actor)
            obj.refresh_from_db()
            assert obj.status == transition.source, who
            assert Event.objects.count() == events, who


def test_every_transition_names_a_registered_permission(cast: Cast) -> None:
    for workflow in (TOPIC_WORKFLOW, SENDING_WORKFLOW, MEETING_WORKFLOW, INVITATION_WORKFLOW):
        assert workflow.check_permissions() == []
    assert {t.perm for _r, _w, t in CASES} == set(EXPECTED)
    joint = records(cast, "topic", "planned", 99)
    assert allowed(cast.city_staff, "consultations.view_topic", joint)
    assert not allowed(cast.outsider, "consultations.view_topic", joint)
    assert not allowed(cast.city_staff, "consultations.change_topic", joint)
