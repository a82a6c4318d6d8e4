"""Who is told what about duty and booked talks: the citizen, by SMS, when their talk is
booked, moved, cancelled and the day before; and anyone asked for a verification code.

Messages are put together in the job, from the booking as it is when the job runs, in the
site's language; numbers (and codes) travel to the queue and the outbox only encrypted.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from xieshang.core.jobs import enqueue
from xieshang.core.privacy import decrypt, encrypt
from xieshang.core.sms import sms_send
from xieshang.duty.models import Booking, MeetingMode
from xieshang.duty.selectors.booking import booking_link


def booking_tell(*, booking_id: int, kind: str, link_base: str = "") -> None:
    """After the current transaction commits, text the citizen that their talk was
    "booked", "moved", "cancelled", or is tomorrow ("remind")."""
    enqueue("duty.booking_notify", booking_id=booking_id, kind=kind, link_base=link_base)


def code_tell(*, phone: str, text: str) -> None:
    """After the current transaction commits, text a verification code to `phone`: both
    are sealed (encrypted) on their way through the outbox and the queue."""
    enqueue("duty.sms_deliver", phone_encrypted=encrypt(phone), text_encrypted=encrypt(text))


def sealed_sms_deliver(*, phone_encrypted: str, text_encrypted: str) -> None:
    """Send a sealed text to a sealed number (the job)."""
    sms_send(phone=decrypt(phone_encrypted), text=decrypt(text_encrypted))


def _when(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def booking_message(booking_id: int, kind: str, link_base: str = "") -> tuple[str, str] | None:
    """(encrypted number, text) of the message of `kind` about the booking, or None when
    the booking is gone. The text carries the citizen's link on BOOKING_LINK_BASE_URL, or
    else on `link_base` (the site's address as the request that booked saw it)."""
    booking = (
        Booking.objects.select_related("workroom", "service_point", "member__user")
        .filter(pk=booking_id)
        .first()
    )
    if booking is None:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        if booking.mode == MeetingMode.IN_PERSON:
            place = booking.workroom.address or booking.workroom.name
        elif booking.mode == MeetingMode.SERVICE_POINT and booking.service_point is not None:
            place = _("video from %(point)s") % {"point": booking.service_point.name}
        else:
            place = _("video on your phone")
        values = {
            "code": booking.code,
            "when": _when(booking.starts_at),
            "workroom": booking.workroom.name,
            "member": booking.member.user.name,
            "place": place,
        }
        texts = {
            "booked": _("Talk %(code)s booked: %(when)s with %(member)s, %(workroom)s, %(place)s."),
            "moved": _("Talk %(code)s moved to %(when)s with %(member)s, %(workroom)s, %(place)s."),
            "cancelled": _("Talk %(code)s at %(when)s is cancelled."),
            "remind": _(
                "Reminder: talk %(code)s tomorrow %(when)s with %(member)s, %(workroom)s, "
                "%(place)s."
            ),
        }
        text = texts[kind] % values
        link = booking_link(booking, base=link_base)
        if link and kind != "cancelled":
            text += " " + _("Details, cancel or move: %(link)s") % {"link": link}
    return booking.phone_encrypted, text


def booking_notify(*, booking_id: int, kind: str, link_base: str = "") -> bool:
    """Text the citizen about their talk (the job). False when the booking is gone."""
    message = booking_message(booking_id, kind, link_base)
    if message is None:
        return False
    sms_send(phone=decrypt(message[0]), text=message[1])
    return True
