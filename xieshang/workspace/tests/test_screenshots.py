"""Screenshots of the main pages at a phone's and a desktop's size, for a reviewer to look
at: `make screenshots` writes them to var/screenshots/. Not part of `make test` (skipped
unless XIESHANG_SCREENSHOTS=1)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from xieshang.conftest import PHONE, Cast
from xieshang.workspace.tests.pages import DESKTOP, World, build_world, log_in

pytestmark = pytest.mark.skipif(
    os.environ.get("XIESHANG_SCREENSHOTS") != "1", reason="make screenshots only"
)
OUT = Path(os.environ.get("SCREENSHOTS_DIR", Path(settings.BASE_DIR) / "var" / "screenshots"))
SIZES = {"phone": PHONE, "desktop": DESKTOP}


@pytest.fixture
def world(cast: Cast) -> World:
    return build_world(cast)


@pytest.mark.django_db(transaction=True)
def test_screenshots_of_the_main_pages(world: World, live_server: Any, browser: Any) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size, viewport in SIZES.items():
        context = browser.new_context(viewport=viewport, locale="zh-CN", device_scale_factor=1)
        page = context.new_page()
        for name, path in world.public:
            page.goto(live_server.url + path)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(OUT / f"public-{name}-{size}.png"), full_page=True)
        log_in(page, live_server.url)
        for name, path in world.staff:
            page.goto(live_server.url + path)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(OUT / f"staff-{name}-{size}.png"), full_page=True)
        context.close()
