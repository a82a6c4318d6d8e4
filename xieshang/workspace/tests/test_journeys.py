"""A citizen's suggestion end to end in a real browser (issue 22): the citizen hands it
in and later rates the answer on a phone, staff triage and refer it and approve the
department's reply on a desktop, the department's clerk signs for it and replies on a
phone. One browser, a context per person."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from PIL import Image

from xieshang.conftest import PHONE, Cast
from xieshang.suggestions.models import Category

PASSWORD = "journey-test-2026"
DESKTOP = {"width": 1366, "height": 768}


@pytest.fixture
def people(cast: Cast) -> Cast:
    # Stored before the browser starts: the ORM is not used while Playwright runs.
    Category.objects.create(committee=cast.tianhe, name="城乡建设")
    for user in (cast.staff, cast.clerk):
        user.set_password(PASSWORD)
        user.save()
    return cast


def log_in(browser: Any, base: str, username: str, viewport: dict[str, int]) -> Any:
    page = browser.new_context(viewport=viewport, locale="zh-CN").new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/work/")
    return page


def press(page: Any, action: str) -> None:
    with page.expect_navigation():
        page.locator(
            f"button[name=action][value={action}], "
            f"form:has(input[name=action][value={action}]) button"
        ).first.click()


@pytest.mark.django_db(transaction=True)
def test_submit_triage_refer_reply_approve_and_rate(
    people: Cast, live_server: Any, browser: Any
) -> None:
    base = live_server.url
    citizen = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    citizen.goto(f"{base}/c/tianhe/")
    citizen.get_by_role("link", name="提交百姓提案").click()
    citizen.fill("#id_title", "冼村路口积水严重")
    citizen.fill("#id_content", "冼村路口每逢下雨就积水，行人只能绕行，希望尽快疏通排水管道。")
    citizen.check("#id_consent")
    citizen.locator("#suggestion-form button[type=submit]").click()
    citizen.wait_for_url(re.compile(r"/t/[2-9A-Z]{10}/\?new=1$"))
    code = citizen.locator("#tracking-code").inner_text().strip()

    staff = log_in(browser, base, "t.staff", DESKTOP)
    staff.locator(".xs-nav-link", has_text="百姓提案").click()
    staff.get_by_role("link", name="冼村路口积水严重").click()
    press(staff, "triage")
    staff.select_option("select[name=department]", label="天河区住房和城乡建设局")
    staff.locator("form:has(input[name=action][value=refer]) input[name=working_days]").fill("15")
    press(staff, "refer")
    assert staff.locator(".xs-status").first.inner_text() == "办理中"

    clerk = log_in(browser, base, "t.clerk", PHONE)
    clerk.goto(f"{base}/work/referrals/")
    clerk.get_by_role("link", name="冼村路口积水严重").click()
    press(clerk, "sign")
    clerk.select_option("select[name=result]", value="resolved")
    clerk.fill("textarea[name=note]", "已疏通冼村路口排水管道，并增设雨水篦子。")
    press(clerk, "reply")

    staff.goto(f"{base}/work/referrals/")
    staff.get_by_role("link", name="冼村路口积水严重").click()
    press(staff, "approve")

    citizen.goto(f"{base}/t/{code}/")
    assert citizen.locator("#status").inner_text() == "已答复"
    assert "已疏通冼村路口排水管道" in citizen.content()
    assert citizen.locator("#public-timeline li.is-current").count() == 1
    citizen.locator("label[for=r-satisfied]").click()
    with citizen.expect_navigation():
        citizen.locator(
            "form:has(input[name=form][value=rate]) button[type=submit], "
            "form:has(input[name=form][value=rate]) button:not([type])"
        ).last.click()
    assert "满意" in citizen.locator("main").inner_text()
    for page in (citizen, staff, clerk):
        width = page.viewport_size["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= width


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_photo_picker_previews_adds_and_removes(
    people: Cast, live_server: Any, browser: Any
) -> None:
    page = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    page.goto(f"{live_server.url}/c/tianhe/suggest/")
    photo = {"mimeType": "image/png", "buffer": png()}
    page.set_input_files("#id_photos", [{**photo, "name": "a.png"}, {**photo, "name": "b.png"}])
    page.set_input_files("#id_photos", [{**photo, "name": "c.png"}])  # adds, keeps a and b
    assert page.locator(".xs-photo img").count() == 3
    page.wait_for_function("[...document.querySelectorAll('.xs-photo img')].every(i => i.src)")
    page.get_by_role("button", name="移除 b.png").click()
    assert page.locator(".xs-photo img").count() == 2
    names = page.evaluate("[...document.getElementById('id_photos').files].map(f => f.name)")
    assert names == ["a.png", "c.png"]
    assert page.locator(".xs-photo-add").is_visible()
