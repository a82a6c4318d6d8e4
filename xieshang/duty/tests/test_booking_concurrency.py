"""Fifty citizens press "book" on one slot at the same moment (PostgreSQL): exactly its
capacity succeed, the rest are told it has just been booked, and the count never passes
the capacity."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django.utils import translation

from xieshang.duty.models import Booking, Slot
from xieshang.duty.services.booking import SlotTaken, booking_create, slot_taken_message
from xieshang.duty.tests import test_booking as base
from xieshang.duty.tests.test_booking import Rooms, intake_for

CITIZENS = 50

# The shared fixtures of test_booking.py.
code_for = base.code_for
rooms = base.rooms


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("capacity", [1, 3])
def test_fifty_concurrent_bookings_of_one_slot_give_exactly_its_capacity(
    rooms: Rooms,
    code_for: Any,
    capacity: int,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the race is run on PostgreSQL; SQLite serialises every writer")
    Slot.objects.filter(pk=rooms.slot.pk).update(capacity=capacity)
    phones = [f"1380000{n:04d}" for n in range(CITIZENS)]
    intakes = [
        intake_for(rooms.tianhe, rooms.slot, code_for(phone), phone=phone) for phone in phones
    ]
    barrier = threading.Barrier(CITIZENS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def citizen(n: int) -> None:
        try:
            with translation.override("en"):
                barrier.wait(timeout=60)
                try:
                    booking_create(intake=intakes[n])
                    outcome = "booked"
                except SlotTaken as exc:
                    outcome = str(exc.message)
                except Exception as exc:  # any other outcome fails the test
                    outcome = f"{type(exc).__name__}: {exc}"
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=citizen, args=(n,)) for n in range(CITIZENS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(outcomes) == CITIZENS
    with translation.override("en"):
        taken = slot_taken_message()
    assert outcomes.count("booked") == capacity
    assert outcomes.count(taken) == CITIZENS - capacity, set(outcomes)
    assert Slot.objects.get(pk=rooms.slot.pk).booked == capacity
    assert Booking.objects.filter(slot=rooms.slot).count() == capacity
