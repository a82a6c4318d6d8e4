"""What the suggestion table holds the database to, and what a submission costs it: codes
and keys unique, and no index entry written for a link a citizen's submission leaves empty."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from xieshang.conftest import Cast
from xieshang.suggestions.models import Suggestion
from xieshang.suggestions.tests.conftest import submit

pytestmark = pytest.mark.django_db

# The links a citizen's own submission leaves empty, each indexed only where set.
OPTIONAL_LINKS = [
    "category_id",
    "area_id",
    "workroom_id",
    "campaign_id",
    "entered_by_id",
    "handler_id",
    "merged_into_id",
]


def test_a_tracking_code_is_unique(cast: Cast) -> None:
    first = submit(cast)
    second = submit(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        Suggestion.objects.filter(pk=second.pk).update(tracking_code=first.tracking_code)
    second.refresh_from_db()
    assert second.tracking_code != first.tracking_code


def test_an_idempotency_key_is_unique(cast: Cast) -> None:
    first = submit(cast)
    second = submit(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        Suggestion.objects.filter(pk=second.pk).update(idempotency_key=first.idempotency_key)
    assert Suggestion.objects.filter(idempotency_key=first.idempotency_key).count() == 1


def _indexes(table: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
        return dict(cursor.fetchall())


def test_a_citizens_submission_writes_no_index_entry_for_an_empty_link() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("reads PostgreSQL's catalogue")
    indexes = _indexes(Suggestion._meta.db_table)
    for column in OPTIONAL_LINKS:
        on_column = [d for d in indexes.values() if f"btree ({column})" in d]
        assert on_column == [
            f"CREATE INDEX suggestion_{column.removesuffix('_id')} ON public."
            f"{Suggestion._meta.db_table} USING btree ({column}) "
            f"WHERE ({column} IS NOT NULL)"
        ], column
    # Codes and keys are looked up whole: no second (LIKE) index beside the unique one.
    assert not [d for d in indexes.values() if "pattern_ops" in d]
    # The committee is the first column of the inbox's index; no index of its own.
    assert not [d for d in indexes.values() if d.endswith("btree (committee_id)")]
    unconditional = {name for name, d in indexes.items() if " WHERE " not in d}
    assert unconditional == {
        "suggestions_suggestion_pkey",
        "suggestion_tracking_code",
        "suggestion_idempotency_key",
        "suggestion_phone_recent",
        "suggestion_client_recent",
        "suggestions_suggestion_created_at_d4114493",
        "suggestions_committ_705720_idx",
    }


def test_an_event_indexes_its_actor_only_where_there_is_one() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("reads PostgreSQL's catalogue")
    indexes = _indexes("core_event")
    assert indexes["event_actor"].endswith("btree (actor_id) WHERE (actor_id IS NOT NULL)")
    assert not [d for d in indexes.values() if d.endswith("btree (content_type_id)")]
