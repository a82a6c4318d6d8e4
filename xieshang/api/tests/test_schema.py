"""The OpenAPI schema of the API generates without warnings and describes its routes."""

from __future__ import annotations

import pytest
from django.test import Client
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator


def test_the_schema_generates_without_warnings() -> None:
    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)  # type: ignore[no-untyped-call]
    assert not GENERATOR_STATS, str(GENERATOR_STATS)
    paths = schema["paths"]
    assert "/api/v1/committees/{code}/suggestions/" in paths
    assert "/api/v1/track/{code}/" in paths


@pytest.mark.django_db
def test_the_schema_is_served_to_anyone() -> None:
    response = Client().get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert "/api/v1/committees/" in response.json()["paths"]
