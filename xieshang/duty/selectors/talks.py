"""Reads of booked talks, each scoped to who is asking: a member sees the talks booked
with them; staff see every booking of the committees they staff; anyone else, none."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.duty.models import Booking, BookingStatus, Talk
from xieshang.people.access import access_for
from xieshang.workrooms.models import Workroom

RELATED = ("committee", "workroom", "member__user", "service_point", "slot")


def _visible(user: Any) -> QuerySet[Booking]:
    """Bookings with the user as the member on duty, and every booking of the committees
    the user staffs (all, for a superuser)."""
    access = access_for(user)
    if access.is_superuser:
        return Booking.objects.all()
    if not getattr(user, "is_authenticated", False):
        return Booking.objects.none()
    return Booking.objects.filter(
        Q(member__user_id=user.pk) | Q(committee_id__in=access.staff_committee_ids)
    )


def appointments_of(*, user: Any) -> QuerySet[Booking]:
    """The bookings with the user as the member on duty (我的预约)."""
    if not getattr(user, "is_authenticated", False):
        return Booking.objects.none()
    return Booking.objects.filter(member__user_id=user.pk).select_related(*RELATED)


def appointments_split(*, user: Any, past_limit: int = 50) -> tuple[list[Booking], list[Booking]]:
    """The member's bookings: those not yet over, soonest first; then the latest
    `past_limit` that are over, most recent first."""
    now = timezone.now()
    mine = appointments_of(user=user)
    upcoming = list(mine.filter(ends_at__gte=now).order_by("starts_at", "id"))
    past = list(mine.filter(ends_at__lt=now).order_by("-starts_at", "-id")[:past_limit])
    return upcoming, past


def appointments_upcoming(*, user: Any, limit: int = 5) -> list[Booking]:
    """For the home page: the member's next confirmed bookings, soonest first."""
    return list(
        appointments_of(user=user)
        .filter(status=BookingStatus.CONFIRMED, ends_at__gte=timezone.now())
        .order_by("starts_at", "id")[:limit]
    )


@dataclass(frozen=True)
class BookingFilter:
    workroom_id: int | None = None
    since: date | None = None
    until: date | None = None
    status: str = ""


def _day_start(day: date) -> datetime:
    """Midnight in Beijing (the site's time zone) at the start of `day`."""
    return timezone.make_aware(datetime.combine(day, time.min))


def booking_list_for_staff(
    *, user: Any, filters: BookingFilter = BookingFilter()
) -> QuerySet[Booking]:
    """Every booking of the committees the user staffs, newest appointment first,
    narrowed by workroom, Beijing dates (inclusive) and status."""
    access = access_for(user)
    if access.is_superuser:
        qs = Booking.objects.all()
    else:
        qs = Booking.objects.filter(committee_id__in=access.staff_committee_ids)
    f = filters
    if f.workroom_id:
        qs = qs.filter(workroom_id=f.workroom_id)
    if f.since:
        qs = qs.filter(starts_at__gte=_day_start(f.since))
    if f.until:
        qs = qs.filter(starts_at__lt=_day_start(f.until + timedelta(days=1)))
    if f.status in BookingStatus.values:
        qs = qs.filter(status=f.status)
    return qs.select_related(*RELATED).order_by("-starts_at", "-id")


def booking_workrooms_for_staff(*, user: Any) -> QuerySet[Workroom]:
    """The workrooms of the committees the user staffs, for the list's filter."""
    access = access_for(user)
    qs = Workroom.objects.all()
    if not access.is_superuser:
        qs = qs.filter(committee_id__in=access.staff_committee_ids)
    return qs.select_related("committee").order_by("committee_id", "name")


def booking_get(*, user: Any, pk: int) -> Booking:
    """One booking, for its member on duty or staff of its committee; 404 otherwise."""
    booking = _visible(user).select_related(*RELATED).filter(pk=pk).first()
    if booking is None:
        raise Http404(_("No such booking, or it is not yours to see."))
    return booking


def talk_of(*, booking: Booking) -> Talk | None:
    """The booking's talk record with its suggestions (the caller has fetched the
    booking through a scoped selector)."""
    return (
        Talk.objects.filter(booking=booking)
        .select_related("recorded_by")
        .prefetch_related("suggestions")
        .first()
    )


def bookings_today_count(*, user: Any) -> int:
    """For the staff home page: today's (Beijing) bookings of the user's committees that
    are not cancelled."""
    access = access_for(user)
    if not (access.is_superuser or access.staff):
        return 0
    today = timezone.localdate()
    return (
        booking_list_for_staff(user=user, filters=BookingFilter(since=today, until=today))
        .exclude(status=BookingStatus.CANCELLED)
        .count()
    )


# --- For the figures (履职成效): records of committees, read-only --------------------------
# The figures app has checked that the user may see these committees' figures.


def bookings_of_committees(ids: Sequence[int]) -> QuerySet[Booking]:
    """Citizens' bookings with members on duty in the committees' workrooms."""
    return Booking.objects.filter(committee_id__in=list(ids))
