"""Who is told what about a suggestion: the citizen who handed it in (by SMS and/or email,
whichever they left) and the citizens who follow it. Services call `public_step_tell`;
the messages go out from a job after the step commits (`core.jobs.enqueue`)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from xieshang.core.jobs import enqueue
from xieshang.core.privacy import decrypt
from xieshang.core.sms import sms_send
from xieshang.suggestions.models import Follower, Suggestion

CONTACT_FIELDS = ("pk", "phone_encrypted", "email_encrypted", "tracking_code")


def public_step_tell(*, suggestion: Suggestion, text: str) -> None:
    """After the current transaction commits, tell the citizen (when they left a number or
    an address) and every follower about a public step, in `text`."""
    if suggestion.phone_encrypted or suggestion.email_encrypted:
        message = _("Your suggestion %(code)s: %(text)s") % {
            "code": suggestion.tracking_code,
            "text": text,
        }
        enqueue("suggestions.notify_citizen", suggestion_id=suggestion.pk, text=message)
    if Follower.objects.filter(suggestion_id=suggestion.pk).exists():
        followed = _("The suggestion “%(title)s” you follow: %(text)s") % {
            "title": suggestion.title,
            "text": text,
        }
        enqueue("suggestions.notify_followers", suggestion_id=suggestion.pk, text=followed)


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


def citizen_notify(*, suggestion_id: int, text: str) -> list[str]:
    """Tell the citizen about a public step (the job after the step). Returns the channels
    used; none when the suggestion is gone."""
    suggestion = Suggestion.objects.filter(pk=suggestion_id).only(*CONTACT_FIELDS).first()
    if suggestion is None:
        return []
    return citizen_message_send(suggestion=suggestion, text=text)


def followers_notify(*, suggestion_id: int, text: str) -> int:
    """Tell everyone who follows the suggestion about a public step. Returns how many
    messages were sent."""
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
