"""Each role's home page, read from every app: the citizen's committee page (what they can
do there) and the workspace home (我的工作: what waits for whom). The app sits on top of the
others (docs/architecture.md)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xieshang.consultations.selectors import invitations_unanswered_count
from xieshang.core.decorators import public
from xieshang.core.selectors import committee_get_public, committee_list_public
from xieshang.duty.selectors.roster import shift_change_counts, shifts_of_member
from xieshang.duty.selectors.talks import appointments_upcoming, bookings_today_count
from xieshang.insights.selectors import hotspot_count, insight_committees
from xieshang.people.access import Role, access_for
from xieshang.people.selectors import member_seats_of
from xieshang.performance.selectors import baseline_flags
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


@public
def landing(request: HttpRequest) -> HttpResponse:
    committees = committee_list_public()
    return render(request, "workspace/landing.html", {"committees": committees})


@public
def committee_page(request: HttpRequest, code: str) -> HttpResponse:
    committee = committee_get_public(code=code)
    return render(
        request,
        "workspace/committee.html",
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
        context["below_baseline"] = sum(len(f.rows) for f in baseline_flags(user=user))
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
        context["event_invitations"] = invitations_unanswered_count(user=user)
        context["to_rate"] = proposals_to_rate(user=user)[:5]
    context["shift_changes"] = shift_change_counts(user=user)
    context["is_staff_home"] = access.home_role == Role.STAFF
    return render(request, "workspace/home.html", context)
