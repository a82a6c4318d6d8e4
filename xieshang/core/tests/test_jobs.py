"""Background jobs: eager without Redis; a real worker against Redis under CI."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from celery import Celery
from celery.result import allow_join_result
from django.conf import settings

from xieshang.celery import app
from xieshang.core.tasks import echo

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def joinable() -> Iterator[None]:
    """Celery marks "inside a task" in one process-wide flag, set and restored around each
    eager task. Eager tasks that overlap in the live server's threads (the browser tests)
    can restore it in the wrong order and leave it set; these tests wait on a result from
    the test itself, outside any task."""
    with allow_join_result():
        yield


def test_tasks_run_eagerly_in_the_embedded_default() -> None:
    assert echo.delay("你好").get(timeout=1) == "你好"


def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but REDIS_URL is not set: the worker test cannot be skipped")
        pytest.skip("REDIS_URL is not set")
    return url


@pytest.mark.redis
def test_a_real_worker_picks_up_a_task_and_finishes_it() -> None:
    url = redis_url()
    queue = f"xieshang-test-{uuid.uuid4().hex}"
    env = {**os.environ, "REDIS_URL": url, "XIESHANG_TESTING": "1"}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "xieshang",
            "worker",
            "--pool=solo",
            f"--queues={queue}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert app.conf.broker_url == url, "the site must send its jobs through Redis"
        # A client of its own: the test settings make the site's app run tasks eagerly.
        client = Celery("probe", broker=url, backend=url)
        result = client.send_task("core.echo", args=["办结"], queue=queue)
        assert result.get(timeout=60) == "办结"
        assert result.state == "SUCCESS"
    finally:
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
    assert "Traceback" not in output, output


def test_what_citizens_wait_for_has_its_own_queue() -> None:
    """A flood of analyses (about 0.1 s each) must not hold up the short jobs: starting a
    new suggestion's work, its search entry, messages to citizens."""
    route = app.amqp.router.route
    for name in (
        "intake.dispatch",
        "search.index_suggestion",
        "suggestions.acknowledge",
        "suggestions.notify_citizen",
    ):
        assert route({}, name)["queue"].name == "intake", name
    assert route({}, "insights.analyse_suggestion")["queue"].name == "celery"
    assert {queue.name for queue in app.amqp.queues.values()} == {"celery", "intake"}


def test_every_job_the_beat_starts_exists() -> None:
    """A misspelt task name in the schedule would only show as an error in the beat's log,
    hourly or nightly; the sweeps that recover lost jobs run nowhere else."""
    app.loader.import_default_modules()  # what a worker imports when it starts
    for key, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, key
    assert settings.CELERY_BEAT_SCHEDULE["suggestions-acknowledge-missed"]["task"] == (
        "suggestions.acknowledge_missed"
    )
