"""Background jobs of the performance app: one-line wrappers around services."""

from __future__ import annotations

from celery import shared_task

from xieshang.performance import services


@shared_task(name="performance.recompute_all")
def recompute_all() -> int:
    """Every night: this year's points of every committee with a scheme, from the day's
    records. Returns the number of committees."""
    return services.points_recompute_all()


@shared_task(name="performance.recompute")
def recompute(committee_id: int, year: int) -> int:
    """One committee's year, after its records or rules changed."""
    return services.points_recompute(committee_id=committee_id, year=year)
