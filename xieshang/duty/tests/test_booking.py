"""Booking a talk: every rule of `booking_create`, cancel and move, and the reminder.

The fixtures here (`rooms`, `code_for`, `make_shift`, `intake_for`) are shared by the other
test_booking_*.py files. Shifts and slots are made directly with the ORM, as the roster
would make them.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation

from xieshang.conftest import Cast
from xieshang.core.errors import Conflict, DomainError, Forbidden, TransitionNotAllowed
from xieshang.core.models import ActorKind, Event
from xieshang.core.privacy import decrypt, lookup_hash
from xieshang.core.sms import ConsoleBackend
from xieshang.duty.models import Booking, BookingStatus, MeetingMode, Shift, ShiftStatus, Slot
from xieshang.duty.services.booking import (
    BookingIntake,
    SlotTaken,
    booking_cancel,
    booking_create,
    booking_move,
    slot_taken_message,
)
from xieshang.duty.services.verification import verification_send
from xieshang.duty.tasks import bookings_remind
from xieshang.people.models import Member
from xieshang.workrooms.models import ServicePoint, Workroom, WorkroomKind, WorkroomStatus

PHONE = "13800138000"
OTHER_PHONE = "13900139000"


def make_shift(
    workroom: Workroom,
    member: Member,
    day: date,
    *,
    start: time = time(14, 30),
    slots: int = 3,
    minutes: int = 20,
    capacity: int = 1,
    status: str = ShiftStatus.SCHEDULED,
) -> Shift:
    tz = timezone.get_current_timezone()
    starts_at = datetime.combine(day, start, tzinfo=tz)
    shift = Shift.objects.create(
        committee_id=workroom.committee_id,
        workroom=workroom,
        member=member,
        date=day,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes * slots),
    )
    if status != ShiftStatus.SCHEDULED:
        Shift.objects.filter(pk=shift.pk).update(status=status)
    Slot.objects.bulk_create(
        Slot(
            shift=shift,
            starts_at=starts_at + timedelta(minutes=minutes * i),
            ends_at=starts_at + timedelta(minutes=minutes * (i + 1)),
            capacity=capacity,
        )
        for i in range(slots)
    )
    return shift


@dataclass
class Rooms:
    tianhe: Workroom
    cloud: Workroom
    haizhu: Workroom
    seat: Member
    haizhu_seat: Member
    shift: Shift  # tomorrow 14:30, three slots of 20 minutes, at the tianhe workroom
    slots: list[Slot]
    cloud_shift: Shift
    point: ServicePoint
    haizhu_point: ServicePoint
    haizhu_slot: Slot

    @property
    def slot(self) -> Slot:
        return self.slots[0]


def tomorrow() -> date:
    return timezone.localdate() + timedelta(days=1)


@pytest.fixture
def rooms(cast: Cast) -> Rooms:
    seat = Member.objects.get(user=cast.member, committee=cast.tianhe)
    haizhu_seat = Member.objects.create(user=cast.outsider, committee=cast.haizhu)
    cloud = Workroom.objects.create(
        committee=cast.tianhe,
        name="天河云工作室",
        code="t-cloud",
        kind=WorkroomKind.CLOUD,
    )
    Workroom.objects.filter(pk__in=[cast.workroom.pk, cloud.pk, cast.haizhu_workroom.pk]).update(
        status=WorkroomStatus.ACTIVE
    )
    Workroom.objects.filter(pk=cast.workroom.pk).update(address="天河区珠江新城东塔 3 楼")
    shift = make_shift(Workroom.objects.get(pk=cast.workroom.pk), seat, tomorrow())
    cloud_shift = make_shift(cloud, seat, tomorrow(), start=time(9, 0))
    haizhu_shift = make_shift(
        Workroom.objects.get(pk=cast.haizhu_workroom.pk), haizhu_seat, tomorrow()
    )
    return Rooms(
        tianhe=Workroom.objects.get(pk=cast.workroom.pk),
        cloud=Workroom.objects.get(pk=cloud.pk),
        haizhu=Workroom.objects.get(pk=cast.haizhu_workroom.pk),
        seat=seat,
        haizhu_seat=haizhu_seat,
        shift=shift,
        slots=list(shift.slots.order_by("starts_at")),
        cloud_shift=cloud_shift,
        point=ServicePoint.objects.create(
            committee=cast.tianhe, name="猎德政务晓屋", address="猎德大道 1 号"
        ),
        haizhu_point=ServicePoint.objects.create(
            committee=cast.haizhu, name="琶洲政务晓屋", address="琶洲大道 2 号"
        ),
        haizhu_slot=haizhu_shift.slots.order_by("starts_at")[0],
    )


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    """Messages are matched by their English msgids, whatever the catalogue says."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def clean_outbox() -> Iterator[None]:
    ConsoleBackend.outbox.clear()
    yield
    ConsoleBackend.outbox.clear()


