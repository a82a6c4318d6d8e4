"""Workspace pages for workrooms: the scoped list, a workroom with its timeline, and its
one door for status changes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core.errors import DomainError
from xieshang.core.forms import TransitionForm
from xieshang.core.views import workspace_required
from xieshang.workrooms.models import WorkroomKind, WorkroomStatus
from xieshang.workrooms.selectors import workroom_get, workroom_list
from xieshang.workrooms.services import workroom_transition
from xieshang.workrooms.workflow import WORKROOM_WORKFLOW


@workspace_required("workrooms.view_workroom")
def workroom_list_view(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()[:50]
    qs = workroom_list(
        user=request.user,
        kind=kind if kind in WorkroomKind.values else "",
        status=status if status in WorkroomStatus.values else "",
        query=query,
    )
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "workrooms/list.html",
        {
            "page": page,
            "kinds": WorkroomKind.choices,
            "statuses": WorkroomStatus.choices,
            "kind": kind,
            "status": status,
            "q": query,
        },
    )


@workspace_required("workrooms.view_workroom")
def workroom_detail(request: HttpRequest, pk: int) -> HttpResponse:
    workroom = workroom_get(user=request.user, pk=pk)
    can_manage = request.user.has_perm("workrooms.manage_workroom", workroom)
    return render(
        request,
        "workrooms/detail.html",
        {
            "workroom": workroom,
            "memberships": workroom.memberships.select_related("member__user", "member__sector"),
            "children": workroom.children.all(),
            "timeline": WORKROOM_WORKFLOW.timeline(workroom, public_only=False),
            "transitions": WORKROOM_WORKFLOW.available(workroom, request.user)
            if can_manage
            else [],
        },
    )


@require_POST
@workspace_required("workrooms.view_workroom")
def workroom_transition_view(request: HttpRequest, pk: int) -> HttpResponse:
    workroom = workroom_get(user=request.user, pk=pk)
    if not request.user.has_perm("workrooms.manage_workroom", workroom):
        raise PermissionDenied(_("Only the committee's workroom staff may change a workroom."))
    form = TransitionForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("The form is incomplete. Reload the page and try again."))
    workroom_transition(
        workroom=workroom,
        action=form.cleaned_data["action"],
        actor=request.user,
        note=form.cleaned_data["note"],
        expected_state=form.cleaned_data["expected_state"],
    )
    messages.success(
        request,
        _("“%(name)s” is now %(state)s.")
        % {"name": workroom.name, "state": workroom.get_status_display()},
    )
    return redirect("workrooms:detail", pk=workroom.pk)
