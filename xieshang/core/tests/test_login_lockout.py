"""Login throttling behind nginx (issue 20, item 1): failures count against the client's
address (the last X-Forwarded-For hop), a lock holds a (username, address) pair, and one
address guessing many usernames is locked too."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from xieshang.conftest import Cast

LOGIN = "/accounts/login/"
PASSWORD = "correct horse 2026"
ATTACKER, CITIZEN_NETWORK, STAFF_OFFICE = "198.51.100.10", "198.51.100.11", "203.0.113.20"


@pytest.fixture
def proxied(settings: Any, cast: Cast) -> Cast:
    settings.BEHIND_PROXY = True
    cast.staff.set_password(PASSWORD)
    cast.staff.save()
    return cast


def log_in(username: str, password: str, address: str) -> int:
    # nginx appends the client's address; REMOTE_ADDR is nginx's own, the same for all.
    response = Client(REMOTE_ADDR="127.0.0.1").post(
        LOGIN,
        {"username": username, "password": password},
        HTTP_X_FORWARDED_FOR=f"10.0.0.1, {address}",
    )
    return response.status_code


def test_wrong_passwords_from_one_address_do_not_lock_the_user_out_elsewhere(
    proxied: Cast,
) -> None:
    username = proxied.staff.username
    statuses = [log_in(username, "wrong", ATTACKER) for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert statuses[:-1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert log_in(username, PASSWORD, STAFF_OFFICE) == 302
    # The guessing address itself is locked for that username, with a Chinese page.
    response = Client(REMOTE_ADDR="127.0.0.1").post(
        LOGIN, {"username": username, "password": PASSWORD}, HTTP_X_FORWARDED_FOR=ATTACKER
    )
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()


def test_an_address_guessing_many_usernames_is_locked(proxied: Cast) -> None:
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    statuses = [log_in(f"guess{i}", "wrong", CITIZEN_NETWORK) for i in range(limit)]
    assert 429 not in statuses[:-1]
    # Locked now, even for a real account with its right password...
    response = Client(REMOTE_ADDR="127.0.0.1").post(
        LOGIN,
        {"username": proxied.staff.username, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR=CITIZEN_NETWORK,
    )
    assert response.status_code == 429
    assert "您所在网络" in response.content.decode()
    # ...while every other address logs in.
    assert log_in(proxied.staff.username, PASSWORD, STAFF_OFFICE) == 302


def test_without_a_proxy_the_forwarded_header_is_ignored(settings: Any, cast: Cast) -> None:
    settings.BEHIND_PROXY = False
    cast.staff.set_password(PASSWORD)
    cast.staff.save()
    for i in range(settings.AXES_FAILURE_LIMIT):
        # A client rotating a forged header still counts against its own address.
        Client(REMOTE_ADDR="192.0.2.7").post(
            LOGIN,
            {"username": cast.staff.username, "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"10.1.1.{i}",
        )
    response = Client(REMOTE_ADDR="192.0.2.7").post(
        LOGIN, {"username": cast.staff.username, "password": PASSWORD}
    )
    assert response.status_code == 429
