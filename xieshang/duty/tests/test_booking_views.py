"""The public booking pages: from the committee or a workroom's QR code to the
confirmation page, and the signed link that cancels, moves and downloads."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import signing
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from xieshang.core.sms import ConsoleBackend
from xieshang.duty.models import Booking, BookingStatus, MeetingMode, PhoneVerification, Slot
from xieshang.duty.selectors.booking import BOOKING_LINK_SALT, booking_token
from xieshang.duty.services.booking import booking_create, slot_taken_message
from xieshang.duty.tests import test_booking as base
from xieshang.duty.tests.test_booking import PHONE, Rooms, intake_for, last_code

# The shared fixtures of test_booking.py.
rooms = base.rooms
code_for = base.code_for

pytestmark = pytest.mark.django_db

# The shared fixtures of test_booking.py.


@pytest.fixture(autouse=True)
def fresh_outbox() -> Iterator[None]:
    ConsoleBackend.outbox.clear()
    # The limit on codes per client address counts in the cache, which outlives a test.
    cache.clear()
    yield


def book_url(rooms: Rooms, **query: Any) -> str:
    url = reverse("duty:book_workroom", kwargs={"code": rooms.tianhe.code})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def form_data(rooms: Rooms, slot: Slot, **extra: Any) -> dict[str, Any]:
    data = {
        "slot": slot.pk,
        "mode": MeetingMode.IN_PERSON,
        "citizen_name": "陈女士",
        "phone": "138 0013 8000",
        "code": "",
        "topic": "小区加装电梯",
        "consent": "on",
        "idempotency_key": "k" + str(slot.pk) + "x" * 10,
        "website": "",
    }
    data.update(extra)
    return data


def test_the_committee_entry_lists_its_open_workrooms_cloud_first(
    client: Client, rooms: Rooms
) -> None:
    response = client.get(reverse("duty:book", kwargs={"code": "tianhe"}))
    assert response.status_code == 200
    names = [w.name for w in response.context["workrooms"]]
    assert names == ["天河云工作室", "天河珠江新城东塔委员工作室"]
    assert "海珠琶洲协商示范点" not in response.content.decode()
    assert [w.free_slots for w in response.context["workrooms"]] == [3, 3]


def test_the_workroom_page_shows_days_then_slots_with_the_member_on_duty(
    client: Client, rooms: Rooms
) -> None:
    response = client.get(book_url(rooms))
    day = timezone.localdate(rooms.slot.starts_at)
    assert [(d.day, d.free) for d in response.context["days"]] == [(day, 3)]
    response = client.get(book_url(rooms, day=day.isoformat()))
    assert [s.pk for s in response.context["slots"]] == [s.pk for s in rooms.slots]
    assert "天河委员" in response.content.decode()


def test_a_full_slot_is_not_offered(client: Client, rooms: Rooms) -> None:
    Slot.objects.filter(pk=rooms.slot.pk).update(booked=1)
    day = timezone.localdate(rooms.slot.starts_at)
    response = client.get(book_url(rooms, day=day.isoformat()))
    assert rooms.slot.pk not in [s.pk for s in response.context["slots"]]


def test_a_slot_of_another_workroom_is_not_found(client: Client, rooms: Rooms) -> None:
    assert client.get(book_url(rooms, slot=rooms.haizhu_slot.pk)).status_code == 404
    response = client.post(book_url(rooms), form_data(rooms, rooms.haizhu_slot))
    assert response.status_code == 404
    assert not Booking.objects.exists()


def test_the_cloud_workroom_does_not_offer_to_meet_in_person(client: Client, rooms: Rooms) -> None:
    slot = rooms.cloud_shift.slots.order_by("starts_at")[0]
    url = reverse("duty:book_workroom", kwargs={"code": rooms.cloud.code})
    response = client.get(url + f"?slot={slot.pk}")
    modes = [value for value, _label in response.context["form"].fields["mode"].choices]
    assert modes == [MeetingMode.SERVICE_POINT, MeetingMode.OWN_PHONE]
    response = client.post(url, form_data(rooms, slot, code="123456"))
    assert response.status_code == 400
    assert not Booking.objects.exists()


def test_a_citizen_books_with_a_texted_code(
    client: Client, rooms: Rooms, django_capture_on_commit_callbacks: Any
) -> None:
    response = client.get(book_url(rooms, slot=rooms.slot.pk))
    assert response.status_code == 200
    data = form_data(rooms, rooms.slot, action="send_code")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(book_url(rooms), data)
    assert response.status_code == 200 and response.context["code_sent"]
    assert response.context["form"]["topic"].value() == "小区加装电梯"  # kept
    data.update(action="book", code=last_code(PHONE))
    response = client.post(book_url(rooms), data)
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (
        response["Location"]
        == reverse("duty:booking", kwargs={"token": booking_token(booking)}) + "?new=1"
    )
    # A second click of the same form: the same booking.
    again = client.post(book_url(rooms), data)
    assert again.status_code == 302 and again["Location"] == response["Location"]
    assert Booking.objects.count() == 1
    page = client.get(response["Location"])
    assert booking.code in page.content.decode()
    assert PHONE not in page.content.decode()


def test_a_wrong_code_keeps_the_form_and_says_so(
    client: Client, rooms: Rooms, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(book_url(rooms), form_data(rooms, rooms.slot, action="send_code"))
    code = last_code(PHONE)
    with translation.override("en"):
        response = client.post(
            book_url(rooms), form_data(rooms, rooms.slot, code=f"{(int(code) + 1) % 10**6:06d}")
        )
    assert response.status_code == 400
    assert response.context["form"]["citizen_name"].value() == "陈女士"
    assert not Booking.objects.exists()


def test_a_slot_just_taken_says_already_booked(client: Client, rooms: Rooms, code_for: Any) -> None:
    booking_create(
        intake=intake_for(rooms.tianhe, rooms.slot, code_for("13900139000"), phone="13900139000")
    )
    code = code_for(PHONE)
    response = client.post(book_url(rooms), form_data(rooms, rooms.slot, code=code))
    assert response.status_code == 409
    assert slot_taken_message() in response.content.decode()
    assert Booking.objects.count() == 1


@pytest.fixture
def booking(rooms: Rooms, code_for: Any) -> Booking:
    booked, _ = booking_create(
        intake=intake_for(rooms.tianhe, rooms.slot, code_for(PHONE), mode=MeetingMode.OWN_PHONE)
    )
    return Booking.objects.get(pk=booked.pk)


def link(booking: Booking, name: str = "duty:booking") -> str:
    return reverse(name, kwargs={"token": booking_token(booking)})


def test_a_forged_link_is_not_found(client: Client, booking: Booking) -> None:
    token = booking_token(booking)
    forged = [
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        signing.dumps({"b": booking.pk, "c": booking.code}, salt="another purpose"),
        signing.dumps({"b": booking.pk, "c": "WRONGCODE"}, salt=BOOKING_LINK_SALT),
    ]
    for bad in forged:
        for name in ("duty:booking", "duty:booking_ical", "duty:booking_move"):
            assert client.get(reverse(name, kwargs={"token": bad})).status_code == 404
        assert client.post(reverse("duty:booking_cancel", kwargs={"token": bad})).status_code == 404
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED


def test_a_link_expires_when_the_talk_is_over(client: Client, booking: Booking) -> None:
    with time_machine.travel(booking.ends_at + timedelta(minutes=1)):
        assert client.get(link(booking)).status_code == 400
        assert client.post(link(booking, "duty:booking_cancel")).status_code == 400
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED
    assert Slot.objects.get(pk=booking.slot_id).booked == 1


def test_the_video_room_shows_only_around_the_talk(client: Client, booking: Booking) -> None:
    assert booking.video_url not in client.get(link(booking)).content.decode()
    with time_machine.travel(booking.starts_at - timedelta(minutes=10)):
        assert booking.video_url in client.get(link(booking)).content.decode()


def test_the_calendar_file_downloads(client: Client, booking: Booking) -> None:
    response = client.get(link(booking, "duty:booking_ical"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert f"{booking.code}@xieshang".encode() in response.content


def test_the_citizen_cancels_by_the_link(client: Client, booking: Booking) -> None:
    assert client.get(link(booking, "duty:booking_cancel")).status_code == 405
    response = client.post(link(booking, "duty:booking_cancel"), {"expected_state": "confirmed"})
    assert response.status_code == 302
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED
    assert Slot.objects.get(pk=booking.slot_id).booked == 0
    # The page of a stale form: 409, nothing changed.
    again = client.post(link(booking, "duty:booking_cancel"), {"expected_state": "confirmed"})
    assert again.status_code == 409


def test_the_citizen_moves_by_the_link(client: Client, rooms: Rooms, booking: Booking) -> None:
    response = client.get(link(booking, "duty:booking_move"))
    offered = [s.pk for _day, slots in response.context["days"] for s in slots]
    assert offered == [rooms.slots[1].pk, rooms.slots[2].pk]
    response = client.post(link(booking, "duty:booking_move"), {"slot": rooms.slots[2].pk})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.slot_id == rooms.slots[2].pk
    assert [Slot.objects.get(pk=s.pk).booked for s in rooms.slots] == [0, 0, 1]
    forged = client.post(link(booking, "duty:booking_move"), {"slot": rooms.haizhu_slot.pk})
    assert forged.status_code == 400
    assert Slot.objects.get(pk=rooms.haizhu_slot.pk).booked == 0


def test_the_link_is_in_the_text_when_the_site_address_is_set(
    settings: Any, rooms: Rooms, code_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.BOOKING_LINK_BASE_URL = "https://xieshang.example.cn"
    code = code_for(PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        booking, _ = booking_create(intake=intake_for(rooms.tianhe, rooms.slot, code))
    text = ConsoleBackend.outbox[-1][1]
    found = re.search(r"https://xieshang\.example\.cn(/b/[^/]+/)", text)
    assert found and found.group(1) == link(booking)


def test_a_topic_over_the_limit_is_kept_and_counted(client: Client, rooms: Rooms) -> None:
    page = client.get(book_url(rooms, slot=rooms.slot.pk)).content.decode()
    assert 'data-maxlength="200"' in page  # a live counter, no silent cut
    topic = "电" * 230
    response = client.post(book_url(rooms), form_data(rooms, rooms.slot, topic=topic))
    body = response.content.decode()
    assert response.status_code == 400
    assert "内容不能超过200字，现在是230字" in body
    assert topic in body
    assert not Booking.objects.exists()


# --- Finding a booking whose link was lost (issue 19, item 4) ---------------------------


@pytest.fixture
def later(booking: Booking) -> Iterator[None]:
    """Two minutes after booking: a new code may be texted to the same number."""
    with time_machine.travel(timezone.now() + timedelta(minutes=2), tick=False):
        yield


def test_a_citizen_finds_a_lost_booking_by_its_code_and_number(
    client: Client, booking: Booking, later: None, django_capture_on_commit_callbacks: Any
) -> None:
    url = reverse("duty:booking_find")
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, {"action": "send_code", "phone": "138 0013 8000"})
    assert sent.status_code == 200 and sent.context["code_sent"]
    code = last_code(PHONE)
    # The code written as people do: lower case, with a space.
    typed = booking.code[:4].lower() + " " + booking.code[4:]
    found = client.post(
        url, {"action": "find", "booking_code": typed, "phone": PHONE, "code": code}
    )
    assert found.status_code == 302 and found["Location"] == link(booking)
    # The code is used up: the same form again is refused.
    again = client.post(
        url, {"action": "find", "booking_code": booking.code, "phone": PHONE, "code": code}
    )
    assert again.status_code == 400 and "验证码" in again.content.decode()


def test_a_wrong_code_or_another_number_finds_nothing_and_tells_nothing(
    client: Client, booking: Booking, later: None, code_for: Any
) -> None:
    url = reverse("duty:booking_find")
    other = "13900139000"
    code = code_for(other)
    # The right booking code with another number (whose code is right): no booking told.
    refused = client.post(
        url, {"action": "find", "booking_code": booking.code, "phone": other, "code": code}
    )
    body = refused.content.decode()
    assert refused.status_code == 400
    assert "没有与该预约号和手机号对应的预约" in body and booking.topic not in body
    # A wrong SMS code: refused before any booking is looked at, the try counted.
    code = code_for(PHONE)
    wrong = "000000" if code != "000000" else "111111"
    refused = client.post(
        url, {"action": "find", "booking_code": booking.code, "phone": PHONE, "code": wrong}
    )
    assert refused.status_code == 400 and "不正确" in refused.content.decode()
    assert PhoneVerification.objects.filter(failed_attempts=1).count() == 1
    # Missing fields: marked, nothing sent.
    empty = client.post(url, {"action": "find"})
    assert empty.status_code == 400 and empty.context["form"].errors.keys() >= {
        "booking_code",
        "phone",
        "code",
    }
