"""The member's side of booked talks: my appointments, the staff's booking list, a
booking's page with check-in, no-show and the talk record, and for the committee's
workroom staff cancel (with a reason) and move, e.g. to clear a day that closes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core.decorators import workspace_required
from xieshang.core.errors import DomainError
from xieshang.core.forms import TransitionForm
from xieshang.core.http import date_param, int_param
from xieshang.duty.forms.talks import BaseIssueFormSet, TalkForm, talk_forms, talk_forms_valid
from xieshang.duty.models import ACTIVE_BOOKING_STATES, Booking, BookingStatus
from xieshang.duty.selectors.booking import free_slots
from xieshang.duty.selectors.talks import (
    BookingFilter,
    appointments_split,
    booking_get,
    booking_list_for_staff,
    booking_workrooms_for_staff,
    talk_of,
)
from xieshang.duty.services import booking as booking_services
from xieshang.duty.services import talks as services
from xieshang.duty.views.booking import link_base
from xieshang.duty.workflow import BOOKING_WORKFLOW
from xieshang.people.access import access_for

# The steps a booking's page offers as buttons. Cancel and move have forms of their own
# there (a reason, a new time), for the workroom staff (the workflow's MANAGERS); the
# citizen does both by their signed link.
PAGE_ACTIONS = ("check_in", "no_show")
STAFF_ACTIONS = ("cancel", "move")


@workspace_required("duty.view_booking")
def appointments(request: HttpRequest) -> HttpResponse:
    """我的预约: the talks booked with the user, upcoming first, then past."""
    upcoming, past = appointments_split(user=request.user)
    access = access_for(request.user)
    return render(
        request,
        "duty/talks/appointments.html",
        {
            "upcoming": upcoming,
            "past": past,
            "is_staff": access.is_superuser or bool(access.staff),
        },
    )


@workspace_required("duty.view_booking")
def bookings(request: HttpRequest) -> HttpResponse:
    """Every booking of the committees the user staffs, with filters."""
    access = access_for(request.user)
    if not (access.is_superuser or access.staff):
        raise PermissionDenied(_("Only staff of the committee see all its bookings."))
    g = request.GET
    filters = BookingFilter(
        workroom_id=int_param(g.get("workroom")),
        since=date_param(g.get("since")),
        until=date_param(g.get("until")),
        status=g.get("status", "") if g.get("status") in BookingStatus.values else "",
    )
    page = Paginator(booking_list_for_staff(user=request.user, filters=filters), 30).get_page(
        g.get("page")
    )
    return render(
        request,
        "duty/talks/bookings.html",
        {
            "page": page,
            "filters": filters,
            "statuses": BookingStatus.choices,
            "workrooms": booking_workrooms_for_staff(user=request.user),
        },
    )


def _detail(
    request: HttpRequest,
    booking: Booking,
    *,
    talk_form: TalkForm | None = None,
    issue_forms: BaseIssueFormSet | None = None,
    status: int = 200,
) -> HttpResponse:
    transitions = BOOKING_WORKFLOW.available_by_action(booking, request.user)
    now = timezone.now()
    not_begun = booking.starts_at > now
    # A step the actor may take but not yet (or no longer): its button is replaced by
    # when it can be taken, so nobody presses a button that leads to a refusal.
    not_now = {
        action: services.talk_step_refusal(booking, action, now)
        for action in (*PAGE_ACTIONS, "record")
        if action in transitions
    }
    can_move = "move" in transitions and not_begun
    if talk_form is None or issue_forms is None:
        talk_form, issue_forms = talk_forms(committee_id=booking.committee_id)
    context: dict[str, Any] = {
        "booking": booking,
        "talk": talk_of(booking=booking),
        "timeline": BOOKING_WORKFLOW.timeline(booking, public_only=False),
        "actions": [transitions[a] for a in PAGE_ACTIONS if a in not_now and not not_now[a]],
        "not_yet": [why for why in not_now.values() if why],
        "can_record": "record" in not_now and not not_now["record"],
        "video_ahead": booking.is_video
        and booking.status in ACTIVE_BOOKING_STATES
        and now < booking.starts_at,
        "cancel": transitions["cancel"] if "cancel" in transitions and not_begun else None,
        "move": transitions["move"] if can_move else None,
        "move_slots": (
            list(free_slots(workroom=booking.workroom).exclude(pk=booking.slot_id)[:300])
            if can_move
            else []
        ),
        "talk_form": talk_form,
        "issue_forms": issue_forms,
        "can_open_suggestions": request.user.has_perm("suggestions.view_suggestion", booking),
    }
    return render(request, "duty/talks/booking_detail.html", context, status=status)


@workspace_required("duty.view_booking")
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, booking_get(user=request.user, pk=pk))


def _may(booking: Booking, user: Any, action: str) -> bool:
    return any(t.action == action for t in BOOKING_WORKFLOW.available(booking, user))


def _staff_act(request: HttpRequest, booking: Booking, form: TransitionForm) -> HttpResponse:
    """Cancel with a reason, or move to another free slot of the same workroom: the
    workroom staff's steps. The workflow refuses anyone else (403), and the citizen is
    texted as when they do it themselves."""
    action, expected = form.cleaned_data["action"], form.cleaned_data["expected_state"]
    if action == "cancel":
        note = form.cleaned_data["note"].strip()
        # The reason is asked of those who may cancel; the others are refused by the step.
        if not note and _may(booking, request.user, "cancel"):
            raise DomainError(_("Please give a reason."))
        booking_services.booking_cancel(
            booking=booking, actor=request.user, note=note, expected_state=expected
        )
        messages.success(request, _("The talk is cancelled; the citizen is told by SMS."))
    else:
        slot_id = int_param(request.POST.get("slot"))
        if slot_id is None:
            raise DomainError(_("Choose a new time."))
        booking_services.booking_move(
            booking=booking,
            slot_id=slot_id,
            actor=request.user,
            expected_state=expected,
            link_base=link_base(request),
        )
        messages.success(request, _("The talk has been moved; the citizen is told by SMS."))
    return redirect("duty:appointment", pk=booking.pk)


@require_POST
@workspace_required("duty.view_booking")
def booking_act(request: HttpRequest, pk: int) -> HttpResponse:
    """Check-in or no-show, by the member on duty or staff; cancel or move, by the
    workroom staff."""
    booking = booking_get(user=request.user, pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid() or form.cleaned_data["action"] not in PAGE_ACTIONS + STAFF_ACTIONS:
        raise DomainError(_("The form is incomplete. Reload the page and try again."))
    if form.cleaned_data["action"] in STAFF_ACTIONS:
        return _staff_act(request, booking, form)
    action, expected = form.cleaned_data["action"], form.cleaned_data["expected_state"]
    if action == "check_in":
        services.booking_check_in(booking=booking, actor=request.user, expected_state=expected)
        messages.success(request, _("Checked in. Record the talk when it is over."))
    else:
        services.booking_no_show(booking=booking, actor=request.user, expected_state=expected)
        messages.success(request, _("Marked as not come."))
    return redirect("duty:appointment", pk=booking.pk)


@require_POST
@workspace_required("duty.view_booking")
def talk_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The talk record in one step: summary, consent, and the issues raised."""
    booking = booking_get(user=request.user, pk=pk)
    talk_form, issue_forms = talk_forms(request.POST, committee_id=booking.committee_id)
    if not talk_forms_valid(talk_form, issue_forms):
        return _detail(request, booking, talk_form=talk_form, issue_forms=issue_forms, status=400)
    talk = services.talk_record(
        booking=booking,
        actor=request.user,
        summary=talk_form.cleaned_data["summary"],
        citizen_consented=talk_form.cleaned_data["citizen_consented"],
        issues=issue_forms.issues(),
    )
    count = talk.suggestions.count()
    if count:
        messages.success(
            request,
            _("The talk is recorded; %(n)d suggestion(s) were handed in for the citizen.")
            % {"n": count},
        )
    else:
        messages.success(request, _("The talk is recorded."))
    return redirect("duty:appointment", pk=booking.pk)


urlpatterns: list[URLPattern] = [
    path("work/duty/appointments/", appointments, name="appointments"),
    path("work/duty/bookings/", bookings, name="bookings"),
    path("work/duty/appointments/<int:pk>/", booking_detail, name="appointment"),
    path("work/duty/appointments/<int:pk>/act/", booking_act, name="appointment_act"),
    path("work/duty/appointments/<int:pk>/record/", talk_record, name="talk_record"),
]
