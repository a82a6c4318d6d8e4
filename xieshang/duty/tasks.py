"""Background jobs of the duty app: one-line wrappers around services and notifications
(texts retried while the gateway is unreachable)."""

from __future__ import annotations

from celery import shared_task

from xieshang.duty import notifications
from xieshang.duty.services import booking, roster


@shared_task(name="duty.sms_deliver", autoretry_for=(OSError,), max_retries=5)
def sms_deliver(phone_encrypted: str, text_encrypted: str) -> None:
    """Send a sealed text (a verification code) to a sealed number."""
    notifications.sealed_sms_deliver(phone_encrypted=phone_encrypted, text_encrypted=text_encrypted)


@shared_task(name="duty.booking_notify", autoretry_for=(OSError,), max_retries=5)
def booking_notify(booking_id: int, kind: str, link_base: str = "") -> bool:
    """Text the citizen that their talk was booked, moved, cancelled, or is tomorrow."""
    return notifications.booking_notify(booking_id=booking_id, kind=kind, link_base=link_base)


@shared_task(name="duty.bookings_remind")
def bookings_remind() -> int:
    """Every hour of the day: remind the citizens whose talk is tomorrow. Returns how many."""
    return booking.bookings_remind_due()


@shared_task(name="duty.extend_rosters")
def extend_rosters() -> int:
    """Every night: keep eight weeks of shifts generated ahead for every active pattern."""
    return roster.shifts_extend_all(weeks=8)
