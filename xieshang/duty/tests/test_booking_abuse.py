"""Review fixes of the public booking: wrong codes counted per number under its lock, the
limits on sending codes, a replayed form key, holidays entered after the shifts, the
masked number in the log, the hourly reminder and the citizen's link in the SMS."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from xieshang.core.errors import DomainError
from xieshang.core.models import CalendarDay, DayKind
from xieshang.core.privacy import lookup_hash
from xieshang.core.sms import ConsoleBackend, sms_send
from xieshang.duty.models import Booking, PhoneVerification, Slot
from xieshang.duty.selectors.booking import (
    bookable_workrooms,
    booking_get_by_token,
    booking_token,
    free_days,
    free_slots,
)
from xieshang.duty.services.booking import booking_create, booking_move
from xieshang.duty.services.verification import (
    MAX_SENDS_PER_ADDRESS_HOUR,
    MAX_SENDS_PER_DAY,
    PhoneLocked,
    SendLimit,
    TooSoon,
    verification_check,
    verification_send,
)
from xieshang.duty.tests import test_booking as base
from xieshang.duty.tests.test_booking import OTHER_PHONE, PHONE, Rooms, intake_for, last_code

pytestmark = pytest.mark.django_db

# The shared fixtures of test_booking.py.
rooms = base.rooms
code_for = base.code_for


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    ConsoleBackend.outbox.clear()
    cache.clear()
    with translation.override("en"):
        yield
    cache.clear()


def send(phone: str, capture: Any, client_ip: str = "") -> str:
    with capture(execute=True):
        verification_send(phone=phone, client_ip=client_ip)
    return last_code(phone)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def failures(phone: str) -> int:
    return sum(
        PhoneVerification.objects.filter(phone_lookup=lookup_hash(phone)).values_list(
            "failed_attempts", flat=True
        )
    )


# --- 1. The lock and the count are read after the number's rows are locked -------------


def test_a_guess_that_waited_for_the_lock_sees_the_tries_before_it(
    django_capture_on_commit_callbacks: Any,
) -> None:
    """A guess that passed the lock check and then queued on the row lock while four, then
    five, wrong tries were committed: it must not be compared, even when it is right."""
    code = send(PHONE, django_capture_on_commit_callbacks)
    # What the guesses ahead of it committed while it waited (no lock set yet, as when
    # the check before the row lock had already let it through).
    PhoneVerification.objects.update(failed_attempts=5)
    with pytest.raises(PhoneLocked):
        verification_check(phone=PHONE, code=code)
    row = PhoneVerification.objects.get()
    assert row.failed_attempts == 5  # not compared, not counted again
    assert row.locked_until is not None and row.locked_until > timezone.now()


# --- 2. Wrong tries count per number, not per code --------------------------------------


def test_a_new_code_does_not_start_the_count_again(
    django_capture_on_commit_callbacks: Any,
) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        first = send(PHONE, django_capture_on_commit_callbacks)
        for left in (4, 3, 2, 1):
            with pytest.raises(DomainError, match=f"{left} tries left"):
                verification_check(phone=PHONE, code=wrong(first))
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        second = send(PHONE, django_capture_on_commit_callbacks)
        # The fifth wrong try of the number in fifteen minutes locks it.
        with pytest.raises(PhoneLocked):
            verification_check(phone=PHONE, code=wrong(second))
        with pytest.raises(PhoneLocked):
            verification_check(phone=PHONE, code=second)
        with pytest.raises(PhoneLocked):
            verification_send(phone=PHONE)
    assert failures(PHONE) == 5


def test_four_wrong_tries_over_two_codes_leave_the_right_one_usable(
    django_capture_on_commit_callbacks: Any,
) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        first = send(PHONE, django_capture_on_commit_callbacks)
        for _ in range(3):
            with pytest.raises(DomainError):
                verification_check(phone=PHONE, code=wrong(first))
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        second = send(PHONE, django_capture_on_commit_callbacks)
        with pytest.raises(DomainError, match="1 tries left"):
            verification_check(phone=PHONE, code=wrong(second))
        assert verification_check(phone=PHONE, code=second).pk == (
            PhoneVerification.objects.order_by("-created_at").first().pk  # type: ignore[union-attr]
        )


def test_wrong_tries_older_than_the_window_no_longer_count(
    django_capture_on_commit_callbacks: Any,
) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        first = send(PHONE, django_capture_on_commit_callbacks)
        for _ in range(4):
            with pytest.raises(DomainError):
                verification_check(phone=PHONE, code=wrong(first))
    # The first code expired at +10 min; fifteen minutes after that, its tries are gone.
    with time_machine.travel(start + timedelta(minutes=25, seconds=1), tick=False):
        second = send(PHONE, django_capture_on_commit_callbacks)
        with pytest.raises(DomainError, match="4 tries left"):
            verification_check(phone=PHONE, code=wrong(second))


# --- 3. Limits on sending codes ----------------------------------------------------------


def test_one_address_gets_ten_codes_an_hour(django_capture_on_commit_callbacks: Any) -> None:
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    phones = [f"1380000{n:04d}" for n in range(MAX_SENDS_PER_ADDRESS_HOUR + 1)]
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        for phone in phones[:-1]:
            send(phone, django_capture_on_commit_callbacks, client_ip="203.0.113.7")
        # A refusal for another reason (the minute) does not use up the address's hour.
        with pytest.raises(TooSoon):
            verification_send(phone=phones[0], client_ip="203.0.113.8")
        ConsoleBackend.outbox.clear()
        with pytest.raises(SendLimit) as refused:
            verification_send(phone=phones[-1], client_ip="203.0.113.7")
        assert refused.value.status == 429
        assert "from your network" in str(refused.value.message)
        assert ConsoleBackend.outbox == []
        assert not PhoneVerification.objects.filter(phone_lookup=lookup_hash(phones[-1])).exists()
        # Another address is not affected.
        send(phones[-1], django_capture_on_commit_callbacks, client_ip="203.0.113.8")
    with time_machine.travel(start + timedelta(hours=1, minutes=1), tick=False):
        send(OTHER_PHONE, django_capture_on_commit_callbacks, client_ip="203.0.113.7")


def test_a_number_gets_ten_codes_a_day(django_capture_on_commit_callbacks: Any) -> None:
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    morning = datetime(today.year, today.month, today.day, 8, 0, tzinfo=tz)
    morning += timedelta(days=1)
    for n in range(MAX_SENDS_PER_DAY):
        with time_machine.travel(morning + timedelta(minutes=2 * n), tick=False):
            send(PHONE, django_capture_on_commit_callbacks)
    with time_machine.travel(morning + timedelta(hours=3), tick=False):
        ConsoleBackend.outbox.clear()
        with pytest.raises(SendLimit, match="tomorrow") as refused:
            verification_send(phone=PHONE)
        assert refused.value.status == 429
        assert ConsoleBackend.outbox == []
    assert PhoneVerification.objects.count() == MAX_SENDS_PER_DAY
    with time_machine.travel(morning + timedelta(days=1), tick=False):
        send(PHONE, django_capture_on_commit_callbacks)


def test_the_booking_page_answers_429_to_an_address_over_its_limit(
    client: Client, rooms: Rooms, django_capture_on_commit_callbacks: Any
) -> None:
    url = reverse("duty:book_workroom", kwargs={"code": rooms.tianhe.code})

    def ask(phone: str) -> Any:
        data = {
            "slot": rooms.slot.pk,
            "phone": phone,
            "idempotency_key": "k" * 12,
            "action": "send_code",
        }
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data, REMOTE_ADDR="198.51.100.9")

    for n in range(MAX_SENDS_PER_ADDRESS_HOUR):
        assert ask(f"1390000{n:04d}").status_code == 200
    response = ask("13700137000")
    assert response.status_code == 429
    assert "您所在网络本小时获取验证码的次数过多" in response.content.decode()
    assert not PhoneVerification.objects.filter(phone_lookup=lookup_hash("13700137000")).exists()


# --- 5. The console backend logs the number masked, and the code too (issue 20) ----------


def test_the_console_backend_logs_the_number_masked(caplog: pytest.LogCaptureFixture) -> None:
    ConsoleBackend.outbox.clear()
    with caplog.at_level(logging.INFO, logger="xieshang.core.sms"):
        sms_send(phone=PHONE, text="Your verification code is 123456")
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert PHONE not in logged
    assert "138****8000" in logged and "123456" not in logged
    assert ConsoleBackend.outbox[-1] == (PHONE, "【协商】Your verification code is 123456")


# --- 6. A replayed form key is no bearer key ---------------------------------------------


def test_a_used_form_key_with_another_number_is_refused(rooms: Rooms, code_for: Any) -> None:
    first, _ = booking_create(intake=intake_for(rooms.tianhe, rooms.slot, code_for(PHONE)))
    replay = intake_for(
        rooms.tianhe,
        rooms.slot,
        code_for(OTHER_PHONE),
        phone=OTHER_PHONE,
        idempotency_key=first.idempotency_key,
    )
    with pytest.raises(DomainError, match="already been used for another booking"):
        booking_create(intake=replay)
    # Same number, another slot: refused too.
    other_slot = intake_for(
        rooms.tianhe, rooms.slots[1], "000000", idempotency_key=first.idempotency_key
    )
    with pytest.raises(DomainError, match="already been used for another booking"):
        booking_create(intake=other_slot)
    # The double click itself (same number, same slot) still gets its booking.
    again, created = booking_create(
        intake=intake_for(rooms.tianhe, rooms.slot, "000000", idempotency_key=first.idempotency_key)
    )
    assert again.pk == first.pk and not created
    assert Booking.objects.count() == 1


def test_a_used_form_key_is_refused_in_the_race_fallback_too(
    rooms: Rooms, code_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first look-up missed (both halves of a "double click" at once): the INSERT
    hits the unique key, and the booking found then is checked the same way."""
    from xieshang.duty.services import booking as services

    first, _ = booking_create(intake=intake_for(rooms.tianhe, rooms.slot, code_for(PHONE)))
    real = services._replayed
    calls: list[int] = []

    def missed_once(intake: Any) -> Any:
        calls.append(1)
        return None if len(calls) == 1 else real(intake)

    monkeypatch.setattr(services, "_replayed", missed_once)
    replay = intake_for(
        rooms.tianhe,
        rooms.slots[2],
        code_for(OTHER_PHONE),
        phone=OTHER_PHONE,
        idempotency_key=first.idempotency_key,
    )
    with pytest.raises(DomainError, match="already been used for another booking"):
        booking_create(intake=replay)
    assert len(calls) == 2
    assert Booking.objects.count() == 1
    assert Slot.objects.get(pk=rooms.slots[2].pk).booked == 0


