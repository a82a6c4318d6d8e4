"""Two dispatches at once (PostgreSQL): a suggestion one of them holds is skipped by the
other, not waited for and not dispatched twice."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection, transaction

from xieshang.conftest import Cast
from xieshang.intake.services import suggestions_dispatch
from xieshang.suggestions.models import Suggestion
from xieshang.suggestions.tests.conftest import submit


@pytest.mark.django_db(transaction=True)
def test_a_suggestion_another_dispatch_holds_is_skipped_not_waited_for(
    cast: Cast, settings: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED is PostgreSQL's; SQLite serialises every writer")
    settings.CELERY_TASK_ALWAYS_EAGER = False  # a broker (in memory): the jobs are only sent
    first = submit(cast, phone="", idempotency_key="first")
    second = submit(cast, phone="", idempotency_key="second")
    held, release = threading.Event(), threading.Event()

    def other_dispatch() -> None:
        try:
            with transaction.atomic():
                Suggestion.objects.select_for_update().get(pk=first.pk)
                held.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=other_dispatch)
    thread.start()
    try:
        assert held.wait(timeout=30)
        started = time.monotonic()
        assert suggestions_dispatch() == [second.pk]
        assert time.monotonic() - started < 5  # not waited for
    finally:
        release.set()
        thread.join(timeout=30)
    assert suggestions_dispatch() == [first.pk]
    assert suggestions_dispatch() == []
    assert not Suggestion.objects.filter(dispatched_at__isnull=True).exists()
