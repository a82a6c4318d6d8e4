"""The proposal office: 立案 with its number, 不立案, 并案, 交办 with deadlines, return requests
and reassignment, 重办 and 办结 — each allowed or refused per role, stale pages refused."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from xieshang.conftest import Cast, make_staff, make_user
from xieshang.core.errors import Conflict, DomainError, Forbidden
from xieshang.core.models import Committee, Event
from xieshang.people.models import Department, DepartmentClerk, Member, StaffRole
from xieshang.proposals.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Conversion,
    NotAcceptedReason,
    Proposal,
    ProposalCategory,
    ProposalNumberCounter,
    ProposalPolicy,
    ProposalRating,
    ProposalStatus,
    Satisfaction,
)
from xieshang.proposals.selectors.office import (
    ProposalFilter,
    merged_into_main,
    overdue_list,
    proposal_list_for_staff,
    review_inbox,
)
from xieshang.proposals.services.office import (
    add_months,
    assignment_accept_return,
    assignment_reassign,
    assignment_refuse_return,
    proposal_accept,
    proposal_assign,
    proposal_close,
    proposal_merge,
    proposal_rehandle,
    proposal_reject,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 31, 10, 0, tzinfo=SHANGHAI)
P = ProposalStatus


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@dataclass
class Office:
    cast: Cast
    office: Any  # proposal office of 天河, that role only
    coordinator: Any  # workroom coordinator of 天河, not the office
    seat: Member
    category: ProposalCategory
    second: Department
    third: Department


def make_proposal(
    committee: Committee,
    seat: Member,
    category: ProposalCategory,
    *,
    title: str = "关于加快老旧小区加装电梯的建议",
    status: str = P.SUBMITTED,
) -> Proposal:
    proposal = Proposal.objects.create(
        committee=committee,
        title=title,
        analysis="老旧小区多为六层以下，无电梯，老人上下楼困难。",
        recommendations="一、简化审批；二、设立专项补贴。",
        category=category,
        lead=seat,
        created_by=seat.user,
    )
    # Fixtures only: the drafting steps are another part's.
    Proposal.objects.filter(pk=proposal.pk).update(status=status, submitted_at=timezone.now())
    proposal.refresh_from_db()
    return proposal


@pytest.fixture
def o(cast: Cast) -> Office:
    return Office(
        cast=cast,
        office=make_staff("t.office", "天河提案委", cast.tianhe, StaffRole.PROPOSAL_OFFICE),
        coordinator=make_staff(
            "t.coord", "天河工作室统筹", cast.tianhe, StaffRole.WORKROOM_COORDINATOR
        ),
        seat=Member.objects.get(user=cast.member, committee=cast.tianhe),
        category=ProposalCategory.objects.create(committee=cast.tianhe, name="城市建设管理"),
        second=Department.objects.create(committee=cast.tianhe, name="天河区交通运输局"),
        third=Department.objects.create(committee=cast.tianhe, name="天河区财政局"),
    )


def proposal(o: Office, **kwargs: Any) -> Proposal:
    return make_proposal(o.cast.tianhe, o.seat, o.category, **kwargs)


def haizhu_proposal(o: Office) -> Proposal:
    user = make_user("h.member", "海珠委员")
    seat = Member.objects.create(user=user, committee=o.cast.haizhu)
    category = ProposalCategory.objects.create(committee=o.cast.haizhu, name="社会事务")
    return make_proposal(o.cast.haizhu, seat, category)


def assigned(o: Office, **kwargs: Any) -> tuple[Proposal, list[Assignment]]:
    p = proposal(o)
    proposal_accept(proposal=p, actor=o.office)
    kwargs.setdefault("lead", o.cast.department)
    return p, proposal_assign(proposal=p, actor=o.office, **kwargs)


def status_of(obj: Any) -> str:
    return str(type(obj).objects.values_list("status", flat=True).get(pk=obj.pk))


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


# --- 立案 and its number ------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_it_numbers_accepted_proposals_per_committee_and_year(o: Office) -> None:
    first, second = proposal(o), proposal(o, title="关于增设社区长者饭堂的建议")
    event = proposal_accept(proposal=first, actor=o.office, expected_state=P.SUBMITTED)
    proposal_accept(proposal=second, actor=o.office)
    assert (first.status, first.number, first.year, first.sequence) == (
        P.ACCEPTED,
        "2026001",
        2026,
        1,
    )
    assert second.number == "2026002"
    assert first.accepted_at == NOW
    assert event.action == "accept" and event.is_public and event.to_state == P.ACCEPTED
    # Another committee counts on its own.
    other = haizhu_proposal(o)
    proposal_accept(proposal=other, actor=o.cast.outsider)
    assert other.number == "2026001"
    assert ProposalNumberCounter.objects.get(committee=o.cast.tianhe, year=2026).last == 2


@time_machine.travel(NOW, tick=False)
def test_a_committee_sets_its_own_number_format(o: Office) -> None:
    ProposalPolicy.objects.create(
        committee=o.cast.tianhe, number_format="天政协提〔{year}〕{seq}号"
    )
    p = proposal(o)
    proposal_accept(proposal=p, actor=o.office)
    assert p.number == "天政协提〔2026〕1号"


def test_a_second_acceptance_is_refused_and_the_number_kept(o: Office) -> None:
    p = proposal(o)
    proposal_accept(proposal=p, actor=o.office)
    number = p.number
    with pytest.raises(Conflict) as refused:
        proposal_accept(proposal=p, actor=o.office)
    assert refused.value.status == 409
    p.refresh_from_db()
    assert p.number == number
    assert ProposalNumberCounter.objects.get().last == 1
    assert Event.objects.for_object(p).filter(action="accept").count() == 1


def test_a_broken_number_format_changes_nothing(o: Office) -> None:
    ProposalPolicy.objects.create(committee=o.cast.tianhe, number_format="{year}{nope}")
    p = proposal(o)
    with pytest.raises(DomainError, match="number format"):
        proposal_accept(proposal=p, actor=o.office)
    p.refresh_from_db()
    assert (p.status, p.number) == (P.SUBMITTED, None)
    # The sequence taken inside the refused step went back with it.
    assert ProposalNumberCounter.objects.filter(last__gt=0).count() == 0


def test_numbers_are_never_given_twice_even_after_a_refused_step(o: Office) -> None:
    a, b = proposal(o), proposal(o)
    proposal_accept(proposal=a, actor=o.office)
    proposal_reject(proposal=b, actor=o.office, reason=NotAcceptedReason.VAGUE)
    c = proposal(o)
    proposal_accept(proposal=c, actor=o.office)
    assert [a.sequence, c.sequence] == [1, 2]
    assert b.number is None


@pytest.mark.parametrize("who", ["coordinator", "member", "clerk", "leader", "outsider"])
def test_only_the_proposal_office_accepts(o: Office, who: str) -> None:
    actor = o.coordinator if who == "coordinator" else getattr(o.cast, who)
    p = proposal(o)
    with pytest.raises(Forbidden):
        proposal_accept(proposal=p, actor=actor)
    assert status_of(p) == P.SUBMITTED and p.number is None


def test_a_stale_page_is_refused(o: Office) -> None:
    p = proposal(o)
    proposal_reject(proposal=p, actor=o.office, reason=NotAcceptedReason.PRIVATE)
    with pytest.raises(Conflict, match="out of date"):
        proposal_accept(proposal=p, actor=o.office, expected_state=P.SUBMITTED)
    assert status_of(p) == P.NOT_ACCEPTED


# --- 不立案 and 并案 ----------------------------------------------------------------------


def test_reject_with_a_standard_reason_and_a_conversion(o: Office) -> None:
    p = proposal(o)
    with pytest.raises(DomainError, match="reason"):
        proposal_reject(proposal=p, actor=o.office, reason="dislike")
    assert status_of(p) == P.SUBMITTED
    proposal_reject(
        proposal=p,
        actor=o.office,
        reason=NotAcceptedReason.ADVERTISING,
        note="建议删去具体企业名称",
        conversion=Conversion.SOCIAL_OPINION,
    )
    assert (p.status, p.not_accepted_reason, p.conversion) == (
        P.NOT_ACCEPTED,
        NotAcceptedReason.ADVERTISING,
        Conversion.SOCIAL_OPINION,
    )
    event = Event.objects.for_object(p).get(action="reject")
    assert event.is_public
    assert "Promotes a specific work or product" in event.note and "建议删去" in event.note


def test_merge_links_each_proposal_to_the_main_one(o: Office) -> None:
    main, a, b = proposal(o), proposal(o, title="电梯一"), proposal(o, title="电梯二")
    proposal_accept(proposal=main, actor=o.office)
    proposal_merge(proposals=[a, b], into=main, actor=o.office)
    for merged in (a, b):
        assert (merged.status, merged.merged_into_id) == (P.MERGED, main.pk)
        assert merged_into_main(proposal=merged) == main
        assert Event.objects.for_object(merged).get(action="merge").is_public
    assert "电梯一" in Event.objects.for_object(main).get(action="merge").note
    assert merged_into_main(proposal=main) == main


def test_merge_refusals_change_nothing(o: Office) -> None:
    main, a, accepted = proposal(o), proposal(o), proposal(o)
    proposal_accept(proposal=accepted, actor=o.office)
    with pytest.raises(DomainError):
        proposal_merge(proposals=[main], into=main, actor=o.office)
    with pytest.raises(DomainError, match="same committee"):
        proposal_merge(proposals=[haizhu_proposal(o)], into=main, actor=o.cast.staff)
    # One of the proposals is no longer awaiting review: none is merged.
    with pytest.raises(Conflict):
        proposal_merge(proposals=[a, accepted], into=main, actor=o.office)
    assert status_of(a) == P.SUBMITTED and a.merged_into_id is None
    with pytest.raises(Forbidden):
        proposal_merge(proposals=[a], into=main, actor=o.coordinator)
    proposal_merge(proposals=[a], into=main, actor=o.office)
    with pytest.raises(Conflict, match="main proposal"):
        proposal_merge(proposals=[proposal(o)], into=a, actor=o.office)


# --- 交办 and deadlines -------------------------------------------------------------------


def test_add_months_keeps_the_time_and_clamps_the_day() -> None:
    assert add_months(NOW, 3) == datetime(2026, 6, 30, 10, 0, tzinfo=SHANGHAI)
    assert add_months(datetime(2026, 1, 31, 9, tzinfo=SHANGHAI), 1).day == 28
    assert add_months(datetime(2026, 11, 15, 9, tzinfo=SHANGHAI), 3) == datetime(
        2027, 2, 15, 9, tzinfo=SHANGHAI
    )


@time_machine.travel(NOW, tick=False)
def test_assign_to_a_lead_with_co_handlers_due_in_three_months(o: Office) -> None:
    p, assignments = assigned(o, co_handlers=[o.second, o.third])
    due = datetime(2026, 6, 30, 10, 0, tzinfo=SHANGHAI)
    assert p.status == P.ASSIGNED and p.deadline == due and not p.is_urgent
    assert [(a.department, a.role, a.round) for a in assignments] == [
        (o.cast.department, AssignmentRole.LEAD, 1),
        (o.second, AssignmentRole.CO, 1),
        (o.third, AssignmentRole.CO, 1),
    ]
    for a in assignments:
        assert a.status == AssignmentStatus.ASSIGNED and a.deadline == due
        assert a.return_by == NOW + timedelta(days=10) and a.assigned_at == NOW
    event = Event.objects.for_object(p).get(action="assign")
    assert "天河区交通运输局" in event.note


@time_machine.travel(NOW, tick=False)
def test_urgent_and_split_assignments_use_the_committee_policy(o: Office) -> None:
    ProposalPolicy.objects.create(committee=o.cast.tianhe, urgent_days=15, return_days=5)
    p, assignments = assigned(o, lead=None, split_handlers=[o.second, o.third], urgent=True)
    assert p.is_urgent and p.deadline == NOW + timedelta(days=15)
    assert {a.role for a in assignments} == {AssignmentRole.SPLIT}
    assert all(a.return_by == NOW + timedelta(days=5) for a in assignments)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lead": None}, "lead department"),
        ({"split_handlers": "both"}, "not both"),
        ({"lead": None, "split_handlers": "one"}, "at least two"),
        ({"co_handlers": "lead"}, "only one part"),
        ({"lead": "haizhu"}, "not an active department"),
        ({"lead": "inactive"}, "not an active department"),
    ],
)
def test_bad_assignments_are_refused_and_change_nothing(
    o: Office, kwargs: dict[str, Any], message: str
) -> None:
    p = proposal(o)
    proposal_accept(proposal=p, actor=o.office)
    haizhu = Department.objects.create(committee=o.cast.haizhu, name="海珠区住建局")
    inactive = Department.objects.create(committee=o.cast.tianhe, name="已撤销", is_active=False)
    values = {
        "both": [o.second, o.third],
        "one": [o.second],
        "lead": [o.cast.department],
        "haizhu": haizhu,
        "inactive": inactive,
    }
    args: dict[str, Any] = {"lead": o.cast.department}
    args.update({k: values.get(v, v) if isinstance(v, str) else v for k, v in kwargs.items()})
    with pytest.raises(DomainError, match=message):
        proposal_assign(proposal=p, actor=o.office, **args)
    assert status_of(p) == P.ACCEPTED and not Assignment.objects.exists()


def test_assign_before_acceptance_or_by_others_is_refused(o: Office) -> None:
    p = proposal(o)
    with pytest.raises(Conflict):
        proposal_assign(proposal=p, actor=o.office, lead=o.cast.department)
    proposal_accept(proposal=p, actor=o.office)
    for actor in (o.coordinator, o.cast.clerk, o.cast.member):
        with pytest.raises(Forbidden):
            proposal_assign(proposal=p, actor=actor, lead=o.cast.department)
    assert status_of(p) == P.ACCEPTED and not Assignment.objects.exists()


# --- Return requests ---------------------------------------------------------------------


def ask_return(assignment: Assignment) -> None:
    # The department's step is another part's; the fixture sets it.
    Assignment.objects.filter(pk=assignment.pk).update(
        status=AssignmentStatus.RETURN_REQUESTED, return_reason="不属于本单位职责"
    )
    assignment.refresh_from_db()


def test_return_accepted_then_reassigned_once(o: Office) -> None:
    p, (lead,) = assigned(o)
    ask_return(lead)
    with pytest.raises(Forbidden):
        assignment_accept_return(assignment=lead, actor=o.cast.clerk)
    with pytest.raises(Conflict, match="Take the assignment back"):
        assignment_reassign(assignment=lead, department=o.second, actor=o.office)
    assignment_accept_return(
        assignment=lead, actor=o.office, expected_state=AssignmentStatus.RETURN_REQUESTED
    )
    assert status_of(lead) == AssignmentStatus.RETURNED
    with pytest.raises(DomainError, match="another department"):
        assignment_reassign(assignment=lead, department=o.cast.department, actor=o.office)
    with pytest.raises(Forbidden):
        assignment_reassign(assignment=lead, department=o.second, actor=o.coordinator)
    new = assignment_reassign(assignment=lead, department=o.second, actor=o.office)
    assert (new.department, new.role, new.round, new.status) == (
        o.second,
        AssignmentRole.LEAD,
        1,
        AssignmentStatus.ASSIGNED,
    )
    event = Event.objects.for_object(p).get(action="reassign")
    assert "天河区住房和城乡建设局" in event.note and "天河区交通运输局" in event.note
    with pytest.raises(Conflict, match="already been given"):
        assignment_reassign(assignment=lead, department=o.third, actor=o.office)
    assert Assignment.objects.filter(proposal=p).count() == 2


def test_a_department_already_holding_it_cannot_take_a_returned_part(o: Office) -> None:
    _p, (_lead, co) = assigned(o, co_handlers=[o.second])
    ask_return(co)
    assignment_accept_return(assignment=co, actor=o.office)
    with pytest.raises(Conflict, match="already holds"):
        assignment_reassign(assignment=co, department=o.cast.department, actor=o.office)
    assert Assignment.objects.count() == 2


def test_return_refused_needs_a_reason_and_the_department_keeps_it(o: Office) -> None:
    _p, (lead,) = assigned(o)
    ask_return(lead)
    with pytest.raises(Conflict, match="reason"):
        assignment_refuse_return(assignment=lead, actor=o.office, reason=" ")
    assert status_of(lead) == AssignmentStatus.RETURN_REQUESTED
    assignment_refuse_return(assignment=lead, actor=o.office, reason="属于职责范围，请办理")
    assert status_of(lead) == AssignmentStatus.ASSIGNED
    assert Event.objects.for_object(lead).get(action="refuse_return").note == "属于职责范围，请办理"


# --- 重办 and 办结 ------------------------------------------------------------------------


def replied(o: Office, **kwargs: Any) -> tuple[Proposal, list[Assignment]]:
    p, assignments = assigned(o, **kwargs)
    Assignment.objects.filter(proposal=p).update(status=AssignmentStatus.REPLIED)
    Proposal.objects.filter(pk=p.pk).update(status=P.REPLIED)
    p.refresh_from_db()
    return p, assignments


def test_rehandle_needs_a_dissatisfied_rating_and_opens_a_second_round(o: Office) -> None:
    p, _first = replied(o, co_handlers=[o.second])
    with pytest.raises(DomainError, match="dissatisfied"):
        proposal_rehandle(proposal=p, actor=o.office, note="答复未落实")
    assert status_of(p) == P.REPLIED and Assignment.objects.count() == 2
    ProposalRating.objects.create(proposal=p, member=o.seat, value=Satisfaction.DISSATISFIED)
    with pytest.raises(Forbidden):
        proposal_rehandle(proposal=p, actor=o.coordinator, note="答复未落实")
    start = timezone.now()
    second = proposal_rehandle(
        proposal=p, actor=o.office, note="答复未落实", expected_state=P.REPLIED
    )
    assert p.status == P.REHANDLING
    assert [(a.department, a.role, a.round) for a in second] == [
        (o.cast.department, AssignmentRole.LEAD, 2),
        (o.second, AssignmentRole.CO, 2),
    ]
    assert second[0].deadline == add_months(second[0].assigned_at, 3)
    assert second[0].assigned_at >= start and p.deadline == second[0].deadline
    # After the second round's reply, a third round is refused.
    Proposal.objects.filter(pk=p.pk).update(status=P.REPLIED)
    ProposalRating.objects.create(
        proposal=p, member=o.seat, round=2, value=Satisfaction.DISSATISFIED
    )
    with pytest.raises(Conflict, match="once already"):
        proposal_rehandle(proposal=p, actor=o.office, note="仍不满意")
    assert Assignment.objects.filter(round=3).count() == 0


def test_close_after_the_replies(o: Office) -> None:
    p, _ = assigned(o)
    with pytest.raises(Conflict):
        proposal_close(proposal=p, actor=o.office)
    Proposal.objects.filter(pk=p.pk).update(status=P.REPLIED)
    with pytest.raises(Forbidden):
        proposal_close(proposal=p, actor=o.cast.member)
    proposal_close(proposal=p, actor=o.office, expected_state=P.REPLIED)
    assert status_of(p) == P.CLOSED


# --- Lists -------------------------------------------------------------------------------


def test_overdue_assignments_are_listed_and_flagged(o: Office) -> None:
    p, (lead, co) = assigned(o, co_handlers=[o.second])
    assert not overdue_list(user=o.office).exists()
    Assignment.objects.filter(pk=co.pk).update(status=AssignmentStatus.REPLIED)
    with time_machine.travel(lead.deadline + timedelta(days=1)):
        assert list(overdue_list(user=o.office)) == [lead]
        assert list(overdue_list(user=o.cast.outsider)) == []
        rows = proposal_list_for_staff(user=o.coordinator, filters=ProposalFilter(overdue=True))
        assert [(r.pk, r.overdue) for r in rows] == [(p.pk, True)]  # type: ignore[attr-defined]
        client = login(Client(), o.office)
        page = client.get(reverse("proposals:overdue"))
        assert page.status_code == 200 and p.title in page.content.decode()


def test_the_staff_list_filters_and_hides_drafts(o: Office) -> None:
    p, _ = assigned(o)
    draft = proposal(o, status=P.DRAFT)
    other = proposal(o, title="关于地铁接驳的建议")
    found = proposal_list_for_staff(user=o.coordinator)
    assert set(found) == {p, other} and draft not in found
    by_department = proposal_list_for_staff(
        user=o.office, filters=ProposalFilter(department_id=o.cast.department.pk)
    )
    assert list(by_department) == [p]
    assert list(proposal_list_for_staff(user=o.office, filters=ProposalFilter(query="地铁"))) == [
        other
    ]
    assert list(review_inbox(user=o.office)) == [other]
    assert list(review_inbox(user=o.coordinator)) == []
    assert list(proposal_list_for_staff(user=o.cast.outsider)) == []


# --- Pages -------------------------------------------------------------------------------


def url(name: str, pk: int | None = None) -> str:
    return reverse(f"proposals:{name}", args=[pk] if pk else [])


@pytest.mark.parametrize(
    ("who", "inbox", "detail", "act"),
    [
        ("office", 200, 200, 302),
        ("staff", 200, 200, 302),
        ("coordinator", 403, 200, 403),
        ("member", 403, 403, 403),
        ("clerk", 403, 403, 403),
        ("leader", 403, 200, 403),  # a leader reads a proposal (issue 18), acts on none
        ("outsider", 200, 404, 404),
        ("superuser", 200, 200, 302),
    ],
)
def test_review_pages_per_role(
    o: Office, client: Client, who: str, inbox: int, detail: int, act: int
) -> None:
    p = proposal(o)
    user = {"office": o.office, "coordinator": o.coordinator}.get(who) or getattr(o.cast, who)
    login(client, user)
    page = client.get(url("review"))
    assert page.status_code == inbox
    if inbox == 200:
        assert (p.title in page.content.decode()) == (who != "outsider")
    page = client.get(url("review_detail", p.pk))
    assert page.status_code == detail
    if detail == 200:
        assert ('value="accept"' in page.content.decode()) == (act == 302)
    response = client.post(
        url("review_act", p.pk), {"action": "accept", "expected_state": P.SUBMITTED}
    )
    assert response.status_code == act
    assert status_of(p) == (P.ACCEPTED if act == 302 else P.SUBMITTED)


def test_accept_assign_and_a_stale_form_through_the_pages(o: Office, client: Client) -> None:
    p = proposal(o)
    login(client, o.office)
    assert (
        client.post(
            url("review_act", p.pk), {"action": "accept", "expected_state": P.SUBMITTED}
        ).status_code
        == 302
    )
    again = client.post(
        url("review_act", p.pk), {"action": "accept", "expected_state": P.SUBMITTED}
    )
    assert again.status_code == 409
    p.refresh_from_db()
    assert p.number == f"{timezone.localdate().year}001"
    bad = client.post(
        url("review_act", p.pk),
        {
            "action": "assign",
            "expected_state": P.ACCEPTED,
            "mode": "split",
            "split_handlers": [o.second.pk],
        },
    )
    assert bad.status_code == 400 and not Assignment.objects.exists()
    response = client.post(
        url("review_act", p.pk),
        {
            "action": "assign",
            "expected_state": P.ACCEPTED,
            "mode": "lead",
            "lead": o.cast.department.pk,
            "co_handlers": [o.second.pk],
            "urgent": "on",
            "note": "请于月底前会同交通部门实地调研",
        },
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.status == P.ASSIGNED and p.is_urgent
    assert Assignment.objects.filter(proposal=p).count() == 2
    # The instruction (交办意见) typed into the form is kept, for each department.
    assert {a.instructions for a in Assignment.objects.filter(proposal=p)} == {
        "请于月底前会同交通部门实地调研"
    }
    page = client.get(url("review_detail", p.pk))
    assert "天河区交通运输局" in page.content.decode()
    assert "请于月底前会同交通部门实地调研" in page.content.decode()


def test_reject_and_merge_through_the_pages(o: Office, client: Client) -> None:
    main, p, q = proposal(o), proposal(o), proposal(o)
    login(client, o.office)
    assert (
        client.post(
            url("review_act", p.pk), {"action": "reject", "expected_state": P.SUBMITTED}
        ).status_code
        == 400
    )
    response = client.post(
        url("review_act", p.pk),
        {
            "action": "reject",
            "expected_state": P.SUBMITTED,
            "reason": "vague",
            "conversion": "opinion",
        },
    )
    assert response.status_code == 302 and status_of(p) == P.NOT_ACCEPTED
    response = client.post(
        url("review_act", q.pk), {"action": "merge", "expected_state": P.SUBMITTED, "into": main.pk}
    )
    assert response.status_code == 302
    q.refresh_from_db()
    assert q.merged_into == main
    page = client.get(url("review_detail", q.pk)).content.decode()
    assert reverse("proposals:review_detail", args=[main.pk]) in page


def test_return_decisions_through_the_pages(o: Office, client: Client) -> None:
    p, (lead,) = assigned(o)
    ask_return(lead)
    target = url("return_decide", lead.pk)
    data = {"action": "accept_return", "expected_state": AssignmentStatus.RETURN_REQUESTED}
    assert login(Client(), o.coordinator).post(target, data).status_code == 403
    assert login(Client(), o.cast.clerk).post(target, data).status_code == 403
    assert login(Client(), o.cast.outsider).post(target, data).status_code == 404
    login(client, o.office)
    refused = client.post(target, {**data, "action": "refuse_return"})
    assert refused.status_code == 400  # no reason
    assert client.post(target, data).status_code == 302
    assert status_of(lead) == AssignmentStatus.RETURNED
    assert client.post(target, data).status_code == 409  # a second click
    response = client.post(
        target,
        {
            "action": "reassign",
            "expected_state": AssignmentStatus.RETURNED,
            "department": o.third.pk,
        },
    )
    assert response.status_code == 302
    assert (
        Assignment.objects.get(proposal=p, status=AssignmentStatus.ASSIGNED).department == o.third
    )


@pytest.mark.parametrize(
    ("who", "listing", "status"),
    [
        ("office", 200, 200),
        ("coordinator", 200, 200),
        ("member", 403, 403),
        ("clerk", 403, 403),
        ("leader", 200, 403),  # leaders read the staff list (issue 18)
        ("outsider", 200, 200),
    ],
)
def test_staff_list_and_overdue_pages_per_role(
    o: Office, who: str, listing: int, status: int
) -> None:
    p = proposal(o)
    user = {"office": o.office, "coordinator": o.coordinator}.get(who) or getattr(o.cast, who)
    client = login(Client(), user)
    page = client.get(url("staff_list"), {"status": P.SUBMITTED})
    assert page.status_code == listing
    if listing == 200:
        assert (p.title in page.content.decode()) == (who != "outsider")
    assert client.get(url("overdue")).status_code == status
    assert client.get(url("excellent")).status_code == status


def test_anonymous_users_are_sent_to_log_in(o: Office, client: Client) -> None:
    p = proposal(o)
    for target in (url("review"), url("review_detail", p.pk), url("staff_list"), url("key_board")):
        assert client.get(target).status_code == 302
    client.post(url("review_act", p.pk), {"action": "accept", "expected_state": P.SUBMITTED})
    assert status_of(p) == P.SUBMITTED


def test_a_clerk_of_the_department_is_not_the_office(o: Office) -> None:
    """A head of the assigned department may not take its own return decision."""
    _p, (lead,) = assigned(o)
    DepartmentClerk.objects.filter(user=o.cast.clerk).update(is_head=True)
    ask_return(lead)
    with pytest.raises(Forbidden):
        assignment_accept_return(assignment=lead, actor=o.cast.clerk)
