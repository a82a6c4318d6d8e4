"""The workflow's one door, on its first real use: activating and suspending a workroom."""

from __future__ import annotations

import pytest
from django.db import models

from xieshang.conftest import Cast
from xieshang.core.errors import Forbidden, StaleState, TransitionNotAllowed
from xieshang.core.models import ActorKind, Event
from xieshang.core.workflow import Transition, Workflow
from xieshang.proposals.models import ProposalAction
from xieshang.workrooms.models import Workroom, WorkroomAction, WorkroomStatus
from xieshang.workrooms.services import workroom_transition
from xieshang.workrooms.workflow import WORKROOM_WORKFLOW


def events_of(workroom: Workroom) -> list[Event]:
    return list(Event.objects.for_object(workroom))


def test_it_activates_a_workroom_and_records_who_did_it(cast: Cast) -> None:
    event = workroom_transition(
        workroom=cast.workroom,
        action="activate",
        actor=cast.staff,
        note="五有达标",
        expected_state=WorkroomStatus.PREPARING,
    )
    cast.workroom.refresh_from_db()
    assert cast.workroom.status == WorkroomStatus.ACTIVE
    assert events_of(cast.workroom) == [event]
    assert (event.actor, event.actor_kind) == (cast.staff, ActorKind.USER)
    assert (event.from_state, event.to_state) == ("preparing", "active")
    assert event.note == "五有达标"
    assert event.committee == cast.tianhe
    assert event.is_public


def test_it_suspends_and_resumes_with_a_reason(cast: Cast) -> None:
    for action in ("activate", "suspend", "resume"):
        workroom_transition(
            workroom=cast.workroom,
            action=action,
            actor=cast.staff,
            note="场地维修",
            expected_state=None,
        )
    assert [(e.action, e.to_state) for e in events_of(cast.workroom)] == [
        ("activate", "active"),
        ("suspend", "suspended"),
        ("resume", "active"),
    ]


def test_it_refuses_a_suspension_without_a_reason(cast: Cast) -> None:
    workroom_transition(
        workroom=cast.workroom, action="activate", actor=cast.staff, expected_state=None
    )
    with pytest.raises(TransitionNotAllowed):
        workroom_transition(
            workroom=cast.workroom,
            action="suspend",
            actor=cast.staff,
            note="  ",
            expected_state=None,
        )
    cast.workroom.refresh_from_db()
    assert cast.workroom.status == WorkroomStatus.ACTIVE
    assert len(events_of(cast.workroom)) == 1


def test_it_refuses_an_action_not_in_the_table_for_the_current_state(cast: Cast) -> None:
    with pytest.raises(TransitionNotAllowed) as error:
        workroom_transition(
            workroom=cast.workroom, action="resume", actor=cast.staff, expected_state=None
        )
    assert "恢复" in str(error.value.message) or "Resume" in str(error.value.message)
    with pytest.raises(TransitionNotAllowed):
        workroom_transition(
            workroom=cast.workroom, action="demolish", actor=cast.staff, expected_state=None
        )
    cast.workroom.refresh_from_db()
    assert cast.workroom.status == WorkroomStatus.PREPARING
    assert events_of(cast.workroom) == []


@pytest.mark.parametrize("who", ["member", "clerk", "leader", "outsider", "city_staff"])
def test_it_refuses_actors_without_a_role_in_the_table(cast: Cast, who: str) -> None:
    with pytest.raises(Forbidden):
        workroom_transition(
            workroom=cast.workroom, action="activate", actor=getattr(cast, who), expected_state=None
        )
    cast.workroom.refresh_from_db()
    assert cast.workroom.status == WorkroomStatus.PREPARING
    assert events_of(cast.workroom) == []


def test_it_refuses_the_citizen_and_the_system(cast: Cast) -> None:
    for actor in (ActorKind.CITIZEN, ActorKind.SYSTEM):
        with pytest.raises(Forbidden):
            workroom_transition(
                workroom=cast.workroom, action="activate", actor=actor, expected_state=None
            )
    assert events_of(cast.workroom) == []


def test_it_refuses_a_stale_form_or_a_second_click(cast: Cast) -> None:
    workroom_transition(
        workroom=cast.workroom, action="activate", actor=cast.staff, expected_state="preparing"
    )
    stale = Workroom.objects.get(pk=cast.workroom.pk)
    with pytest.raises(StaleState):
        workroom_transition(
            workroom=stale, action="activate", actor=cast.staff, expected_state="preparing"
        )
    assert len(events_of(cast.workroom)) == 1


def test_the_superuser_may_take_any_transition(cast: Cast) -> None:
    workroom_transition(
        workroom=cast.workroom, action="activate", actor=cast.superuser, expected_state=None
    )
    cast.workroom.refresh_from_db()
    assert cast.workroom.status == WorkroomStatus.ACTIVE


def test_a_transition_table_with_unknown_states_actions_or_duplicates_is_refused() -> None:
    class S(models.TextChoices):
        A = "a", "A"
        B = "b", "B"

    go = WorkroomAction.ACTIVATE
    before = list(Workflow.registry)
    with pytest.raises(ValueError, match="Unknown state"):
        Workflow(
            model=Workroom, states=S, actions=WorkroomAction, transitions=[Transition("a", go, "z")]
        )
    with pytest.raises(ValueError, match="is not one of WorkroomAction"):
        Workflow(
            model=Workroom,
            states=S,
            actions=WorkroomAction,
            transitions=[Transition("a", ProposalAction.SUBMIT, "b")],
        )
    with pytest.raises(ValueError, match="Duplicate"):
        Workflow(
            model=Workroom,
            states=S,
            actions=WorkroomAction,
            transitions=[Transition("a", go, "b"), Transition("a", go, "a")],
        )
    assert Workflow.registry == before


def test_a_transition_names_its_permission_after_its_model_unless_given() -> None:
    table = WORKROOM_WORKFLOW.table
    assert table[("preparing", "activate")].perm == "workrooms.activate_workroom"
    assert all(workflow.check_permissions() == [] for workflow in Workflow.registry)
