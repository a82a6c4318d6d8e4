"""The beat without a broker: the periodic jobs of CELERY_BEAT_SCHEDULE, run in-process.

In production Celery's beat sends them to the workers (the README). A site run without
Redis (`make run`, which starts `manage.py serve`) has no broker, so no beat: this thread
takes its place, running each due job eagerly in the web process, the same jobs on the same
schedule (what follows a submission — `intake.dispatch` — within a second). Tests drive the
same jobs themselves (`xieshang.testing.run_job`).
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from typing import Any

from celery import current_app
from celery.schedules import schedule as every
from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from xieshang.core.jobs import send

logger = logging.getLogger(__name__)


class EmbeddedBeat(threading.Thread):
    def __init__(self, *, interval: float = 1.0) -> None:
        super().__init__(name="embedded-beat", daemon=True)
        self.interval = interval
        self.stopped = threading.Event()
        self.entries: dict[str, tuple[str, Any]] = {}
        self.last_run: dict[str, datetime] = {}
        started = timezone.now()
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
            when: Any = entry["schedule"]
            if isinstance(when, int | float):
                when = every(run_every=timedelta(seconds=when), app=current_app)
            self.entries[name] = (str(entry["task"]), when)
            self.last_run[name] = started

    def tick(self) -> list[str]:
        """Run every job that is due now; returns their names."""
        ran = []
        for name, (task, when) in self.entries.items():
            due, _next = when.is_due(self.last_run[name])
            if not due:
                continue
            self.last_run[name] = timezone.now()
            try:
                send(task)
            except Exception:  # one job failing must not stop the others
                logger.exception("Embedded beat: %s failed", task)
            finally:
                # The thread's own connection, as after a request (never inside a
                # transaction: a test drives the beat inside its own).
                if not connection.in_atomic_block:
                    close_old_connections()
            ran.append(name)
        return ran

    def run(self) -> None:
        logger.info("Embedded beat: %d periodic jobs, no broker", len(self.entries))
        try:
            while not self.stopped.wait(self.interval):
                self.tick()
        finally:
            # The thread's connection is its own: closed when it stops (a persistent one
            # would stay open otherwise, and a test database could not be dropped).
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