def last_code(phone: str) -> str:
    """The code in the last text to `phone` (the console backend's outbox)."""
    for to, text in reversed(ConsoleBackend.outbox):
        if to == phone:
            found = re.search(r"\b([0-9]{6})\b", text)
            if found:
                return found.group(1)
    raise AssertionError(f"no code was texted to {phone}")


@pytest.fixture
def code_for(django_capture_on_commit_callbacks: Any) -> Callable[[str], str]:
    def send(phone: str) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            verification_send(phone=phone)
        return last_code(phone)

    return send


def intake_for(
    workroom: Workroom, slot: Slot, code: str, *, phone: str = PHONE, **extra: Any
) -> BookingIntake:
    values: dict[str, Any] = {
        "workroom": workroom,
        "slot_id": slot.pk,
        "mode": MeetingMode.IN_PERSON,
        "citizen_name": "陈女士",
        "phone": phone,
        "code": code,
        "topic": "小区加装电梯",
        "idempotency_key": uuid.uuid4().hex,
    }
    values.update(extra)
    return BookingIntake(**values)


def nothing_booked(*slots: Slot) -> bool:
    return (
        all(Slot.objects.get(pk=s.pk).booked == 0 for s in slots) and not Booking.objects.exists()
    )


# --- Booking -----------------------------------------------------------------------------


