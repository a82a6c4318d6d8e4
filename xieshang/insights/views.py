"""Staff pages of the triage aids: hotspots (热点问题) and how useful the hints are."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_POST

from xieshang.core.decorators import public, workspace_required
from xieshang.core.http import client_ip, int_param
from xieshang.core.privacy import lookup_hash
from xieshang.core.replica import replica_reads
from xieshang.core.selectors import committee_get_public
from xieshang.insights import selectors
from xieshang.suggestions.selectors import follow_token

PERIODS = (7, 30, 90)
SIMILAR_CHECKS_PER_MINUTE = 30


@public
@require_POST
def similar_check(request: HttpRequest, code: str) -> HttpResponse:
    """ "已有类似诉求" while a citizen writes: up to 5 similar open suggestions of the
    committee (an htmx fragment). Limited per address, as each check reads the text
    closely."""
    committee = committee_get_public(code=code)
    key = f"similar-check:{lookup_hash(client_ip(request) or '-')}"
    cache.add(key, 0, timeout=60)
    try:
        count = cache.incr(key)
    except ValueError:
        count = 1
    items = []
    if count <= SIMILAR_CHECKS_PER_MINUTE:
        title = request.POST.get("title", "")[:60]
        content = request.POST.get("content", "")[:2000]
        items = [
            (s, follow_token(s.suggestion.pk))
            for s in selectors.similar_for_submit(
                committee_id=committee.pk, title=title, content=content
            )
        ]
    return render(request, "insights/_similar.html", {"items": items, "committee": committee})


@workspace_required("insights.view_insights")
@replica_reads
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
    path("c/<slug:code>/suggest/similar/", similar_check, name="similar_check"),
    path("work/insights/hotspots/", hotspots, name="hotspots"),
]
