"""Background jobs of the opinions app: emails retried while the server is unreachable."""

from __future__ import annotations

from celery import shared_task

from xieshang.opinions import notifications


@shared_task(name="opinions.authors_notify", autoretry_for=(OSError,), max_retries=5)
def authors_notify(item_id: int) -> int:
    """Email the authors of an item its latest step."""
    return notifications.authors_notify(item_id=item_id)