def test_the_booking_page_does_not_hand_out_a_link_for_a_replayed_key(
    client: Client, rooms: Rooms, code_for: Any
) -> None:
    first, _ = booking_create(intake=intake_for(rooms.tianhe, rooms.slot, code_for(PHONE)))
    code = code_for(OTHER_PHONE)
    response = client.post(
        reverse("duty:book_workroom", kwargs={"code": rooms.tianhe.code}),
        {
            "slot": rooms.slot.pk,
            "mode": "in_person",
            "citizen_name": "冒名者",
            "phone": OTHER_PHONE,
            "code": code,
            "topic": "想看别人的预约",
            "consent": "on",
            "idempotency_key": first.idempotency_key,
            "website": "",
        },
    )
    assert response.status_code == 400
    assert booking_token(first) not in response.content.decode()
    assert "Location" not in response


# --- 7. A holiday entered after the shifts closes them -----------------------------------


def test_a_holiday_entered_after_the_shifts_is_not_bookable(
    client: Client, rooms: Rooms, code_for: Any
) -> None:
    day = rooms.shift.date
    assert free_slots(workroom=rooms.tianhe).exists()
    CalendarDay.objects.create(date=day, kind=DayKind.HOLIDAY, name="端午节")
    assert not free_slots(workroom=rooms.tianhe).exists()
    assert [d.day for d in free_days(workroom=rooms.tianhe)] == []
    counts = {
        w.pk: getattr(w, "free_slots", None)
        for w in bookable_workrooms(committee=rooms.tianhe.committee)
    }
    assert counts == {rooms.tianhe.pk: 0, rooms.cloud.pk: 0}
    with pytest.raises(DomainError, match="closed that day"):
        booking_create(intake=intake_for(rooms.tianhe, rooms.slot, code_for(PHONE)))
    assert Slot.objects.get(pk=rooms.slot.pk).booked == 0
    assert not Booking.objects.exists()
    page = client.get(
        reverse("duty:book_workroom", kwargs={"code": rooms.tianhe.code}) + f"?day={day}"
    )
    assert page.context["slots"] == [] and page.context["days"] == []
    form = client.get(
        reverse("duty:book_workroom", kwargs={"code": rooms.tianhe.code}) + f"?slot={rooms.slot.pk}"
    )
    assert form.context["slot_open"] is False


