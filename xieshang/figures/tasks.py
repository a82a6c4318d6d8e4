"""Background jobs of the figures app: one-line wrappers."""

from __future__ import annotations

from celery import shared_task

from xieshang.figures import cube


@shared_task(name="figures.cube_refresh")
def cube_refresh() -> int:
    """Every minute: rebuild the monthly pre-aggregates of the months that changed."""
    return cube.refresh()
