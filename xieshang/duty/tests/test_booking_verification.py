"""The SMS code: one a minute, ten minutes valid, a hash only, five wrong tries lock the
number for fifteen minutes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone, translation

from xieshang.core.errors import DomainError
from xieshang.core.privacy import lookup_hash
from xieshang.core.sms import ConsoleBackend
from xieshang.duty.models import PhoneVerification
from xieshang.duty.services.verification import (
    PhoneLocked,
    TooSoon,
    verification_check,
    verification_send,
)
from xieshang.duty.tests.test_booking import PHONE, last_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    ConsoleBackend.outbox.clear()
    with translation.override("en"):
        yield


def send(phone: str, capture: Any) -> str:
    with capture(execute=True):
        verification_send(phone=phone)
    return last_code(phone)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_it_texts_a_code_and_stores_only_a_hash(django_capture_on_commit_callbacks: Any) -> None:
    code = send(PHONE, django_capture_on_commit_callbacks)
    row = PhoneVerification.objects.get()
    assert row.phone_lookup == lookup_hash(PHONE)
    assert code not in row.code_hash and PHONE not in row.code_hash
    assert row.expires_at - row.created_at == timedelta(minutes=10)
    assert verification_check(phone=PHONE, code=code) == row


def test_one_code_a_minute_and_a_new_code_replaces_the_old(
    django_capture_on_commit_callbacks: Any,
) -> None:
    first = send(PHONE, django_capture_on_commit_callbacks)
    with pytest.raises(TooSoon, match="another in"):
        verification_send(phone=PHONE)
    assert PhoneVerification.objects.count() == 1
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        second = send(PHONE, django_capture_on_commit_callbacks)
        if second != first:
            with pytest.raises(DomainError):
                verification_check(phone=PHONE, code=first)
        assert verification_check(phone=PHONE, code=second)


def test_a_code_expires_after_ten_minutes(django_capture_on_commit_callbacks: Any) -> None:
    code = send(PHONE, django_capture_on_commit_callbacks)
    with (
        time_machine.travel(timezone.now() + timedelta(minutes=10, seconds=1)),
        pytest.raises(DomainError, match="no valid code"),
    ):
        verification_check(phone=PHONE, code=code)


def test_five_wrong_codes_lock_the_number_for_fifteen_minutes(
    django_capture_on_commit_callbacks: Any,
) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        code = send(PHONE, django_capture_on_commit_callbacks)
        for left in (4, 3, 2, 1):
            with pytest.raises(DomainError, match=f"{left} tries left"):
                verification_check(phone=PHONE, code=wrong(code))
        with pytest.raises(PhoneLocked) as locked:
            verification_check(phone=PHONE, code=wrong(code))
        until = timezone.localtime(start + timedelta(minutes=15)).strftime("%H:%M")
        assert until in str(locked.value.message)
        assert PhoneVerification.objects.get().failed_attempts == 5
        # Locked: the right code and a new code are refused alike.
        with pytest.raises(PhoneLocked):
            verification_check(phone=PHONE, code=code)
    with (
        time_machine.travel(start + timedelta(minutes=5), tick=False),
        pytest.raises(PhoneLocked, match=until),
    ):
        verification_send(phone=PHONE)
    with time_machine.travel(start + timedelta(minutes=15, seconds=1), tick=False):
        fresh = send(PHONE, django_capture_on_commit_callbacks)
        assert verification_check(phone=PHONE, code=fresh)


def test_the_lock_is_per_number(django_capture_on_commit_callbacks: Any) -> None:
    code = send(PHONE, django_capture_on_commit_callbacks)
    for _ in range(5):
        with pytest.raises(DomainError):
            verification_check(phone=PHONE, code=wrong(code))
    other = send("13900139000", django_capture_on_commit_callbacks)
    assert verification_check(phone="13900139000", code=other)
