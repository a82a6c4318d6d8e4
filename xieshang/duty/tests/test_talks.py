"""The member's side of booked talks: who sees which booking, check-in and no-show
windows, and the pages around them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation

from xieshang.conftest import Cast, make_user
from xieshang.core.errors import DomainError, Forbidden
from xieshang.core.models import Event
from xieshang.core.privacy import encrypt, lookup_hash, mask_mobile
from xieshang.duty.models import Booking, BookingStatus, MeetingMode, Shift, Slot
from xieshang.duty.selectors.talks import appointments_upcoming, bookings_today_count
from xieshang.duty.services.talks import booking_check_in, booking_no_show
from xieshang.people.models import Member
from xieshang.workrooms.models import Workroom, WorkroomKind, WorkroomStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Wednesday afternoon in Beijing: the talk is at 14:30–14:50.
NOW = datetime(2026, 5, 13, 14, 0, tzinfo=SHANGHAI)
TALK = datetime(2026, 5, 13, 14, 30, tzinfo=SHANGHAI)
PHONE = "13812345678"


@dataclass
class Talks:
    cast: Cast
    seat: Member
    other: Any  # another 天河 member (a User)
    other_seat: Member
    booking: Booking  # with cast.member, today 14:30
    others_booking: Booking  # with the other member
    haizhu_booking: Booking


def make_booking(
    *,
    workroom: Workroom,
    seat: Member,
    starts_at: datetime,
    minutes: int = 20,
    mode: str = MeetingMode.IN_PERSON,
    citizen_name: str = "陈先生",
    topic: str = "小区加装电梯",
    phone: str = PHONE,
    status: str = BookingStatus.CONFIRMED,
) -> Booking:
    ends_at = starts_at + timedelta(minutes=minutes)
    shift = Shift.objects.create(
        committee_id=workroom.committee_id,
        workroom=workroom,
        member=seat,
        date=starts_at.astimezone(SHANGHAI).date(),
        starts_at=starts_at,
        ends_at=ends_at,
    )
    slot = Slot.objects.create(shift=shift, starts_at=starts_at, ends_at=ends_at, booked=1)
    return Booking.objects.create(
        committee_id=workroom.committee_id,
        slot=slot,
        workroom=workroom,
        member=seat,
        starts_at=starts_at,
        ends_at=ends_at,
        mode=mode,
        citizen_name=citizen_name,
        phone_encrypted=encrypt(phone),
        phone_lookup=lookup_hash(phone),
        phone_masked=mask_mobile(phone),
        topic=topic,
        status=status,
        idempotency_key=uuid.uuid4().hex,
    )


@pytest.fixture
def talks(cast: Cast) -> Talks:
    Workroom.objects.filter(pk=cast.workroom.pk).update(status=WorkroomStatus.ACTIVE)
    cast.workroom.refresh_from_db()
    seat = Member.objects.get(user=cast.member)
    other = make_user("t.member2", "天河另一位委员")
    other_seat = Member.objects.create(user=other, committee=cast.tianhe, sector=seat.sector)
    haizhu_member = make_user("h.member", "海珠委员")
    haizhu_seat = Member.objects.create(user=haizhu_member, committee=cast.haizhu)
    return Talks(
        cast=cast,
        seat=seat,
        other=other,
        other_seat=other_seat,
        booking=make_booking(workroom=cast.workroom, seat=seat, starts_at=TALK),
        others_booking=make_booking(
            workroom=cast.workroom,
            seat=other_seat,
            starts_at=TALK + timedelta(hours=1),
            citizen_name="王女士",
            topic="社区停车难",
        ),
        haizhu_booking=make_booking(
            workroom=cast.haizhu_workroom,
            seat=haizhu_seat,
            starts_at=TALK,
            citizen_name="赵先生",
            topic="琶洲路灯不亮",
        ),
    )


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def url(name: str, booking: Booking | None = None) -> str:
    return reverse(f"duty:{name}", args=[booking.pk] if booking else [])


def act(client: Client, booking: Booking, action: str, expected: str | None = None) -> Any:
    return client.post(
        url("appointment_act", booking),
        {"action": action, "expected_state": expected or booking.status},
    )


def status_of(booking: Booking) -> str:
    return Booking.objects.values_list("status", flat=True).get(pk=booking.pk)


# --- My appointments ---------------------------------------------------------------


def test_it_shows_the_member_their_appointments(talks: Talks, client: Client) -> None:
    body = login(client, talks.cast.member).get(url("appointments")).content.decode()
    assert "2026-05-13 14:30" in body  # Beijing time
    assert "天河珠江新城东塔委员工作室" in body
    assert "陈先生" in body and "138****5678" in body and PHONE not in body
    assert "小区加装电梯" in body
    with translation.override("zh-hans"):
        assert str(BookingStatus.CONFIRMED.label) in body
    # Not the other member's, nor 海珠's.
    assert "王女士" not in body and "赵先生" not in body


def test_it_lists_upcoming_before_past(talks: Talks, client: Client) -> None:
    old = make_booking(
        workroom=talks.cast.workroom,
        seat=talks.seat,
        starts_at=TALK - timedelta(days=7),
        citizen_name="过去的市民",
    )
    later = make_booking(
        workroom=talks.cast.workroom,
        seat=talks.seat,
        starts_at=TALK + timedelta(days=7),
        citizen_name="下周的市民",
    )
    response = login(client, talks.cast.member).get(url("appointments"))
    assert [b.pk for b in response.context["upcoming"]] == [talks.booking.pk, later.pk]
    assert [b.pk for b in response.context["past"]] == [old.pk]
    body = response.content.decode()
    assert body.index("陈先生") < body.index("下周的市民") < body.index("过去的市民")


def test_it_shows_the_video_room_only_around_the_talk(
    talks: Talks, client: Client, frozen: Any
) -> None:
    video = make_booking(
        workroom=talks.cast.workroom,
        seat=talks.seat,
        starts_at=TALK + timedelta(hours=2),
        mode=MeetingMode.OWN_PHONE,
    )
    login(client, talks.cast.member)
    assert video.video_room not in client.get(url("appointments")).content.decode()
    assert video.video_room not in client.get(url("appointment", video)).content.decode()
    frozen.move_to(video.starts_at - timedelta(minutes=10))
    assert video.video_url in client.get(url("appointments")).content.decode()
    assert video.video_url in client.get(url("appointment", video)).content.decode()
    frozen.move_to(video.ends_at + timedelta(minutes=31))
    assert video.video_room not in client.get(url("appointments")).content.decode()


def test_another_member_sees_none_of_it(talks: Talks, client: Client) -> None:
    login(client, talks.other)
    body = client.get(url("appointments")).content.decode()
    assert "王女士" in body and "陈先生" not in body
    assert client.get(url("appointment", talks.booking)).status_code == 404
    assert act(client, talks.booking, "check_in").status_code == 404
    assert client.get(url("bookings")).status_code == 403
    assert status_of(talks.booking) == BookingStatus.CONFIRMED


def test_the_member_opens_their_booking(talks: Talks, client: Client) -> None:
    response = login(client, talks.cast.member).get(url("appointment", talks.booking))
    assert response.status_code == 200
    # Half an hour before the talk: check-in is open; a no-show waits for the start.
    assert [t.action for t in response.context["actions"]] == ["check_in"]
    assert any("14:30" in why for why in response.context["not_yet"])
    assert not response.context["can_record"]


def test_staff_see_every_booking_of_their_committee(talks: Talks, client: Client) -> None:
    login(client, talks.cast.staff)
    body = client.get(url("bookings")).content.decode()
    assert "陈先生" in body and "王女士" in body and "赵先生" not in body
    response = client.get(url("appointment", talks.booking))
    assert response.status_code == 200
    assert "小区加装电梯" in response.content.decode()
    assert client.get(url("appointments")).status_code == 200
    assert client.get(url("appointment", talks.haizhu_booking)).status_code == 404


def test_the_staff_list_filters(talks: Talks, client: Client) -> None:
    other_room = Workroom.objects.create(
        committee=talks.cast.tianhe,
        name="天河猎德街委员工作室",
        code="t-liede",
        kind=WorkroomKind.STREET,
    )
    elsewhere = make_booking(
        workroom=other_room,
        seat=talks.seat,
        starts_at=TALK + timedelta(days=2),
        citizen_name="猎德的市民",
    )
    login(client, talks.cast.staff)

    def shown(**params: Any) -> set[int]:
        return {b.pk for b in client.get(url("bookings"), params).context["page"]}

    everyone = {talks.booking.pk, talks.others_booking.pk, elsewhere.pk}
    assert shown() == everyone
    assert shown(workroom=other_room.pk) == {elsewhere.pk}
    assert shown(since="2026-05-14") == {elsewhere.pk}
    assert shown(until="2026-05-13") == {talks.booking.pk, talks.others_booking.pk}
    assert shown(since="2026-05-15", until="2026-05-15") == {elsewhere.pk}
    booking_check_in(booking=talks.booking, actor=talks.cast.member)
    assert shown(status=BookingStatus.CHECKED_IN) == {talks.booking.pk}
    assert shown(status="nonsense", since="bad-date") == everyone


def test_haizhu_staff_get_404_on_tianhes_bookings(talks: Talks, client: Client) -> None:
    login(client, talks.cast.outsider)
    body = client.get(url("bookings")).content.decode()
    assert "赵先生" in body and "陈先生" not in body
    assert client.get(url("appointment", talks.booking)).status_code == 404
    assert act(client, talks.booking, "check_in").status_code == 404
    response = client.post(url("talk_record", talks.booking), {"summary": "x"})
    assert response.status_code == 404
    assert status_of(talks.booking) == BookingStatus.CONFIRMED


@pytest.mark.parametrize("name", ["appointments", "bookings", "appointment"])
def test_a_clerk_is_refused(talks: Talks, client: Client, name: str) -> None:
    login(client, talks.cast.clerk)
    target = talks.booking if name == "appointment" else None
    assert client.get(url(name, target)).status_code == 403


@pytest.mark.parametrize("name", ["appointments", "bookings", "appointment"])
def test_anonymous_users_are_sent_to_log_in(talks: Talks, client: Client, name: str) -> None:
    target = talks.booking if name == "appointment" else None
    response = client.get(url(name, target))
    assert response.status_code == 302 and "login" in response["Location"]


def test_anonymous_posts_change_nothing(talks: Talks, client: Client) -> None:
    response = act(client, talks.booking, "check_in")
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.get(url("appointment_act", talks.booking)).status_code == 405
    assert status_of(talks.booking) == BookingStatus.CONFIRMED


# --- Check-in and no-show ----------------------------------------------------------


def test_check_in_opens_30_minutes_before_the_talk(
    talks: Talks, client: Client, frozen: Any
) -> None:
    login(client, talks.cast.member)
    frozen.move_to(TALK - timedelta(minutes=31))
    response = act(client, talks.booking, "check_in")
    assert response.status_code == 400
    assert "30" in response.content.decode()
    assert status_of(talks.booking) == BookingStatus.CONFIRMED
    assert not Event.objects.for_object(talks.booking).exists()

    frozen.move_to(TALK - timedelta(minutes=30))
    response = act(client, talks.booking, "check_in")
    assert response.status_code == 302
    assert status_of(talks.booking) == BookingStatus.CHECKED_IN
    event = Event.objects.for_object(talks.booking).get()
    assert (event.action, event.actor) == ("check_in", talks.cast.member)


def test_check_in_closes_at_the_end_of_the_talk(talks: Talks, frozen: Any) -> None:
    frozen.move_to(talks.booking.ends_at + timedelta(seconds=1))
    with (
        translation.override("en"),
        pytest.raises(DomainError, match="no longer be checked in"),
    ):
        booking_check_in(booking=talks.booking, actor=talks.cast.member)
    assert status_of(talks.booking) == BookingStatus.CONFIRMED
    frozen.move_to(talks.booking.ends_at)
    booking_check_in(booking=talks.booking, actor=talks.cast.member)
    assert status_of(talks.booking) == BookingStatus.CHECKED_IN


def test_staff_may_check_in_and_another_member_may_not(talks: Talks, frozen: Any) -> None:
    frozen.move_to(TALK)
    with pytest.raises(Forbidden):
        booking_check_in(booking=talks.booking, actor=talks.other)
    assert status_of(talks.booking) == BookingStatus.CONFIRMED
    booking_check_in(booking=talks.booking, actor=talks.cast.staff)
    assert status_of(talks.booking) == BookingStatus.CHECKED_IN


def test_no_show_only_after_the_start(talks: Talks, client: Client, frozen: Any) -> None:
    login(client, talks.cast.member)
    frozen.move_to(TALK - timedelta(seconds=1))
    response = act(client, talks.booking, "no_show")
    assert response.status_code == 400
    assert status_of(talks.booking) == BookingStatus.CONFIRMED
    frozen.move_to(TALK)
    assert act(client, talks.booking, "no_show").status_code == 302
    assert status_of(talks.booking) == BookingStatus.NO_SHOW
    # Neither step is offered any more.
    response = client.get(url("appointment", talks.booking))
    assert response.context["actions"] == [] and not response.context["can_record"]


def test_staff_mark_a_no_show_and_another_member_may_not(talks: Talks, frozen: Any) -> None:
    frozen.move_to(TALK + timedelta(minutes=5))
    with pytest.raises(Forbidden):
        booking_no_show(booking=talks.booking, actor=talks.other)
    booking_no_show(booking=talks.booking, actor=talks.cast.staff)
    assert status_of(talks.booking) == BookingStatus.NO_SHOW


def test_a_stale_page_gets_409(talks: Talks, client: Client, frozen: Any) -> None:
    frozen.move_to(TALK)
    login(client, talks.cast.member)
    assert act(client, talks.booking, "check_in", BookingStatus.CONFIRMED).status_code == 302
    response = act(client, talks.booking, "no_show", BookingStatus.CONFIRMED)
    assert response.status_code == 409
    assert status_of(talks.booking) == BookingStatus.CHECKED_IN
    assert Event.objects.for_object(talks.booking).count() == 1


def test_only_the_pages_own_actions_are_taken(talks: Talks, client: Client) -> None:
    login(client, talks.cast.staff)
    assert act(client, talks.booking, "cancel").status_code == 400
    assert act(client, talks.booking, "record").status_code == 400
    assert client.post(url("appointment_act", talks.booking), {}).status_code == 400
    assert status_of(talks.booking) == BookingStatus.CONFIRMED


# --- For the home page -------------------------------------------------------------


def test_the_home_page_selectors(talks: Talks) -> None:
    make_booking(
        workroom=talks.cast.workroom,
        seat=talks.seat,
        starts_at=TALK - timedelta(days=1),
    )
    cancelled = make_booking(
        workroom=talks.cast.workroom,
        seat=talks.seat,
        starts_at=TALK + timedelta(hours=3),
        status=BookingStatus.CANCELLED,
    )
    later = make_booking(
        workroom=talks.cast.workroom, seat=talks.seat, starts_at=TALK + timedelta(days=3)
    )
    mine = appointments_upcoming(user=talks.cast.member)
    assert [b.pk for b in mine] == [talks.booking.pk, later.pk]
    assert cancelled.pk not in [b.pk for b in mine]
    assert [b.pk for b in appointments_upcoming(user=talks.cast.member, limit=1)] == [
        talks.booking.pk
    ]
    assert appointments_upcoming(user=talks.cast.staff) == []
    # Today in Beijing: the member's 14:30 and the other member's 15:30 (not cancelled).
    assert bookings_today_count(user=talks.cast.staff) == 2
    assert bookings_today_count(user=talks.cast.outsider) == 1
    assert bookings_today_count(user=talks.cast.member) == 0
    assert bookings_today_count(user=talks.cast.superuser) == 3


RECORD_FORM = {
    "summary": "谈了加装电梯。",
    "issue-TOTAL_FORMS": "0",
    "issue-INITIAL_FORMS": "0",
    "issue-MIN_NUM_FORMS": "0",
    "issue-MAX_NUM_FORMS": "5",
}


def test_a_step_is_offered_only_when_it_can_be_taken_and_says_when_it_will_be(
    talks: Talks, client: Client, frozen: Any
) -> None:
    """Days before, the page offers no check-in but says when it opens; a no-show and the
    record wait for the start; after the record the page promises no video room."""
    video = make_booking(
        workroom=talks.cast.workroom,
        seat=talks.seat,
        starts_at=TALK + timedelta(days=3),
        mode=MeetingMode.OWN_PHONE,
    )
    login(client, talks.cast.member)

    def page() -> tuple[list[str], str, bool]:
        login(client, talks.cast.member)  # days pass: a new session
        response = client.get(url("appointment", video))
        actions = [t.action for t in response.context["actions"]]
        return actions, response.content.decode(), response.context["can_record"]

    actions, body, can_record = page()
    assert actions == [] and not can_record
    assert 'value="check_in"' not in body and 'value="no_show"' not in body
    assert "2026-05-16 14:00" in body  # check-in opens 30 minutes before 14:30
    assert "视频会议室将于" in body  # the room is still to come

    frozen.move_to(video.starts_at - timedelta(minutes=10))
    actions, body, can_record = page()
    assert actions == ["check_in"] and not can_record
    assert "2026-05-16 14:30" in body  # when a no-show can be marked
    booking_check_in(booking=video, actor=talks.cast.member)

    # Checked in ten minutes early: the record waits for the start, page and service alike.
    actions, body, can_record = page()
    assert not can_record and "2026-05-16 14:30" in body
    response = client.post(url("talk_record", video), RECORD_FORM)
    assert response.status_code == 400
    assert status_of(video) == BookingStatus.CHECKED_IN

    frozen.move_to(video.starts_at + timedelta(minutes=5))
    assert page()[2]
    response = client.post(url("talk_record", video), RECORD_FORM)
    assert response.status_code == 302, response.content.decode()[-800:]
    assert status_of(video) == BookingStatus.COMPLETED
    frozen.move_to(video.ends_at + timedelta(minutes=40))
    _actions, body, _ = page()
    assert "视频会议室将于" not in body and video.video_url not in body