def test_a_make_up_workday_stays_bookable(rooms: Rooms) -> None:
    CalendarDay.objects.create(date=rooms.shift.date, kind=DayKind.WORKDAY)
    assert free_slots(workroom=rooms.tianhe).count() == 3


def test_a_talk_cannot_be_moved_onto_a_holiday(rooms: Rooms, code_for: Any) -> None:
    later = base.make_shift(rooms.tianhe, rooms.seat, base.tomorrow() + timedelta(days=1))
    booking, _ = booking_create(intake=intake_for(rooms.tianhe, rooms.slot, code_for(PHONE)))
    CalendarDay.objects.create(date=later.date, kind=DayKind.HOLIDAY)
    target = later.slots.order_by("starts_at")[0]
    with pytest.raises(DomainError, match="closed that day"):
        booking_move(booking=booking, slot_id=target.pk)
    booking.refresh_from_db()
    assert booking.slot_id == rooms.slot.pk
    assert Slot.objects.get(pk=target.pk).booked == 0


# --- 10. The reminder runs hourly; the SMS carries the citizen's link ---------------------


def test_the_reminder_runs_every_hour_from_eight_to_ten_at_night() -> None:
    schedule: Any = django_settings.CELERY_BEAT_SCHEDULE["duty-remind-bookings"]["schedule"]
    assert schedule.minute == {5}
    assert schedule.hour == set(range(8, 23))


