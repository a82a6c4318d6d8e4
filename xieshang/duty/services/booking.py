"""Writes of the public booking: a citizen books a talk with the member on duty, and
cancels or moves it by the signed link.

No slot is ever booked beyond its capacity: the place is taken by one conditional UPDATE
(`booked = booked + 1 WHERE booked < capacity AND the shift is scheduled`) in the same
transaction as the booking's INSERT, and the `slot_never_overbooked` check constraint backs
it. Nothing is counted in Python first. A cancellation or a move gives the place back in
the same transaction as the state change, which goes through BOOKING_WORKFLOW.

A slot is open when its shift is scheduled, its workroom active and its date not a public
holiday in the working-day calendar (a holiday entered after the shifts were generated
closes them for booking too).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.errors import Conflict, DomainError
from xieshang.core.models import ActorKind, CalendarDay, DayKind, Event
from xieshang.core.privacy import encrypt, lookup_hash, mask_mobile
from xieshang.core.services import event_record
from xieshang.duty.models import (
    ACTIVE_BOOKING_STATES,
    Booking,
    BookingStatus,
    DutyAction,
    MeetingMode,
    PhoneVerification,
    Shift,
    ShiftStatus,
    Slot,
)
from xieshang.duty.notifications import booking_tell
from xieshang.duty.selectors.booking import booking_of_code_and_number
from xieshang.duty.services.verification import (
    lock_number,
    verification_check,
    verification_consume,
)
from xieshang.duty.workflow import BOOKING_WORKFLOW
from xieshang.workrooms.models import ServicePoint, Workroom, WorkroomKind


class SlotTaken(Conflict):
    """Someone else took the last place of the slot first."""


def slot_taken_message() -> str:
    return _("This time has just been booked by someone else. Please choose another.")


@dataclass(frozen=True)
class BookingIntake:
    """A booking as validated by the form, ready to store."""

    workroom: Workroom
    slot_id: int
    mode: str
    citizen_name: str
    phone: str  # a normalised mainland mobile number
    code: str  # the SMS code the citizen typed
    topic: str
    idempotency_key: str
    service_point_id: int | None = None


def _time(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _slot_of(workroom: Workroom, slot_id: int) -> Slot:
    slot = (
        Slot.objects.select_related("shift__member", "shift__workroom")
        .filter(pk=slot_id, shift__workroom=workroom)
        .first()
    )
    if slot is None:
        raise DomainError(_("This time is not offered at this workroom. Reload the page."))
    return slot


def _check_slot_open(slot: Slot, now: datetime) -> None:
    """Clear messages for the slots the conditional UPDATE would refuse anyway."""
    if not slot.shift.workroom.is_active:
        raise DomainError(_("This workroom is not open at the moment."))
    if (
        slot.shift.status != ShiftStatus.SCHEDULED
        or CalendarDay.objects.filter(date=slot.shift.date, kind=DayKind.HOLIDAY).exists()
    ):
        raise DomainError(
            _(
                "There is no duty at this time: the workroom is closed that day. "
                "Please choose another day."
            )
        )
    if slot.starts_at <= now:
        raise DomainError(_("This time has passed. Please choose a later one."))


def _check_mode(workroom: Workroom, mode: str, service_point_id: int | None) -> None:
    if mode not in MeetingMode.values:
        raise DomainError(_("Choose how you want to meet."))
    if mode == MeetingMode.IN_PERSON and workroom.kind == WorkroomKind.CLOUD:
        raise DomainError(
            _("The cloud workroom meets only by video. Choose a service point or your phone.")
        )
    if mode == MeetingMode.SERVICE_POINT:
        if service_point_id is None:
            raise DomainError(_("Choose the service point you will come to."))
        if not ServicePoint.objects.filter(
            pk=service_point_id, committee_id=workroom.committee_id, is_active=True
        ).exists():
            raise DomainError(
                _("This service point is not one of this committee's open service points.")
            )
    elif service_point_id is not None:
        raise DomainError(_("A service point goes only with a video talk from a service point."))


def _lock_phone(phone_lookup: str) -> None:
    """Serialise bookings by one number: they lock the number's verification rows (a
    booking needs one, so there is at least one), so the overlap check that follows sees
    every booking committed before it. The same lock, in the same order, as the code's
    check and send (`lock_number`)."""
    lock_number(phone_lookup)


def _check_no_overlap(
    phone_lookup: str, starts_at: datetime, ends_at: datetime, exclude: int | None = None
) -> None:
    clash = Booking.objects.filter(
        phone_lookup=phone_lookup,
        status__in=ACTIVE_BOOKING_STATES,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    other = clash.order_by("starts_at").values_list("starts_at", flat=True).first()
    if other is not None:
        raise DomainError(
            _(
                "This mobile number already has a talk booked at %(time)s, which overlaps "
                "this time. Cancel it first or choose another time."
            )
            % {"time": _time(other)}
        )


def _take_place(slot_id: int) -> bool:
    """Take one place of the slot, or False when it is full or its shift is not scheduled.
    One UPDATE, decided by the database on the row itself: the shift's status is a
    subquery, not a join, so `booked < capacity` is re-checked on the latest row version
    when two transactions race (a join would make Django compare inside a subquery)."""
    scheduled = Shift.objects.filter(status=ShiftStatus.SCHEDULED)
    taken = (
        Slot.objects.filter(pk=slot_id, booked__lt=F("capacity"), shift__in=scheduled).update(
            booked=F("booked") + 1
        )
        == 1
    )
    # A closure that held the slot's lock while cancelling the shift has committed by now;
    # the subquery above may have read the shift before it. A new statement sees it, and the
    # caller's transaction rolls the place back.
    return taken and Shift.objects.filter(slots__pk=slot_id, status=ShiftStatus.SCHEDULED).exists()


def _member_on_duty(slot_id: int) -> int:
    """The shift's member as of now: an approved swap may have changed it since the slot
    was read (the place is taken, so the row is read again inside the transaction)."""
    return int(Shift.objects.filter(slots__pk=slot_id).values_list("member_id", flat=True).get())


def _give_back_place(slot_id: int) -> None:
    Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)


def _replayed(intake: BookingIntake) -> Booking | None:
    """The booking already made with the intake's idempotency key (a double click), or
    None. The key alone is not a key to the booking: it is returned only to the same
    number for the same slot, and anything else with a used key is refused."""
    existing = Booking.objects.filter(idempotency_key=intake.idempotency_key).first()
    if existing is None:
        return None
    if existing.phone_lookup != lookup_hash(intake.phone) or existing.slot_id != intake.slot_id:
        raise DomainError(
            _(
                "This form has already been used for another booking. "
                "Reload the page and book again."
            )
        )
    return existing


def booking_create(*, intake: BookingIntake, link_base: str = "") -> tuple[Booking, bool]:
    """Book a talk for a citizen, or return the booking already made with this idempotency
    key (a double click: same number, same slot). Returns (booking, created).

    Refused with a clear message, changing nothing (but a wrong SMS code counts): a slot of
    another workroom, a slot that has passed, is closed or is full (409, "已被预约"); a
    meeting mode the workroom does not offer; a service point of another committee; a
    wrong, used or expired code; a number that already has a talk at an overlapping time.
    The place, the code, the booking and its event are written in one transaction; the
    SMS goes out after commit, with the citizen's link on `link_base` (the site's address
    as the request saw it) when BOOKING_LINK_BASE_URL is not set.
    """
    existing = _replayed(intake)
    if existing is not None:
        return existing, False
    workroom = intake.workroom
    now = timezone.now()
    slot = _slot_of(workroom, intake.slot_id)
    _check_slot_open(slot, now)
    _check_mode(workroom, intake.mode, intake.service_point_id)
    try:
        verification = verification_check(phone=intake.phone, code=intake.code)
        booking = _store(intake, slot, verification, link_base)
    except (DomainError, IntegrityError):
        # Both halves of a double click got this far; the other one stored it.
        existing = _replayed(intake)
        if existing is None:
            raise
        return existing, False
    return booking, True


def _store(
    intake: BookingIntake, slot: Slot, verification: PhoneVerification, link_base: str
) -> Booking:
    phone_lookup = lookup_hash(intake.phone)
    with transaction.atomic():
        _lock_phone(phone_lookup)
        _check_no_overlap(phone_lookup, slot.starts_at, slot.ends_at)
        if not verification_consume(verification=verification):
            raise DomainError(_("This code has already been used. Please ask for a new code."))
        if not _take_place(slot.pk):
            raise SlotTaken(slot_taken_message())
        booking = Booking.objects.create(
            committee_id=intake.workroom.committee_id,
            slot=slot,
            workroom=intake.workroom,
            member_id=_member_on_duty(slot.pk),
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            mode=intake.mode,
            service_point_id=(
                intake.service_point_id if intake.mode == MeetingMode.SERVICE_POINT else None
            ),
            citizen_name=intake.citizen_name,
            phone_encrypted=encrypt(intake.phone),
            phone_lookup=phone_lookup,
            phone_masked=mask_mobile(intake.phone),
            topic=intake.topic,
            idempotency_key=intake.idempotency_key,
        )
        event_record(
            obj=booking,
            committee_id=booking.committee_id,
            actor=ActorKind.CITIZEN,
            action=DutyAction.BOOK,
            to_state=BookingStatus.CONFIRMED,
            is_public=True,
        )
        booking_tell(booking_id=booking.pk, kind="booked", link_base=link_base)
    return booking


def _check_not_begun(booking: Booking, now: datetime) -> None:
    if booking.starts_at <= now:
        raise DomainError(_("The talk has begun; it can no longer be cancelled or moved."))


def booking_cancel(
    *,
    booking: Booking,
    actor: Any = ActorKind.CITIZEN,
    expected_state: str | None = None,
    note: str = "",
) -> Event:
    """Cancel a confirmed talk before it begins and give its place back to the slot, in
    one transaction. The citizen (by the link) or the committee's workroom staff, who give
    a reason on the appointment page (`note`, kept on the step's event, in the booking's
    timeline there). The citizen is texted either way."""

    def give_back(locked: Booking, _t: object) -> None:
        _check_not_begun(locked, timezone.now())
        _give_back_place(locked.slot_id)
        booking_tell(booking_id=locked.pk, kind="cancelled")

    return BOOKING_WORKFLOW.apply(
        booking,
        action=DutyAction.CANCEL,
        actor=actor,
        note=note.strip(),
        expected_state=expected_state,
        on_apply=give_back,
    )


def booking_move(
    *,
    booking: Booking,
    slot_id: int,
    actor: Any = ActorKind.CITIZEN,
    expected_state: str | None = None,
    link_base: str = "",
) -> Event:
    """Move a confirmed talk, before it begins, to another free slot of the same workroom:
    the new slot's place is taken by the same conditional UPDATE as a booking (409 when
    someone was faster), the old one given back, the time and the member on duty follow
    the new slot, and the reminder is due again. By the citizen or the committee's
    workroom staff; the citizen is texted (with the link on `link_base`, as a booking)."""
    target = _slot_of(booking.workroom, slot_id)
    note = _("From %(old)s to %(new)s") % {
        "old": _time(booking.starts_at),
        "new": _time(target.starts_at),
    }

    def move(locked: Booking, _t: object) -> None:
        now = timezone.now()
        _check_not_begun(locked, now)
        if target.pk == locked.slot_id:
            raise DomainError(_("This is already the time of your talk."))
        _check_slot_open(target, now)
        _lock_phone(locked.phone_lookup)
        _check_no_overlap(locked.phone_lookup, target.starts_at, target.ends_at, exclude=locked.pk)
        # Both slots locked in one order before either is written: two moves crossing
        # (X to Y while Y to X) would otherwise each hold one and wait for the other.
        list(
            Slot.objects.select_for_update()
            .filter(pk__in=[locked.slot_id, target.pk])
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not _take_place(target.pk):
            raise SlotTaken(slot_taken_message())
        _give_back_place(locked.slot_id)
        locked.slot = target
        locked.starts_at = target.starts_at
        locked.ends_at = target.ends_at
        locked.member_id = _member_on_duty(target.pk)
        locked.reminded_at = None
        booking_tell(booking_id=locked.pk, kind="moved", link_base=link_base)

    event = BOOKING_WORKFLOW.apply(
        booking,
        action=DutyAction.MOVE,
        actor=actor,
        note=note,
        expected_state=expected_state,
        on_apply=move,
    )
    booking.refresh_from_db()
    return event


def tomorrow_span(now: datetime | None = None) -> tuple[datetime, datetime]:
    """Start and end of tomorrow in the site's time zone (Beijing)."""
    today = timezone.localdate(now or timezone.now())
    tz = timezone.get_current_timezone()
    start = datetime.combine(today + timedelta(days=1), time.min, tzinfo=tz)
    return start, start + timedelta(days=1)


