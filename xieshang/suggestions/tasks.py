"""Background jobs of the suggestions app: one-line wrappers around services and
notifications (retried while a gateway is unreachable)."""

from __future__ import annotations

from celery import shared_task

from xieshang.suggestions import notifications, services


@shared_task(name="suggestions.notify_citizen", autoretry_for=(OSError,), max_retries=5)
def notify_citizen(suggestion_id: int, text: str) -> list[str]:
    """Tell the citizen about a public step, by SMS and/or email."""
    return notifications.citizen_notify(suggestion_id=suggestion_id, text=text)


@shared_task(name="suggestions.acknowledge", autoretry_for=(OSError,), max_retries=5)
def acknowledge(suggestion_id: int) -> list[str]:
    """Tell the citizen their suggestion has arrived, once."""
    return services.suggestion_acknowledge(suggestion_id=suggestion_id)


@shared_task(name="suggestions.acknowledge_missed")
def acknowledge_missed() -> int:
    """Every hour: acknowledgements of the past day whose job was lost. Returns how many."""
    return len(services.suggestions_acknowledge_missed())


@shared_task(name="suggestions.notify_followers", autoretry_for=(OSError,), max_retries=5)
def notify_followers(suggestion_id: int, text: str) -> int:
    """Tell everyone who follows the suggestion about a public step."""
    return notifications.followers_notify(suggestion_id=suggestion_id, text=text)
