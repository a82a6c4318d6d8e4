"""The Content-Security-Policy (issue 20, item 6): our own scripts and styles only, the few
inline scripts with the request's nonce, no 'unsafe-inline'; report-only in the tests (the
browser tests fail on a violation), enforced otherwise."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, override_settings

from xieshang.conftest import PHONE, Cast
from xieshang.core.tests import csp_watch
from xieshang.core.tests.test_settings import ROOT, manage, production_env

TEMPLATES = sorted(
    [*ROOT.glob("templates/**/*.html"), *ROOT.glob("xieshang/*/templates/**/*.html")]
)


def policy_of(response: Any) -> str:
    return str(
        response.headers.get("Content-Security-Policy")
        or response.headers.get("Content-Security-Policy-Report-Only")
        or ""
    )


def test_every_page_carries_the_policy_with_a_fresh_nonce(cast: Cast, client: Client) -> None:
    first = client.get("/c/tianhe/suggest/")
    second = client.get("/c/tianhe/suggest/")
    policy = policy_of(first)
    assert "script-src 'self' 'nonce-" in policy
    assert "style-src 'self'" in policy
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce is not None
    # The page's inline script carries the nonce of its own response, not a reused one.
    assert f'<script nonce="{nonce.group(1)}">' in first.content.decode()
    assert nonce.group(1) not in policy_of(second)


def test_refusals_and_errors_carry_it_too(cast: Cast, client: Client) -> None:
    assert policy_of(client.get("/no-such-page/"))
    assert policy_of(client.get("/t/%00/"))


def test_the_tests_send_it_report_only() -> None:
    assert settings.CONTENT_SECURITY_POLICY_REPORT_ONLY
    assert settings.CONTENT_SECURITY_POLICY is None


@override_settings(
    CONTENT_SECURITY_POLICY=settings.CONTENT_SECURITY_POLICY_REPORT_ONLY,
    CONTENT_SECURITY_POLICY_REPORT_ONLY=None,
)
def test_enforced_it_is_the_same_policy(cast: Cast, client: Client) -> None:
    response = client.get("/c/tianhe/suggest/")
    assert "Content-Security-Policy-Report-Only" not in response.headers
    assert "script-src 'self' 'nonce-" in response.headers["Content-Security-Policy"]


def test_production_enforces_it(tmp_path: Path) -> None:
    env = production_env(tmp_path, SMS_CONSOLE_ALLOWED="1")
    code = (
        "from django.conf import settings as s; "
        "print(bool(s.CONTENT_SECURITY_POLICY), s.CONTENT_SECURITY_POLICY_REPORT_ONLY)"
    )
    result = manage(env, "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "True None"


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_has_what_the_policy_refuses(template: Path) -> None:
    text = template.read_text()
    assert not re.search(r"<script(?![^>]*\b(?:src|nonce)=)", text), "inline script, no nonce"
    assert not re.search(r"\son[a-z]+\s*=", text), "inline event handler"
    assert "javascript:" not in text
    assert not re.search(r"\sstyle\s*=", text), "style attribute"
    assert "<style" not in text


def test_the_watch_catches_a_violation(live_server: Any, browser: Any) -> None:
    """What the browser fixture fails a test on: a page breaking the policy."""
    violations = csp_watch.watch(browser)  # the fixture's list
    page = browser.new_page()
    page.route(
        "**/csp-probe",
        lambda route: route.fulfill(
            status=200,
            headers={
                "Content-Type": "text/html",
                "Content-Security-Policy-Report-Only": "script-src 'self'; style-src 'self'",
            },
            body="<p style='color:red'>x</p><script>document.title='ran'</script>",
        ),
    )
    page.goto(live_server.url + "/csp-probe")
    page.wait_for_timeout(200)
    found = list(violations)
    violations.clear()  # meant to be there: the fixture must not fail this test on them
    assert any("script" in v for v in found) and any("style" in v for v in found), found


@pytest.fixture
def staff_password(cast: Cast) -> str:
    # Set before the browser starts: the ORM is not used while Playwright runs.
    cast.staff.set_password("csp-test-2026")
    cast.staff.save()
    return "csp-test-2026"


@pytest.mark.django_db(transaction=True)
def test_public_and_staff_pages_break_no_policy(
    cast: Cast, staff_password: str, live_server: Any, browser: Any
) -> None:
    """A walk through the pages with scripts, forms and htmx; the fixture fails it on any
    violation (the submit page's geolocation script, htmx's similar check, Bootstrap)."""
    page = browser.new_page(viewport=PHONE, locale="zh-CN")
    for path in ("/", "/c/tianhe/", "/c/tianhe/suggest/", "/t/", "/accounts/login/"):
        page.goto(live_server.url + path)
    page.goto(live_server.url + "/c/tianhe/suggest/")
    page.fill("#id_title", "花城大道工地夜里施工太吵")
    page.fill("#id_content", "花城大道工地夜里施工太吵，影响居民休息，希望管一管。")
    page.dispatch_event("#id_content", "change")
    page.wait_for_timeout(300)
    page.goto(live_server.url + "/t/%00/")  # the refusal page
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "t.staff")
    page.fill("#id_password", staff_password)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/work/")
    for path in ("/work/", "/work/suggestions/", "/work/workrooms/", "/admin/"):
        page.goto(live_server.url + path)


def test_the_header_is_what_django_csp_builds(cast: Cast, client: Client) -> None:
    """The policy is built once per process; the header must still be django-csp's own,
    with this response's nonce."""
    from csp.utils import build_policy

    response = client.get("/c/tianhe/suggest/")
    nonce = re.search(r"'nonce-([^']+)'", policy_of(response))
    assert nonce is not None
    assert policy_of(response) == build_policy(nonce=nonce.group(1), report_only=True)
    assert policy_of(client.get("/")) == build_policy(report_only=True)
