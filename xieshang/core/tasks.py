"""Background jobs of the core app (one-line wrappers: the work is in core.jobs)."""

from __future__ import annotations

from celery import shared_task

from xieshang.core.jobs import outbox_flush


@shared_task(name="core.echo", ignore_result=False)
def echo(value: str) -> str:
    """Returns its argument: proves that a worker picks up and finishes work. The one job
    whose result is kept (CELERY_TASK_IGNORE_RESULT): the test waits for it."""
    return value


@shared_task(name="core.outbox_flush", expires=30)
def flush_outbox() -> int:
    """Every ten seconds (the beat): send the jobs whose send after commit failed."""
    return outbox_flush()
