"""In a browser: a citizen's suggestion is forwarded as 社情民意 for a member, who submits
the draft; the liaison office adopts it, compiles an issue and records a leader's
instruction; the citizen's tracking page says "已作为社情民意信息报送"."""

from __future__ import annotations

from typing import Any

import pytest

from xieshang.conftest import Cast
from xieshang.suggestions.services import Intake, suggestion_submit, suggestion_transition

PASSWORD = "opinion-test-2026"
DESKTOP = {"width": 1280, "height": 900}
SCAN = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def log_in(browser: Any, base: str, username: str, next_url: str) -> Any:
    page = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"**{next_url}")
    return page


@pytest.fixture
def forwarded(cast: Cast) -> tuple[int, str]:
    """Passwords and the suggestion, set before the browser starts: the ORM is not used
    while Playwright runs."""
    for user in (cast.member, cast.staff):
        user.set_password(PASSWORD)
        user.save()
    suggestion, _ = suggestion_submit(
        intake=Intake(
            committee=cast.tianhe,
            title="猎德地铁站出口围蔽",
            content="猎德地铁站B出口围蔽多年，行人绕行不便。",
            idempotency_key="browser-op",
        )
    )
    suggestion_transition(suggestion=suggestion, action="triage", actor=cast.staff)
    return suggestion.pk, suggestion.tracking_code


@pytest.mark.django_db(transaction=True)
def test_a_suggestion_becomes_an_issued_item_with_an_instruction(
    forwarded: tuple[int, str], live_server: Any, browser: Any
) -> None:
    pk, code = forwarded
    base = live_server.url

    staff = log_in(browser, base, "t.staff", f"/work/suggestions/{pk}/")
    staff.select_option("select[name=member]", label="天河委员")
    with staff.expect_navigation():
        staff.get_by_role("button", name="生成草稿").click()
    item_url = staff.locator("a.opinion-item").first.get_attribute("href")
    assert item_url

    member = log_in(browser, base, "t.member", "/work/opinions/")
    member.get_by_role("link", name="猎德地铁站出口围蔽").click()
    with member.expect_navigation():
        member.locator("button[name=action][value=submit]").click()
    assert "已报送联络委" in member.locator("h1").inner_text()

    staff.goto(f"{base}{item_url}")
    with staff.expect_navigation():
        staff.locator("button[name=action][value=adopt]").click()
    staff.goto(f"{base}/work/opinions/issues/")
    staff.locator("input[name=items]").first.check()
    with staff.expect_navigation():
        staff.get_by_role("button", name="编辑成期").click()
    assert "第1期" in staff.locator("h1").inner_text()
    staff.goto(f"{base}{item_url}")
    form = staff.locator("form[action$='/instruction/']")
    form.locator("select[name=level]").select_option("district")
    form.locator("input[name=leader]").fill("天河区区长")
    form.locator("input[name=date]").fill("2026-05-01")
    form.locator("textarea[name=text]").fill("请区住建局研究解决。")
    form.locator("input[name=scan]").set_input_files(
        {"name": "批示.pdf", "mimeType": "application/pdf", "buffer": SCAN}
    )
    with staff.expect_navigation():
        form.locator("button").click()
    assert "天河区区长" in staff.content()
    with staff.expect_download() as download:
        staff.get_by_role("link", name="下载扫描件").click()
    assert download.value.suggested_filename.endswith(".pdf")

    citizen = browser.new_page()
    citizen.goto(f"{base}/t/{code}/")
    assert "已作为社情民意信息报送" in citizen.locator("#became-opinion").inner_text()