def test_it_books_a_free_slot_and_texts_the_citizen(
    rooms: Rooms, code_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    code = code_for(PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        booking, created = booking_create(intake=intake_for(rooms.tianhe, rooms.slot, code))
    assert created
    assert Slot.objects.get(pk=rooms.slot.pk).booked == 1
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.member == rooms.seat
    assert booking.committee_id == rooms.tianhe.committee_id
    assert (booking.starts_at, booking.ends_at) == (rooms.slot.starts_at, rooms.slot.ends_at)
    assert PHONE not in booking.phone_encrypted and decrypt(booking.phone_encrypted) == PHONE
    assert booking.phone_masked == "138****8000"
    assert booking.phone_lookup == lookup_hash(PHONE)
    event = Event.objects.for_object(booking).get()
    assert (event.action, event.actor_kind, event.to_state) == (
        "book",
        ActorKind.CITIZEN,
        "confirmed",
    )
    to, text = ConsoleBackend.outbox[-1]
    assert to == PHONE and booking.code in text


def test_a_double_click_returns_the_same_booking(rooms: Rooms, code_for: Any) -> None:
    intake = intake_for(rooms.tianhe, rooms.slot, code_for(PHONE))
    first, created = booking_create(intake=intake)
    again, created_again = booking_create(intake=intake)
    assert created and not created_again
    assert again.pk == first.pk
    assert Booking.objects.count() == 1
    assert Slot.objects.get(pk=rooms.slot.pk).booked == 1


def test_it_refuses_a_full_slot_and_the_code_still_books_another(
    rooms: Rooms, code_for: Any
) -> None:
    booking_create(intake=intake_for(rooms.tianhe, rooms.slot, code_for(PHONE)))
    code = code_for(OTHER_PHONE)
    with pytest.raises(SlotTaken) as refused:
        booking_create(intake=intake_for(rooms.tianhe, rooms.slot, code, phone=OTHER_PHONE))
    assert refused.value.status == 409
    assert str(refused.value.message) == slot_taken_message()
    assert Slot.objects.get(pk=rooms.slot.pk).booked == 1
    assert Booking.objects.count() == 1
    # The refused booking did not use up the code: another time, same code.
    booking, created = booking_create(
        intake=intake_for(rooms.tianhe, rooms.slots[1], code, phone=OTHER_PHONE)
    )
    assert created and booking.slot_id == rooms.slots[1].pk


def test_it_books_up_to_the_capacity_of_a_slot(rooms: Rooms, code_for: Any) -> None:
    Slot.objects.filter(pk=rooms.slot.pk).update(capacity=2)
    for phone in (PHONE, OTHER_PHONE):
        booking_create(intake=intake_for(rooms.tianhe, rooms.slot, code_for(phone), phone=phone))
    with pytest.raises(SlotTaken):
        booking_create(
            intake=intake_for(
                rooms.tianhe, rooms.slot, code_for("13700137000"), phone="13700137000"
            )
        )
    assert Slot.objects.get(pk=rooms.slot.pk).booked == 2


def test_the_database_refuses_to_overbook_a_slot(rooms: Rooms) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(pk=rooms.slot.pk).update(booked=F("capacity") + 1)


def test_it_refuses_a_slot_that_has_passed(rooms: Rooms, code_for: Any) -> None:
    code = code_for(PHONE)
    with (
        time_machine.travel(rooms.slot.starts_at + timedelta(minutes=1)),
        pytest.raises(DomainError, match="passed"),
    ):
        booking_create(intake=intake_for(rooms.tianhe, rooms.slot, code))
    assert nothing_booked(rooms.slot)


def test_it_refuses_a_slot_on_a_closed_date(rooms: Rooms, code_for: Any) -> None:
    Shift.objects.filter(pk=rooms.shift.pk).update(status=ShiftStatus.CANCELLED)
    with pytest.raises(DomainError, match="closed"):
        booking_create(intake=intake_for(rooms.tianhe, rooms.slot, code_for(PHONE)))
    assert nothing_booked(rooms.slot)


def test_it_refuses_a_slot_of_another_committee(rooms: Rooms, code_for: Any) -> None:
    with pytest.raises(DomainError, match="not offered at this workroom"):
        booking_create(intake=intake_for(rooms.tianhe, rooms.haizhu_slot, code_for(PHONE)))
    assert nothing_booked(rooms.haizhu_slot)


def test_it_refuses_a_slot_of_a_workroom_that_is_not_open(rooms: Rooms, code_for: Any) -> None:
    Workroom.objects.filter(pk=rooms.tianhe.pk).update(status=WorkroomStatus.SUSPENDED)
    with pytest.raises(DomainError, match="not open"):
        booking_create(intake=intake_for(rooms.tianhe, rooms.slot, code_for(PHONE)))
    assert nothing_booked(rooms.slot)


def test_it_refuses_an_overlapping_booking_by_the_same_phone_anywhere(
    rooms: Rooms, code_for: Any
) -> None:
    booking_create(intake=intake_for(rooms.tianhe, rooms.slot, code_for(PHONE)))
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        code = code_for(PHONE)
        # The 海珠 slot is at the same time: another workroom of another committee.
        with pytest.raises(DomainError, match="overlaps"):
            booking_create(intake=intake_for(rooms.haizhu, rooms.haizhu_slot, code))
        assert Slot.objects.get(pk=rooms.haizhu_slot.pk).booked == 0
        # The next slot does not overlap.
        _booking, created = booking_create(intake=intake_for(rooms.tianhe, rooms.slots[1], code))
    assert created


def test_a_cancelled_booking_does_not_block_the_time(rooms: Rooms, code_for: Any) -> None:
    booking, _ = booking_create(intake=intake_for(rooms.tianhe, rooms.slot, code_for(PHONE)))
    booking_cancel(booking=booking)
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        code = code_for(PHONE)
        _again, created = booking_create(intake=intake_for(rooms.tianhe, rooms.slot, code))
    assert created


def test_it_refuses_an_unverified_phone(rooms: Rooms, code_for: Any) -> None:
    with pytest.raises(DomainError, match="no valid code"):
        booking_create(intake=intake_for(rooms.tianhe, rooms.slot, "123456"))
    code = code_for(PHONE)
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(DomainError, match="not right"):
        booking_create(intake=intake_for(rooms.tianhe, rooms.slot, wrong))
    # A code texted to another number does not verify this one.
    with pytest.raises(DomainError):
        booking_create(intake=intake_for(rooms.tianhe, rooms.slot, code, phone=OTHER_PHONE))
    assert nothing_booked(rooms.slot)


def test_a_code_books_only_once(rooms: Rooms, code_for: Any) -> None:
    code = code_for(PHONE)
    booking_create(intake=intake_for(rooms.tianhe, rooms.slot, code))
    with pytest.raises(DomainError, match="no valid code"):
        booking_create(intake=intake_for(rooms.tianhe, rooms.slots[2], code))
    assert Booking.objects.count() == 1


def test_the_cloud_workroom_meets_only_by_video(rooms: Rooms, code_for: Any) -> None:
    slot = rooms.cloud_shift.slots.order_by("starts_at")[0]
    code = code_for(PHONE)
    with pytest.raises(DomainError, match="only by video"):
        booking_create(intake=intake_for(rooms.cloud, slot, code))
    assert nothing_booked(slot)
    booking, _ = booking_create(
        intake=intake_for(rooms.cloud, slot, code, mode=MeetingMode.OWN_PHONE)
    )
    assert booking.is_video and booking.video_url.endswith(booking.video_room)


def test_it_books_a_video_talk_from_a_service_point(rooms: Rooms, code_for: Any) -> None:
    booking, _ = booking_create(
        intake=intake_for(
            rooms.tianhe,
            rooms.slot,
            code_for(PHONE),
            mode=MeetingMode.SERVICE_POINT,
            service_point_id=rooms.point.pk,
        )
    )
    assert booking.service_point == rooms.point


@pytest.mark.parametrize("which", ["haizhu", "inactive", "missing"])
def test_it_refuses_a_service_point_that_is_not_the_committees(
    rooms: Rooms, code_for: Any, which: str
) -> None:
    if which == "inactive":
        ServicePoint.objects.filter(pk=rooms.point.pk).update(is_active=False)
    point_id = {"haizhu": rooms.haizhu_point.pk, "inactive": rooms.point.pk, "missing": None}[which]
    with pytest.raises(DomainError, match="service point"):
        booking_create(
            intake=intake_for(
                rooms.tianhe,
                rooms.slot,
                code_for(PHONE),
                mode=MeetingMode.SERVICE_POINT,
                service_point_id=point_id,
            )
        )
    assert nothing_booked(rooms.slot)


# --- Cancel and move -----------------------------------------------------------------------


@pytest.fixture
def booking(rooms: Rooms, code_for: Any) -> Booking:
    booked, _ = booking_create(intake=intake_for(rooms.tianhe, rooms.slot, code_for(PHONE)))
    return booked


def test_cancelling_gives_the_place_back(
    rooms: Rooms, booking: Booking, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=booking, expected_state=BookingStatus.CONFIRMED)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert Slot.objects.get(pk=rooms.slot.pk).booked == 0
    assert Event.objects.for_object(booking).filter(action="cancel").exists()
    assert ConsoleBackend.outbox[-1][0] == PHONE and booking.code in ConsoleBackend.outbox[-1][1]
    with pytest.raises(TransitionNotAllowed):
        booking_cancel(booking=booking)
    assert Slot.objects.get(pk=rooms.slot.pk).booked == 0


def test_it_refuses_to_cancel_a_talk_that_has_begun(rooms: Rooms, booking: Booking) -> None:
    with (
        time_machine.travel(booking.starts_at + timedelta(minutes=1)),
        pytest.raises(DomainError, match="begun"),
    ):
        booking_cancel(booking=booking)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert Slot.objects.get(pk=rooms.slot.pk).booked == 1


def test_a_member_of_the_committee_may_not_cancel_a_citizens_talk(
    cast: Cast, rooms: Rooms, booking: Booking
) -> None:
    with pytest.raises(Forbidden):
        booking_cancel(booking=booking, actor=cast.member)
    booking_cancel(booking=booking, actor=cast.staff)
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED


def test_moving_takes_the_new_place_and_gives_back_the_old(
    cast: Cast, rooms: Rooms, booking: Booking, django_capture_on_commit_callbacks: Any
) -> None:
    colleague = Member.objects.create(
        user=cast.leader, committee=cast.tianhe
    )  # another member sits the day after
    later = make_shift(rooms.tianhe, colleague, tomorrow() + timedelta(days=1))
    target = later.slots.order_by("starts_at")[1]
    Booking.objects.filter(pk=booking.pk).update(reminded_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        booking_move(booking=booking, slot_id=target.pk, expected_state=BookingStatus.CONFIRMED)
    booking.refresh_from_db()
    assert booking.slot_id == target.pk
    assert (booking.starts_at, booking.ends_at) == (target.starts_at, target.ends_at)
    assert booking.member == colleague
    assert booking.reminded_at is None
    assert booking.status == BookingStatus.CONFIRMED
    assert Slot.objects.get(pk=rooms.slot.pk).booked == 0
    assert Slot.objects.get(pk=target.pk).booked == 1
    assert Event.objects.for_object(booking).filter(action="move").exists()
    assert booking.code in ConsoleBackend.outbox[-1][1]


def test_it_refuses_to_move_to_a_full_slot(rooms: Rooms, booking: Booking, code_for: Any) -> None:
    booking_create(
        intake=intake_for(rooms.tianhe, rooms.slots[1], code_for(OTHER_PHONE), phone=OTHER_PHONE)
    )
    with pytest.raises(Conflict) as refused:
        booking_move(booking=booking, slot_id=rooms.slots[1].pk)
    assert str(refused.value.message) == slot_taken_message()
    booking.refresh_from_db()
    assert booking.slot_id == rooms.slot.pk
    assert [Slot.objects.get(pk=s.pk).booked for s in rooms.slots] == [1, 1, 0]


def test_it_refuses_to_move_to_another_workroom(rooms: Rooms, booking: Booking) -> None:
    for slot in (rooms.haizhu_slot, rooms.cloud_shift.slots.first()):
        assert slot is not None
        with pytest.raises(DomainError, match="not offered"):
            booking_move(booking=booking, slot_id=slot.pk)
    booking.refresh_from_db()
    assert booking.slot_id == rooms.slot.pk


# --- The reminder the day before ---------------------------------------------------------


def test_the_reminder_goes_out_once_the_day_before(
    rooms: Rooms, booking: Booking, code_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    later = make_shift(rooms.tianhe, rooms.seat, tomorrow() + timedelta(days=1))
    not_yet, _ = booking_create(
        intake=intake_for(
            rooms.tianhe,
            later.slots.order_by("starts_at")[0],
            code_for(OTHER_PHONE),
            phone=OTHER_PHONE,
        )
    )
    ConsoleBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert bookings_remind() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert bookings_remind() == 0
    assert [to for to, _text in ConsoleBackend.outbox] == [PHONE]
    assert booking.code in ConsoleBackend.outbox[0][1]
    booking.refresh_from_db()
    not_yet.refresh_from_db()
    assert booking.reminded_at is not None and not_yet.reminded_at is None
    event = Event.objects.for_object(booking).get(action="remind")
    assert event.actor_kind == ActorKind.SYSTEM


def test_no_reminder_for_a_cancelled_talk(
    rooms: Rooms, booking: Booking, django_capture_on_commit_callbacks: Any
) -> None:
    booking_cancel(booking=booking)
    ConsoleBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert bookings_remind() == 0
    assert ConsoleBackend.outbox == []


def test_the_nightly_task_extends_the_rosters(rooms: Rooms) -> None:
    from xieshang.duty.tasks import extend_rosters

    assert extend_rosters() == 0  # no duty pattern in this cast: nothing to generate
