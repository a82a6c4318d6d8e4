"""Pages for workrooms: the scoped list (as a tree), a workroom with its standard and
timeline, the committee's standard overview, and the public workroom page citizens reach by
QR code. What higher apps add to these pages (who is on duty, the activity log) comes
through `workrooms.hooks`."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core.decorators import public, workspace_required
from xieshang.core.errors import DomainError
from xieshang.core.forms import TransitionForm
from xieshang.core.http import committee_from_post, image_response, int_param
from xieshang.workrooms import hooks, services
from xieshang.workrooms.forms import ConfirmEvidenceForm, EvidenceForm
from xieshang.workrooms.models import (
    Workroom,
    WorkroomKind,
    WorkroomStatus,
)
from xieshang.workrooms.selectors import (
    Standing,
    checklist_item_get,
    evidence_get,
    standard_committees,
    standard_matrix,
    standard_row,
    workroom_get,
    workroom_get_public,
    workroom_list,
    workroom_tree,
)
from xieshang.workrooms.services import workroom_transition
from xieshang.workrooms.workflow import WORKROOM_WORKFLOW

# --- Workrooms -------------------------------------------------------------------------


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
    page = Paginator(workroom_tree(qs), 50).get_page(request.GET.get("page"))
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
            "can_view_activities": request.user.has_perm("activities.view_activity"),
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
            "standard": standard_row(workroom=workroom),
            "sections": sorted(
                hooks.detail_sections(request.user, workroom), key=lambda s: s.order
            ),
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


# --- The standard (五有) ------------------------------------------------------------------


@workspace_required("workrooms.view_workroom")
def standard_overview(request: HttpRequest) -> HttpResponse:
    """The committee's workrooms × standard items, and how many meet all of them."""
    committees = list(standard_committees(user=request.user))
    chosen = int_param(request.GET.get("committee"))
    committee = next((c for c in committees if c.pk == chosen), None) or (
        committees[0] if committees else None
    )
    if committee is None:
        raise PermissionDenied(_("You do not have permission to see this page."))
    matrix = standard_matrix(user=request.user, committee_id=committee.pk)
    return render(
        request,
        "workrooms/standard.html",
        {
            "matrix": matrix,
            "committees": committees,
            "can_install": not matrix.items
            and request.user.has_perm("workrooms.manage_workroom", committee),
            "Standing": Standing,
        },
    )


@require_POST
@workspace_required("workrooms.manage_workroom")
def standard_install(request: HttpRequest) -> HttpResponse:
    committee = committee_from_post(request, list(standard_committees(user=request.user)))
    created = services.checklist_install_defaults(committee=committee, actor=request.user)
    if created:
        messages.success(request, _("The default standard has been set up."))
    else:
        messages.info(request, _("The committee already has its own standard."))
    return redirect(reverse("workrooms:standard") + f"?committee={committee.pk}")


def _evidence_page(
    request: HttpRequest,
    workroom: Workroom,
    *,
    form: EvidenceForm | None = None,
    item_id: int | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "workrooms/evidence.html",
        {
            "workroom": workroom,
            "standard": standard_row(workroom=workroom),
            "can_record": request.user.has_perm("workrooms.record_evidence", workroom),
            "can_confirm": request.user.has_perm("workrooms.confirm_evidence", workroom),
            "form": form,
            "form_item": item_id,
            "blank": EvidenceForm(),
            "Standing": Standing,
        },
        status=status,
    )


@workspace_required("workrooms.view_workroom")
def workroom_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """A workroom's standard: each item's evidence, with forms for who may record or
    confirm it."""
    return _evidence_page(request, workroom_get(user=request.user, pk=pk))


@require_POST
@workspace_required("workrooms.view_workroom")
def evidence_record_view(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    workroom = workroom_get(user=request.user, pk=pk)
    standard_item = checklist_item_get(workroom=workroom, pk=item)
    if not request.user.has_perm("workrooms.record_evidence", workroom):
        raise PermissionDenied(
            _("Only the committee's workroom staff or the workroom's convenor may record evidence.")
        )
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return _evidence_page(request, workroom, form=form, item_id=standard_item.pk, status=400)
    services.evidence_record(
        workroom=workroom,
        item=standard_item,
        text=form.cleaned_data["text"],
        photo=form.cleaned_data["photo"],
        actor=request.user,
    )
    messages.success(request, _("Evidence recorded; it now awaits confirmation by staff."))
    return redirect("workrooms:evidence", pk=workroom.pk)


@require_POST
@workspace_required("workrooms.view_workroom")
def evidence_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = evidence_get(user=request.user, pk=pk)
    if not request.user.has_perm("workrooms.confirm_evidence", evidence.workroom):
        raise PermissionDenied(_("Only the committee's workroom staff may confirm evidence."))
    form = ConfirmEvidenceForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("The form is incomplete. Reload the page and try again."))
    services.evidence_confirm(evidence=evidence, actor=request.user, seen=form.cleaned_data["seen"])
    messages.success(request, _("Confirmed: “%(item)s” is met.") % {"item": evidence.item.name})
    return redirect("workrooms:evidence", pk=evidence.workroom_id)


@workspace_required("workrooms.view_workroom")
def evidence_photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    evidence = evidence_get(user=request.user, pk=pk)
    if not evidence.photo:
        raise Http404(_("No photo."))
    return image_response(evidence.photo)


# --- The public workroom page --------------------------------------------------------


def _qr_svg(request: HttpRequest, path: str, title: str) -> str:
    url = request.build_absolute_uri(path)
    # Drawn inline: no fixed width or height but a viewBox, so that the stylesheet scales it
    # to the phone's width without cutting off its corner markers.
    svg: str = segno.make(url, error="m").svg_inline(scale=4, title=title, omitsize=True)
    return svg


# Sections of the public page drawn above the QR codes (order below this) or below them.
PUBLIC_QR_ORDER = 50


@public
def workroom_public(request: HttpRequest, code: str) -> HttpResponse:
    """What a citizen sees after scanning a workroom's code: where and when it is open,
    who is on duty this week, codes to hand in a suggestion or book a talk, and what its
    members have done (dates, kinds, titles, names, citizens reached — no notes, no
    photos)."""
    workroom = workroom_get_public(code=code)
    suggest = reverse("suggestions:submit_workroom", args=[workroom.code])
    book = reverse("duty:book_workroom", args=[workroom.code])
    sections = sorted(hooks.public_sections(workroom), key=lambda s: s.order)
    return render(
        request,
        "workrooms/public.html",
        {
            "workroom": workroom,
            "sections_before": [s for s in sections if s.order < PUBLIC_QR_ORDER],
            "sections_after": [s for s in sections if s.order >= PUBLIC_QR_ORDER],
            "suggest_url": suggest,
            "book_url": book,
            "suggest_qr": _qr_svg(request, suggest, _("Hand in a suggestion")),
            "book_qr": _qr_svg(request, book, _("Book a talk")),
        },
    )
