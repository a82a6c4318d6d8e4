"""Search, scoped to the user: the entries of records they may see, matching a query,
newest first or by relevance, with snippets.

Scopes are the apps' own selectors (the triage inbox, the department's referrals, the
proposals whose file the user may read), used as subqueries, so search shows exactly
what the pages show. On SQLite the query runs in FTS5 and relevance is its bm25; on
PostgreSQL it runs on the GIN-indexed `tsvector`, and relevance (`ts_rank`) orders the
newest `RANK_WINDOW` matches — ranking every match of a term in a quarter of a million
rows would take seconds, and among a term's matches citizens and staff want recent ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from xieshang.core.models import Committee
from xieshang.people.access import access_for
from xieshang.search.models import EntryKind, SearchEntry, SearchWord
from xieshang.search.segmenter import segmenter
from xieshang.textkit.query import Query, fts5_match, parse_query, pg_tsquery
from xieshang.textkit.snippet import Piece, snippet

PAGE_SIZE = 20
COUNT_CAP = 1000
RANK_WINDOW = 2000
SORTS = ("relevance", "newest")


@dataclass(frozen=True)
class SearchFilter:
    text: str = ""
    kind: str = ""  # "" = every kind
    committee_id: int | None = None
    sort: str = "relevance"
    page: int = 1


@dataclass
class Hit:
    kind: str
    pk: int
    title: str
    url: str
    created_at: datetime
    committee: str
    status: str
    snippet: list[Piece] = field(default_factory=list)


@dataclass
class Results:
    query: Query
    hits: list[Hit]
    count: int  # capped at COUNT_CAP
    capped: bool
    page: int
    has_next: bool


def _suggestion_scope(user: Any) -> QuerySet[Any] | None:
    from xieshang.suggestions.models import Suggestion
    from xieshang.suggestions.selectors import referral_inbox, suggestion_inbox

    access = access_for(user)
    if access.is_superuser:
        return Suggestion.objects.all()
    parts: list[QuerySet[Any]] = []
    if access.staff_committee_ids:
        parts.append(suggestion_inbox(user=user).values("pk"))
    if access.clerk_of:
        parts.append(referral_inbox(user=user).values("suggestion_id"))
    if not parts:
        return None
    q = Q()
    for part in parts:
        q |= Q(pk__in=part)
    return Suggestion.objects.filter(q)


def _proposal_scope(user: Any) -> QuerySet[Any] | None:
    from xieshang.proposals.selectors.documents import proposals_for_documents

    return proposals_for_documents(user=user)


def scoped_entries(*, user: Any, kind: str = "") -> QuerySet[SearchEntry]:
    """The entries of the records `user` may see."""
    q = Q(pk__in=[])
    scopes = {
        EntryKind.SUGGESTION: _suggestion_scope,
        EntryKind.PROPOSAL: _proposal_scope,
    }
    for entry_kind, scope in scopes.items():
        if kind and kind != entry_kind:
            continue
        records = scope(user)
        if records is not None:
            q |= Q(kind=entry_kind, object_id__in=records.order_by().values("pk"))
    return SearchEntry.objects.filter(q)


def _matching(entries: QuerySet[SearchEntry], query: Query) -> QuerySet[SearchEntry]:
    if connection.vendor == "postgresql":
        return entries.extra(
            where=["search_searchentry.vector @@ to_tsquery('simple', %s)"],
            params=[pg_tsquery(query)],
        )
    return entries.extra(
        tables=["search_fts"],
        where=["search_fts.rowid = search_searchentry.id", "search_fts MATCH %s"],
        params=[fts5_match(query)],
    )


def _ordered(matches: QuerySet[SearchEntry], query: Query, sort: str) -> QuerySet[SearchEntry]:
    newest = matches.order_by("-created_at", "-id")
    if sort == "newest":
        return newest
    if connection.vendor == "postgresql":
        window = list(newest.values_list("id", flat=True)[:RANK_WINDOW])
        return (
            SearchEntry.objects.filter(id__in=window)
            .extra(
                select={"score": "ts_rank(search_searchentry.vector, to_tsquery('simple', %s))"},
                select_params=[pg_tsquery(query)],
            )
            .order_by("-score", "-created_at", "-id")
        )
    return matches.extra(select={"score": "bm25(search_fts, 4.0, 1.0, 0.5)"}).order_by(
        "score", "-created_at", "-id"
    )


def search(*, user: Any, filters: SearchFilter) -> Results:
    """One page of what `user` may see that matches `filters.text`. Raises
    textkit.query.QueryError for a query with nothing to search for."""
    query = parse_query(filters.text, segmenter())
    entries = scoped_entries(user=user, kind=filters.kind)
    if filters.committee_id:
        entries = entries.filter(committee_id=filters.committee_id)
    matches = _matching(entries, query)
    count = len(matches.order_by().values_list("id", flat=True)[: COUNT_CAP + 1])
    page = max(1, filters.page)
    start = (page - 1) * PAGE_SIZE
    rows = list(
        _ordered(
            matches, query, filters.sort if filters.sort in SORTS else "relevance"
        ).values_list("kind", "object_id")[start : start + PAGE_SIZE + 1]
    )
    hits = _hits(user, rows[:PAGE_SIZE], query)
    return Results(
        query=query,
        hits=hits,
        count=min(count, COUNT_CAP),
        capped=count > COUNT_CAP,
        page=page,
        has_next=len(rows) > PAGE_SIZE,
    )


def _hits(user: Any, rows: list[tuple[str, int]], query: Query) -> list[Hit]:
    from xieshang.proposals.models import Proposal
    from xieshang.suggestions.models import Suggestion

    needles = query.highlights
    ids = {k: [pk for kind, pk in rows if kind == k] for k in EntryKind.values}
    suggestions = Suggestion.objects.select_related("committee").in_bulk(ids[EntryKind.SUGGESTION])
    proposals = Proposal.objects.select_related("committee", "lead").in_bulk(
        ids[EntryKind.PROPOSAL]
    )
    access = access_for(user)
    hits = []
    for kind, pk in rows:
        if kind == EntryKind.SUGGESTION and pk in suggestions:
            s = suggestions[pk]
            hits.append(
                Hit(
                    kind=kind,
                    pk=pk,
                    title=s.title,
                    url=_suggestion_url(access, s),
                    created_at=s.created_at,
                    committee=s.committee.short_name,
                    status=s.get_status_display(),
                    snippet=snippet(s.content, needles),
                )
            )
        elif kind == EntryKind.PROPOSAL and pk in proposals:
            p = proposals[pk]
            hits.append(
                Hit(
                    kind=kind,
                    pk=pk,
                    title=(f"{p.number} " if p.number else "") + p.title,
                    url=_proposal_url(user, access, p),
                    created_at=p.created_at,
                    committee=p.committee.short_name,
                    status=p.get_status_display(),
                    snippet=snippet(f"{p.analysis} {p.recommendations}", needles),
                )
            )
    return hits


def _suggestion_url(access: Any, suggestion: Any) -> str:
    if access.is_superuser or suggestion.committee_id in access.staff_committee_ids:
        return reverse("suggestions:detail", args=[suggestion.pk])
    from xieshang.suggestions.models import Referral

    referral = (
        Referral.objects.filter(suggestion=suggestion, department_id__in=list(access.clerk_of))
        .order_by("-id")
        .first()
    )
    return reverse("suggestions:referral", args=[referral.pk]) if referral else ""


def _proposal_url(user: Any, access: Any, proposal: Any) -> str:
    from xieshang.proposals.models import Assignment, ProposalStatus

    if proposal.lead.user_id == user.pk or proposal.status == ProposalStatus.DRAFT:
        return reverse("proposals:detail", args=[proposal.pk])
    if access.is_superuser or proposal.committee_id in access.staff_committee_ids:
        return reverse("proposals:review_detail", args=[proposal.pk])
    assignment = (
        Assignment.objects.filter(proposal=proposal, department_id__in=list(access.clerk_of))
        .order_by("-id")
        .first()
    )
    if assignment is not None:
        return reverse("proposals:assignment", args=[assignment.pk])
    if access.leader_of and not access.member_of:
        return reverse("proposals:key_board")  # a chosen key proposal, seen by its leaders
    return reverse("proposals:detail", args=[proposal.pk])  # a confirmed co-signer


# --- The committees' dictionaries ----------------------------------------------------


def dictionary_committees(*, user: Any) -> QuerySet[Committee]:
    """The committees whose dictionary the user keeps: those they staff."""
    access = access_for(user)
    if access.is_superuser:
        return Committee.objects.order_by("pk")
    return Committee.objects.filter(pk__in=access.staff_committee_ids).order_by("pk")


def dictionary_word_get(*, user: Any, pk: int) -> SearchWord:
    try:
        return SearchWord.objects.get(pk=pk, committee__in=dictionary_committees(user=user))
    except SearchWord.DoesNotExist:
        raise Http404(_("No such word, or it is not yours to change.")) from None


def dictionary_words(*, user: Any) -> QuerySet[SearchWord]:
    return SearchWord.objects.filter(committee__in=dictionary_committees(user=user)).select_related(
        "committee"
    )
