"""Workspace pages of the duty roster: a workroom's patterns, rotation and shifts (workroom
staff edit them), closed dates, a member's own shifts, and the swaps and covers members
ask of each other with the staff approval that follows."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core.decorators import workspace_required
from xieshang.core.errors import Conflict, DomainError
from xieshang.core.forms import TransitionForm
from xieshang.duty.forms.roster import (
    ClosedDateForm,
    GenerateForm,
    PatternForm,
    RotationForm,
    ShiftChangeForm,
)
from xieshang.duty.models import DutyPattern, ShiftChangeKind, ShiftStatus
from xieshang.duty.selectors import roster as selectors
from xieshang.duty.services import roster as services
from xieshang.duty.workflow import SHIFT_CHANGE_WORKFLOW
from xieshang.people.models import Member
from xieshang.workrooms.models import Workroom

VIEW = "duty.view_roster"
MANAGE = "duty.manage_roster"


def _require_manage(request: HttpRequest, record: Any) -> None:
    if not request.user.has_perm(MANAGE, record):
        raise PermissionDenied(_("Only the committee's workroom staff may change duty rosters."))


@workspace_required(MANAGE)
def rosters(request: HttpRequest) -> HttpResponse:
    """The workrooms whose rosters the user manages."""
    return render(
        request,
        "duty/roster/rosters.html",
        {"workrooms": selectors.roster_workrooms(user=request.user)},
    )


@workspace_required(VIEW)
def roster(request: HttpRequest, pk: int) -> HttpResponse:
    workroom = selectors.roster_workroom_get(user=request.user, pk=pk)
    patterns = [
        (pattern, selectors.rotation_of(pattern=pattern))
        for pattern in selectors.pattern_list(workroom=workroom)
    ]
    can_manage = request.user.has_perm(MANAGE, workroom)
    shifts = list(selectors.shifts_of_workroom(workroom=workroom))
    # Members who left, still in a rotation or on an upcoming shift: flagged to staff.
    has_left = any(not e.member.is_active for _p, entries in patterns for e in entries) or any(
        s.status == ShiftStatus.SCHEDULED and not s.member.is_active for s in shifts
    )
    return render(
        request,
        "duty/roster/roster.html",
        {
            "workroom": workroom,
            "patterns": patterns,
            "shifts": shifts,
            "has_left": has_left,
            "can_manage": can_manage,
            "candidates": selectors.rotation_candidates(workroom=workroom) if can_manage else [],
            "generate_form": GenerateForm(),
        },
    )


def _pattern_form(
    request: HttpRequest, workroom: Workroom, pattern: DutyPattern | None
) -> HttpResponse:
    initial: dict[str, Any] = {"slot_minutes": 20, "slot_capacity": 1, "is_active": True}
    if pattern is not None:
        initial = {
            f: getattr(pattern, f)
            for f in (
                "weekday",
                "start_time",
                "end_time",
                "slot_minutes",
                "slot_capacity",
                "valid_from",
                "valid_until",
                "is_active",
            )
        }
    form = PatternForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if pattern is None:
            services.pattern_create(workroom=workroom, data=form.pattern_data(), actor=request.user)
            messages.success(request, _("The duty pattern was added."))
        else:
            services.pattern_update(pattern=pattern, data=form.pattern_data(), actor=request.user)
            messages.success(request, _("The duty pattern was saved."))
        return redirect("duty:roster", pk=workroom.pk)
    return render(
        request,
        "duty/roster/pattern_form.html",
        {"form": form, "workroom": workroom, "pattern": pattern},
        status=400 if request.method == "POST" else 200,
    )


@workspace_required(MANAGE)
def pattern_create(request: HttpRequest, pk: int) -> HttpResponse:
    workroom = selectors.roster_workroom_get(user=request.user, pk=pk)
    _require_manage(request, workroom)
    return _pattern_form(request, workroom, None)


@workspace_required(MANAGE)
def pattern_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pattern = selectors.pattern_get(user=request.user, pk=pk)
    _require_manage(request, pattern)
    return _pattern_form(request, pattern.workroom, pattern)


@require_POST
@workspace_required(MANAGE)
def rotation(request: HttpRequest, pk: int) -> HttpResponse:
    pattern = selectors.pattern_get(user=request.user, pk=pk)
    _require_manage(request, pattern)
    form = RotationForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("The form is incomplete. Reload the page and try again."))
    try:
        expected = form.expected_ids()
    except ValidationError:
        raise DomainError(_("The form is incomplete. Reload the page and try again.")) from None
    entries = selectors.rotation_of(pattern=pattern)
    order = [e.member for e in entries]
    ids = [m.pk for m in order]
    if expected != ids:
        raise Conflict(_("The rotation has changed in the meantime. Reload the page."))
    member_id, op = form.cleaned_data["member"], form.cleaned_data["op"]
    if op == "add":
        candidate = selectors.rotation_candidates(workroom=pattern.workroom).filter(pk=member_id)
        member: Member | None = candidate.first()
        if member is None:
            raise DomainError(_("Choose a serving member of this committee."))
        order.append(member)
    else:
        if member_id not in ids:
            raise Conflict(_("The rotation has changed in the meantime. Reload the page."))
        index = ids.index(member_id)
        if op == "remove":
            order.pop(index)
        else:
            other = index - 1 if op == "up" else index + 1
            if 0 <= other < len(order):
                order[index], order[other] = order[other], order[index]
    services.rotation_set(pattern=pattern, members=order, actor=request.user)
    messages.success(request, _("The rotation was saved."))
    return redirect("duty:roster", pk=pattern.workroom_id)


@require_POST
@workspace_required(MANAGE)
def generate(request: HttpRequest, pk: int) -> HttpResponse:
    pattern = selectors.pattern_get(user=request.user, pk=pk)
    _require_manage(request, pattern)
    form = GenerateForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("Generate between 1 and %(n)d weeks.") % {"n": services.MAX_WEEKS})
    if not pattern.is_active or not pattern.workroom.is_active:
        raise DomainError(_("Shifts are generated only for patterns in use, of active workrooms."))
    created = services.shifts_generate(
        pattern=pattern, weeks=form.cleaned_data["weeks"], actor=request.user
    )
    if created:
        messages.success(request, _("%(n)d shifts were generated.") % {"n": len(created)})
    else:
        messages.info(request, _("No new shifts: the weeks asked for are already generated."))
    return redirect("duty:roster", pk=pattern.workroom_id)


@workspace_required(MANAGE)
def closed_dates(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ClosedDateForm(
        request.POST or None,
        committees=selectors.committees_managed(user=user),
        workrooms=selectors.workrooms_managed(user=user),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        closed, cancelled = services.closed_date_add(
            committee=d["committee"],
            workroom=d["workroom"],
            day=d["date"],
            reason=d["reason"],
            actor=user,
        )
        messages.success(
            request,
            _("%(date)s is closed; %(n)d shifts were cancelled.")
            % {"date": closed.date.isoformat(), "n": cancelled},
        )
        return redirect("duty:closed_dates")
    return render(
        request,
        "duty/roster/closed_dates.html",
        {"form": form, "closed_dates": selectors.closed_date_list(user=user)},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@workspace_required(MANAGE)
def closed_date_delete(request: HttpRequest, pk: int) -> HttpResponse:
    closed = selectors.closed_date_get(user=request.user, pk=pk)
    services.closed_date_remove(closed_date=closed, actor=request.user)
    messages.success(request, _("The day is open again."))
    return redirect("duty:closed_dates")


@workspace_required(VIEW)
def my_shifts(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "duty/roster/my_shifts.html",
        {
            "shifts": selectors.shifts_of_member(user=request.user, include_cancelled=True),
            "changes": selectors.shift_changes_for(user=request.user, limit=10),
        },
    )


@workspace_required(VIEW)
def shift_change_new(request: HttpRequest, pk: int) -> HttpResponse:
    shift = selectors.shift_get(user=request.user, pk=pk)
    if shift.member.user_id != request.user.pk:
        raise PermissionDenied(_("You can only ask about your own shifts."))
    form = ShiftChangeForm(
        request.POST or None,
        colleagues=selectors.colleagues_for(shift=shift),
        other_shifts=selectors.swappable_shifts(shift=shift),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        change = services.shift_change_request(
            shift=shift,
            kind=d["kind"],
            colleague=d["colleague"],
            other_shift=d["other_shift"],
            reason=d["reason"],
            actor=request.user,
        )
        messages.success(request, _("Your colleague has been asked."))
        return redirect("duty:change_detail", pk=change.pk)
    return render(
        request,
        "duty/roster/change_form.html",
        {"form": form, "shift": shift, "kinds": ShiftChangeKind},
        status=400 if request.method == "POST" else 200,
    )


@workspace_required(VIEW)
def changes(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "duty/roster/changes.html",
        {"lists": selectors.shift_changes_for(user=request.user)},
    )


@workspace_required(VIEW)
def change_detail(request: HttpRequest, pk: int) -> HttpResponse:
    change = selectors.shift_change_get(user=request.user, pk=pk)
    return render(
        request,
        "duty/roster/change_detail.html",
        {
            "change": change,
            "transitions": SHIFT_CHANGE_WORKFLOW.available(change, request.user),
            "timeline": SHIFT_CHANGE_WORKFLOW.timeline(change, public_only=False),
        },
    )


@require_POST
@workspace_required(VIEW)
def change_act(request: HttpRequest, pk: int) -> HttpResponse:
    change = selectors.shift_change_get(user=request.user, pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("The form is incomplete. Reload the page and try again."))
    services.shift_change_transition(
        change=change,
        action=form.cleaned_data["action"],
        actor=request.user,
        note=form.cleaned_data["note"],
        expected_state=form.cleaned_data["expected_state"],
    )
    messages.success(
        request, _("The request is now “%(state)s”.") % {"state": change.get_status_display()}
    )
    return redirect("duty:change_detail", pk=change.pk)


urlpatterns: list[URLPattern] = [
    path("work/duty/rosters/", rosters, name="rosters"),
    path("work/duty/workrooms/<int:pk>/roster/", roster, name="roster"),
    path("work/duty/workrooms/<int:pk>/patterns/new/", pattern_create, name="pattern_create"),
    path("work/duty/patterns/<int:pk>/edit/", pattern_edit, name="pattern_edit"),
    path("work/duty/patterns/<int:pk>/rotation/", rotation, name="rotation"),
    path("work/duty/patterns/<int:pk>/generate/", generate, name="generate"),
    path("work/duty/closed-dates/", closed_dates, name="closed_dates"),
    path("work/duty/closed-dates/<int:pk>/delete/", closed_date_delete, name="closed_date_delete"),
    path("work/duty/my-shifts/", my_shifts, name="my_shifts"),
    path("work/duty/shifts/<int:pk>/change/", shift_change_new, name="shift_change_new"),
    path("work/duty/changes/", changes, name="changes"),
    path("work/duty/changes/<int:pk>/", change_detail, name="change_detail"),
    path("work/duty/changes/<int:pk>/act/", change_act, name="change_act"),
]
