"""Jobs that follow a commit go through the outbox: never lost when the broker is away, and
sent once the sweep finds it back."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from xieshang.conftest import Cast
from xieshang.core import jobs
from xieshang.core.beat import EmbeddedBeat
from xieshang.core.models import OutboxJob
from xieshang.core.sms import ConsoleBackend
from xieshang.suggestions.models import Suggestion
from xieshang.suggestions.services import suggestion_transition
from xieshang.suggestions.tests.conftest import submit
from xieshang.testing import committed


class Refusing:
    """The broker refusing every message (Redis down), for `send` only."""

    def __init__(self, monkeypatch: Any) -> None:
        self.calls = 0
        monkeypatch.setattr(jobs, "send", self)

    def __call__(self, task: str, **kwargs: Any) -> None:
        self.calls += 1
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def test_a_job_is_sent_after_commit_and_leaves_no_row(cast: Cast) -> None:
    suggestion = submit(cast)
    ConsoleBackend.outbox.clear()
    with committed():
        suggestion_transition(suggestion=suggestion, action="triage", actor=cast.staff)
        assert OutboxJob.objects.filter(task="suggestions.notify_citizen").count() == 1
        assert ConsoleBackend.outbox == []  # nothing before the commit
    assert OutboxJob.objects.count() == 0
    assert ConsoleBackend.outbox[-1][0] == "13812345678"


def test_a_rolled_back_step_schedules_nothing(cast: Cast) -> None:
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        jobs.enqueue("core.echo", value="x")
        raise RuntimeError
    assert OutboxJob.objects.count() == 0


def test_with_the_broker_away_the_step_succeeds_and_the_sweep_sends_the_job_later(
    cast: Cast, monkeypatch: Any
) -> None:
    suggestion = submit(cast)
    refusing = Refusing(monkeypatch)
    ConsoleBackend.outbox.clear()
    with committed():
        suggestion_transition(suggestion=suggestion, action="triage", actor=cast.staff)
    assert Suggestion.objects.get(pk=suggestion.pk).status == "triage"  # no 500, it took effect
    job = OutboxJob.objects.get()
    assert job.task == "suggestions.notify_citizen" and job.attempts == 1
    assert "Connection refused" in job.last_error
    assert refusing.calls == 1
    assert jobs.outbox_flush() == 0  # too young: its first send may still be under way
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        assert jobs.outbox_flush() == 0  # still away: kept, tried again
        assert OutboxJob.objects.get().attempts == 2
        monkeypatch.undo()  # the broker is back
        assert jobs.outbox_flush() == 1
    assert OutboxJob.objects.count() == 0
    assert ConsoleBackend.outbox[-1][0] == "13812345678"


def test_an_unknown_job_is_refused_when_it_is_scheduled() -> None:
    with pytest.raises(KeyError):
        jobs.enqueue("suggestions.no_such_job")


def test_the_embedded_beat_dispatches_a_new_suggestion_within_a_tick(cast: Cast) -> None:
    suggestion = submit(cast, phone="13900001111")
    assert Suggestion.objects.get(pk=suggestion.pk).dispatched_at is None
    beat = EmbeddedBeat()
    with time_machine.travel(timezone.now() + timedelta(seconds=11)), committed():
        ran = beat.tick()
    assert "intake-dispatch" in ran and "core-outbox-flush" in ran
    assert Suggestion.objects.get(pk=suggestion.pk).dispatched_at is not None
    assert ConsoleBackend.outbox[-1][0] == "13900001111"  # the acknowledgement
    with committed():
        assert "intake-dispatch" not in beat.tick()  # not due again yet
