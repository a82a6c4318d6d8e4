"""The search page, and the committee dictionary page for staff."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core.decorators import workspace_required
from xieshang.core.errors import DomainError
from xieshang.core.http import int_param
from xieshang.core.replica import replica_reads
from xieshang.search import selectors, services
from xieshang.search.models import EntryKind, WordKind
from xieshang.textkit.query import MAX_QUERY_CHARS, QueryError


@workspace_required("search.use_search")
@replica_reads
def search(request: HttpRequest) -> HttpResponse:
    """One search box over the suggestions and proposals the user may see."""
    text = request.GET.get("q", "")
    kind = request.GET.get("kind", "")
    sort = request.GET.get("sort", "relevance")
    filters = selectors.SearchFilter(
        text=text[: MAX_QUERY_CHARS * 2],
        kind=kind if kind in EntryKind.values else "",
        sort=sort if sort in selectors.SORTS else "relevance",
        page=min(int_param(request.GET.get("page")) or 1, 50),
    )
    results, error = None, ""
    # A tracking code (查询码) the citizen read out opens their suggestion at once.
    found = selectors.suggestion_url_by_code(user=request.user, text=text) if text else None
    if found:
        return redirect(found)
    if text.strip():
        try:
            results = selectors.search(user=request.user, filters=filters)
        except QueryError:
            error = _("Type a word to search for: letters, digits or Chinese characters.")
    return render(
        request,
        "search/search.html",
        {
            "filters": filters,
            "results": results,
            "error": error,
            "kinds": EntryKind.choices,
            "max_chars": MAX_QUERY_CHARS,
        },
    )


@workspace_required("search.edit_dictionary")
def dictionary(request: HttpRequest) -> HttpResponse:
    """The committee's own words kept whole when texts are cut (place names), and its
    stop words."""
    committees = selectors.dictionary_committees(user=request.user)
    if request.method == "POST":
        committee = committees.filter(pk=int_param(request.POST.get("committee")) or 0).first()
        if committee is None:
            messages.error(request, _("Choose one of your committees."))
        else:
            try:
                services.word_add(
                    committee=committee,
                    word=request.POST.get("word", ""),
                    kind=request.POST.get("kind", WordKind.WORD),
                    actor=request.user,
                )
            except DomainError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request, _("Added. Older texts are indexed again in the background.")
                )
        return redirect("search:dictionary")
    return render(
        request,
        "search/dictionary.html",
        {
            "committees": committees,
            "words": selectors.dictionary_words(user=request.user),
            "kinds": WordKind.choices,
        },
    )


@require_POST
@workspace_required("search.edit_dictionary")
def dictionary_remove(request: HttpRequest, pk: int) -> HttpResponse:
    word = selectors.dictionary_word_get(user=request.user, pk=pk)
    services.word_remove(word=word, actor=request.user)
    messages.success(request, _("Removed “%(word)s”.") % {"word": word.word})
    return redirect("search:dictionary")


urlpatterns: list[URLPattern] = [
    path("work/search/", search, name="search"),
    path("work/search/dictionary/", dictionary, name="dictionary"),
    path("work/search/dictionary/<int:pk>/remove/", dictionary_remove, name="dictionary_remove"),
]
