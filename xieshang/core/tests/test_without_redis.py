"""Redis away: the cache answers as an empty one, pages that read it answer, /healthz says
so, and nothing is lost (test_outbox.py covers the jobs)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client

from xieshang.conftest import Cast
from xieshang.core import views as core_views
from xieshang.core.cache import ResilientRedisCache
from xieshang.duty.services.verification import verification_send
from xieshang.testing import committed

# Nothing listens on port 1: every command is refused at once.
DEAD = "redis://127.0.0.1:1/0"


@pytest.fixture
def dead_redis(settings: Any) -> ResilientRedisCache:
    settings.CACHES = {
        "default": {
            "BACKEND": "xieshang.core.cache.ResilientRedisCache",
            "LOCATION": DEAD,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.REDIS_URL = DEAD
    cache = caches["default"]
    assert isinstance(cache, ResilientRedisCache)
    return cache


def test_the_cache_answers_as_an_empty_one(dead_redis: ResilientRedisCache) -> None:
    cache = dead_redis
    assert cache.get("k") is None and cache.get("k", 7) == 7
    assert cache.get_or_set("k", lambda: 3) == 3
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("k", 0) is False
    assert cache.incr("k") == 1 and cache.incr("k", 5) == 5
    cache.set("k", 1)
    cache.delete("k")
    assert cache.has_key("k") is False


@pytest.mark.django_db
def test_pages_that_read_the_cache_answer_without_it(
    dead_redis: Any, cast: Cast, client: Client
) -> None:
    response = client.post(
        "/c/tianhe/suggest/similar/", {"title": "夜间施工噪音", "content": "工地夜里施工太吵"}
    )
    assert response.status_code == 200
    with committed():  # the SMS code (its per-address counter lives in the cache)
        assert verification_send(phone="13812345678", client_ip="203.0.113.9").pk
    client.force_login(cast.staff)
    for page in ("/work/", "/work/insights/hotspots/", "/work/search/?q=噪音"):
        assert client.get(page).status_code == 200, page


@pytest.mark.django_db
def test_healthz_reports_the_broker_and_the_database_apart(
    dead_redis: Any, client: Client, monkeypatch: Any
) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "degraded"
    assert (body["database"], body["broker"]) == ("ok", "unreachable")
    assert client.get("/readyz").status_code == 200  # jobs wait in the outbox meanwhile

    monkeypatch.setattr(core_views, "_database", lambda: "error")
    assert client.get("/readyz").status_code == 503
    assert client.get("/healthz").json()["database"] == "error"
