"""One consultation through a real browser: staff make a citizen's suggestion a topic,
hold a site visit where a member signs in by the QR code's address, record opinions, send
one to a department and issue the 协商意见书; the department's clerk signs and replies,
staff approve, and the citizen's tracking page shows the suggestion became a topic."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone

from xieshang.conftest import Cast
from xieshang.consultations.models import Attendance, Opinion, Sending, SendingStatus, Topic
from xieshang.suggestions.services import Intake, suggestion_submit, suggestion_transition

PASSWORD = "consult-test-2026"
DESKTOP = {"width": 1280, "height": 900}
TITLE = "猎德大桥积水整治"


def log_in(browser: Any, base: str, username: str, next_url: str) -> Any:
    page = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"**{next_url}")
    return page


@pytest.fixture
def prepared(cast: Cast) -> dict[str, Any]:
    """Data set before the browser starts: the ORM is not used while Playwright runs."""
    for user in (cast.member, cast.staff, cast.clerk):
        user.set_password(PASSWORD)
        user.save()
    suggestion, _new = suggestion_submit(
        intake=Intake(
            committee=cast.tianhe,
            title="猎德大桥桥底积水",
            content="每逢下雨猎德大桥桥底积水严重。",
            idempotency_key="browser",
        )
    )
    suggestion_transition(suggestion=suggestion, action="triage", actor=cast.staff)
    return {"suggestion": suggestion, "today": timezone.localdate().isoformat()}


@pytest.mark.django_db(transaction=True)
def test_a_suggestion_becomes_a_consultation_with_a_department_reply(
    prepared: dict[str, Any],
    cast: Cast,
    live_server: Any,
    browser: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    suggestion, today = prepared["suggestion"], prepared["today"]
    code = suggestion.tracking_code
    base = live_server.url

    # Staff make the suggestion a topic, named in the note.
    staff = log_in(browser, base, "t.staff", f"/work/suggestions/{suggestion.pk}/")
    staff.locator("form:has(button[value=topic]) textarea[name=note]").fill(f"列入“{TITLE}”")
    with staff.expect_navigation():
        staff.locator("button[name=action][value=topic]").click()
    assert TITLE in staff.locator("#suggestion-topics").inner_text()
    with staff.expect_navigation():
        staff.locator("#suggestion-topics a").first.click()
    assert re.search(r"/work/consultations/\d+/$", staff.url)

    # A site visit today, and two opinions.
    staff.select_option("#meeting-form select[name=kind]", "site_visit")
    staff.fill("#meeting-form input[name=date]", today)
    staff.fill("#meeting-form input[name=place]", "猎德大桥桥底")
    with staff.expect_navigation():
        staff.locator("#meeting-form button").click()
    for category, text in (("排水", "加装强排泵站"), ("管理", "建立汛期值守机制")):
        staff.fill("#opinion-form input[name=category]", category)
        staff.fill("#opinion-form textarea[name=text]", text)
        with staff.expect_navigation():
            staff.locator("#opinion-form button").click()
    assert staff.locator("#opinion-2").count() == 1
    sign_in_url = staff.locator(".sign-in-qr + div").text_content().strip()

    # The member signs in by the QR code's address.
    path = "/" + sign_in_url.split("/", 3)[3]
    member = log_in(browser, base, "t.member", path)
    with member.expect_navigation():
        member.locator("#sign-in").click()
    assert member.locator("#signed-in").count() == 1

    # Staff send the first opinion to the department and issue the opinions.
    staff.reload()
    staff.select_option("#opinion-1 select[name=department]", label="天河区住房和城乡建设局")
    with staff.expect_navigation():
        staff.locator("#opinion-1 form button").click()
    with staff.expect_navigation():
        staff.locator("button[name=action][value=issue]").click()
    assert staff.locator("#topic-status").inner_text() == "意见已印发"

    # The clerk signs for it and replies; staff approve.
    clerk = log_in(browser, base, "t.clerk", "/work/consultations/sent/")
    with clerk.expect_navigation():
        clerk.locator("#sendings a").first.click()
    sending_path = clerk.url.removeprefix(base)
    with clerk.expect_navigation():
        clerk.locator("button[name=action][value=sign]").click()
    clerk.select_option("#reply-form select[name=adoption]", "adopted")
    clerk.fill("#reply-form textarea[name=text]", "已在桥底加装强排泵站，汛期积水消除。")
    with clerk.expect_navigation():
        clerk.locator("#reply-form button").click()
    assert clerk.locator("#sending-status").inner_text() == "答复待审核"
    staff.goto(base + sending_path)
    with staff.expect_navigation():
        staff.locator("button[name=action][value=approve]").click()
    assert staff.locator("#sending-status").inner_text() == "答复已审核"

    # The citizen's tracking page shows the topic.
    citizen = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    citizen.goto(f"{base}/t/{code}/")
    assert TITLE in citizen.locator("#became-topic").inner_text()

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    topic = Topic.objects.get(title=TITLE)
    assert list(topic.suggestions.all()) == [suggestion]
    assert Attendance.objects.get().member.user == cast.member
    assert Opinion.objects.filter(topic=topic).count() == 2 and topic.document_number == 1
    sending = Sending.objects.get()
    assert sending.status == SendingStatus.APPROVED and sending.adoption == "adopted"
