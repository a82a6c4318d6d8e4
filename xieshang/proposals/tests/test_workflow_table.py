"""The proposal and assignment workflows tried exhaustively.

Every row of both tables, tried by every actor of a cast: allowed for exactly the actors
who hold the row's permission, refused for the others (Forbidden) with the state and
the timeline unchanged. And every state × every action that is not a row is refused
(TransitionNotAllowed) for everyone, the superuser included, changing nothing.

Records are put in the state under test with a queryset `.update`, as the table says
nothing about how they got there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from xieshang.conftest import Cast, make_staff, make_user
from xieshang.core.errors import Forbidden, TransitionNotAllowed
from xieshang.core.models import ActorKind, Event
from xieshang.core.workflow import Transition, Workflow
from xieshang.people.models import Department, DepartmentClerk, Member, StaffRole
from xieshang.proposals.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Proposal,
    ProposalCategory,
    ProposalStatus,
)
from xieshang.proposals.workflow import ASSIGNMENT_WORKFLOW, PROPOSAL_WORKFLOW

# The whole cast, in the order they are tried.
ACTORS = (
    "lead",  # the lead proposer (cast.member)
    "other_member",  # another member of 天河
    "office",  # 天河 staff in the proposal office only
    "coordinator",  # 天河 staff who coordinates workrooms only
    "clerk",  # a clerk of the assigned department (cast.clerk)
    "head",  # the head of the assigned department
    "other_clerk",  # a clerk of another 天河 department
    "leader",  # 天河's CPPCC chair
    "outsider",  # 海珠 staff, every sub-role
    "superuser",
    "citizen",
    "system",
)


@dataclass
class People:
    cast: Cast
    users: dict[str, Any]
    category: ProposalCategory

    def actor(self, who: str) -> Any:
        if who == "citizen":
            return ActorKind.CITIZEN
        if who == "system":
            return ActorKind.SYSTEM
        return self.users[who]


@pytest.fixture
def people(cast: Cast) -> People:
    other_member = make_user("t.member2", "另一位天河委员")
    Member.objects.create(user=other_member, committee=cast.tianhe)
    head = make_user("t.head", "住建局局长")
    DepartmentClerk.objects.create(user=head, department=cast.department, is_head=True)
    other_department = Department.objects.create(committee=cast.tianhe, name="天河区交通运输局")
    other_clerk = make_user("t.clerk2", "交通局承办人")
    DepartmentClerk.objects.create(user=other_clerk, department=other_department, is_head=True)
    users = {
        "lead": cast.member,
        "other_member": other_member,
        "office": make_staff("t.office", "提案委工作人员", cast.tianhe, StaffRole.PROPOSAL_OFFICE),
        "coordinator": make_staff(
            "t.coord", "工作室统筹", cast.tianhe, StaffRole.WORKROOM_COORDINATOR
        ),
        "clerk": cast.clerk,
        "head": head,
        "other_clerk": other_clerk,
        "leader": cast.leader,
        "outsider": cast.outsider,
        "superuser": cast.superuser,
    }
    category = ProposalCategory.objects.create(committee=cast.tianhe, name="城市建设管理")
    return People(cast=cast, users=users, category=category)


# Who of the cast holds each row's permission, for a 天河 proposal led by cast.member and
# an assignment to cast.department: written out here, not read from rules.py. The superuser
# may take every step a person takes; the system's steps are the system's alone.
LEAD, OFFICE = {"lead", "superuser"}, {"office", "superuser"}
CLERKS = {"clerk", "head", "superuser"}
HEAD = {"head", "superuser"}
EXPECTED: dict[str, set[str]] = {
    "proposals.submit_proposal": LEAD,
    "proposals.withdraw_proposal": LEAD,
    "proposals.accept_proposal": OFFICE,
    "proposals.reject_proposal": OFFICE,
    "proposals.merge_proposal": OFFICE,
    "proposals.assign_proposal": OFFICE,
    "proposals.start_proposal": {"system"},
    "proposals.replied_proposal": {"system"},
    "proposals.rehandle_proposal": OFFICE,
    "proposals.close_proposal": OFFICE,
    "proposals.sign_assignment": CLERKS,
    "proposals.ask_return_assignment": CLERKS,
    "proposals.accept_return_assignment": OFFICE,
    "proposals.refuse_return_assignment": OFFICE,
    "proposals.waive_opinion_assignment": OFFICE,
    "proposals.draft_reply_assignment": CLERKS,
    "proposals.approve_reply_assignment": HEAD,
    "proposals.return_reply_assignment": HEAD,
    "proposals.give_opinion_assignment": CLERKS,
}


def _proposal(people: People, status: str) -> Proposal:
    cast = people.cast
    proposal = Proposal.objects.create(
        committee=cast.tianhe,
        title="关于珠江新城地下空间互联互通的提案",
        analysis="珠江新城地下空间分属多个业主，互不连通。",
        recommendations="建议由区住建局牵头统筹地下空间连通。",
        category=people.category,
        lead=Member.objects.get(user=cast.member, committee=cast.tianhe),
        created_by=cast.member,
    )
    Proposal.objects.filter(pk=proposal.pk).update(status=status)
    return Proposal.objects.get(pk=proposal.pk)


def _assignment(people: People, status: str) -> Assignment:
    proposal = _proposal(people, ProposalStatus.ASSIGNED)
    now = timezone.now()
    assignment = Assignment.objects.create(
        committee=people.cast.tianhe,
        proposal=proposal,
        department=people.cast.department,
        role=AssignmentRole.LEAD,
        deadline=now + timedelta(days=90),
        return_by=now + timedelta(days=10),
    )
    Assignment.objects.filter(pk=assignment.pk).update(status=status)
    return Assignment.objects.get(pk=assignment.pk)


Build = Callable[[People, str], Any]
RECORDS: dict[str, tuple[Workflow[Any], Build]] = {
    "proposal": (PROPOSAL_WORKFLOW, _proposal),
    "assignment": (ASSIGNMENT_WORKFLOW, _assignment),
}


def _timeline(obj: Any) -> list[int]:
    return list(Event.objects.for_object(obj).values_list("pk", flat=True))


ROWS = [
    (record, transition)
    for record, (workflow, _build) in RECORDS.items()
    for transition in workflow.table.values()
]


@pytest.mark.parametrize(
    ("record", "transition"), ROWS, ids=[f"{r}:{t.source}-{t.action}" for r, t in ROWS]
)
def test_each_row_is_allowed_for_exactly_the_actors_holding_its_permission(
    people: People, record: str, transition: Transition
) -> None:
    workflow, build = RECORDS[record]
    expected = EXPECTED[transition.perm]
    for who in ACTORS:
        obj = build(people, transition.source)
        events = Event.objects.count()
        if who in expected:
            event = workflow.apply(
                obj, action=transition.action, actor=people.actor(who), note="理由"
            )
            obj.refresh_from_db()
            assert obj.status == transition.target, who
            assert (event.action, event.from_state, event.to_state) == (
                transition.action,
                transition.source,
                transition.target,
            ), who
            assert _timeline(obj) == [event.pk], who
        else:
            with pytest.raises(Forbidden):
                workflow.apply(obj, action=transition.action, actor=people.actor(who), note="理由")
            obj.refresh_from_db()
            assert obj.status == transition.source, who
            assert _timeline(obj) == [], who
            assert Event.objects.count() == events, who


def _missing(workflow: Workflow[Any]) -> list[tuple[str, str]]:
    return [
        (state, action)
        for state in workflow.states.values
        for action in sorted(workflow.actions)
        if (state, action) not in workflow.table
    ]


MISSING = [
    (record, state, action)
    for record, (workflow, _build) in RECORDS.items()
    for state, action in _missing(workflow)
]


@pytest.mark.parametrize(
    ("record", "state", "action"), MISSING, ids=[f"{r}:{s}-{a}" for r, s, a in MISSING]
)
def test_every_state_and_action_outside_the_table_is_refused_for_everyone(
    people: People, record: str, state: str, action: str
) -> None:
    workflow, build = RECORDS[record]
    obj = build(people, state)
    events = Event.objects.count()
    for who in ACTORS:
        with pytest.raises(TransitionNotAllowed):
            workflow.apply(obj, action=action, actor=people.actor(who), note="理由")
        obj.refresh_from_db()
        assert obj.status == state, who
    assert _timeline(obj) == []
    assert Event.objects.count() == events


@pytest.mark.parametrize("record", list(RECORDS))
def test_an_unknown_action_is_refused_in_every_state(people: People, record: str) -> None:
    workflow, build = RECORDS[record]
    for state in workflow.states.values:
        obj = build(people, state)
        with pytest.raises(TransitionNotAllowed):
            workflow.apply(obj, action="teleport", actor=people.cast.superuser, note="理由")
        obj.refresh_from_db()
        assert obj.status == state
        assert _timeline(obj) == []


def test_the_tables_cover_what_the_test_expects() -> None:
    """Every row's permission is registered and has holders above, and every state appears
    in the tables (a state added to the model without rows would be tried only as 'not in
    the table')."""
    for workflow, _build in RECORDS.values():
        assert workflow.check_permissions() == []
    assert {t.perm for _r, t in ROWS} == set(EXPECTED)
    assert {s for s, _a in PROPOSAL_WORKFLOW.table} | {
        t.target for t in PROPOSAL_WORKFLOW.table.values()
    } == set(ProposalStatus.values)
    assert {s for s, _a in ASSIGNMENT_WORKFLOW.table} | {
        t.target for t in ASSIGNMENT_WORKFLOW.table.values()
    } == set(AssignmentStatus.values)
