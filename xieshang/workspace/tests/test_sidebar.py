"""The staff sidebar (issue 22): grouped, with counts of what waits, cheap to build."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from xieshang.conftest import Cast
from xieshang.suggestions.tests.conftest import submit


@pytest.mark.django_db
def test_staff_see_the_groups_and_the_suggestions_waiting(cast: Cast, client: Client) -> None:
    submit(cast)
    client.force_login(cast.staff)
    body = client.get("/work/").content.decode()
    for group in ("收件", "办理", "工作室与值班", "提案", "统计", "管理"):
        assert f">{group}</div>" in body
    inbox = body.split('href="/work/suggestions/"', 1)[1].split("</a>", 1)[0]
    assert '<span class="xs-count"' in inbox and ">1</span>" in inbox
    home = body.split('class="xs-nav-link" href="/work/"', 1)[1].split(">", 1)[0]
    assert 'aria-current="page"' in home


@pytest.mark.django_db
def test_a_page_deeper_in_a_section_marks_its_item(cast: Cast, client: Client) -> None:
    client.force_login(cast.staff)
    body = client.get("/work/proposals/review/").content.decode()
    current = body.split('aria-current="page"', 1)[0].rsplit("<a ", 1)[1]
    assert 'href="/work/proposals/all/"' in current


@pytest.mark.django_db
def test_a_clerk_sees_only_what_is_theirs(cast: Cast, client: Client) -> None:
    client.force_login(cast.clerk)
    body = client.get("/work/").content.decode()
    assert 'href="/work/referrals/"' in body
    assert 'href="/work/suggestions/"' not in body and "工作室与值班" not in body


@pytest.mark.django_db
def test_visitors_get_no_sidebar_and_it_costs_few_queries(cast: Cast, client: Client) -> None:
    assert 'id="sidebar"' not in client.get("/").content.decode()
    client.force_login(cast.staff)
    client.get("/work/figures/")
    with CaptureQueriesContext(connection) as without:
        client.get("/work/suggestions/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    with CaptureQueriesContext(connection) as page:
        client.get("/work/suggestions/")
    assert len(page) - len(without) <= 8
