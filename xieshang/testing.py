"""Helpers for the tests (never imported by the application)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.test import TestCase

from xieshang.intake.services import suggestions_dispatch

T = TypeVar("T")


@contextmanager
def committed() -> Iterator[None]:
    """Run the block as a job or a request runs in production, in its own transaction: what
    it schedules after commit (`core.jobs.enqueue`, `transaction.on_commit`) runs at the end
    of the block. Inside a test's transaction it would otherwise never run."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield


def run_job(job: Callable[[], T]) -> T:
    """Call a job's function (a beat job, say) as the worker would: see `committed`."""
    with committed():
        return job()


def dispatch() -> list[int]:
    """What the beat does every second in production: start what follows each new
    suggestion (fingerprint, search entry, acknowledgement, analysis), as a job."""
    return run_job(suggestions_dispatch)
