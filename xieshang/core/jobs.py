"""Background jobs from services: the one way a write schedules work that follows it.

`enqueue(task, **kwargs)` records the job in the outbox (`OutboxJob`) in the caller's
transaction and sends it to the broker once that transaction commits. A broker that is
away does not turn a committed write into an error: the row stays, and the beat's
`core.outbox_flush` sends it when the broker is back. Services name tasks by their Celery
name and never import `tasks.py` (which imports services).

`send(task, **kwargs)` sends at once, for a caller that keeps its own note of what is due
(the intake dispatch marks a suggestion only after its jobs were sent) and wants the
failure to stop it.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import cache
from typing import Any

from celery import current_app
from django.db import transaction
from django.utils import timezone

from xieshang.core.models import OutboxJob

logger = logging.getLogger(__name__)

# A job still in the outbox this long after it was written lost its first send.
SETTLE = timedelta(seconds=30)
FLUSH_BATCH = 500


@cache
def _jobs() -> Any:
    """Celery's task registry, with every app's tasks.py imported (in a web process nothing
    else imports them: services name jobs, they do not import them)."""
    current_app.loader.import_default_modules()
    return current_app.tasks


def send(task: str, **kwargs: Any) -> None:
    """Send job `task` now (eagerly where there is no broker). Raises if it cannot."""
    _jobs()[task].apply_async(kwargs=kwargs)


def enqueue(task: str, **kwargs: Any) -> OutboxJob:
    """Schedule job `task` with `kwargs` (JSON values) after the current transaction
    commits, durably: see the module's docstring."""
    if task not in _jobs():
        raise KeyError(f"No job named {task!r}")
    job = OutboxJob.objects.create(task=task, kwargs=kwargs)
    transaction.on_commit(lambda: _deliver(job.pk, task, kwargs))
    return job


def _deliver(job_id: int, task: str, kwargs: dict[str, Any]) -> bool:
    """Send one outbox job and remove it, holding its row so the sweep and the after-commit
    send never both send it. False when it could not be sent (it stays, with the error)."""
    with transaction.atomic():
        held = OutboxJob.objects.select_for_update(skip_locked=True).filter(pk=job_id).first()
        if held is None:  # sent already, or being sent by the sweep right now
            return False
        try:
            with transaction.atomic():  # an eager job that fails leaves none of its writes
                send(task, **kwargs)
        except Exception as error:  # the broker or the eager job failed: the sweep retries
            logger.warning("Job %s (%s) not sent, left for the sweep: %s", job_id, task, error)
            held.attempts += 1
            held.last_error = str(error)[:200]
            held.save(update_fields=["attempts", "last_error"])
            return False
        held.delete()
    return True


def outbox_flush(*, limit: int = FLUSH_BATCH) -> int:
    """Send the jobs whose first send failed (older than `SETTLE`), oldest first. Returns
    how many were sent; those that fail again stay for the next run."""
    due = OutboxJob.objects.filter(created_at__lt=timezone.now() - SETTLE).order_by("pk")
    sent = 0
    for job in list(due[:limit]):
        if _deliver(job.pk, job.task, job.kwargs):
            sent += 1
    return sent


def outbox_pending() -> int:
    """How many jobs wait in the outbox (for /healthz)."""
    return OutboxJob.objects.count()
