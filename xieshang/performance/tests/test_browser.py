"""Through a real browser: staff record an activity the member took part in, and the
member's own duty record shows the points it earned."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.utils import timezone

from xieshang.activities.services import activity_kinds_install_defaults
from xieshang.conftest import PHONE, Cast
from xieshang.performance.services import scheme_create

PASSWORD = "performance-test-2026"
DESKTOP = {"width": 1280, "height": 900}


def log_in(browser: Any, base: str, username: str, next_url: str) -> Any:
    page = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"**{next_url}")
    return page


@pytest.fixture
def people(cast: Cast) -> Cast:
    """Data set before the browser starts: the ORM is not used while Playwright runs."""
    activity_kinds_install_defaults(committee=cast.tianhe)
    scheme_create(committee=cast.tianhe, year=timezone.localdate().year, actor=cast.staff)
    for user in (cast.member, cast.staff):
        user.set_password(PASSWORD)
        user.save()
    return cast


@pytest.mark.django_db(transaction=True)
def test_recording_an_activity_moves_the_members_points(
    people: Cast, live_server: Any, browser: Any
) -> None:
    today = timezone.localdate().isoformat()
    base = live_server.url

    member = log_in(browser, base, "t.member", "/work/performance/")
    assert member.locator(".points-summary [data-total]").inner_text() == "0"

    staff = log_in(browser, base, "t.staff", "/work/workrooms/activities/new/")
    staff.select_option("#id_kind", label="调研")
    staff.fill("#id_title", "珠江新城停车难调研")
    staff.fill("#id_date", today)
    staff.select_option("#id_members", label="天河委员")
    with staff.expect_navigation():
        staff.locator("main button[type=submit]").click()

    member.reload()
    assert (
        member.locator(".points-summary [data-total]").inner_text() == "3"
    )  # 调研: a research record, 3 points
    assert "珠江新城停车难调研" in member.locator(".record-lines").inner_text()


@pytest.mark.django_db(transaction=True)
def test_recording_attendance_at_a_plenary_moves_the_members_points(
    people: Cast, live_server: Any, browser: Any
) -> None:
    today = timezone.localdate().isoformat()
    base = live_server.url
    member = log_in(browser, base, "t.member", "/work/performance/")
    assert member.locator(".points-summary [data-total]").inner_text() == "0"

    staff = log_in(browser, base, "t.staff", "/work/performance/sessions/")
    staff.select_option("#id_kind", value="plenary")
    staff.fill("#id_date", today)
    staff.fill("#id_title", "天河区政协全体会议")
    with staff.expect_navigation():
        staff.locator("main form button.btn-primary").click()
    # every serving member is listed as present: record them all at once
    form = staff.locator("form.record-attendance")
    assert form.locator("select").first.input_value() == "present"
    with staff.expect_navigation():
        form.locator("button").click()
    assert "出席" in staff.locator(".session-attendance").inner_text()

    member.reload()
    assert member.locator(".points-summary [data-total]").inner_text() == "5"
    assert "天河区政协全体会议" in member.locator(".record-lines").inner_text()

    # on leave after all: the reason is required, and leave counts nothing by default
    row = staff.locator(".session-attendance tr", has_text="天河委员")
    row.locator("select").select_option("leave")
    with staff.expect_navigation():
        row.locator("button").click()
    assert "请假须填写请假事由" in staff.locator("main").inner_text()
    staff.goto(f"{base}/work/performance/sessions/")
    staff.locator(".committee-sessions a", has_text="天河区政协全体会议").click()
    row = staff.locator(".session-attendance tr", has_text="天河委员")
    row.locator("select").select_option("leave")
    row.locator("input[name=reason]").fill("因公出差")
    with staff.expect_navigation():
        row.locator("button").click()
    assert "因公出差" in staff.locator(".session-attendance").inner_text()
    member.reload()
    assert member.locator(".points-summary [data-total]").inner_text() == "0"
    # on a phone the page fits the screen (the tables scroll inside their own box)
    phone = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    phone.goto(f"{base}/accounts/login/?next={staff.url.removeprefix(base)}")
    phone.fill("#id_username", "t.staff")
    phone.fill("#id_password", PASSWORD)
    phone.locator("main button[type=submit]").click()
    phone.wait_for_selector(".session-attendance")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    if os.environ.get("XIESHANG_SCREENSHOTS") == "1":
        for page, size in ((phone, "phone"), (staff, "desktop")):
            page.screenshot(path=f"var/screenshots/staff-session-{size}.png", full_page=True)
