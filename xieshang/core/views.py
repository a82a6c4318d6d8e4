"""Pages of the core app: the public landing page, a committee's page, the workspace home."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from xieshang.core.decorators import public
from xieshang.core.selectors import committee_get_public, committee_list_public
from xieshang.duty.selectors.roster import shift_change_counts, shifts_of_member
from xieshang.duty.selectors.talks import appointments_upcoming, bookings_today_count
from xieshang.insights.selectors import hotspot_count, insight_committees
from xieshang.people.access import Role, access_for
from xieshang.people.selectors import member_seats_of
from xieshang.proposals.selectors.drafting import invitation_count
from xieshang.proposals.selectors.handling import handling_counts, proposals_to_rate
from xieshang.proposals.selectors.office import office_counts
from xieshang.suggestions.selectors import (
    campaign_list_open,
    referral_inbox,
    suggestion_counts_for_staff,
    suggestions_offered_to,
)
from xieshang.workrooms.selectors import (
    service_point_list_public,
    workroom_counts_for_staff,
    workroom_list_of_member,
    workroom_list_public,
)

View = Callable[..., HttpResponseBase]


def workspace_required(perm: str) -> Callable[[View], View]:
    """Logged in and holding `perm` (checked without a record; views check the record)."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.has_perm(perm):
                raise PermissionDenied(_("You do not have permission to see this page."))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


@public
def landing(request: HttpRequest) -> HttpResponse:
    committees = committee_list_public()
    return render(request, "core/landing.html", {"committees": committees})


@public
def committee_page(request: HttpRequest, code: str) -> HttpResponse:
    committee = committee_get_public(code=code)
    return render(
        request,
        "core/committee.html",
        {
            "committee": committee,
            "workrooms": workroom_list_public(committee=committee),
            "service_points": service_point_list_public(committee=committee),
            "campaigns": campaign_list_open(committee=committee),
        },
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """我的工作: what waits for this user, by role. Later issues add their lists here."""
    user = request.user
    access = access_for(user)
    context: dict[str, Any] = {"roles": access.home_role}
    if access.staff or access.is_superuser:
        context["workroom_counts"] = workroom_counts_for_staff(user=user)
        context["suggestion_counts"] = suggestion_counts_for_staff(user=user)
        context["bookings_today"] = bookings_today_count(user=user)
        context["proposal_counts"] = office_counts(user=user)
        context["hotspot_count"] = hotspot_count(
            committee_ids=list(insight_committees(user=user).values_list("pk", flat=True))
        )
    if access.clerk_of:
        context["assignment_counts"] = handling_counts(user=user)
        context["referrals"] = referral_inbox(user=user, open_only=True).filter(
            department_id__in=list(access.clerk_of)
        )[:20]
    if access.member_of:
        context["offered"] = suggestions_offered_to(user=user)[:10]
        context["seats"] = member_seats_of(user=user)
        context["my_workrooms"] = workroom_list_of_member(user=user)
        context["my_shifts"] = shifts_of_member(user=user)[:3]
        context["appointments"] = appointments_upcoming(user=user, limit=5)
        context["invitations"] = invitation_count(user=user)
        context["to_rate"] = proposals_to_rate(user=user)[:5]
    context["shift_changes"] = shift_change_counts(user=user)
    context["is_staff_home"] = access.home_role == Role.STAFF
    return render(request, "core/home.html", context)


@public
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(
        request,
        "error.html",
        {
            "status": 403,
            "message": _(
                "The form has expired or was sent from elsewhere. Reload the page and try again."
            ),
        },
        status=403,
    )
