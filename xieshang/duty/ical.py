"""The iCalendar file of a booked talk, for the citizen's phone calendar.

Times are written in Beijing time with TZID=Asia/Shanghai and the matching VTIMEZONE, so
a calendar anywhere shows the talk at the hour the workroom means. The UID stays the same
when the talk is moved, so importing the new file updates the entry.

A cancelled talk's file cancels the entry (METHOD:CANCEL, STATUS:CANCELLED, same UID): a
citizen who added the talk removes it by opening the file again.

The file never holds the video room's address: the room is shown only around the talk,
on the citizen's booking page, and the file (downloaded at any time, kept in calendars
and synced to clouds) links to that page instead.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import icalendar
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from xieshang.duty.models import Booking, BookingStatus, MeetingMode

BEIJING = ZoneInfo("Asia/Shanghai")
PRODID = "-//xieshang//duty booking//ZH"


def booking_ical(booking: Booking, *, link: str = "", language: str | None = None) -> bytes:
    """The booking as a one-event calendar (text/calendar, UTF-8). `link` is the absolute
    address of the citizen's booking page (the signed link), added as the event's URL:
    it is where the video room appears, 15 minutes before the talk."""
    with translation.override(language or translation.get_language()):
        calendar = icalendar.Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        cancelled = booking.status == BookingStatus.CANCELLED
        calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
        event = icalendar.Event()
        event.add("uid", f"{booking.code}@xieshang")
        if cancelled:
            event.add("status", "CANCELLED")
        event.add("dtstamp", datetime.now(UTC))
        event.add("dtstart", booking.starts_at.astimezone(BEIJING))
        event.add("dtend", booking.ends_at.astimezone(BEIJING))
        summary = _("Talk with CPPCC member %(member)s (%(workroom)s)") % {
            "member": booking.member.user.name,
            "workroom": booking.workroom.name,
        }
        event.add("summary", _("Cancelled: %(talk)s") % {"talk": summary} if cancelled else summary)
        if booking.mode == MeetingMode.IN_PERSON:
            event.add("location", booking.workroom.address or booking.workroom.name)
        elif booking.mode == MeetingMode.SERVICE_POINT and booking.service_point is not None:
            point = booking.service_point
            event.add("location", f"{point.name} {point.address}".strip())
        else:
            event.add("location", _("video on your phone"))
        lines = [
            _("Booking code: %(code)s") % {"code": booking.code},
            _("Topic: %(topic)s") % {"topic": booking.topic},
        ]
        if booking.is_video:
            if link:
                lines.append(
                    _(
                        "The link to the video room appears on your booking page from "
                        "15 minutes before the talk: %(link)s"
                    )
                    % {"link": link}
                )
            else:
                lines.append(_("The video room opens 15 minutes before the talk."))
        if link:
            lines.append(_("Cancel or move: %(link)s") % {"link": link})
            event.add("url", link)
        event.add("description", "\n".join(lines))
        event.add("sequence", int(timezone.now().timestamp()) // 60 % 2**31)
        calendar.add_component(event)
        calendar.add_missing_timezones()
        data: bytes = calendar.to_ical()
    return data
