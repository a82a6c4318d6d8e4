"""`manage.py serve [addrport]`: the development server, with the beat's periodic jobs run
in-process when there is no broker (`make run`). With REDIS_URL set, run the Celery worker
and beat instead (`make worker`, `make beat`)."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.commands.runserver import Command as RunServer

from xieshang.core.beat import EmbeddedBeat


class Command(RunServer):
    help = "Serve the site for development, with the periodic jobs run in-process."

    def inner_run(self, *args: Any, **options: Any) -> None:
        # The autoreloader runs this in its child process only (RUN_MAIN), and once with
        # --noreload: one beat, in the process that serves.
        if settings.CELERY_TASK_ALWAYS_EAGER and (
            os.environ.get("RUN_MAIN") == "true" or not options.get("use_reloader", True)
        ):
            EmbeddedBeat().start()
            self.stdout.write("Periodic jobs run in this process (no broker).")
        super().inner_run(*args, **options)
