"""The calendar file parses back with the talk's times in Asia/Shanghai."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest

from xieshang.core.models import ActorKind
from xieshang.duty.ical import booking_ical
from xieshang.duty.models import Booking, MeetingMode
from xieshang.duty.services.booking import booking_cancel, booking_create
from xieshang.duty.tests import test_booking as base
from xieshang.duty.tests.test_booking import Rooms, intake_for

SHANGHAI = ZoneInfo("Asia/Shanghai")

# The shared fixtures of test_booking.py.
code_for = base.code_for
rooms = base.rooms


def event_of(data: bytes) -> Any:
    calendar = icalendar.Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    return events[0]


@pytest.mark.django_db
def test_the_calendar_file_parses_back_with_beijing_times(rooms: Rooms, code_for: Any) -> None:
    booking, _ = booking_create(
        intake=intake_for(rooms.tianhe, rooms.slot, code_for("13800138000"))
    )
    event = event_of(booking_ical(booking, link="https://example.cn/b/x/"))
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert event["dtstart"].params["TZID"] == "Asia/Shanghai"
    assert isinstance(start, datetime) and start.tzinfo is not None
    assert start == booking.starts_at and end == booking.ends_at
    local = booking.starts_at.astimezone(SHANGHAI)
    assert (start.hour, start.minute) == (local.hour, local.minute) == (14, 30)
    assert start.utcoffset() == local.utcoffset()
    assert str(event["uid"]) == f"{booking.code}@xieshang"
    assert "天河委员" in str(event["summary"])
    assert str(event["location"]) == "天河区珠江新城东塔 3 楼"
    assert str(event["url"]) == "https://example.cn/b/x/"


@pytest.mark.django_db
def test_a_video_talk_leaves_the_room_out_and_links_the_booking_page(
    rooms: Rooms, code_for: Any
) -> None:
    # The room is shown only around the talk, on the booking page; the file, downloaded
    # at any time and kept in calendars, links to that page instead.
    booking, _ = booking_create(
        intake=intake_for(
            rooms.tianhe, rooms.slot, code_for("13800138000"), mode=MeetingMode.OWN_PHONE
        )
    )
    booking = Booking.objects.get(pk=booking.pk)
    link = "https://example.cn/b/signed-token/"
    data = booking_ical(booking, link=link)
    assert booking.video_room.encode() not in data
    event = event_of(data)
    assert booking.video_room not in str(event["location"])
    assert booking.video_room not in str(event["description"])
    assert str(event["url"]) == link
    assert link in str(event["description"])
    assert booking.video_room.encode() not in booking_ical(booking)


@pytest.mark.django_db
def test_a_cancelled_talk_cancels_the_calendar_entry(rooms: Rooms, code_for: Any) -> None:
    """Issue 19: a cancelled booking offered 添加到我的日历; its file now removes the entry."""
    booking, _ = booking_create(
        intake=intake_for(rooms.tianhe, rooms.slot, code_for("13800138000"))
    )
    booking_cancel(booking=booking, actor=ActorKind.CITIZEN, note="")
    booking.refresh_from_db()
    data = booking_ical(booking, link="https://example.cn/b/x/", language="zh-hans")
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["method"]) == "CANCEL"
    event = event_of(data)
    assert str(event["status"]) == "CANCELLED"
    assert str(event["uid"]) == f"{booking.code}@xieshang"  # the entry added before
    assert str(event["summary"]).startswith("已取消")
