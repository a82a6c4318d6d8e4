"""The workroom staff cancel (with a reason) or move a talk from its page in the
workspace, e.g. to clear a day that closes; the member on duty and other members cannot."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from xieshang.core.models import Event
from xieshang.core.sms import ConsoleBackend
from xieshang.duty.models import Booking, BookingStatus, Slot
from xieshang.duty.selectors.booking import booking_token
from xieshang.duty.tests import test_talks as base
from xieshang.duty.tests.test_booking import make_shift
from xieshang.duty.tests.test_talks import PHONE, Talks, login, status_of, url

pytestmark = pytest.mark.django_db

# The shared fixtures of test_talks.py (the clock is stopped at 2026-05-13 14:00).
talks = base.talks
frozen = base.frozen


@pytest.fixture(autouse=True)
def fresh_outbox() -> None:
    ConsoleBackend.outbox.clear()


def post(client: Client, booking: Booking, **data: Any) -> Any:
    data.setdefault("expected_state", BookingStatus.CONFIRMED)
    return client.post(url("appointment_act", booking), data)


def booked(booking: Booking) -> int:
    return Slot.objects.values_list("booked", flat=True).get(pk=booking.slot_id)


def free_slot(talks: Talks) -> Slot:
    shift = make_shift(talks.cast.workroom, talks.seat, date(2026, 5, 14), slots=2)
    slot = shift.slots.order_by("starts_at").first()
    assert slot is not None
    return slot


def test_staff_cancel_with_a_reason_and_the_citizen_is_texted(
    talks: Talks, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    login(client, talks.cast.staff)
    page = client.get(url("appointment", talks.booking))
    assert page.context["cancel"] is not None and page.context["move"] is not None
    assert 'value="cancel"' in page.content.decode()
    # No reason: refused, nothing changed.
    assert post(client, talks.booking, action="cancel", note=" ").status_code == 400
    assert status_of(talks.booking) == BookingStatus.CONFIRMED
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, talks.booking, action="cancel", note="工作室当天停电，暂停开放")
    assert response.status_code == 302
    assert response["Location"] == url("appointment", talks.booking)
    assert status_of(talks.booking) == BookingStatus.CANCELLED
    assert booked(talks.booking) == 0
    event = Event.objects.for_object(talks.booking).get(action="cancel")
    assert event.actor == talks.cast.staff and event.note == "工作室当天停电，暂停开放"
    assert [to for to, _text in ConsoleBackend.outbox] == [PHONE]
    assert talks.booking.code in ConsoleBackend.outbox[0][1]
    # A second click of the stale page is refused.
    again = post(client, talks.booking, action="cancel", note="再点一次")
    assert again.status_code == 409


def test_staff_move_a_talk_to_a_free_slot_of_the_workroom(
    talks: Talks, client: Client, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.BOOKING_LINK_BASE_URL = ""
    target = free_slot(talks)
    login(client, talks.cast.staff)
    page = client.get(url("appointment", talks.booking))
    assert target.pk in [s.pk for s in page.context["move_slots"]]
    assert post(client, talks.booking, action="move").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, talks.booking, action="move", slot=target.pk)
    assert response.status_code == 302
    moved = Booking.objects.get(pk=talks.booking.pk)
    assert moved.slot_id == target.pk and moved.status == BookingStatus.CONFIRMED
    assert moved.starts_at == target.starts_at
    assert Slot.objects.get(pk=target.pk).booked == 1
    assert Slot.objects.get(pk=talks.booking.slot_id).booked == 0
    assert Event.objects.for_object(moved).get(action="move").actor == talks.cast.staff
    to, text = ConsoleBackend.outbox[-1]
    assert to == PHONE and moved.code in text
    # The citizen's link, on the address the staff's request came by.
    token = booking_token(moved)
    assert "http://testserver" + reverse("duty:booking", kwargs={"token": token}) in text
    # A slot of another committee's workroom is refused.
    assert post(client, moved, action="move", slot=talks.haizhu_booking.slot_id).status_code == 400


def test_the_member_on_duty_may_neither_cancel_nor_move(
    talks: Talks, client: Client, frozen: Any
) -> None:
    target = free_slot(talks)
    login(client, talks.cast.member)
    page = client.get(url("appointment", talks.booking))
    assert page.context["cancel"] is None and page.context["move"] is None
    assert 'value="cancel"' not in page.content.decode()
    assert post(client, talks.booking, action="cancel", note="不想谈了").status_code == 403
    assert post(client, talks.booking, action="cancel").status_code == 403
    assert post(client, talks.booking, action="move", slot=target.pk).status_code == 403
    assert status_of(talks.booking) == BookingStatus.CONFIRMED
    assert booked(talks.booking) == 1 and Slot.objects.get(pk=target.pk).booked == 0
    assert not Event.objects.for_object(talks.booking).exists()
    assert ConsoleBackend.outbox == []


@pytest.mark.parametrize("who", ["other", "outsider"])
def test_other_members_and_haizhu_staff_get_404(talks: Talks, client: Client, who: str) -> None:
    target = free_slot(talks)
    login(client, talks.other if who == "other" else talks.cast.outsider)
    assert post(client, talks.booking, action="cancel", note="理由").status_code == 404
    assert post(client, talks.booking, action="move", slot=target.pk).status_code == 404
    assert status_of(talks.booking) == BookingStatus.CONFIRMED
    assert Slot.objects.get(pk=target.pk).booked == 0
    assert ConsoleBackend.outbox == []


def test_no_cancel_or_move_once_the_talk_has_begun(
    talks: Talks, client: Client, frozen: Any
) -> None:
    frozen.move_to(talks.booking.starts_at + timedelta(minutes=1))
    login(client, talks.cast.staff)
    page = client.get(url("appointment", talks.booking))
    assert page.context["cancel"] is None and page.context["move"] is None
    assert post(client, talks.booking, action="cancel", note="理由").status_code == 400
    assert status_of(talks.booking) == BookingStatus.CONFIRMED
