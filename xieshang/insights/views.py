"""Staff pages of the triage aids: hotspots (热点问题) and how useful the hints are."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from xieshang.core.http import int_param
from xieshang.core.views import workspace_required
from xieshang.insights import selectors

PERIODS = (7, 30, 90)


@workspace_required("insights.view_insights")
def hotspots(request: HttpRequest) -> HttpResponse:
    """Groups of suggestions about the same issue in a period, largest and growing first."""
    days = int_param(request.GET.get("days")) or 30
    days = days if days in PERIODS else 30
    committees = selectors.insight_committees(user=request.user)
    ids = list(committees.values_list("pk", flat=True))
    return render(
        request,
        "insights/hotspots.html",
        {
            "spots": selectors.hotspots(committee_ids=ids, days=days, limit=30),
            "days": days,
            "periods": PERIODS,
            "usefulness": selectors.hint_usefulness(committee_ids=ids),
            "uptake": selectors.category_hint_uptake(committee_ids=ids),
        },
    )


urlpatterns: list[URLPattern] = [
    path("work/insights/hotspots/", hotspots, name="hotspots"),
]
