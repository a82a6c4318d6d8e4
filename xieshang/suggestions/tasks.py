"""Background jobs of the suggestions app."""

from __future__ import annotations

from celery import shared_task

from xieshang.core.privacy import decrypt
from xieshang.core.sms import sms_send


@shared_task(name="suggestions.notify_citizen", autoretry_for=(OSError,), max_retries=5)
def notify_citizen(suggestion_id: int, text: str) -> bool:
    """Tell the citizen by SMS about a public step. Runs after commit; retried when the
    SMS gateway is unreachable. Returns whether a message was sent."""
    from xieshang.suggestions.models import Suggestion

    suggestion = Suggestion.objects.filter(pk=suggestion_id).only("phone_encrypted").first()
    if suggestion is None or not suggestion.phone_encrypted:
        return False
    sms_send(phone=decrypt(suggestion.phone_encrypted), text=text)
    return True