def bookings_remind_due() -> int:
    """Text every citizen whose confirmed talk is tomorrow (Beijing date) and who was not
    reminded yet. Safe to run again: each booking is claimed by a conditional UPDATE of
    `reminded_at`, so two runs at once remind it once. Returns how many were reminded."""
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
            event_record(
                obj=Booking(pk=pk, committee_id=committee_id),
                committee_id=committee_id,
                actor=ActorKind.SYSTEM,
                action=DutyAction.REMIND,
                is_public=True,
            )
            booking_tell(booking_id=pk, kind="remind")
        reminded += 1
    return reminded


def booking_find(*, booking_code: str, phone: str, code: str) -> Booking:
    """A citizen who lost their link: the booking with this code booked with this number,
    once the number's texted code is right. The code is checked first (with its limits on
    wrong tries), so nothing about any booking is told to someone who does not hold the
    number; then it is used up. Refused with a message, nothing else changed."""
    # Outside a transaction of ours: a wrong try is counted even though it is refused.
    verification = verification_check(phone=phone, code=code)
    booking = booking_of_code_and_number(booking_code=booking_code, phone_lookup=lookup_hash(phone))
    if booking is None:
        raise DomainError(
            _("There is no booking with this code for this number. Check the code in the SMS.")
        )
    if not verification_consume(verification=verification):
        raise DomainError(_("The code has expired. Please ask for a new code."))
    return booking
