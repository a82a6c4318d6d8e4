"""An invitation through a real browser: staff invite an expert to an event from its page
(desktop); the SMS carries the link; the expert opens it on a phone and accepts; the
staff's page counts the answer."""

from __future__ import annotations

import re
from datetime import time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from xieshang.conftest import Cast
from xieshang.consultations.models import Invitation, InvitationStatus, TopicKind
from xieshang.consultations.services import (
    MeetingInput,
    TopicInput,
    meeting_record,
    topic_create,
)
from xieshang.core.models import ActorKind, Event
from xieshang.core.sms import ConsoleBackend

PASSWORD = "invite-test-2026"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
LINK = re.compile(r"https?://\S+/invitation/[A-Za-z0-9_-]+/")


@pytest.fixture
def meeting(cast: Cast) -> Any:
    """Data set before the browser starts: the ORM is not used while Playwright runs."""
    cast.staff.set_password(PASSWORD)
    cast.staff.save()
    topic = topic_create(
        committee=cast.tianhe,
        data=TopicInput(
            title="龙口东路下水道返臭", kind=TopicKind.GRASSROOTS, year=timezone.localdate().year
        ),
        actor=cast.staff,
    )
    return meeting_record(
        topic=topic,
        data=MeetingInput(
            kind="meeting",
            date=timezone.localdate() + timedelta(days=4),
            time=time(14, 30),
            place="天河南街党群服务中心",
            agenda="协商整治方案",
        ),
        actor=cast.staff,
    )


@pytest.mark.django_db(transaction=True)
def test_an_expert_invited_by_sms_accepts_on_a_phone(
    meeting: Any, cast: Cast, live_server: Any, browser: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = live_server.url
    ConsoleBackend.outbox.clear()

    # Staff invite an expert from the event's page.
    staff = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    path = f"/work/consultations/events/{meeting.pk}/"
    staff.goto(f"{base}/accounts/login/?next={path}")
    staff.fill("#id_username", "t.staff")
    staff.fill("#id_password", PASSWORD)
    staff.locator("main button[type=submit]").click()
    staff.wait_for_url(f"**{path}")
    staff.select_option("#invitee-form select[name=kind]", "expert")
    staff.fill("#invitee-form input[name=name]", "钟工")
    staff.fill("#invitee-form input[name=organisation]", "市排水设计院 高级工程师")
    staff.fill("#invitee-form input[name=phone]", "138 0013 8000")
    with staff.expect_navigation():
        staff.locator("#invitee-form button").click()
    assert staff.locator("#count-unanswered").inner_text() == "1"
    assert "钟工" in staff.locator("#invitations-invited").inner_text()

    # The SMS went out with the link.
    (to, text), *_rest = ConsoleBackend.outbox
    assert to == "13800138000" and "龙口东路下水道返臭" in text
    link = LINK.search(text)
    assert link is not None

    # The expert opens it on a phone and accepts.
    phone = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True).new_page()
    phone.goto(link.group(0))
    assert "天河南街党群服务中心" in phone.locator("main").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box = phone.locator("#accept").bounding_box()
    assert box is not None and box["width"] >= 300 and box["height"] >= 44  # a thumb's target
    with phone.expect_navigation():
        phone.locator("#accept").click()
    assert phone.locator("#invitation-status").inner_text() == "已接受"
    assert phone.locator("#accept").count() == 0

    # The staff's page counts the answer.
    staff.reload()
    assert staff.locator("#count-accepted").inner_text() == "1"
    assert "钟工" in staff.locator("#invitations-accepted").inner_text()

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    invitation = Invitation.objects.get()
    assert invitation.status == InvitationStatus.ACCEPTED
    event = Event.objects.for_object(invitation).last()
    assert event is not None and event.actor_kind == ActorKind.CITIZEN
