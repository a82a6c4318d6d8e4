"""The department's pages and the proposers' rating page: who sees what (another
department's or committee's assignment is a 404), the flow through the forms, and the
refusals with their status codes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from xieshang.conftest import Cast
from xieshang.core.models import Event
from xieshang.proposals.models import (
    Assignment,
    AssignmentStatus,
    ProposalRating,
    ProposalStatus,
    Reply,
    ReplyStatus,
)
from xieshang.proposals.services import handling as services
from xieshang.proposals.tests.test_handling import (
    World,
    build_world,
    fresh,
    pdf,
    replied,
    reply_ready,
)

A = AssignmentStatus


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def world(cast: Cast) -> World:
    return build_world(cast)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # messages match their msgids
    return client


def test_the_inbox_lists_only_the_departments_own_assignments(world: World) -> None:
    w = world
    page = client_for(w.cast.clerk).get(reverse("proposals:assigned"))
    assert page.status_code == 200
    rows = list(page.context["page"])
    assert rows == [w.lead]
    assert list(client_for(w.co_clerk).get(reverse("proposals:assigned")).context["page"]) == [w.co]
    assert list(client_for(w.haizhu_clerk).get(reverse("proposals:assigned")).context["page"]) == []
    for user in (w.cast.member, w.cast.staff, w.cast.leader):
        assert client_for(user).get(reverse("proposals:assigned")).status_code == 403


def test_the_inbox_flags_overdue_assignments(world: World) -> None:
    with time_machine.travel(world.lead.deadline + timedelta(hours=1)):
        client = client_for(world.cast.clerk)  # a session of that day
        page = client.get(reverse("proposals:assigned"), {"overdue": "1"})
        assert list(page.context["page"]) == [world.lead]
        assert page.context["counts"]["overdue"] == 1
        assert "Overdue</span>" in page.content.decode()
    client = client_for(world.cast.clerk)
    assert list(client.get(reverse("proposals:assigned"), {"overdue": "1"}).context["page"]) == []


def test_another_departments_assignment_is_not_found(world: World) -> None:
    w = world
    url = reverse("proposals:assignment", args=[w.lead.pk])
    for user in (w.co_clerk, w.haizhu_clerk):
        assert client_for(user).get(url).status_code == 404
        response = client_for(user).post(
            reverse("proposals:assignment_act", args=[w.lead.pk]),
            {"action": "sign", "expected_state": "assigned"},
        )
        assert response.status_code == 404
    assert fresh(w.lead).status == A.ASSIGNED


def test_the_department_works_the_proposal_through_its_page(world: World) -> None:
    w = world
    clerk = client_for(w.cast.clerk)
    page = clerk.get(reverse("proposals:assignment", args=[w.lead.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert w.proposal.analysis in html and "联名委员" in html and "受邀委员" not in html
    assert page.context["can_sign"] and page.context["can_ask_return"]
    assert not page.context["can_reply"]

    response = clerk.post(
        reverse("proposals:assignment_act", args=[w.lead.pk]),
        {"action": "sign", "expected_state": "assigned"},
    )
    assert response.status_code == 302
    assert fresh(w.proposal).status == ProposalStatus.HANDLING
    # The same form again: the page was out of date.
    stale = clerk.post(
        reverse("proposals:assignment_act", args=[w.lead.pk]),
        {"action": "sign", "expected_state": "assigned"},
    )
    assert stale.status_code == 409

    response = clerk.post(
        reverse("proposals:assignment_note", args=[w.lead.pk]),
        {
            "stage": "before",
            "text": "与提案人面谈",
            "happened_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    future = clerk.post(
        reverse("proposals:assignment_note", args=[w.lead.pk]),
        {
            "stage": "during",
            "text": "x",
            "happened_on": (timezone.localdate() + timedelta(days=2)).isoformat(),
        },
    )
    assert future.status_code == 400 and "future" in future.content.decode()

    co = client_for(w.co_clerk)
    co.post(
        reverse("proposals:assignment_act", args=[w.co.pk]),
        {"action": "sign", "expected_state": "assigned"},
    )
    page = clerk.get(reverse("proposals:assignment", args=[w.lead.pk]))
    assert page.context["can_reply"] and [a.pk for a in page.context["pending_co_handlers"]] == [
        w.co.pk
    ]
    response = co.post(
        reverse("proposals:assignment_opinion", args=[w.co.pk]),
        {"text": "同意", "expected_state": "signed"},
    )
    assert response.status_code == 302 and fresh(w.co).status == A.REPLIED

    bad = clerk.post(
        reverse("proposals:assignment_reply", args=[w.lead.pk]),
        {"text": "答复", "grade": "B", "expected_state": "signed", "letter": _exe()},
    )
    assert bad.status_code == 400 and "must be a PDF" in bad.content.decode()
    assert not Reply.objects.exists() and fresh(w.lead).status == A.SIGNED
    response = clerk.post(
        reverse("proposals:assignment_reply", args=[w.lead.pk]),
        {"text": "答复", "grade": "B", "expected_state": "signed", "letter": pdf()},
    )
    assert response.status_code == 302 and fresh(w.lead).status == A.REPLY_DRAFTED

    # The clerk is not the head: the approval is refused.
    refused = clerk.post(
        reverse("proposals:assignment_decide", args=[w.lead.pk]),
        {"action": "approve_reply", "expected_state": "reply_drafted"},
    )
    assert refused.status_code == 403
    assert fresh(w.lead).status == A.REPLY_DRAFTED
    head = client_for(w.head)
    assert head.get(reverse("proposals:assignment", args=[w.lead.pk])).context["can_decide"]
    no_reason = head.post(
        reverse("proposals:assignment_decide", args=[w.lead.pk]),
        {"action": "return_reply", "expected_state": "reply_drafted"},
    )
    assert no_reason.status_code == 400
    response = head.post(
        reverse("proposals:assignment_decide", args=[w.lead.pk]),
        {"action": "approve_reply", "expected_state": "reply_drafted"},
    )
    assert response.status_code == 302
    assert Reply.objects.get().status == ReplyStatus.SENT
    assert fresh(w.proposal).status == ProposalStatus.REPLIED


def _exe() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("letter.pdf", b"MZ\x90\x00\x03", content_type="application/pdf")


def test_a_reply_before_sign_for_is_refused_through_the_page(world: World) -> None:
    response = client_for(world.cast.clerk).post(
        reverse("proposals:assignment_reply", args=[world.lead.pk]),
        {"text": "答复", "grade": "A", "expected_state": "assigned", "letter": pdf()},
    )
    assert response.status_code == 409
    assert not Reply.objects.exists()


def test_asking_for_a_return_after_the_window_is_refused(world: World) -> None:
    with time_machine.travel(world.lead.return_by + timedelta(hours=1)):
        client = client_for(world.cast.clerk)  # a session of that day
        page = client.get(reverse("proposals:assignment", args=[world.lead.pk]))
        assert not page.context["can_ask_return"]
        response = client.post(
            reverse("proposals:assignment_act", args=[world.lead.pk]),
            {"action": "ask_return", "reason": "不属于本单位", "expected_state": "assigned"},
        )
    assert response.status_code == 400
    assert "could be asked for until" in response.content.decode()
    assert fresh(world.lead).status == A.ASSIGNED


def test_the_reply_letter_is_served_to_the_department_staff_and_later_the_proposers(
    world: World,
) -> None:
    w = world
    reply = reply_ready(w)
    url = reverse("proposals:reply_letter_file", args=[reply.pk])
    for user in (w.cast.clerk, w.head, w.cast.staff, w.cast.superuser):
        response = client_for(user).get(url)
        assert response.status_code == 200, user
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined]
    for user in (w.cast.member, w.cosigner, w.co_clerk, w.haizhu_clerk, w.cast.outsider):
        assert client_for(user).get(url).status_code == 404, user
    services.reply_approve(assignment=w.lead, actor=w.head)
    for user in (w.cast.member, w.cosigner):
        assert client_for(user).get(url).status_code == 200
    for user in (w.other_member, w.invited, w.cast.outsider):
        assert client_for(user).get(url).status_code == 404


def test_the_proposers_rate_on_their_page(world: World) -> None:
    w = world
    url = reverse("proposals:rate", args=[w.proposal.pk])
    member = client_for(w.cast.member)
    page = member.get(url)
    assert page.status_code == 200 and not page.context["state"].can_rate
    early = member.post(url, {"value": "satisfied"})
    assert early.status_code == 409 and not ProposalRating.objects.exists()

    replied(w)
    page = member.get(url)
    assert page.context["state"].can_rate and "已列入年度计划。" in page.content.decode()
    for user in (w.other_member, w.invited, w.haizhu_clerk, w.cast.outsider):
        assert client_for(user).get(url).status_code in (403, 404)
    missing = member.post(url, {"value": "dissatisfied"})
    assert missing.status_code == 400 and "Say why" in missing.content.decode()
    assert member.post(url, {"value": "satisfied", "comment": "很好"}).status_code == 302
    again = member.post(url, {"value": "basically"})
    assert again.status_code == 409
    assert ProposalRating.objects.get().value == "satisfied"
    assert client_for(w.cosigner).post(url, {"value": "basically"}).status_code == 302
    assert Event.objects.for_object(w.proposal).filter(action="rate").count() == 2


@pytest.mark.parametrize(
    "name", ["assignment", "assignment_act", "assignment_note", "assignment_decide"]
)
def test_haizhu_cannot_reach_a_tianhe_assignment(world: World, name: str) -> None:
    client = client_for(world.haizhu_clerk)
    url = reverse(f"proposals:{name}", args=[world.lead.pk])
    response = client.get(url) if name == "assignment" else client.post(url, {})
    assert response.status_code == 404


@pytest.mark.parametrize("status", AssignmentStatus.values)
def test_the_assignment_page_shows_in_every_state(world: World, status: str) -> None:
    reply_ready(world)
    Assignment.objects.filter(pk__in=[world.lead.pk, world.co.pk]).update(status=status)
    for user in (world.cast.clerk, world.head, world.co_clerk):
        assignment = world.co if user == world.co_clerk else world.lead
        page = client_for(user).get(reverse("proposals:assignment", args=[assignment.pk]))
        assert page.status_code == 200
        assert world.proposal.title in page.content.decode()
