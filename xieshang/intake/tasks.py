"""The intake's job: a one-line wrapper around the dispatch."""

from __future__ import annotations

from celery import shared_task

from xieshang.intake import services


@shared_task(name="intake.dispatch", expires=30)
def dispatch() -> int:
    """Every second (the beat): start the jobs of new suggestions not yet dispatched.
    A run waiting longer than 30 s in the queue is dropped; the next one does the same."""
    return len(services.suggestions_dispatch())
