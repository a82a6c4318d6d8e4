"""One proposal through a real browser: a member drafts and submits it, staff accept it
(立案) and assign it, the department signs for it and drafts the reply, its head approves
and sends it, and the member rates it. Each person in a browser context of their own."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connections

from xieshang.conftest import Cast
from xieshang.core.models import Event
from xieshang.people.models import User
from xieshang.proposals.models import (
    Assignment,
    AssignmentStatus,
    Proposal,
    ProposalRating,
    ProposalStatus,
    ReplyStatus,
)
from xieshang.proposals.services import drafting as services
from xieshang.proposals.tests.test_handling import clerk_of

PASSWORD = "proposal-test-2026"
DESKTOP = {"width": 1280, "height": 900}
LETTER = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def people(cast: Cast) -> Cast:
    """Passwords and data set before the browser starts: the ORM is not used while
    Playwright runs (its event loop would make Django refuse synchronous queries)."""
    services.category_install_defaults(committee=cast.tianhe)
    head = clerk_of(cast.department, "t.head", "住建局局长", head=True)
    for user in (cast.member, cast.staff, cast.clerk, head):
        user.set_password(PASSWORD)
        user.save()
    return cast


def log_in(browser: Any, base: str, username: str, next_url: str) -> Any:
    page = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"**{next_url}")
    return page


def press(page: Any, form: str, action: str) -> None:
    """Click a form's action button and wait for the page it leads to."""
    with page.expect_navigation():
        page.locator(f"{form} button[name=action][value={action}]").click()


@pytest.mark.django_db(transaction=True)
def test_a_proposal_goes_from_draft_to_rating_in_a_browser(
    people: Cast, live_server: Any, browser: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = live_server.url
    title = "关于加快老旧小区加装电梯的建议"

    # The member drafts and submits.
    member = log_in(browser, base, "t.member", "/work/proposals/new/")
    member.fill("#id_title", title)
    member.select_option("#id_category", label="城市建设管理")
    member.fill("#id_analysis", "天河区老旧小区多为七层以下步梯楼，老年人上下楼困难。")
    member.fill("#id_recommendations", "一、简化审批；二、加大财政补贴；三、建立协商机制。")
    member.check("input[name=proposer_kind][value=member]")
    member.locator("#save").click()
    member.wait_for_url(re.compile(r"/work/proposals/\d+/$"))
    pk = int(re.search(r"/work/proposals/(\d+)/$", member.url).group(1))  # type: ignore[union-attr]
    assert member.locator("#status").inner_text() == "草稿"
    with member.expect_navigation():
        member.locator("#submit").click()
    assert member.locator("#status").inner_text() == "已提交，待审查"
    assert not member.locator("#edit").count()

    # Staff accept it (立案) and assign it to the department as lead.
    staff = log_in(browser, base, "t.staff", f"/work/proposals/review/{pk}/")
    press(staff, "form", "accept")
    number = staff.locator("#number").inner_text().strip()
    assert re.fullmatch(r"\d{4}\d+", number), number
    staff.select_option("#lead", label="天河区住房和城乡建设局")
    with staff.expect_navigation():
        staff.locator("#assign button").click()
    assert "天河区住房和城乡建设局" in staff.locator("main").inner_text()

    # The department signs for it from its inbox and drafts a graded reply with a letter.
    clerk = log_in(browser, base, "t.clerk", "/work/proposals/assigned/")
    clerk.locator(".assignment-row a", has_text=title).click()
    clerk.wait_for_url(re.compile(r"/work/proposals/assigned/\d+/$"))
    assignment_url = clerk.url.removeprefix(base)
    press(clerk, "form", "sign")
    assert clerk.locator("#status").inner_text() == "已签收"
    clerk.fill(
        "#reply-text", "经研究，已将老旧小区加装电梯列入今年民生实事，审批压缩至15个工作日。"
    )
    clerk.check("#grade-A")
    clerk.set_input_files(
        "#letter", {"name": "答复函.pdf", "mimeType": "application/pdf", "buffer": LETTER}
    )
    with clerk.expect_navigation():
        clerk.locator("form[enctype] button").click()
    assert clerk.locator("#status").inner_text() == "答复待单位负责人审核"

    # The head approves and the reply is sent.
    head = log_in(browser, base, "t.head", assignment_url)
    press(head, "form", "approve_reply")
    assert head.locator("#status").inner_text() == "已答复"

    # The member reads the reply on the proposal's page and rates it.
    member.goto(f"{base}/work/proposals/{pk}/")
    assert "列入今年民生实事" in member.locator("#replies").inner_text()
    member.locator("#rate").click()
    member.wait_for_url(f"**/work/proposals/{pk}/rating/")
    member.check("#value-satisfied")
    member.fill("textarea[name=comment]", "答复及时，措施具体。")
    with member.expect_navigation():
        member.locator("main form button").click()
    assert "满意" in member.locator("#my-rating").inner_text()

    # What the clicks left in the database, read while Playwright's loop still runs.
    # Inside the loop's context Django opens a connection of its own: close it here, or
    # PostgreSQL refuses to drop the test database at the end ("being accessed by other
    # users").
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    try:
        proposal = Proposal.objects.get(pk=pk)
        assert proposal.number == number
        assert proposal.status == ProposalStatus.REPLIED
        assignment = Assignment.objects.get(proposal=proposal)
        assert assignment.status == AssignmentStatus.REPLIED
        assert assignment.department == people.department
        assert assignment.reply.status == ReplyStatus.SENT
        assert assignment.reply.grade == "A"
        assert assignment.reply.approved_by_id == User.objects.get(username="t.head").pk
        rating = ProposalRating.objects.get(proposal=proposal)
        assert (rating.member.user, rating.value, rating.comment) == (
            people.member,
            "satisfied",
            "答复及时，措施具体。",
        )
        actions = set(Event.objects.for_object(proposal).values_list("action", flat=True))
        assert {"submit", "accept", "assign", "rate"} <= actions, actions
    finally:
        connections.close_all()
