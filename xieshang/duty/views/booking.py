"""Public booking pages (phone first, no account): choose a workroom, a day, a free slot,
then how to meet and who you are; the confirmation page behind a signed link, with the
calendar file, cancel and move."""

from __future__ import annotations

from datetime import date
from itertools import groupby
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from xieshang.core.decorators import public
from xieshang.core.errors import DomainError
from xieshang.core.http import BIGINT_MAX, client_ip
from xieshang.core.selectors import committee_get_public
from xieshang.duty.forms.booking import BookingFindForm, BookingForm, MoveForm
from xieshang.duty.ical import booking_ical
from xieshang.duty.models import BookingStatus, Slot
from xieshang.duty.selectors.booking import (
    bookable_workrooms,
    booking_get_by_token,
    booking_token,
    free_days,
    free_slots,
    free_slots_on,
    is_cloud,
    slot_get_for_booking,
)
from xieshang.duty.services import booking as services
from xieshang.duty.services.verification import verification_send
from xieshang.workrooms.models import Workroom
from xieshang.workrooms.selectors import service_point_list_public, workroom_get_public


@public
def book(request: HttpRequest, code: str) -> HttpResponse:
    """The committee's entry: choose a workroom (the cloud workroom first)."""
    committee = committee_get_public(code=code)
    return render(
        request,
        "duty/booking/choose_workroom.html",
        {"committee": committee, "workrooms": bookable_workrooms(committee=committee)},
    )


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _slot_id(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= BIGINT_MAX else None


@public
@never_cache
def book_workroom(request: HttpRequest, code: str) -> HttpResponse:
    """A workroom's booking page (its QR code leads here): days, then slots, then the form."""
    workroom = workroom_get_public(code=code)
    context: dict[str, Any] = {
        "workroom": workroom,
        "committee": workroom.committee,
        "is_cloud": is_cloud(workroom),
    }
    slot_id = _slot_id(request.POST.get("slot") if request.method == "POST" else None) or _slot_id(
        request.GET.get("slot")
    )
    if slot_id is None:
        day = _day(request.GET.get("day"))
        context["days"] = free_days(workroom=workroom)
        if day is not None:
            context["day"] = day
            context["slots"] = list(free_slots_on(workroom=workroom, day=day))
        return render(request, "duty/booking/workroom.html", context)
    slot = slot_get_for_booking(workroom=workroom, pk=slot_id)
    return _booking_form(request, workroom, slot, context)


def _codes_in_console() -> bool:
    """Development: the texted codes are written to the server's console, and the forms
    that send one say so."""
    return settings.DEBUG and settings.SMS_BACKEND == "xieshang.core.sms.ConsoleBackend"


def link_base(request: HttpRequest) -> str:
    """The site's address as this request reached it, for the citizen's link in the SMS
    when BOOKING_LINK_BASE_URL is not set."""
    return request.build_absolute_uri("/")


def _booking_form(
    request: HttpRequest, workroom: Workroom, slot: Slot, context: dict[str, Any]
) -> HttpResponse:
    points = service_point_list_public(committee=workroom.committee)
    sending = request.POST.get("action") == "send_code"
    status = 200
    if request.method == "POST":
        form = BookingForm(
            request.POST, workroom=workroom, service_points=points, send_code=sending
        )
        if form.is_valid():
            try:
                if sending:
                    verification_send(
                        phone=form.cleaned_data["phone"], client_ip=client_ip(request)
                    )
                    context["code_sent"] = True
                else:
                    booking, _created = services.booking_create(
                        intake=form.intake(), link_base=link_base(request)
                    )
                    url = reverse("duty:booking", kwargs={"token": booking_token(booking)})
                    return redirect(url + "?new=1")
            except DomainError as exc:
                form.add_error(None, str(exc.message))
                status = exc.status
        else:
            status = 400
    else:
        form = BookingForm(workroom=workroom, service_points=points, initial={"slot": slot.pk})
    context.update(
        {
            "slot": slot,
            "form": form,
            "service_points": points,
            "show_console_note": _codes_in_console(),
            # Open as the day's list has it: scheduled, not a holiday, in the future, free.
            "slot_open": free_slots(workroom=workroom).filter(pk=slot.pk).exists(),
        }
    )
    return render(request, "duty/booking/form.html", context, status=status)


@public
@never_cache
def booking_detail(request: HttpRequest, token: str) -> HttpResponse:
    """The confirmation page: the citizen's only view of their booking."""
    booking = booking_get_by_token(token=token)
    return render(
        request,
        "duty/booking/detail.html",
        {
            "booking": booking,
            "token": token,
            "is_new": request.GET.get("new") == "1",
            "is_confirmed": booking.status == BookingStatus.CONFIRMED,
            "can_change": booking.status == BookingStatus.CONFIRMED
            and booking.starts_at > timezone.now(),
            "video_open": booking.video_open(),
        },
    )


@public
@never_cache
def booking_find(request: HttpRequest) -> HttpResponse:
    """找回预约: a citizen who lost their link gives the booking code and their number,
    gets a code by SMS, and is taken to the booking's page."""
    sending = request.POST.get("action") == "send_code"
    context: dict[str, Any] = {"show_console_note": _codes_in_console()}
    status = 200
    if request.method == "POST":
        form = BookingFindForm(request.POST, send_code=sending)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if sending:
                    verification_send(phone=data["phone"], client_ip=client_ip(request))
                    context["code_sent"] = True
                else:
                    booking = services.booking_find(
                        booking_code=data["booking_code"], phone=data["phone"], code=data["code"]
                    )
                    return redirect("duty:booking", token=booking_token(booking))
            except DomainError as exc:
                form.add_error(None, str(exc.message))
                status = exc.status
        else:
            status = 400
    else:
        form = BookingFindForm()
    context["form"] = form
    return render(request, "duty/booking/find.html", context, status=status)


@public
def booking_calendar(request: HttpRequest, token: str) -> HttpResponse:
    booking = booking_get_by_token(token=token)
    link = request.build_absolute_uri(reverse("duty:booking", kwargs={"token": token}))
    response = HttpResponse(booking_ical(booking, link=link), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="talk-{booking.code}.ics"'
    return response


def _expected_state(request: HttpRequest) -> str | None:
    value = request.POST.get("expected_state", "")
    return value if value in BookingStatus.values else None


@public
@require_POST
def booking_cancel(request: HttpRequest, token: str) -> HttpResponse:
    booking = booking_get_by_token(token=token)
    services.booking_cancel(booking=booking, expected_state=_expected_state(request))
    messages.success(request, _("Your talk is cancelled."))
    return redirect("duty:booking", token=token)


def _by_day(slots: list[Slot]) -> list[tuple[date, list[Slot]]]:
    return [
        (day, list(group))
        for day, group in groupby(slots, key=lambda s: timezone.localdate(s.starts_at))
    ]


@public
@never_cache
def booking_move(request: HttpRequest, token: str) -> HttpResponse:
    """Choose another free slot of the same workroom."""
    booking = booking_get_by_token(token=token)
    if request.method == "POST":
        form = MoveForm(request.POST)
        if not form.is_valid():
            raise DomainError(_("Choose a new time."))
        services.booking_move(
            booking=booking,
            slot_id=form.cleaned_data["slot"],
            expected_state=_expected_state(request),
            link_base=link_base(request),
        )
        messages.success(request, _("Your talk has been moved."))
        return redirect("duty:booking", token=token)
    slots = list(free_slots(workroom=booking.workroom).exclude(pk=booking.slot_id)[:300])
    return render(
        request,
        "duty/booking/move.html",
        {
            "booking": booking,
            "token": token,
            "days": _by_day(slots),
            "can_change": booking.status == BookingStatus.CONFIRMED
            and booking.starts_at > timezone.now(),
        },
    )


urlpatterns: list[URLPattern] = [
    path("c/<slug:code>/book/", book, name="book"),
    path("w/<slug:code>/book/", book_workroom, name="book_workroom"),
    path("b/", booking_find, name="booking_find"),
    path("b/<str:token>/", booking_detail, name="booking"),
    path("b/<str:token>/calendar.ics", booking_calendar, name="booking_ical"),
    path("b/<str:token>/cancel/", booking_cancel, name="booking_cancel"),
    path("b/<str:token>/move/", booking_move, name="booking_move"),
]
