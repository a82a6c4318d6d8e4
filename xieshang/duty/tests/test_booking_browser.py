"""A citizen books a talk on a phone-sized screen, reading the SMS code from the console
backend's outbox (the server runs in this process), and cancels it by the link."""

from __future__ import annotations

import re
from typing import Any

import pytest

from xieshang.conftest import PHONE as PHONE_SCREEN
from xieshang.core.sms import ConsoleBackend
from xieshang.duty.tests import test_booking as base
from xieshang.duty.tests.test_booking import PHONE, Rooms, last_code

# The shared fixtures of test_booking.py.
rooms = base.rooms


@pytest.mark.django_db(transaction=True)
def test_a_citizen_books_a_slot_on_a_phone(
    rooms: Rooms,
    live_server: Any,
    browser: Any,
) -> None:
    # Everything the page needs is seeded above; from here on only the browser works.
    workroom_name = rooms.tianhe.name
    ConsoleBackend.outbox.clear()
    page = browser.new_page(viewport=PHONE_SCREEN, locale="zh-CN")
    page.goto(f"{live_server.url}/c/tianhe/book/")
    page.locator("#workrooms a", has_text=workroom_name).click()
    page.locator("#days a").first.click()
    page.locator("#slots a").first.click()
    page.wait_for_selector("#booking-form")
    assert "天河委员" in page.locator("#chosen-slot").inner_text()
    page.check("input[name=mode][value=own_phone]")
    page.fill("#id_citizen_name", "陈女士")
    page.fill("#id_phone", "138 0013 8000")
    page.fill("#id_topic", "小区加装电梯，希望委员了解情况")
    page.locator("#send-code").click()
    page.wait_for_selector("#code-sent")
    page.fill("#id_code", last_code(PHONE))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_SCREEN["width"]
    page.check("#id_consent")
    page.locator("#book").click()
    page.wait_for_url(re.compile(r"/b/[^/]+/\?new=1$"))
    code = page.locator("#booking-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{8}", code)
    assert "天河委员" in page.locator("#booking-member").inner_text()
    assert "13800138000" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_SCREEN["width"]
    assert any(to == PHONE and code in text for to, text in ConsoleBackend.outbox)

    # Cancel by the link.
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator("#cancel").click()
    page.wait_for_selector("#status")
    assert not page.locator("#cancel").count()
    page.close()
