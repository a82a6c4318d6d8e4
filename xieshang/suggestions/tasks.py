"""Background jobs of the suggestions app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from xieshang.core.privacy import decrypt
from xieshang.core.sms import sms_send

if TYPE_CHECKING:
    from xieshang.suggestions.models import Suggestion


@shared_task(name="suggestions.dispatch", expires=30)
def dispatch() -> int:
    """Every second (the beat): start the jobs of new suggestions not yet dispatched.
    Returns how many. A run waiting longer than 30 s in the queue is dropped; the next one
    does the same work."""
    from xieshang.suggestions.services import suggestions_dispatch

    return len(suggestions_dispatch())


@shared_task(name="suggestions.notify_citizen", autoretry_for=(OSError,), max_retries=5)
def notify_citizen(suggestion_id: int, text: str) -> list[str]:
    """Tell the citizen about a public step, by SMS and/or email — whichever they left.
    Runs after commit; retried while a gateway is unreachable. Returns the channels used."""
    from xieshang.suggestions.models import Suggestion

    suggestion = (
        Suggestion.objects.filter(pk=suggestion_id)
        .only("phone_encrypted", "email_encrypted", "tracking_code")
        .first()
    )
    if suggestion is None:
        return []
    return citizen_message_send(suggestion=suggestion, text=text)


def citizen_message_send(*, suggestion: Suggestion, text: str) -> list[str]:
    """Send `text` to the citizen of `suggestion` by SMS and/or email, whichever they left
    (it needs their encrypted contact fields and the tracking code). Returns the channels
    used; a gateway that cannot be reached raises OSError."""
    sent = []
    if suggestion.phone_encrypted:
        sms_send(phone=decrypt(suggestion.phone_encrypted), text=text)
        sent.append("sms")
    if suggestion.email_encrypted:
        send_mail(
            subject=_("Your suggestion %(code)s") % {"code": suggestion.tracking_code},
            message=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[decrypt(suggestion.email_encrypted)],
        )
        sent.append("email")
    return sent


@shared_task(name="suggestions.acknowledge", autoretry_for=(OSError,), max_retries=5)
def acknowledge(suggestion_id: int) -> list[str]:
    """Tell the citizen their suggestion has arrived, once (services.suggestion_acknowledge).
    Started by the dispatch, and by the hourly sweep for a job that was lost; retried while
    a gateway is unreachable. Returns the channels used."""
    from xieshang.suggestions.services import suggestion_acknowledge

    return suggestion_acknowledge(suggestion_id=suggestion_id)


@shared_task(name="suggestions.acknowledge_missed")
def acknowledge_missed() -> int:
    """Every hour (the beat): acknowledgements of the past day whose job was lost are sent.
    Returns how many were started."""
    from xieshang.suggestions.services import suggestions_acknowledge_missed

    return len(suggestions_acknowledge_missed())


@shared_task(name="suggestions.notify_followers", autoretry_for=(OSError,), max_retries=5)
def notify_followers(suggestion_id: int, text: str) -> int:
    """Tell everyone who follows the suggestion about a public step. Returns how many
    messages were sent."""
    from xieshang.suggestions.models import Follower

    sent = 0
    for follower in Follower.objects.filter(suggestion_id=suggestion_id).order_by("pk"):
        if follower.phone_encrypted:
            sms_send(phone=decrypt(follower.phone_encrypted), text=text)
            sent += 1
        if follower.email_encrypted:
            send_mail(
                subject=_("A suggestion you follow"),
                message=text,
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[decrypt(follower.email_encrypted)],
            )
            sent += 1
    return sent
