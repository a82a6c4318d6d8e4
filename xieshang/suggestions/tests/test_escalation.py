"""市区联动: a district sends a suggestion up; the city decides and answers; the answer
flows back to the district's suggestion and its citizen."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xieshang.core.errors import Forbidden
from xieshang.core.models import Event
from xieshang.suggestions import services
from xieshang.suggestions.models import (
    Channel,
    EscalationStatus,
    Source,
    Suggestion,
    SuggestionStatus,
)
from xieshang.suggestions.tests.conftest import form_data, submit


@pytest.fixture
def escalated(cast, places):
    suggestion = submit(cast, title="番禺沿海渔港经济区建设")
    services.suggestion_transition(suggestion=suggestion, action="triage", actor=cast.staff)
    escalation = services.escalation_create(
        suggestion=suggestion, note="需要市层面统筹协调", actor=cast.staff
    )
    return suggestion, escalation


def test_the_city_sees_it_in_its_own_inbox_and_the_district_cannot_decide(cast, escalated) -> None:
    suggestion, escalation = escalated
    assert escalation.committee == cast.city
    city = Client()
    city.force_login(cast.city_staff)
    body = city.get(reverse("suggestions:escalations")).content.decode()
    assert suggestion.title in body
    page = city.get(reverse("suggestions:escalation", args=[escalation.pk])).content.decode()
    assert "需要市层面统筹协调" in page
    assert "13812345678" not in page and "****5678" not in page
    district = Client()
    district.force_login(cast.staff)
    assert district.get(reverse("suggestions:escalation", args=[escalation.pk])).status_code == 404
    with pytest.raises(Forbidden):
        services.escalation_transition(
            escalation=escalation, action="accept", actor=cast.staff, expected_state=None
        )


def test_the_citys_answer_reaches_the_citizen(cast, escalated) -> None:
    suggestion, escalation = escalated
    city = Client()
    city.force_login(cast.city_staff)
    url = reverse("suggestions:escalation_act", args=[escalation.pk])
    city.post(url, {"action": "accept", "expected_state": "sent"})
    city.post(
        url, {"action": "answer", "expected_state": "accepted", "note": "市政协已开展联动调研。"}
    )
    escalation.refresh_from_db()
    suggestion.refresh_from_db()
    assert escalation.status == EscalationStatus.ANSWERED
    assert suggestion.status == SuggestionStatus.ANSWERED
    assert "市政协已开展联动调研" in suggestion.public_answer
    tracking = Client().get(f"/t/{suggestion.tracking_code}/").content.decode()
    assert "市政协已开展联动调研" in tracking
    upper = Event.objects.for_object(escalation).values_list("action", "actor__username")
    assert list(upper) == [("sent", "t.staff"), ("accept", "c.staff"), ("answer", "c.staff")]


def test_a_decline_sends_it_back_to_the_districts_triage(cast, escalated) -> None:
    suggestion, escalation = escalated
    with pytest.raises(Exception, match="理由"):
        services.escalation_transition(
            escalation=escalation, action="decline", actor=cast.city_staff, expected_state="sent"
        )
    services.escalation_transition(
        escalation=escalation,
        action="decline",
        actor=cast.city_staff,
        note="属区级事权",
        expected_state="sent",
    )
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.TRIAGE
    last = Event.objects.for_object(suggestion).last()
    assert last is not None and "属区级事权" in last.note


def test_a_staff_member_enters_a_suggestion_for_a_citizen(cast, places, client) -> None:
    client.force_login(cast.member)
    data = form_data(channel=Channel.VISIT)
    response = client.post(reverse("suggestions:enter"), data)
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert (suggestion.source, suggestion.channel) == (Source.ON_BEHALF, Channel.VISIT)
    assert suggestion.entered_by == cast.member
    event = Event.objects.for_object(suggestion).get()
    assert event.actor == cast.member
    client.force_login(cast.clerk)
    assert client.get(reverse("suggestions:enter")).status_code == 403


def test_the_inbox_exports_to_excel_without_personal_data(cast, places, client) -> None:
    submit(cast, title="导出的诉求一")
    second = submit(cast, title="导出的诉求二", category=places["category"])
    services.suggestion_transition(suggestion=second, action="triage", actor=cast.staff)
    referral = services.referral_create(
        suggestion=second, department=cast.department, instructions="请核查。", actor=cast.staff
    )
    client.force_login(cast.staff)
    response = client.get(reverse("suggestions:export"), {"category": places["category"].pk})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "查询码"
    assert [r[1] for r in rows[1:]] == ["导出的诉求二"]
    # What became of it, who has it and by when (issue 19, missing in use).
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["处理方式"] == "交办职能部门"
    assert row["承办单位"] == cast.department.name
    assert row["期限"].date() == timezone.localdate(referral.deadline)
    # Neither the number nor its masked form (a timestamp's microseconds may hold "138").
    cells = [str(cell) for row in rows for cell in row if cell]
    assert not any("13812345678" in c or "138****5678" in c for c in cells)


def test_what_waits_for_staff_is_on_their_home_page(cast, escalated, client) -> None:
    """Issue 19: the city's staff see what a district sent up; a district's staff the
    departments' replies that wait for their approval, with a link to just those."""
    client.force_login(cast.city_staff)
    home = client.get(reverse("workspace:home")).content.decode()
    assert 'id="escalations-waiting">1<' in home

    suggestion = submit(cast, title="等待审核的答复")
    services.suggestion_transition(suggestion=suggestion, action="triage", actor=cast.staff)
    referral = services.referral_create(
        suggestion=suggestion, department=cast.department, instructions="", actor=cast.staff
    )
    services.referral_transition(
        referral=referral, action="sign", actor=cast.clerk, expected_state=None
    )
    services.referral_reply(
        referral=referral, actor=cast.clerk, text="已处理。", result="resolved", expected_state=None
    )
    client.force_login(cast.staff)
    home = client.get(reverse("workspace:home")).content.decode()
    assert 'id="replies-to-approve">1<' in home
    listed = client.get(reverse("suggestions:referrals"), {"status": "replied"})
    assert [r.pk for r in listed.context["page"]] == [referral.pk]
    services.referral_approve(referral=referral, actor=cast.staff, expected_state=None)
    home = client.get(reverse("workspace:home")).content.decode()
    assert 'id="replies-to-approve">0<' in home
    client.force_login(cast.outsider)  # another district's staff: none of it
    assert 'id="replies-to-approve">0<' in client.get(reverse("workspace:home")).content.decode()