def test_a_talk_booked_after_six_in_the_evening_for_tomorrow_is_reminded(
    rooms: Rooms, code_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from xieshang.duty.tasks import bookings_remind

    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    evening = datetime(today.year, today.month, today.day, 19, 30, tzinfo=tz)
    with time_machine.travel(evening, tick=False):
        booking, _ = booking_create(intake=intake_for(rooms.tianhe, rooms.slot, code_for(PHONE)))
    ConsoleBackend.outbox.clear()
    # The next hourly run (20:05) reminds it.
    with (
        time_machine.travel(evening + timedelta(minutes=35), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert bookings_remind() == 1
    assert [to for to, _text in ConsoleBackend.outbox] == [PHONE]
    assert booking.code in ConsoleBackend.outbox[0][1]


def test_the_booking_text_carries_the_link_the_request_came_by(
    client: Client,
    rooms: Rooms,
    code_for: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.BOOKING_LINK_BASE_URL = ""
    code = code_for(PHONE)
    ConsoleBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("duty:book_workroom", kwargs={"code": rooms.tianhe.code}),
            {
                "slot": rooms.slot.pk,
                "mode": "in_person",
                "citizen_name": "陈女士",
                "phone": PHONE,
                "code": code,
                "topic": "小区加装电梯",
                "consent": "on",
                "idempotency_key": "k" * 20,
                "website": "",
            },
        )
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert opens("http://testserver" + response["Location"]) == booking
    to, text = ConsoleBackend.outbox[-1]
    assert to == PHONE and booking.code in text
    assert opens(text) == booking
    # The citizen's move by the link is texted with it too.
    later = base.make_shift(rooms.tianhe, rooms.seat, base.tomorrow() + timedelta(days=1))
    target = later.slots.order_by("starts_at")[0]
    with django_capture_on_commit_callbacks(execute=True):
        moved = client.post(
            reverse("duty:booking_move", kwargs={"token": booking_token(booking)}),
            {"slot": target.pk, "expected_state": "confirmed"},
        )
    assert moved.status_code == 302
    assert opens(ConsoleBackend.outbox[-1][1]) == booking


def opens(text: str) -> Booking:
    """The booking the text's link opens: the link is on the host the request came by.
    Compared by what it opens, not by its characters: the signature carries the second it
    was made."""
    found = re.search(r"http://testserver/b/([^/\s]+)/", text)
    assert found, text
    return booking_get_by_token(token=found.group(1))


def test_the_configured_site_address_comes_first(
    client: Client,
    rooms: Rooms,
    code_for: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.BOOKING_LINK_BASE_URL = "https://xieshang.example.cn"
    code = code_for(PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        booking_create(
            intake=intake_for(rooms.tianhe, rooms.slot, code),
            link_base="http://evil.example/",
        )
    text = ConsoleBackend.outbox[-1][1]
    assert "https://xieshang.example.cn/b/" in text and "evil" not in text
