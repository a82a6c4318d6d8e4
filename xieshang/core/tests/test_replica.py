"""Reads routed to the replica (core/replica.py), with the tests' replica alias: a TEST
MIRROR of default, so it is another connection to the same database. Which alias served a
query is read from each connection's query log."""

from __future__ import annotations

import copy
import socket
from typing import Any

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xieshang.core import replica
from xieshang.core.models import Committee
from xieshang.suggestions.models import Suggestion
from xieshang.suggestions.tests.conftest import form_data

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])

RESULTS = reverse("suggestions:results", args=["tianhe"])
SUBMIT = reverse("suggestions:submit", args=["tianhe"])


@pytest.fixture
def routed(settings):
    settings.REPLICA_READS = True
    assert settings.DATABASES["replica"]["TEST"]["MIRROR"] == "default"


class Queries:
    """The queries each alias ran inside the block."""

    def __enter__(self) -> Queries:
        self.default = CaptureQueriesContext(connections["default"])
        self.replica = CaptureQueriesContext(connections["replica"])
        self.default.__enter__()
        self.replica.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.replica.__exit__(*exc)
        self.default.__exit__(*exc)

    def sql(self, alias: str, table: str) -> list[str]:
        captured = self.default if alias == "default" else self.replica
        return [q["sql"] for q in captured.captured_queries if table in q["sql"]]


def test_without_a_replica_url_routing_is_off(cast) -> None:
    assert replica.replica_enabled() is False
    router = replica.ReplicaRouter()
    assert router.db_for_read(Committee) == "default"


def test_the_router_reads_from_the_replica_only_inside_a_replica_view(cast, routed, rf) -> None:
    router = replica.ReplicaRouter()
    seen: dict[str, str] = {}

    @replica.replica_reads
    def view(request: Any) -> None:
        seen["read"] = router.db_for_read(Committee)
        with transaction.atomic():
            seen["in_transaction"] = router.db_for_read(Committee)
        seen["after_atomic"] = router.db_for_read(Committee)
        seen["write"] = router.db_for_write(Committee)
        seen["after_write"] = router.db_for_read(Committee)

    assert router.db_for_read(Committee) == "default"  # outside such a view
    view(rf.get("/"))
    assert seen == {
        "read": "replica",
        "in_transaction": "default",
        "after_atomic": "replica",
        "write": "default",
        "after_write": "default",  # the request reads its own write
    }
    assert router.allow_migrate("replica", "core") is False
    assert router.allow_migrate("default", "core") is True
    post_seen: dict[str, str] = {}

    @replica.replica_reads
    def post_view(request: Any) -> None:
        post_seen["read"] = router.db_for_read(Committee)

    post_view(rf.post("/"))
    assert post_seen == {"read": "default"}  # a form posted: read what will be written


def test_a_public_results_page_reads_from_the_replica(cast, routed, client) -> None:
    with Queries() as queries:
        response = client.get(RESULTS)
    assert response.status_code == 200
    assert queries.sql("replica", "core_committee")
    assert not queries.sql("default", "core_committee")


def test_the_session_is_read_from_the_primary(cast, routed, client) -> None:
    client.force_login(cast.staff)
    with Queries() as queries:
        response = client.get(reverse("search:search"), {"q": "下水道"})
    assert response.status_code == 200
    assert queries.sql("default", "django_session")
    assert not queries.sql("replica", "django_session")
    assert queries.sql("replica", "search_")


def test_a_citizen_sees_their_own_submission_right_after(cast, routed, client) -> None:
    response = client.post(SUBMIT, form_data())
    assert response.status_code == 302
    assert replica.PIN_COOKIE in response.cookies  # pinned to the primary for a while
    assert response.cookies[replica.PIN_COOKIE]["max-age"] == 5
    code = Suggestion.objects.get().tracking_code
    with Queries() as queries:
        response = client.get(RESULTS)
    assert response.status_code == 200
    assert queries.sql("default", "core_committee")
    assert not queries.replica.captured_queries  # nothing read from the replica

    client.cookies.pop(replica.PIN_COOKIE)  # the pin has run out
    with Queries() as queries:
        client.get(RESULTS)
    assert queries.sql("replica", "core_committee")
    assert code


def test_a_forged_or_old_pin_is_ignored(cast, routed, client, settings) -> None:
    client.cookies[replica.PIN_COOKIE] = "1"  # not signed
    with Queries() as queries:
        client.get(RESULTS)
    assert queries.sql("replica", "core_committee")


def test_a_get_that_writes_sets_no_pin(cast, routed, client) -> None:
    response = client.get(RESULTS)
    assert replica.PIN_COOKIE not in response.cookies


def test_a_replica_that_cannot_be_reached_costs_one_attempt(cast, routed, client, tmp_path) -> None:
    working = connections["replica"]
    settings_dict = copy.deepcopy(working.settings_dict)
    if working.vendor == "postgresql":
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        settings_dict.update(HOST="127.0.0.1", PORT=str(port))  # nothing listens there
    else:
        settings_dict["NAME"] = str(tmp_path / "missing" / "db.sqlite3")
    connections["replica"] = type(working)(settings_dict, "replica")
    try:
        with CaptureQueriesContext(connections["default"]) as primary:
            response = client.get(RESULTS)
        assert response.status_code == 200  # read from the primary instead
        assert any("core_committee" in q["sql"] for q in primary.captured_queries)
        assert replica._replica_resting()  # the next pages do not try it for a while
        with CaptureQueriesContext(connections["default"]) as primary:
            assert client.get(RESULTS).status_code == 200
        assert any("core_committee" in q["sql"] for q in primary.captured_queries)
    finally:
        connections["replica"].close()
        connections["replica"] = working
        replica._resting_until = 0.0


def test_the_api_lists_and_the_hotspots_read_from_the_replica(cast, routed, client) -> None:
    """Lists of the API and Open311, and the hotspots page; a suggestion's own page in the
    API (track) stays on the primary: an API client has no pin cookie."""
    for url in (
        reverse("api:committees"),
        reverse("api:workrooms", args=["tianhe"]),
        reverse("api:open311_services") + "?jurisdiction_id=tianhe",
    ):
        with Queries() as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        assert queries.replica.captured_queries, url
        assert not queries.sql("default", "core_committee"), url
    with Queries() as queries:
        client.get(reverse("api:track", args=["NOSUCHCODE"]))  # any code: none is stored
    assert not queries.replica.captured_queries
    client.force_login(cast.staff)
    with Queries() as queries:
        response = client.get(reverse("insights:hotspots"))
    assert response.status_code == 200
    assert queries.sql("replica", "suggestions_suggestion")
    assert not queries.sql("default", "suggestions_suggestion")
