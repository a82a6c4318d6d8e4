"""The public figures page in a real browser: ECharts draws the charts from the
json_script data, with no Content-Security-Policy violation (the `browser` fixture fails
on one)."""

from __future__ import annotations

import pytest

from xieshang.conftest import PHONE
from xieshang.figures.tests.conftest import YEAR, Seeded


@pytest.mark.django_db(transaction=True)
def test_the_public_page_draws_its_charts(seeded: Seeded, live_server, browser) -> None:
    page = browser.new_page(viewport=PHONE, locale="zh-CN")
    page.goto(f"{live_server.url}/c/tianhe/figures/?year={YEAR}")
    page.wait_for_selector("#figures-charts canvas")
    assert page.locator("#figures-charts canvas").count() >= 3
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
