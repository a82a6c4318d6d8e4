"""Tracking-code look-ups are limited per address (issue 20, item 7): an address that
misses too many codes, or looks up too many, gets a clear Chinese message (429), while
others go on."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from xieshang.conftest import Cast
from xieshang.suggestions.models import Suggestion
from xieshang.suggestions.selectors import TRACK_LOOKUPS, TRACK_MISSES
from xieshang.suggestions.tests.conftest import submit

GUESSER, CITIZEN = "198.51.100.90", "203.0.113.91"


@pytest.fixture
def suggestion(cast: Cast) -> Suggestion:
    return submit(cast)


def look_up(code: str, address: str, path: str = "/t/{}/") -> Any:
    return Client(REMOTE_ADDR=address).get(path.format(code))


def test_an_address_guessing_codes_is_stopped_with_a_message(suggestion: Suggestion) -> None:
    misses = [look_up(f"GUESS{i:05d}", GUESSER).status_code for i in range(TRACK_MISSES.limit)]
    assert misses == [404] * TRACK_MISSES.limit
    refused = look_up(suggestion.tracking_code, GUESSER)  # even a right one, now
    assert refused.status_code == 429
    assert "查询" in refused.content.decode() and "分钟后再试" in refused.content.decode()
    assert look_up(suggestion.tracking_code, GUESSER, "/t/{}/qr.svg").status_code == 429
    # Another address is not affected.
    assert look_up(suggestion.tracking_code, CITIZEN).status_code == 200


def test_an_address_looking_up_too_often_is_stopped(suggestion: Suggestion) -> None:
    for _ in range(TRACK_LOOKUPS.limit):
        assert look_up(suggestion.tracking_code, GUESSER).status_code == 200
    assert look_up(suggestion.tracking_code, GUESSER).status_code == 429


def test_a_citizen_mistyping_now_and_then_is_not_stopped(suggestion: Suggestion) -> None:
    for _ in range(3):
        assert look_up("NOSUCHCODE", CITIZEN).status_code == 404
        assert look_up(suggestion.tracking_code, CITIZEN).status_code == 200


def test_the_limit_is_per_client_behind_the_proxy(settings: Any, suggestion: Suggestion) -> None:
    settings.BEHIND_PROXY = True
    for i in range(TRACK_MISSES.limit):
        Client(REMOTE_ADDR="127.0.0.1").get(f"/t/GUESS{i:05d}/", HTTP_X_FORWARDED_FOR=GUESSER)
    proxied = Client(REMOTE_ADDR="127.0.0.1")
    url = f"/t/{suggestion.tracking_code}/"
    assert proxied.get(url, HTTP_X_FORWARDED_FOR=GUESSER).status_code == 429
    assert proxied.get(url, HTTP_X_FORWARDED_FOR=CITIZEN).status_code == 200


def test_without_the_cache_look_ups_still_work(suggestion: Suggestion, settings: Any) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    assert look_up(suggestion.tracking_code, CITIZEN).status_code == 200
    assert look_up("NOSUCHCODE", CITIZEN).status_code == 404
