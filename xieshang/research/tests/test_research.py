"""Research topics and reports: the workflow per role, a report approved once, instructions,
who sees what, and a joint topic seen by both committees."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from xieshang.conftest import Cast, make_user
from xieshang.core.errors import Conflict, DomainError, Forbidden
from xieshang.core.models import Event
from xieshang.people.models import Member
from xieshang.research.models import Report, ReportStatus, Topic
from xieshang.research.services import (
    TopicData,
    instruction_add,
    report_save,
    report_transition,
    topic_create,
)
from xieshang.research.workflow import REPORT_WORKFLOW

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def seat(cast: Cast) -> Member:
    return Member.objects.get(user=cast.member, committee=cast.tianhe)


def topic(cast: Cast, *, joint: bool = False) -> Topic:
    return topic_create(
        actor=cast.staff,
        committee=cast.tianhe,
        data=TopicData(
            title="做大做强天河夜间经济",
            lead="经济科技委员会",
            year=2026,
            is_key=True,
            member_ids=[seat(cast).pk],
            joint_with_upper=joint,
        ),
    )


def test_a_group_member_drafts_and_the_staff_approve_once(cast: Cast) -> None:
    t = topic(cast)
    report = report_save(actor=cast.member, topic=t, title="夜间经济调研报告", text="正文")
    report_transition(actor=cast.member, report=report, action="submit")
    with pytest.raises(DomainError):  # under review: not changed
        report_save(actor=cast.member, topic=t, title="改", text="改")
    with pytest.raises(Forbidden):
        report_transition(actor=cast.member, report=report, action="adopt")
    report_transition(actor=cast.staff, report=report, action="adopt")
    report.refresh_from_db()
    assert report.status == ReportStatus.ADOPTED and report.adopted_at is not None
    with pytest.raises(Conflict):  # approved twice
        report_transition(actor=cast.staff, report=report, action="adopt")
    actions = list(Event.objects.for_object(report).values_list("action", flat=True))
    assert actions == ["write", "submit", "adopt"]


@pytest.mark.parametrize(
    ("role", "action", "allowed"),
    [
        ("member", "submit", True),
        ("staff", "submit", True),
        ("outsider", "submit", False),
        ("clerk", "submit", False),
        ("staff", "adopt", True),
        ("member", "adopt", False),
        ("outsider", "adopt", False),
        ("city_staff", "adopt", False),
    ],
)
def test_workflow_table_per_role(cast: Cast, role: str, action: str, allowed: bool) -> None:
    t = topic(cast)
    report = report_save(actor=cast.staff, topic=t, title="报告", text="正文")
    if action == "adopt":
        report_transition(actor=cast.staff, report=report, action="submit")
    assert (action in REPORT_WORKFLOW.available_by_action(report, getattr(cast, role))) is allowed


def test_instructions_need_a_leader_a_date_and_an_approved_report(cast: Cast) -> None:
    t = topic(cast)
    report = report_save(actor=cast.staff, topic=t, title="报告", text="正文")
    with pytest.raises(Conflict):
        instruction_add(
            actor=cast.staff, report=report, level="city", leader="市长", text="阅", on=date.today()
        )
    report_transition(actor=cast.staff, report=report, action="submit")
    report_transition(actor=cast.staff, report=report, action="adopt")
    with pytest.raises(DomainError, match="leader"):
        instruction_add(
            actor=cast.staff, report=report, level="city", leader="", text="阅", on=None
        )
    instruction_add(
        actor=cast.staff, report=report, level="city", leader="市长", text="好", on=date.today()
    )
    assert report.instructions.count() == 1


def test_who_sees_what(cast: Cast) -> None:
    t = topic(cast)
    other = make_user("t.member9", "天河另一委员")
    Member.objects.create(user=other, committee=cast.tianhe)
    url = reverse("research:topic", args=[t.pk])
    for user, status in [
        (cast.staff, 200),
        (cast.member, 200),
        (cast.leader, 200),
        (other, 404),
        (cast.outsider, 404),
        (cast.city_staff, 404),  # not joint
    ]:
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == status, user


def test_a_joint_topic_is_seen_and_worked_by_both_committees(cast: Cast) -> None:
    t = topic(cast, joint=True)
    city, haizhu = Client(), Client()
    city.force_login(cast.city_staff)
    haizhu.force_login(cast.outsider)
    assert t.title in city.get(reverse("research:topics")).content.decode()
    assert city.get(reverse("research:topic", args=[t.pk])).status_code == 200
    assert t.title not in haizhu.get(reverse("research:topics")).content.decode()
    city.post(
        reverse("research:report_save", args=[t.pk]), {"title": "联合调研报告", "text": "正文"}
    )
    assert Report.objects.get(topic=t).created_by == cast.city_staff


def test_topic_refusals_change_nothing(cast: Cast) -> None:
    topic(cast)
    with pytest.raises(DomainError):
        topic(cast)  # same title, same year
    with pytest.raises(Forbidden):
        topic_create(
            actor=cast.member,
            committee=cast.tianhe,
            data=TopicData(title="另一课题", lead="主席", year=2026),
        )
    other = Member.objects.create(user=make_user("h.m", "海珠委员"), committee=cast.haizhu)
    with pytest.raises(DomainError):
        topic_create(
            actor=cast.staff,
            committee=cast.tianhe,
            data=TopicData(title="另一课题", lead="主席", year=2026, member_ids=[other.pk]),
        )
    assert Topic.objects.count() == 1


def test_pages(cast: Cast) -> None:
    staff = Client()
    staff.force_login(cast.staff)
    response = staff.post(
        reverse("research:topic_new"),
        {"title": "", "lead": "主席", "year": "2026", "plan": "走访三个部门"},
    )
    assert response.status_code == 200 and "走访三个部门" in response.content.decode()
    response = staff.post(
        reverse("research:topic_new"),
        {"title": "广州火车站北广场规划建设", "lead": "主席", "year": "2026", "is_key": "on"},
    )
    t = Topic.objects.get()
    assert response.status_code == 302 and t.is_key
    staff.post(reverse("research:report_save", args=[t.pk]), {"title": "报告", "text": "正文"})
    staff.post(
        reverse("research:report_act", args=[t.pk]), {"action": "submit", "expected_state": "draft"}
    )
    assert Report.objects.get().status == ReportStatus.SUBMITTED
    assert staff.get(reverse("research:topic", args=[t.pk])).status_code == 200


def test_outcomes_are_recorded_by_the_staff(cast: Cast) -> None:
    from xieshang.research.services import outcome_add

    t = topic(cast)
    with pytest.raises(Forbidden):
        outcome_add(actor=cast.member, topic=t, kind="policy", text="出台政策", on=date.today())
    with pytest.raises(DomainError):
        outcome_add(actor=cast.staff, topic=t, kind="policy", text="", on=date.today())
    outcome_add(
        actor=cast.staff, topic=t, kind="policy", text="区政府出台夜间经济扶持措施", on=date.today()
    )
    assert t.outcomes.get().kind == "policy"
    staff = Client()
    staff.force_login(cast.staff)
    assert (
        "区政府出台夜间经济扶持措施"
        in staff.get(reverse("research:topic", args=[t.pk])).content.decode()
    )
