"""Open311 GeoReport v2: answers validated against the standard's schemas in
/work/shared/open311/ (a copy of the standard's JSON schemas)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from jsonschema import Draft7Validator  # type: ignore[import-untyped]
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from xieshang.conftest import Cast
from xieshang.suggestions.models import Category, Suggestion

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).resolve().parents[4] / "shared" / "open311"
if not SCHEMAS.is_dir():
    SCHEMAS = Path("/work/shared/open311")
KEY = "tianhe-hotline-key"


def validate(instance: Any, name: str) -> None:
    resources = [
        (path.name, Resource.from_contents(json.loads(path.read_text()), DRAFT7))
        for path in SCHEMAS.glob("*.json")
    ]
    registry: Registry[Any] = Registry().with_resources(resources)
    schema = json.loads((SCHEMAS / name).read_text())
    errors = list(Draft7Validator(schema, registry=registry).iter_errors(instance))
    assert not errors, [e.message for e in errors]


@pytest.fixture(autouse=True)
def keys(settings: Any, cast: Cast) -> None:
    settings.OPEN311_API_KEYS = f"{cast.tianhe.code}:{KEY},{cast.haizhu.code}:haizhu-key"


def request_form(cast: Cast, category: Category, **extra: str) -> dict[str, str]:
    form = {
        "jurisdiction_id": cast.tianhe.code,
        "service_code": str(category.pk),
        "api_key": KEY,
        "lat": "23.1245678",
        "long": "113.3612345",
        "description": "猎德大桥桥底下雨天积水严重，行人无法通过，建议疏通排水。",
        "last_name": "陈",
        "first_name": "先生",
        "phone": "13812345678",
    }
    form.update(extra)
    return form


def post_request(form: dict[str, str], **headers: str) -> Any:
    return Client().post("/open311/v2/requests.json", form, headers=headers)


def test_discovery_and_services(cast: Cast, category: Category) -> None:
    client = Client()
    discovery = client.get("/open311/v2/discovery.json").json()
    assert discovery["endpoints"][0]["specification"].endswith("GeoReport_v2")
    services = client.get(f"/open311/v2/services.json?jurisdiction_id={cast.tianhe.code}")
    validate(services.json(), "services.json")
    assert [s["service_name"] for s in services.json()] == ["城乡建设"]
    definition = client.get(
        f"/open311/v2/services/{category.pk}.json?jurisdiction_id={cast.tianhe.code}"
    )
    validate(definition.json(), "service-definition.json")
    elsewhere = client.get(
        f"/open311/v2/services/{category.pk}.json?jurisdiction_id={cast.haizhu.code}"
    )
    assert elsewhere.status_code == 404
    assert elsewhere.json()[0]["code"] == 404
    assert client.get("/open311/v2/services.json").status_code == 400


def test_a_request_is_a_suggestion_followed_by_its_tracking_code(
    cast: Cast, category: Category
) -> None:
    created = post_request(request_form(cast, category), **{"Idempotency-Key": "h-1"})
    assert created.status_code == 200, created.content
    code = created.json()[0]["service_request_id"]
    again = post_request(request_form(cast, category), **{"Idempotency-Key": "h-1"})
    assert again.json()[0]["service_request_id"] == code
    stored = Suggestion.objects.get()
    assert stored.tracking_code == code and stored.category == category
    assert str(stored.latitude) == "23.124568" and stored.citizen_name == "陈先生"
    answer = Client().get(f"/open311/v2/requests/{code}.json").json()
    validate(answer, "requests.json")
    assert answer[0]["status"] == "open" and answer[0]["service_code"] == str(category.pk)
    assert "13812345678" not in json.dumps(answer)
    other = Client().get(f"/open311/v2/requests/{code}.json?jurisdiction_id={cast.haizhu.code}")
    assert other.status_code == 404


@pytest.mark.parametrize(
    ("extra", "status"),
    [
        ({"api_key": "wrong"}, 403),
        ({"api_key": "haizhu-key"}, 403),
        ({"api_key": ""}, 403),
        ({"service_code": "999999"}, 404),
        ({"jurisdiction_id": "nowhere"}, 404),
        ({"lat": "", "long": "", "address_string": ""}, 400),
        ({"description": "太短"}, 400),
        ({"description": "长" * 2001}, 400),
        ({"lat": "not a number"}, 400),
    ],
)
def test_refused_requests_store_nothing(
    cast: Cast, category: Category, extra: dict[str, str], status: int
) -> None:
    response = post_request(request_form(cast, category, **extra))
    assert response.status_code == status, response.content
    errors = response.json()
    assert isinstance(errors, list) and errors
    assert all(set(e) == {"code", "description"} and e["code"] == status for e in errors)
    assert not Suggestion.objects.exists()


def test_json_is_not_the_standard_form(cast: Cast, category: Category) -> None:
    response = Client().post(
        "/open311/v2/requests.json",
        json.dumps(request_form(cast, category)),
        content_type="application/json",
    )
    assert response.status_code == 415
    assert not Suggestion.objects.exists()
