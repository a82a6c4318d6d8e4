"""The primary database away: a submission gets a clear 503 page (or the API's error shape)
with Retry-After, and nothing of it is stored. The outage is real: the request's
connection is replaced by one to a database that cannot be reached (a closed port on
PostgreSQL, a file in a missing folder on SQLite), so the error comes from the driver."""

from __future__ import annotations

import copy
import json
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import OperationalError, connections
from django.test import Client
from django.urls import reverse

from xieshang.core.middleware import UNAVAILABLE_RETRY_SECONDS
from xieshang.core.views import server_error
from xieshang.suggestions.models import Suggestion
from xieshang.suggestions.tests.conftest import form_data

pytestmark = pytest.mark.django_db(transaction=True)

SUBMIT = reverse("suggestions:submit", args=["tianhe"])


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port  # closed again: nothing listens there


@contextmanager
def primary_down(tmp_path: Any) -> Iterator[None]:
    """While inside, the default alias is a connection to a database that cannot be
    reached; the test database's own connection is kept aside and put back afterwards."""
    working = connections["default"]
    settings_dict = copy.deepcopy(working.settings_dict)
    if working.vendor == "postgresql":
        settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port()))
    else:
        settings_dict["NAME"] = str(tmp_path / "missing" / "db.sqlite3")
    broken = type(working)(settings_dict, "default")
    connections["default"] = broken
    try:
        yield
    finally:
        broken.close()
        connections["default"] = working


def test_a_submission_while_the_database_is_away_gets_the_busy_page(cast, places, tmp_path) -> None:
    client = Client()
    data = form_data(category=places["category"].pk)
    with primary_down(tmp_path):
        response = client.post(SUBMIT, data)
    assert response.status_code == 503
    assert response["Retry-After"] == str(UNAVAILABLE_RETRY_SECONDS)
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert "系统繁忙，请稍后再试" in body
    assert "没有保存" in body
    assert Suggestion.objects.count() == 0  # nothing half-stored

    # Back again: the same form (its idempotency key) is stored once.
    again = client.post(SUBMIT, data)
    assert again.status_code == 302
    assert client.post(SUBMIT, data)["Location"] == again["Location"]
    assert Suggestion.objects.count() == 1


def test_the_api_answers_its_error_shape_with_503(cast, places, tmp_path) -> None:
    client = Client()
    body = {
        "title": "龙口东路下水道返臭",
        "content": "龙口东路段下水道长期返臭，夏天尤其严重，希望尽快整治。",
        "consent": True,
    }
    url = f"/api/v1/committees/{cast.tianhe.code}/suggestions/"
    with primary_down(tmp_path):
        response = client.post(
            url,
            json.dumps(body),
            content_type="application/json",
            headers={"Idempotency-Key": "outage-1"},
        )
    assert response.status_code == 503
    assert response["Retry-After"] == str(UNAVAILABLE_RETRY_SECONDS)
    data = response.json()
    assert set(data) == {"code", "message", "fields"}
    assert data["code"] == "unavailable"
    assert "稍后" in data["message"]
    assert Suggestion.objects.count() == 0


def test_a_staff_page_while_the_database_is_away(cast, tmp_path) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(cast.staff)
    with primary_down(tmp_path):
        response = client.get(reverse("workspace:home"))
    assert response.status_code == 503
    assert "系统繁忙，请稍后再试" in response.content.decode()


def test_an_outage_outside_a_view_is_a_503_too(rf) -> None:
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = server_error(rf.get("/"))
    assert response.status_code == 503
    try:
        raise ValueError("a fault of ours")
    except ValueError:
        assert server_error(rf.get("/")).status_code == 500
