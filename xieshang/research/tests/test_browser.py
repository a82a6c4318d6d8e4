"""In a browser: a group member records a visit of a research topic and attaches the
meeting's notes to it; the staff approve the report, record a leader's instruction with
its scan and download the report as Word. The topic page is photographed at a phone's
and a desktop's width (kept in var/screenshots/ under `make screenshots`)."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from docx import Document

from xieshang.activities.services import activity_kinds_install_defaults
from xieshang.conftest import PHONE, Cast
from xieshang.core.tests.test_uploads import PDF, png_bytes
from xieshang.people.models import Member
from xieshang.research.services import TopicData, report_save, topic_create

PASSWORD = "research-test-2026"
WIDE = {"width": 1366, "height": 900}
TITLE = "做大做强天河夜间经济"


def log_in(browser: Any, base: str, username: str, next_url: str, viewport: Any) -> Any:
    page = browser.new_context(viewport=viewport, locale="zh-CN").new_page()
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"**{next_url}")
    return page


@pytest.fixture
def topic_pk(cast: Cast) -> int:
    """Passwords, the activity kinds and the topic with its draft report, set before the
    browser starts: the ORM is not used while Playwright runs."""
    for user in (cast.member, cast.staff):
        user.set_password(PASSWORD)
        user.save()
    activity_kinds_install_defaults(committee=cast.tianhe)
    seat = Member.objects.get(user=cast.member, committee=cast.tianhe)
    topic = topic_create(
        actor=cast.staff,
        committee=cast.tianhe,
        data=TopicData(
            title=TITLE, lead="经济科技委员会", year=2026, is_key=True, member_ids=[seat.pk]
        ),
    )
    report_save(
        actor=cast.member,
        topic=topic,
        title="关于做大做强天河夜间经济的调研报告",
        text="天河夜间消费活跃。\n建议延长地铁运营时间。",
    )
    return topic.pk


@pytest.mark.django_db(transaction=True)
def test_a_visit_its_notes_an_instruction_scan_and_the_report_as_word(
    topic_pk: int, live_server: Any, browser: Any, tmp_path: Path
) -> None:
    base, url = live_server.url, f"/work/research/{topic_pk}/"
    out = Path(os.environ.get("SCREENSHOTS_DIR", Path(settings.BASE_DIR) / "var" / "screenshots"))
    if os.environ.get("XIESHANG_SCREENSHOTS") != "1":
        out = tmp_path
    out.mkdir(parents=True, exist_ok=True)
    member = log_in(browser, base, "t.member", url, PHONE)
    visit = member.locator("form[action$='/visit/']")
    visit.locator("select[name=kind]").select_option(label="调研")
    visit.locator("input[name=title]").fill("走访区商务局")
    visit.locator("input[name=date]").fill("2026-06-03")
    visit.locator("select[name=members]").select_option(label="天河委员")
    with member.expect_navigation():
        visit.locator("button").click()
    assert "走访已登记" in member.content()

    material = member.locator("form[action$='/material/']")
    material.locator("input[name=title]").fill("商务局座谈记录")
    material.locator("textarea[name=note]").fill("企业反映夜间停车难。")
    material.locator("input[name=file]").set_input_files(
        {"name": "座谈记录.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    material.locator("select[name=activity]").select_option(index=1)
    with member.expect_navigation():
        material.locator("button").click()
    assert "材料已添加" in member.content()
    assert member.get_by_role("link", name="下载 (PDF)").count() == 1
    member.screenshot(path=str(out / "staff-research-topic-phone.png"), full_page=True)
    # Nothing wider than the phone's screen.
    assert member.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    with member.expect_navigation():
        member.locator("button[name=action][value=submit]").click()

    staff = log_in(browser, base, "t.staff", url, WIDE)
    with staff.expect_navigation():
        staff.locator("button[name=action][value=adopt]").click()
    assert staff.locator("form[action$='/material/']").count() == 0  # approved: closed
    form = staff.locator("form[action$='/instruction/']")
    form.locator("select[name=level]").select_option("district")
    form.locator("input[name=leader]").fill("天河区区长")
    form.locator("input[name=date]").fill("2026-07-01")
    form.locator("textarea[name=text]").fill("请区商务局牵头落实。")
    form.locator("input[name=scan]").set_input_files(
        {"name": "批示.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    with staff.expect_navigation():
        form.locator("button").click()
    assert staff.get_by_role("link", name="下载扫描件").count() == 1

    with staff.expect_download() as download:
        staff.get_by_role("link", name="下载调研报告（Word）").click()
    texts = [
        p.text for p in Document(io.BytesIO(Path(download.value.path()).read_bytes())).paragraphs
    ]
    assert "调研报告" in texts and "天河夜间消费活跃。" in texts

    staff.goto(base + url)
    staff.screenshot(path=str(out / "staff-research-topic-desktop.png"), full_page=True)
