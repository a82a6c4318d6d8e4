"""Races on PostgreSQL (skipped on SQLite, which serialises every writer): a burst of
guesses at one number's code, and two talks moved across each other's slots."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.utils import translation

from xieshang.core.errors import DomainError
from xieshang.core.privacy import lookup_hash
from xieshang.duty.models import Booking, PhoneVerification, Slot
from xieshang.duty.services import booking as services
from xieshang.duty.services.booking import booking_create, booking_move
from xieshang.duty.services.verification import PhoneLocked, verification_check
from xieshang.duty.tests import test_booking as base
from xieshang.duty.tests.test_booking import OTHER_PHONE, PHONE, Rooms, intake_for

GUESSES = 30

# The shared fixtures of test_booking.py.
code_for = base.code_for
rooms = base.rooms


def postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the race is run on PostgreSQL; SQLite serialises every writer")


def run_at_once(count: int, work: Callable[[int], str]) -> list[str]:
    barrier = threading.Barrier(count)
    outcomes: list[str] = []
    lock = threading.Lock()

    def one(n: int) -> None:
        try:
            with translation.override("en"):
                barrier.wait(timeout=60)
                try:
                    outcome = work(n)
                except Exception as exc:  # every outcome is recorded
                    outcome = f"{type(exc).__name__}: {exc}"
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_wrong_codes_counts_five_and_locks(rooms: Rooms, code_for: Any) -> None:
    postgres_only()
    code = code_for(PHONE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"

    def guess(_n: int) -> str:
        try:
            verification_check(phone=PHONE, code=wrong)
        except PhoneLocked:
            return "locked"
        except DomainError as exc:
            return "wrong" if "tries left" in str(exc.message) else str(exc.message)
        return "accepted"

    outcomes = run_at_once(GUESSES, guess)
    assert len(outcomes) == GUESSES
    # Each guess is decided on the count the guesses before it committed: four are told
    # how many tries are left, the fifth locks, the rest are not even compared.
    assert outcomes.count("wrong") == 4, outcomes
    assert outcomes.count("locked") == GUESSES - 4, outcomes
    rows = PhoneVerification.objects.filter(phone_lookup=lookup_hash(PHONE))
    assert sum(rows.values_list("failed_attempts", flat=True)) == 5
    assert rows.filter(locked_until__isnull=False).count() == 1
    with pytest.raises(PhoneLocked):
        verification_check(phone=PHONE, code=code)


@pytest.mark.django_db(transaction=True)
def test_two_moves_across_each_others_slots_both_go_through(
    rooms: Rooms, code_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A moves X→Y while B moves Y→X. Each holds its new slot's row when it comes to give
    the old one back: without one locking order, each waits for the other (a deadlock,
    a 500). The moves are held together right after taking the new place, to be sure
    they cross; locked in order, the second waits before taking anything, and both end
    moved."""
    postgres_only()
    x, y = rooms.slots[0], rooms.slots[2]
    Slot.objects.filter(pk__in=[x.pk, y.pk]).update(capacity=2)
    a, _ = booking_create(intake=intake_for(rooms.tianhe, x, code_for(PHONE)))
    b, _ = booking_create(
        intake=intake_for(rooms.tianhe, y, code_for(OTHER_PHONE), phone=OTHER_PHONE)
    )
    crossing = threading.Barrier(2, timeout=3)
    take_place = services._take_place

    def take_then_wait(slot_id: int) -> bool:
        taken = take_place(slot_id)
        # Broken when the other move waits for the slots' lock: then they cannot cross.
        with contextlib.suppress(threading.BrokenBarrierError):
            crossing.wait()
        return taken

    monkeypatch.setattr(services, "_take_place", take_then_wait)
    moves = [(a.pk, y.pk), (b.pk, x.pk)]

    def move(n: int) -> str:
        booking_pk, slot_pk = moves[n]
        booking_move(booking=Booking.objects.get(pk=booking_pk), slot_id=slot_pk)
        return "moved"

    outcomes = run_at_once(2, move)
    assert outcomes == ["moved", "moved"], outcomes
    assert Booking.objects.get(pk=a.pk).slot_id == y.pk
    assert Booking.objects.get(pk=b.pk).slot_id == x.pk
    assert [Slot.objects.get(pk=s.pk).booked for s in (x, y)] == [1, 1]
