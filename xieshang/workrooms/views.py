"""Pages for workrooms: the scoped list (as a tree), a workroom with its standard, its
activity log and timeline, the committee's standard overview, duty activities (list,
totals, Excel, record, correct), and the public workroom page citizens reach by QR code."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core.decorators import public
from xieshang.core.errors import DomainError
from xieshang.core.forms import TransitionForm
from xieshang.core.http import date_param, int_param
from xieshang.core.models import Committee, Event
from xieshang.core.views import workspace_required
from xieshang.core.workflow import TimelineEntry
from xieshang.people.models import Member
from xieshang.people.selectors import member_seats_of
from xieshang.workrooms import services
from xieshang.workrooms.exports import activities_workbook
from xieshang.workrooms.forms import ActivityForm, ConfirmEvidenceForm, EvidenceForm
from xieshang.workrooms.models import (
    Activity,
    ActivityKind,
    Workroom,
    WorkroomKind,
    WorkroomStatus,
)
from xieshang.workrooms.selectors import (
    ActivityFilter,
    Standing,
    activity_committees,
    activity_get,
    activity_kinds_of,
    activity_list,
    activity_photo_get,
    activity_totals,
    activity_visible_committee_ids,
    checklist_item_get,
    evidence_get,
    standard_committees,
    standard_matrix,
    standard_row,
    workroom_activity_log,
    workroom_duty_this_week,
    workroom_get,
    workroom_get_public,
    workroom_list,
    workroom_tree,
)
from xieshang.workrooms.services import workroom_transition
from xieshang.workrooms.workflow import WORKROOM_WORKFLOW


def _image(field_file: Any) -> FileResponse:
    """A stored photo, privately cached: never under a public address."""
    content_type = "image/png" if field_file.name.endswith(".png") else "image/jpeg"
    response = FileResponse(field_file.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


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
            "can_view_activities": request.user.has_perm("workrooms.view_activity"),
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
            "activities": workroom_activity_log(workroom=workroom),
            "can_record_activity": request.user.has_perm(
                "workrooms.record_activity", workroom.committee
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


def _committee_from_post(request: HttpRequest, allowed: list[Committee]) -> Committee:
    chosen = int_param(request.POST.get("committee"))
    if chosen is None:
        raise DomainError(_("Choose a committee. Reload the page and try again."))
    committee = next((c for c in allowed if c.pk == chosen), None)
    if committee is None:
        raise Http404(_("No such committee, or it is not yours to see."))
    return committee


@require_POST
@workspace_required("workrooms.manage_workroom")
def standard_install(request: HttpRequest) -> HttpResponse:
    committee = _committee_from_post(request, list(standard_committees(user=request.user)))
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
def evidence_photo(request: HttpRequest, pk: int) -> FileResponse:
    evidence = evidence_get(user=request.user, pk=pk)
    if not evidence.photo:
        raise Http404(_("No photo."))
    return _image(evidence.photo)


# --- Duty activities (履职活动) ----------------------------------------------------------


def _activity_filter(request: HttpRequest) -> ActivityFilter:
    g = request.GET
    return ActivityFilter(
        committee_id=int_param(g.get("committee")),
        kind=g.get("kind", "").strip()[:30],
        workroom_id=int_param(g.get("workroom")),
        member_id=int_param(g.get("member")),
        since=date_param(g.get("since")),
        until=date_param(g.get("until")),
        query=g.get("q", "").strip()[:50],
    )


@workspace_required("workrooms.view_activity")
def activities(request: HttpRequest) -> HttpResponse:
    """Activities of the user's committees, filtered, with the totals of the filtered
    rows per kind (the figures committees publish)."""
    filters = _activity_filter(request)
    rows = activity_list(user=request.user, filters=filters)
    ids = activity_visible_committee_ids(user=request.user)
    committees = Committee.objects.all() if ids is None else Committee.objects.filter(pk__in=ids)
    committees = committees.order_by("order", "id")
    # Choices narrow to one committee when one is chosen or the user has just one.
    focus = filters.committee_id or (ids and len(ids) == 1 and next(iter(ids))) or None
    kinds = ActivityKind.objects.filter(committee__in=committees)
    workrooms = Workroom.objects.filter(committee__in=committees)
    members = Member.objects.none()
    if focus:
        kinds, workrooms = kinds.filter(committee_id=focus), workrooms.filter(committee_id=focus)
        members = Member.objects.filter(committee_id=focus, committee__in=committees)
    totals = activity_totals(rows)
    return render(
        request,
        "workrooms/activities.html",
        {
            "page": Paginator(rows.prefetch_related("members__user"), 30).get_page(
                request.GET.get("page")
            ),
            "filters": filters,
            "totals": totals,
            "grand": {
                "activities": sum(t.activities for t in totals),
                "participations": sum(t.participations for t in totals),
                "citizens": sum(t.citizens for t in totals),
                "issues": sum(t.issues for t in totals),
            },
            "committees": committees if ids is None or len(ids) > 1 else [],
            "kind_names": sorted(set(kinds.values_list("name", flat=True))),
            "workrooms": workrooms.order_by("committee", "kind", "id"),
            "members": members.select_related("user").order_by("user__name"),
            "can_record": request.user.has_perm("workrooms.record_activity"),
            "install_committees": [
                c
                for c in activity_committees(user=request.user)
                if request.user.has_perm("workrooms.manage_workroom", c)
                and not ActivityKind.objects.filter(committee=c).exists()
            ],
            "query_string": request.GET.urlencode(),
        },
    )


@workspace_required("workrooms.view_activity")
def activities_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as an Excel file, with a sheet of the totals."""
    rows = activity_list(user=request.user, filters=_activity_filter(request))
    response = HttpResponse(
        activities_workbook(
            rows.prefetch_related("members__user", "suggestions"), activity_totals(rows)
        ),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="activities-{stamp}.xlsx"'
    return response


@require_POST
@workspace_required("workrooms.manage_workroom")
def activity_kinds_install(request: HttpRequest) -> HttpResponse:
    committee = _committee_from_post(request, list(activity_committees(user=request.user)))
    if not request.user.has_perm("workrooms.manage_workroom", committee):
        raise PermissionDenied(_("Only the committee's workroom staff may set up activity kinds."))
    if services.activity_kinds_install_defaults(committee=committee):
        messages.success(request, _("The default activity kinds have been set up."))
    return redirect(reverse("workrooms:activity_new") + f"?committee={committee.pk}")


@workspace_required("workrooms.record_activity")
def activity_new(request: HttpRequest) -> HttpResponse:
    """Record an activity for one of the user's committees (谁组织谁记录)."""
    committees = list(activity_committees(user=request.user))
    chosen = int_param(request.POST.get("committee") or request.GET.get("committee"))
    committee = next((c for c in committees if c.pk == chosen), None) or (
        committees[0] if committees else None
    )
    if committee is None or not request.user.has_perm("workrooms.record_activity", committee):
        raise PermissionDenied(_("You may not record activities for this committee."))
    initial: dict[str, Any] = {"date": timezone.localdate()}
    seat = next(
        (m for m in member_seats_of(user=request.user) if m.committee_id == committee.pk), None
    )
    if seat is not None:
        initial["members"] = [seat.pk]
    workroom_id = int_param(request.GET.get("workroom"))
    if workroom_id and Workroom.objects.filter(pk=workroom_id, committee=committee).exists():
        initial["workroom"] = workroom_id
    form = ActivityForm(
        request.POST or None, request.FILES or None, committee_id=committee.pk, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        activity = services.activity_record(
            committee=committee, data=form.activity_input(), actor=request.user
        )
        messages.success(request, _("The activity has been recorded."))
        return redirect("workrooms:activity", pk=activity.pk)
    return render(
        request,
        "workrooms/activity_form.html",
        {
            "form": form,
            "committee": committee,
            "committees": committees,
            "activity": None,
            "has_kinds": activity_kinds_of(committee_id=committee.pk).exists(),
            "can_install": request.user.has_perm("workrooms.manage_workroom", committee),
        },
        status=400 if request.method == "POST" else 200,
    )


def _activity_timeline(activity: Activity) -> list[TimelineEntry]:
    labels = {"activity_record": _("Recorded"), "activity_edit": _("Corrected")}
    return [
        TimelineEntry(event=e, action=labels.get(e.action, e.action), from_state="", to_state="")
        for e in Event.objects.for_object(activity).select_related("actor")
    ]


@workspace_required("workrooms.view_activity")
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = activity_get(user=request.user, pk=pk)
    return render(
        request,
        "workrooms/activity.html",
        {
            "activity": activity,
            "members": activity.members.select_related("user"),
            "suggestions": activity.suggestions.all(),
            "photos": activity.photos.all(),
            "timeline": _activity_timeline(activity),
            "can_change": request.user.has_perm("workrooms.change_activity", activity),
            "can_see_suggestions": request.user.has_perm(
                "suggestions.view_suggestion", activity.committee
            ),
        },
    )


@workspace_required("workrooms.view_activity")
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = activity_get(user=request.user, pk=pk)
    if not request.user.has_perm("workrooms.change_activity", activity):
        raise PermissionDenied(_("Only whoever recorded the activity, or staff, may change it."))
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        committee_id=activity.committee_id,
        activity=activity,
        initial=ActivityForm.initial_for(activity),
    )
    if request.method == "POST" and form.is_valid():
        remove = [i for i in (int_param(v) for v in request.POST.getlist("remove_photo")) if i]
        services.activity_update(
            activity=activity,
            data=form.activity_input(),
            actor=request.user,
            remove_photo_ids=remove,
        )
        messages.success(request, _("The activity has been corrected."))
        return redirect("workrooms:activity", pk=activity.pk)
    return render(
        request,
        "workrooms/activity_form.html",
        {
            "form": form,
            "committee": activity.committee,
            "committees": [],
            "activity": activity,
            "photos": activity.photos.all(),
            "has_kinds": True,
            "can_install": False,
        },
        status=400 if request.method == "POST" else 200,
    )


@workspace_required("workrooms.view_activity")
def activity_photo(request: HttpRequest, pk: int) -> FileResponse:
    return _image(activity_photo_get(user=request.user, pk=pk).image)


# --- The public workroom page --------------------------------------------------------


def _qr_svg(request: HttpRequest, path: str, title: str) -> str:
    url = request.build_absolute_uri(path)
    svg: str = segno.make(url, error="m").svg_inline(scale=4, title=title)
    return svg


@public
def workroom_public(request: HttpRequest, code: str) -> HttpResponse:
    """What a citizen sees after scanning a workroom's code: where and when it is open,
    who is on duty this week, codes to hand in a suggestion or book a talk, and what its
    members have done (dates, kinds, titles, names, citizens reached — no notes, no
    photos)."""
    workroom = workroom_get_public(code=code)
    suggest = reverse("suggestions:submit_workroom", args=[workroom.code])
    book = reverse("duty:book_workroom", args=[workroom.code])
    return render(
        request,
        "workrooms/public.html",
        {
            "workroom": workroom,
            "duty": workroom_duty_this_week(workroom=workroom),
            "suggest_url": suggest,
            "book_url": book,
            "suggest_qr": _qr_svg(request, suggest, _("Hand in a suggestion")),
            "book_qr": _qr_svg(request, book, _("Book a talk")),
            "activities": workroom_activity_log(workroom=workroom, limit=10),
        },
    )
