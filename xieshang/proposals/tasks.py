"""Background jobs of the proposals app: one-line wrappers around services and
notifications (emails retried while the server is unreachable)."""

from __future__ import annotations

from celery import shared_task

from xieshang.proposals import notifications
from xieshang.proposals.services import office


@shared_task(name="proposals.remind_deadlines")
def remind_deadlines() -> int:
    """Every morning: remind each department of the replies it owes. Returns how many."""
    return office.assignments_remind_due()


@shared_task(name="proposals.remind_department", autoretry_for=(OSError,), max_retries=5)
def remind_department(department_id: int, lines: list[str]) -> int:
    """Email a department's clerks the reminders of one run."""
    return notifications.department_remind(department_id=department_id, lines=lines)


@shared_task(name="proposals.proposers_notify", autoretry_for=(OSError,), max_retries=5)
def proposers_notify(proposal_id: int) -> int:
    """Email the proposers that the replies to their proposal have been sent."""
    return notifications.proposers_notify(proposal_id=proposal_id)
