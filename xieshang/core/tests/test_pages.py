"""The UI shell: public pages, the role-aware home page, login, errors — in Chinese."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import path, reverse

from xieshang.conftest import Cast
from xieshang.workrooms.services import workroom_transition


def text(response) -> str:
    return str(response.content.decode())


def test_the_landing_page_is_public_chinese_and_lists_committees(
    cast: Cast, client: Client
) -> None:
    response = client.get("/")
    assert response.status_code == 200
    body = text(response)
    assert '<html lang="zh-hans">' in body
    assert "天河区政协" in body and "海珠区政协" in body
    assert "选择" in body
    assert 'name="viewport"' in body
    assert "/static/vendor/bootstrap-5.3.9/bootstrap.min.css" in body
    assert "/static/vendor/htmx-2.0.11/htmx.min.js" in body
    assert "cdn" not in body.lower()


def test_a_committee_page_shows_only_active_workrooms(cast: Cast, client: Client) -> None:
    url = reverse("workspace:committee", args=["tianhe"])
    assert cast.workroom.name not in text(client.get(url))
    workroom_transition(
        workroom=cast.workroom, action="activate", actor=cast.staff, expected_state=None
    )
    assert cast.workroom.name in text(client.get(url))
    assert client.get(reverse("workspace:committee", args=["nowhere"])).status_code == 404


def test_an_english_switch_changes_the_language(cast: Cast, client: Client) -> None:
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert '<html lang="en">' in text(response)
    assert "Choose your committee" in text(response)


@pytest.mark.parametrize(
    ("who", "expected", "absent"),
    [
        ("staff", "运行中的工作室", "承办单位待办"),
        ("member", "我的工作室", "运行中的工作室"),
        ("clerk", "承办单位待办", "我的工作室"),
        ("leader", "督办", "承办单位待办"),
    ],
)
def test_the_home_page_shows_what_waits_for_each_role(
    cast: Cast, client: Client, who: str, expected: str, absent: str
) -> None:
    client.force_login(getattr(cast, who))
    body = text(client.get(reverse("workspace:home")))
    assert expected in body
    assert absent not in body


def test_the_member_home_lists_their_workrooms(cast: Cast, client: Client) -> None:
    client.force_login(cast.member)
    assert cast.workroom.name in text(client.get(reverse("workspace:home")))


def test_a_user_without_a_role_is_told_so(cast: Cast, client: Client, django_user_model) -> None:
    nobody = django_user_model.objects.create(username="nobody")
    client.force_login(nobody)
    assert "尚未" in text(client.get(reverse("workspace:home")))
    assert client.get(reverse("workrooms:list")).status_code == 403


def test_a_wrong_login_gets_a_chinese_message_and_no_session(cast: Cast, client: Client) -> None:
    cast.staff.set_password("correct-horse-9")
    cast.staff.save()
    response = client.post(reverse("login"), {"username": "t.staff", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in text(response)
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("login"), {"username": "t.staff", "password": "correct-horse-9"})
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:home")


def test_login_attempts_are_throttled(cast: Cast, client: Client) -> None:
    cast.staff.set_password("correct-horse-9")
    cast.staff.save()
    for _ in range(5):
        client.post(reverse("login"), {"username": "t.staff", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "t.staff", "password": "correct-horse-9"})
    assert response.status_code == 429
    assert "15 分钟" in text(response)
    assert "_auth_user_id" not in client.session


def test_a_missing_page_answers_404_in_chinese(cast: Cast, client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "不存在" in text(response)


def test_a_forbidden_page_answers_403_in_chinese(cast: Cast, client: Client) -> None:
    client.force_login(cast.member)
    response = client.get(reverse("people:members"))
    assert response.status_code == 403
    assert "权限" in text(response)


def test_an_expired_form_answers_403_in_chinese(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.staff)
    response = client.post(
        reverse("workrooms:transition", args=[cast.workroom.pk]), {"action": "activate"}
    )
    assert response.status_code == 403
    assert "过期" in text(response)


def test_password_change_works(cast: Cast, client: Client) -> None:
    cast.staff.set_password("old-secret-77")
    cast.staff.save()
    client.force_login(cast.staff)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "old-secret-77",
            "new_password1": "A-much-better-one-2026",
            "new_password2": "A-much-better-one-2026",
        },
    )
    assert response.status_code == 302
    cast.staff.refresh_from_db()
    assert cast.staff.check_password("A-much-better-one-2026")


def test_healthz_answers_ok(db: None, client: Client, settings: Any) -> None:
    settings.REDIS_URL = ""
    assert client.get("/healthz").json() == {
        "status": "ok",
        "database": "ok",
        "broker": "none",
        "outbox": 0,
    }
    assert client.get("/readyz").json() == {"status": "ok", "database": "ok"}


def broken_view(request):
    raise RuntimeError("boom")


urlpatterns = [path("broken/", broken_view)]


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_answers_500_in_chinese(db: None) -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    assert response.status_code == 500
    assert "系统出了点问题" in text(response)


def test_chinese_is_shown_whatever_the_browsers_language(cast: Cast, client: Client) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-hans">' in text(response)
