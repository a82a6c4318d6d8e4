"""Background jobs of the duty app: texts to citizens about their booked talks, the
reminder the day before, and extending the rosters.

Messages are put together here, in the job, from the booking as it is when the job runs,
in the site's language; numbers travel to the queue only encrypted.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import datetime, time, timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from xieshang.core.privacy import decrypt
from xieshang.core.sms import sms_send


@shared_task(name="duty.sms_deliver", autoretry_for=(OSError,), max_retries=5)
def sms_deliver(phone_encrypted: str, text: str) -> None:
    """Send a text to a number given encrypted (core.privacy.encrypt)."""
    sms_send(phone=decrypt(phone_encrypted), text=text)


def _when(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def booking_message(booking_id: int, kind: str, link_base: str = "") -> tuple[str, str] | None:
    """(encrypted number, text) of the message of `kind` about the booking, or None when
    the booking is gone. The text carries the citizen's link on BOOKING_LINK_BASE_URL, or
    else on `link_base` (the site's address as the request that booked saw it)."""
    from xieshang.duty.models import Booking, MeetingMode
    from xieshang.duty.selectors.booking import booking_link

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


@shared_task(name="duty.booking_notify", autoretry_for=(OSError,), max_retries=5)
def booking_notify(booking_id: int, kind: str, link_base: str = "") -> bool:
    """Text the citizen that their talk was booked, moved, cancelled, or is tomorrow."""
    message = booking_message(booking_id, kind, link_base)
    if message is None:
        return False
    sms_send(phone=decrypt(message[0]), text=message[1])
    return True


def tomorrow_span(now: datetime | None = None) -> tuple[datetime, datetime]:
    """Start and end of tomorrow in the site's time zone (Beijing)."""
    today = timezone.localdate(now or timezone.now())
    tz = timezone.get_current_timezone()
    start = datetime.combine(today + timedelta(days=1), time.min, tzinfo=tz)
    return start, start + timedelta(days=1)


def _notifier(booking_id: int, kind: str) -> Callable[[], None]:
    def notify() -> None:
        booking_notify.delay(booking_id, kind)

    return notify


@shared_task(name="duty.bookings_remind")
def bookings_remind() -> int:
    """Text every citizen whose confirmed talk is tomorrow (Beijing date) and who was not
    reminded yet. Safe to run again: each booking is claimed by a conditional UPDATE of
    `reminded_at`, so two runs at once remind it once. Returns how many were reminded."""
    from xieshang.core.models import ActorKind
    from xieshang.core.services import event_record
    from xieshang.duty.models import Booking, BookingStatus

    start, end = tomorrow_span()
    due = Booking.objects.filter(
        status=BookingStatus.CONFIRMED,
        starts_at__gte=start,
        starts_at__lt=end,
        reminded_at__isnull=True,
    ).values_list("pk", "committee_id")
    reminded = 0
    for pk, committee_id in list(due):
        with transaction.atomic():
            claimed = Booking.objects.filter(
                pk=pk, reminded_at__isnull=True, status=BookingStatus.CONFIRMED
            ).update(reminded_at=timezone.now())
            if not claimed:
                continue
            booking = Booking(pk=pk, committee_id=committee_id)
            event_record(
                obj=booking,
                committee_id=committee_id,
                actor=ActorKind.SYSTEM,
                action="remind",
                is_public=True,
            )
            transaction.on_commit(_notifier(pk, "remind"))
        reminded += 1
    return reminded


@shared_task(name="duty.extend_rosters")
def extend_rosters() -> object:
    """Keep eight weeks of shifts generated ahead for every active duty pattern."""
    # Imported by name: the roster service lives in its own module, loaded on first use.
    roster = importlib.import_module("xieshang.duty.services.roster")
    return roster.shifts_extend_all(weeks=8)
