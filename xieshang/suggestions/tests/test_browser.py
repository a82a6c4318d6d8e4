"""A citizen on a phone submits a suggestion and follows it with the tracking code."""

from __future__ import annotations

import re

import pytest

from xieshang.conftest import PHONE, Cast


@pytest.mark.django_db(transaction=True)
def test_a_citizen_submits_on_a_phone_and_follows_the_tracking_code(
    cast: Cast, places, live_server, browser
) -> None:
    page = browser.new_page(viewport=PHONE, locale="zh-CN")
    page.goto(f"{live_server.url}/c/tianhe/")
    page.get_by_role("link", name="提交百姓提案").click()
    page.fill("#id_title", "猎德社区路灯不亮")
    page.fill("#id_content", "猎德社区三巷的路灯已经坏了两个星期，晚上出行很不安全。")
    page.select_option("#id_category", label="城乡建设")
    page.select_option("#id_area", label="猎德街·猎德社区")
    page.fill("#id_phone", "13912345678")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.check("#id_consent")
    page.locator("#suggestion-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/t/[2-9A-Z]{10}/\?new=1$"))
    code = page.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{10}", code)
    assert page.locator("#status").inner_text() == "待研判"

    # Later, from the landing page, with the code typed in.
    page.goto(f"{live_server.url}/t/")
    page.fill("input[name=code]", code.lower())
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(f"**/t/{code}/")
    assert "猎德社区路灯不亮" in page.locator("h1").inner_text()
    assert "13912345678" not in page.content()


@pytest.mark.django_db(transaction=True)
def test_the_content_box_counts_and_keeps_a_text_over_the_limit(
    cast: Cast, places, live_server, browser
) -> None:
    page = browser.new_page(viewport=PHONE, locale="zh-CN")
    page.goto(f"{live_server.url}/c/tianhe/suggest/")
    counter = page.locator('[data-counter-for="id_content"]')
    assert counter.inner_text() == "已写0字，最多2000字"
    page.fill("#id_content", "路" * 2100)
    assert page.evaluate("document.getElementById('id_content').value.length") == 2100
    assert counter.inner_text() == "现在是2100字，超出100字（最多2000字）"
    assert "text-danger" in (counter.get_attribute("class") or "")
