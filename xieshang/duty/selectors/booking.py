"""Reads for the public booking pages: workrooms that take bookings, their free slots, and
a citizen's booking by its signed link (the citizen's only key: there is no login)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db.models import Case, Count, F, Q, QuerySet, Value, When
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.errors import DomainError
from xieshang.core.models import CalendarDay, Committee, DayKind
from xieshang.duty.models import Booking, ShiftStatus, Slot
from xieshang.workrooms.models import Workroom, WorkroomKind, WorkroomStatus

# One salt per purpose: a token signed for this link is worthless anywhere else.
BOOKING_LINK_SALT = "xieshang.duty.booking.link"
BOOKING_DAYS_AHEAD = 56


class LinkExpired(DomainError):
    status = 400


def booking_token(booking: Booking) -> str:
    """The signed token of the citizen's link to their booking. It names the booking and
    its code, so a token cannot be turned into another booking's."""
    return signing.dumps({"b": booking.pk, "c": booking.code}, salt=BOOKING_LINK_SALT)


def booking_link(booking: Booking, *, base: str = "") -> str:
    """The absolute address of the citizen's link: on BOOKING_LINK_BASE_URL, or else on
    `base` (the site's address as a request saw it); "" when there is neither."""
    base = settings.BOOKING_LINK_BASE_URL or base
    if not base:
        return ""
    return base.rstrip("/") + reverse("duty:booking", kwargs={"token": booking_token(booking)})


def booking_get_by_token(*, token: str, now: datetime | None = None) -> Booking:
    """The booking a signed link names. A forged or altered link gives 404; a link to a
    talk that is over gives a clear message (400). Nothing else is revealed."""
    try:
        data = signing.loads(token, salt=BOOKING_LINK_SALT)
        pk, code = int(data["b"]), str(data["c"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise Http404(_("This link is not valid.")) from None
    booking = (
        Booking.objects.select_related(
            "committee", "workroom", "member__user", "service_point", "slot__shift"
        )
        .filter(pk=pk, code=code)
        .first()
    )
    if booking is None:
        raise Http404(_("This link is not valid."))
    if booking.ends_at < (now or timezone.now()):
        raise LinkExpired(
            _("This link has expired: the talk ended on %(time)s.")
            % {"time": timezone.localtime(booking.ends_at).strftime("%Y-%m-%d %H:%M")}
        )
    return booking


def booking_of_code_and_number(*, booking_code: str, phone_lookup: str) -> Booking | None:
    """The booking with this code made with this number (its keyed hash), or None: for a
    citizen who proved they hold the number (duty.services.booking.booking_find)."""
    return Booking.objects.filter(code=booking_code, phone_lookup=phone_lookup).first()


def _holidays() -> QuerySet[CalendarDay, Any]:
    """The public holidays of the working-day calendar, as a subquery of their dates: a
    holiday entered after the shifts were generated closes them for booking."""
    return CalendarDay.objects.filter(kind=DayKind.HOLIDAY).values("date")


def free_slots(*, workroom: Workroom, now: datetime | None = None) -> QuerySet[Slot]:
    """Slots of the workroom a citizen can book now: of a scheduled shift not on a public
    holiday, in the future, with a place left."""
    return (
        Slot.objects.filter(
            shift__workroom=workroom,
            shift__workroom__status=WorkroomStatus.ACTIVE,
            shift__status=ShiftStatus.SCHEDULED,
            starts_at__gt=now or timezone.now(),
            booked__lt=F("capacity"),
        )
        .exclude(shift__date__in=_holidays())
        .select_related("shift__member__user")
        .order_by("starts_at", "id")
    )


def _day_span(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())
    return start, start + timedelta(days=1)


def free_slots_on(*, workroom: Workroom, day: date) -> QuerySet[Slot]:
    start, end = _day_span(day)
    return free_slots(workroom=workroom).filter(starts_at__gte=start, starts_at__lt=end)


@dataclass(frozen=True)
class FreeDay:
    day: date
    free: int


def free_days(*, workroom: Workroom, now: datetime | None = None) -> list[FreeDay]:
    """The days (Beijing dates) of the next eight weeks with a free slot, and how many."""
    moment = now or timezone.now()
    slots = free_slots(workroom=workroom, now=moment).filter(
        starts_at__lt=moment + timedelta(days=BOOKING_DAYS_AHEAD)
    )
    counts: dict[date, int] = {}
    for starts_at in slots.values_list("starts_at", flat=True):
        day = timezone.localdate(starts_at)
        counts[day] = counts.get(day, 0) + 1
    return [FreeDay(day, n) for day, n in sorted(counts.items())]


def bookable_workrooms(*, committee: Committee) -> QuerySet[Workroom]:
    """The committee's open workrooms, the cloud workroom first, with their free slots."""
    now = timezone.now()
    free = Q(
        shifts__status=ShiftStatus.SCHEDULED,
        shifts__slots__starts_at__gt=now,
        shifts__slots__booked__lt=F("shifts__slots__capacity"),
    ) & ~Q(shifts__date__in=_holidays())
    return (
        Workroom.objects.filter(committee=committee, status=WorkroomStatus.ACTIVE)
        .annotate(free_slots=Count("shifts__slots", filter=free))
        # The cloud workroom first: everyone can reach it from anywhere.
        .annotate(cloud_first=Case(When(kind=WorkroomKind.CLOUD, then=Value(0)), default=Value(1)))
        .order_by("cloud_first", "kind", "id")
    )


def is_cloud(workroom: Workroom) -> bool:
    return workroom.kind == WorkroomKind.CLOUD


def slot_get_for_booking(*, workroom: Workroom, pk: int) -> Slot:
    """A slot of this workroom (free or not: the booking says why it cannot be booked);
    404 for a slot of another workroom or committee."""
    slot = (
        Slot.objects.select_related("shift__member__user", "shift__workroom")
        .filter(pk=pk, shift__workroom=workroom)
        .first()
    )
    if slot is None:
        raise Http404(_("No such time at this workroom."))
    return slot
