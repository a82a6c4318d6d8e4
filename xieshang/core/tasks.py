"""Background jobs of the core app."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="core.echo", ignore_result=False)
def echo(value: str) -> str:
    """Returns its argument: proves that a worker picks up and finishes work. The one job
    whose result is kept (CELERY_TASK_IGNORE_RESULT): the test waits for it."""
    return value
