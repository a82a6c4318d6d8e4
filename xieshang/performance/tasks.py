"""Background jobs of the performance app: one-line wrappers around services."""

from __future__ import annotations

from celery import shared_task

from xieshang.performance import notifications, services


@shared_task(name="performance.recompute_all")
def recompute_all() -> int:
    """Every night: this year's points of every committee with a scheme, from the day's
    records. Returns the number of committees."""
    return services.points_recompute_all()


@shared_task(name="performance.recompute")
def recompute(committee_id: int, year: int) -> int:
    """One committee's year, after its records or rules changed."""
    return services.points_recompute(committee_id=committee_id, year=year)


@shared_task(name="performance.remind_below_baseline")
def remind_below_baseline() -> int:
    """Every morning: at a checkpoint of the year, staff are told (once) which members are
    below the pro-rata baseline. Returns the number of committees told."""
    return services.below_baseline_remind_due()


@shared_task(name="performance.remind_staff")
def remind_staff(reminder_id: int) -> int:
    """Email a committee's staff the members below the baseline at a checkpoint."""
    return notifications.staff_remind(reminder_id=reminder_id)
