"""A co-handler's opinion (会签) has a due date; overdue it is flagged, and the office may
record that it is waived so that the lead's reply is not blocked for good (issue 19)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from xieshang.core.errors import DomainError
from xieshang.proposals.models import OPINION_DAYS, Assignment, Grade
from xieshang.proposals.models import AssignmentStatus as A
from xieshang.proposals.services import handling as services
from xieshang.proposals.tests.test_handling import World, english, fresh, media, pdf, world

__all__ = ["english", "media", "world"]  # the fixtures this module uses


def test_an_overdue_opinion_is_flagged_and_waived_by_the_office(world: World, time_machine) -> None:
    w = world
    services.assignment_sign(assignment=w.lead, actor=w.cast.clerk)
    assert w.co.opinion_due == w.co.assigned_at + timedelta(days=OPINION_DAYS)
    assert not w.co.is_opinion_overdue
    # Before it is due, it cannot be waived.
    with pytest.raises(DomainError, match="waived only after"):
        services.coopinion_waive(assignment=w.co, actor=w.cast.staff, reason="逾期未会签")
    time_machine.move_to(w.co.assigned_at + timedelta(days=OPINION_DAYS, hours=1))
    assert fresh(w.co).is_opinion_overdue
    # The office's page flags it and offers the waiver.
    client = Client()
    client.force_login(w.cast.staff)
    page = client.get(reverse("proposals:review_detail", args=[w.proposal.pk])).content.decode()
    assert "会签逾期" in page and 'value="waive_opinion"' in page
    # A waiver needs a reason; a GET changes nothing.
    action = reverse("proposals:return_decide", args=[w.co.pk])
    assert client.get(action).status_code == 405
    assert (
        client.post(
            action, {"action": "waive_opinion", "expected_state": A.ASSIGNED, "note": ""}
        ).status_code
        == 400
    )
    assert fresh(w.co).status == A.ASSIGNED
    response = client.post(
        action,
        {"action": "waive_opinion", "expected_state": A.ASSIGNED, "note": "逾期十五日未会签"},
    )
    assert response.status_code == 302, response.content.decode().split("<main", 1)[-1][:1500]
    assert fresh(w.co).status == A.REPLIED
    assert not Assignment.objects.get(pk=w.co.pk).is_opinion_overdue
    # The lead's reply goes on.
    services.reply_draft(
        assignment=w.lead, actor=w.cast.clerk, text="答复", grade=Grade.A, letter=pdf()
    )
    assert fresh(w.lead).status == A.REPLY_DRAFTED


def test_only_a_co_handlers_opinion_is_waived_and_only_by_the_office(
    world: World, time_machine
) -> None:
    w = world
    time_machine.move_to(w.co.assigned_at + timedelta(days=OPINION_DAYS + 1))
    with pytest.raises(DomainError):
        services.coopinion_waive(assignment=w.co, actor=w.cast.clerk, reason="自己免签")
    with pytest.raises(DomainError):
        services.coopinion_waive(assignment=w.lead, actor=w.cast.staff, reason="主办")
    assert fresh(w.co).status == A.ASSIGNED
