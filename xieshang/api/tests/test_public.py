"""The public API: what a citizen's pages offer, through the same selectors and services."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from xieshang.api.tests.conftest import suggestion_body
from xieshang.conftest import Cast
from xieshang.suggestions.models import Category, Suggestion
from xieshang.suggestions.selectors import TRACK_MISSES, intake_setup
from xieshang.workrooms.selectors import workroom_list_public

pytestmark = pytest.mark.django_db


def post(client: Client, code: str, body: Any, **headers: str) -> Any:
    return client.post(
        f"/api/v1/committees/{code}/suggestions/",
        body if isinstance(body, (str, bytes)) else json.dumps(body),
        content_type="application/json",
        headers=headers,
    )


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    data: dict[str, Any] = response.json()
    assert set(data) == {"code", "message", "fields"}
    assert data["code"] == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in data["message"]), data["message"]
    return data


def test_committees_categories_and_workrooms(cast: Cast, category: Category) -> None:
    client = Client()
    codes = [c["code"] for c in client.get("/api/v1/committees/").json()]
    assert cast.tianhe.code in codes
    categories = client.get(f"/api/v1/committees/{cast.tianhe.code}/categories/").json()
    assert categories == [{"id": category.pk, "name": "城乡建设"}]
    workrooms = client.get(f"/api/v1/committees/{cast.tianhe.code}/workrooms/").json()
    open_ones = workroom_list_public(committee=cast.tianhe)
    assert [w["code"] for w in workrooms] == [w.code for w in open_ones]
    assert_error(client.get("/api/v1/committees/nowhere/categories/"), 404, "not_found")


def test_submit_stores_once_per_idempotency_key(cast: Cast, category: Category) -> None:
    client = Client()
    body = suggestion_body(category=category.pk)
    first = post(client, cast.tianhe.code, body, **{"Idempotency-Key": "a3f1-55"})
    again = post(client, cast.tianhe.code, body, **{"Idempotency-Key": "a3f1-55"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    stored = Suggestion.objects.get()
    assert stored.tracking_code == first.json()["tracking_code"]
    assert stored.category == category and stored.committee == cast.tianhe
    assert stored.phone_masked and stored.phone_masked != "13812345678"


def test_track_shows_what_the_tracking_page_shows(cast: Cast) -> None:
    client = Client()
    code = post(client, cast.tianhe.code, suggestion_body()).json()["tracking_code"]
    data = client.get(f"/api/v1/track/{code}/").json()
    assert data["tracking_code"] == code and data["status"] == "new"
    assert data["title"] == "龙口东路下水道返臭"
    assert len(data["timeline"]) == 1 and data["answer"] is None
    text = json.dumps(data, ensure_ascii=False)
    assert "陈先生" not in text and "1381234" not in text and "5678" not in text
    assert_error(client.get("/api/v1/track/NOSUCHCODE/"), 404, "not_found")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (suggestion_body(title=""), "title"),
        (suggestion_body(content="x" * 2001), "content"),
        (suggestion_body(consent=False), "consent"),
        (suggestion_body(category=999999), "category"),
        (suggestion_body(colour="red"), "colour"),
        ({"title": "只有标题"}, "content"),
        (suggestion_body(title=["龙口东路下水道"]), "title"),
        (suggestion_body(title="龙口东路\x00下水道"), "title"),
    ],
)
def test_bad_input_is_refused_and_nothing_stored(cast: Cast, body: Any, field: str) -> None:
    data = assert_error(post(Client(), cast.tianhe.code, body), 400, "invalid")
    assert field in data["fields"]
    assert not Suggestion.objects.exists()


def test_malformed_and_misdirected_requests(cast: Cast) -> None:
    client = Client()
    assert_error(post(client, cast.tianhe.code, "{not json"), 400, "malformed")
    assert_error(post(client, cast.tianhe.code, "[1, 2]"), 400, "malformed")
    not_utf8 = b'{"title": "\xff\xfe"}'
    assert_error(post(client, cast.tianhe.code, not_utf8), 400, "malformed")
    assert_error(post(client, "nowhere", suggestion_body()), 404, "not_found")
    form = client.post(f"/api/v1/committees/{cast.tianhe.code}/suggestions/", {"title": "x"})
    assert_error(form, 415, "unsupported_media_type")
    assert_error(client.get(f"/api/v1/committees/{cast.tianhe.code}/suggestions/"), 405,
                 "method_not_allowed")  # fmt: skip
    assert_error(
        post(client, cast.tianhe.code, suggestion_body(), **{"Idempotency-Key": "k" * 201}),
        400,
        "invalid_idempotency_key",
    )
    assert not Suggestion.objects.exists()


def test_submit_is_limited_per_address_like_the_page(cast: Cast) -> None:
    limit = intake_setup(committee=cast.tianhe).hourly_limit
    client = Client(REMOTE_ADDR="198.51.100.7")
    for i in range(limit):
        body = suggestion_body(phone="", title=f"第{i}条建议标题")
        assert post(client, cast.tianhe.code, body).status_code == 201
    refused = post(client, cast.tianhe.code, suggestion_body(phone=""))
    assert_error(refused, 429, "throttled")
    assert int(refused["Retry-After"]) > 0
    assert Suggestion.objects.count() == limit


def test_track_is_limited_per_address_like_the_page(cast: Cast) -> None:
    client = Client(REMOTE_ADDR="198.51.100.8")
    for i in range(TRACK_MISSES.limit):
        assert client.get(f"/api/v1/track/GUESS{i:05d}/").status_code == 404
    refused = client.get("/api/v1/track/GUESS99999/")
    assert_error(refused, 429, "throttled")
    assert int(refused["Retry-After"]) > 0


def test_an_oversized_body_is_refused(cast: Cast) -> None:
    body = json.dumps(suggestion_body(content="长" * 2_200_000))  # past the 12 MB limit
    assert_error(post(Client(), cast.tianhe.code, body), 413, "too_large")
    assert not Suggestion.objects.exists()
