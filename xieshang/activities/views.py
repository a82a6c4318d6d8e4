"""Pages for duty activities (履职活动): the list with totals per kind and Excel, record
an activity, its page and timeline, correct it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.activities import services
from xieshang.activities.exports import activities_workbook
from xieshang.activities.forms import ActivityForm
from xieshang.activities.models import ActivityKind
from xieshang.activities.selectors import (
    ActivityFilter,
    activity_committees,
    activity_get,
    activity_kinds_of,
    activity_list,
    activity_photo_get,
    activity_totals,
    activity_visible_committee_ids,
)
from xieshang.core.decorators import workspace_required
from xieshang.core.http import committee_from_post, date_param, image_response, int_param
from xieshang.core.models import Committee
from xieshang.core.replica import replica_reads
from xieshang.core.workflow import event_timeline
from xieshang.people.models import Member
from xieshang.people.selectors import member_seats_of
from xieshang.workrooms.models import Workroom

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


@workspace_required("activities.view_activity")
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
        "activities/activities.html",
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
            "can_record": request.user.has_perm("activities.record_activity"),
            "install_committees": [
                c
                for c in activity_committees(user=request.user)
                if request.user.has_perm("activities.install_kinds", c)
                and not ActivityKind.objects.filter(committee=c).exists()
            ],
            "query_string": request.GET.urlencode(),
        },
    )


@workspace_required("activities.view_activity")
@replica_reads
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
@workspace_required("activities.install_kinds")
def activity_kinds_install(request: HttpRequest) -> HttpResponse:
    committee = committee_from_post(request, list(activity_committees(user=request.user)))
    if not request.user.has_perm("activities.install_kinds", committee):
        raise PermissionDenied(_("Only the committee's workroom staff may set up activity kinds."))
    if services.activity_kinds_install_defaults(committee=committee):
        messages.success(request, _("The default activity kinds have been set up."))
    return redirect(reverse("activities:new") + f"?committee={committee.pk}")


@workspace_required("activities.record_activity")
def activity_new(request: HttpRequest) -> HttpResponse:
    """Record an activity for one of the user's committees (谁组织谁记录)."""
    committees = list(activity_committees(user=request.user))
    chosen = int_param(request.POST.get("committee") or request.GET.get("committee"))
    committee = next((c for c in committees if c.pk == chosen), None) or (
        committees[0] if committees else None
    )
    if committee is None or not request.user.has_perm("activities.record_activity", committee):
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
        return redirect("activities:detail", pk=activity.pk)
    return render(
        request,
        "activities/activity_form.html",
        {
            "form": form,
            "committee": committee,
            "committees": committees,
            "activity": None,
            "has_kinds": activity_kinds_of(committee_id=committee.pk).exists(),
            "can_install": request.user.has_perm("activities.install_kinds", committee),
        },
        status=400 if request.method == "POST" else 200,
    )


@workspace_required("activities.view_activity")
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = activity_get(user=request.user, pk=pk)
    return render(
        request,
        "activities/activity.html",
        {
            "activity": activity,
            "members": activity.members.select_related("user"),
            "suggestions": activity.suggestions.all(),
            "photos": activity.photos.all(),
            "timeline": event_timeline(activity),
            "can_change": request.user.has_perm("activities.change_activity", activity),
            "can_see_suggestions": request.user.has_perm(
                "suggestions.view_suggestion", activity.committee
            ),
        },
    )


@workspace_required("activities.view_activity")
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = activity_get(user=request.user, pk=pk)
    if not request.user.has_perm("activities.change_activity", activity):
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
        return redirect("activities:detail", pk=activity.pk)
    return render(
        request,
        "activities/activity_form.html",
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


@workspace_required("activities.view_activity")
def activity_photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    return image_response(activity_photo_get(user=request.user, pk=pk).image)
