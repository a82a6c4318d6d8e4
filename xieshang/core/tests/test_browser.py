"""A real browser on a phone-sized screen: Debian's Chromium driven by Playwright."""

from __future__ import annotations

import pytest

from xieshang.conftest import PHONE, Cast


@pytest.fixture
def staff_password(cast: Cast) -> str:
    # Set before the browser starts: the ORM is not used while Playwright runs (its event
    # loop lives in greenlets, which would give Django a second database connection).
    cast.staff.set_password("phone-test-2026")
    cast.staff.save()
    return "phone-test-2026"


@pytest.mark.django_db(transaction=True)
def test_a_citizen_and_a_staff_member_use_the_site_on_a_phone(
    cast: Cast, staff_password: str, live_server, browser
) -> None:
    page = browser.new_page(viewport=PHONE, locale="zh-CN")

    # The citizen's landing page, in Chinese, fits the screen.
    page.goto(live_server.url + "/")
    assert page.locator("h2").first.inner_text() == "选择您所在的政协"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_text("天河区政协", exact=True).click()
    page.wait_for_url("**/c/tianhe/")

    # Staff log in through the collapsed menu and activate a workroom.
    page.locator(".navbar-toggler").click()
    page.wait_for_selector("#nav.collapse.show")  # the menu has finished opening
    page.get_by_role("link", name="登录").click()
    page.wait_for_url("**/accounts/login/")
    page.fill("#id_username", "t.staff")
    page.fill("#id_password", staff_password)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/work/")
    assert "我的工作" in page.locator("h1").inner_text()

    page.goto(f"{live_server.url}/work/workrooms/{cast.workroom.pk}/")
    page.get_by_role("button", name="启用").click()
    page.wait_for_url(f"**/work/workrooms/{cast.workroom.pk}/")
    assert "运行中" in page.locator(".alert-success").inner_text()

    # A fresh page reads the new status back from the database, with the event.
    page.reload()
    assert page.locator(".badge.fs-6").inner_text() == "运行中"
    assert "天河工作人员" in page.locator(".timeline").inner_text()
