"""Search, scoped to the user: the entries of records they may see, matching a query,
newest first or by relevance, with snippets.

Scopes follow the apps' own selectors, so search shows exactly what the pages show: a
staff member sees the suggestions of the committees they staff (the triage inbox), a
department clerk what was referred to the department (the referral inbox), anyone the
proposals whose file they may read. The first is written as the entry's own
`committee_id`, which the index writer copies from the suggestion (whose committee never
changes), rather than as a subquery over the suggestions: with a million rows that
subquery alone took longer than the whole search may. The others stay subqueries.

On SQLite the query runs in FTS5 and relevance is its bm25 over every match. On
PostgreSQL it runs on the GIN-indexed `tsvector`, and the plan is chosen here, not left
to the planner (see `_pg_rows`), because what the planner cannot see dominates: checking
a match reads the row's vector, about 6 kB kept out of line (about 5 µs a row when rows
are walked in time order, about 25 µs when the index hands them out scattered), and the
GIN index spends about 100 ms on a common term's 300,000 rows before any is checked. The
plain "match, ordered by time" query with the scopes as subqueries had not answered a
6 % term after minutes with a million rows (bench/search.py, bench/README.md). Relevance
(`ts_rank`) orders every match when there are at most `COUNT_CAP`, else the newest
`RANK_WINDOW` — among a term's many matches citizens and staff want recent ones, and
ranking more costs more than a page may.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from xieshang.core.models import Committee
from xieshang.people.access import access_for
from xieshang.proposals.models import Assignment, Proposal, ProposalStatus
from xieshang.proposals.selectors.documents import proposals_for_documents
from xieshang.search.models import EntryKind, SearchEntry, SearchWord
from xieshang.search.segmenter import segmenter
from xieshang.suggestions.models import TRACKING_ALPHABET, TRACKING_LENGTH, Referral, Suggestion
from xieshang.suggestions.selectors import referral_inbox
from xieshang.textkit.query import Query, fts5_match, parse_query, pg_tsquery
from xieshang.textkit.segment import grams
from xieshang.textkit.snippet import Piece, snippet

PAGE_SIZE = 20
COUNT_CAP = 1000
SORTS = ("relevance", "newest")

# PostgreSQL only (see `_pg_rows`). Relevance ranks the newest RANK_WINDOW matches of a
# term with more than COUNT_CAP; PROBE_ROWS newest entries are checked one by one before
# the index is used; a count is walked too when those show the term is common enough for
# COUNT_CAP + 1 matches to lie, twice over, within COUNT_WALK_ROWS entries.
RANK_WINDOW = 300
PROBE_ROWS = 400
PROBE_ENOUGH = 20  # matches among PROBE_ROWS that tell how common a term is
COUNT_WALK_ROWS = 12_000
SNIPPET_WIDTH = 80
SNIPPET_FOLD = 400  # characters of a text searched for a match in another form


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


# --- Who sees what ----------------------------------------------------------------------


def _suggestion_q(user: Any) -> Q | None:
    """Which suggestion entries `user` may see, as a condition on the entry; None: none.

    The triage inbox (`suggestions.selectors.suggestion_inbox`) holds the suggestions
    whose `committee_id` is one the user staffs; the entry carries the same committee.
    The referral inbox is used as it is, a subquery."""

    access = access_for(user)
    if access.is_superuser:
        return Q()
    q: Q | None = None
    if access.staff_committee_ids:
        q = Q(committee_id__in=sorted(access.staff_committee_ids))
    if access.clerk_of:
        referred = Q(object_id__in=referral_inbox(user=user).order_by().values("suggestion_id"))
        q = referred if q is None else q | referred
    return q


def _proposal_q(user: Any) -> Q | None:

    return Q(object_id__in=proposals_for_documents(user=user).order_by().values("pk"))


def scoped_entries(*, user: Any, kind: str = "") -> QuerySet[SearchEntry]:
    """The entries of the records `user` may see."""
    q = Q(pk__in=[])
    scopes = {EntryKind.SUGGESTION: _suggestion_q, EntryKind.PROPOSAL: _proposal_q}
    for entry_kind, scope in scopes.items():
        if kind and kind != entry_kind:
            continue
        records = scope(user)
        if records is not None:
            q |= Q(kind=entry_kind) & records
    return SearchEntry.objects.filter(q)


def _matching(entries: QuerySet[SearchEntry], query: Query) -> QuerySet[SearchEntry]:
    if connection.vendor == "postgresql":
        return entries.extra(
            where=["search_searchentry.vector @@ to_tsquery('simple', %s)"],
            params=[_pg_filter(query)],
        )
    return entries.extra(
        tables=["search_fts"],
        where=["search_fts.rowid = search_searchentry.id", "search_fts MATCH %s"],
        params=[fts5_match(query)],
    )


def matching_entries(*, user: Any, query: Query, kind: str = "") -> QuerySet[SearchEntry]:
    """Every entry `user` may see that matches `query`, unordered and uncounted (what a
    page is cut from; the search benchmark compares it with LIKE)."""
    return _matching(scoped_entries(user=user, kind=kind), query)


# --- One page ---------------------------------------------------------------------------


def search(*, user: Any, filters: SearchFilter) -> Results:
    """One page of what `user` may see that matches `filters.text`. Raises
    textkit.query.QueryError for a query with nothing to search for."""
    query = parse_query(filters.text, segmenter())
    entries = scoped_entries(user=user, kind=filters.kind)
    if filters.committee_id:
        entries = entries.filter(committee_id=filters.committee_id)
    sort = filters.sort if filters.sort in SORTS else "relevance"
    page = max(1, filters.page)
    start = (page - 1) * PAGE_SIZE
    if connection.vendor == "postgresql":
        rows, count = _pg_rows(entries, query, sort, start + PAGE_SIZE + 1)
        rows = rows[start : start + PAGE_SIZE + 1]
    else:
        rows, count = _sqlite_rows(entries, query, sort, start)
    hits = _hits(user, rows[:PAGE_SIZE], query)
    return Results(
        query=query,
        hits=hits,
        count=min(count, COUNT_CAP),
        capped=count > COUNT_CAP,
        page=page,
        has_next=len(rows) > PAGE_SIZE,
    )


def _sqlite_rows(
    entries: QuerySet[SearchEntry], query: Query, sort: str, start: int
) -> tuple[list[tuple[str, int]], int]:
    """The page's rows from `start` (one more than a page, if there is one) and the count,
    capped at COUNT_CAP + 1. Newest first walks the entries by time and looks each id up
    in the set of FTS5 matches (the `+` keeps SQLite from looking the matches up one by
    one and sorting them all): a common term's first page is found at once."""
    match = fts5_match(query)
    matches = _matching(entries, query)
    count = len(matches.order_by().values_list("id", flat=True)[: COUNT_CAP + 1])
    if sort == "newest":
        ordered = entries.extra(
            where=[
                "+search_searchentry.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)"
            ],
            params=[match],
        ).order_by("-created_at", "-id")
    else:
        ordered = matches.extra(select={"score": "bm25(search_fts, 4.0, 1.0, 0.5)"}).order_by(
            "score", "-created_at", "-id"
        )
    rows = list(ordered.values_list("kind", "object_id")[start : start + PAGE_SIZE + 1])
    return rows, count


class _Row(NamedTuple):
    id: int
    kind: str
    object_id: int
    created_at: float  # seconds since the epoch: only ever compared
    rank: float | None


def _pg_rows(
    entries: QuerySet[SearchEntry], query: Query, sort: str, need: int
) -> tuple[list[tuple[str, int]], int]:
    """The matches in the page's order, the first `need` at least when there are that
    many, and the count, capped at COUNT_CAP + 1.

    1. Check the newest PROBE_ROWS entries in scope one by one, in time order: a common
       term's first page is there, and the share that matched tells how common it is.
    2. Count. A term that common is counted by walking on (COUNT_CAP + 1 matches lie
       within a few thousand entries). Any other through the GIN index, forced (the
       planner, guessing from statistics how common a term is, often walks a rare one's
       whole table), at most COUNT_CAP + 1 rows: with at most COUNT_CAP matches that
       query has them all, and the page is cut from them.
    3. Otherwise, when the walk found fewer matches than wanted, the GIN index again, but
       ANDed with the `created_at` index over the newest entries only: as many as should
       hold the wanted matches three times over, judged by the share in step 1 or, when
       it found too few to judge by, by the larger of that and the share the count saw
       (how far into the table the index had to go for COUNT_CAP + 1 matches), widened
       until enough are found."""
    relevance = sort == "relevance"
    try:
        where, params = _where_sql(entries)
    except EmptyResultSet:
        return [], 0
    scan = _PgScan(where, params, _pg_filter(query))
    wanted = RANK_WINDOW if relevance else need
    found, walked, complete = scan.walk(PROBE_ROWS, wanted)
    share = max(len(found), 0.5) / max(walked, 1)
    count = len(found) if complete else None
    if count is None and share * COUNT_WALK_ROWS >= 2 * (COUNT_CAP + 1):
        more, _walked, complete = scan.walk(COUNT_WALK_ROWS, max(wanted, COUNT_CAP + 1))
        if complete or len(more) > COUNT_CAP:
            found, count = more, len(more)
    if count is None:
        every = scan.indexed(COUNT_CAP + 1)
        count = len(every)
        if count <= COUNT_CAP:
            found, complete = sorted(every, key=_newest), True
        elif len(found) < PROBE_ENOUGH:
            share = max(share, scan.share(every))
    if not complete and len(found) < wanted:
        found = scan.recent(wanted, share)
    if relevance:
        ranks = _pg_ranks(found if count <= COUNT_CAP else found[:RANK_WINDOW], query)
        found = sorted(ranks, key=lambda r: (-(r.rank or 0.0), _newest(r)))
    return [(r.kind, r.object_id) for r in found], count


def _newest(row: _Row) -> tuple[float, int]:
    return (-row.created_at, -row.id)


def _pg_filter(query: Query) -> str:
    """A tsquery matching what `pg_tsquery(query)` matches, with a term that is a single
    token written without weights: a two-character term as a word (A) or a pair (B) is
    the pair in any weight (the characters, C, are single), a one-character term in the
    characters (C) is that character in any weight (a word or a run of one character is
    in the characters too), and a run of letters or digits is one token in A or B. The
    GIN index then answers such a term without reading the row's vector (weights and
    phrases need that), which is most of what a count costs. Longer terms keep their
    phrase of pairs and their weights."""
    clauses = []
    for term in query.terms:
        pieces = term.pieces
        tokens = grams(pieces[0]) if len(pieces) == 1 else []
        if len(tokens) == 1:
            clauses.append(f"'{tokens[0]}'")
        else:
            clauses.append(f"({pg_tsquery(Query((term,)))})")
    return " & ".join(clauses)


def _pg_ranks(rows: list[_Row], query: Query) -> list[_Row]:
    """The rows with their `ts_rank` (of `pg_tsquery`, whose weights rank a word above
    pairs that only meet)."""
    missing = [r.id for r in rows if r.rank is None]
    if not missing:
        return rows
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, ts_rank(vector, to_tsquery('simple', %s)) FROM search_searchentry"
            " WHERE id = ANY(%s)",
            [pg_tsquery(query), missing],
        )
        ranks = dict(cursor.fetchall())
    return [r if r.rank is not None else r._replace(rank=ranks.get(r.id, 0.0)) for r in rows]


def _where_sql(entries: QuerySet[SearchEntry]) -> tuple[str, list[Any]]:
    """The WHERE clause of the scoped entries, for the hand-written queries below."""
    compiler = entries.query.get_compiler(using=entries.db)
    sql, params = compiler.compile(entries.query.where)
    return sql or "TRUE", list(params)


@dataclass
class _PgScan:
    """The queries of `_pg_rows`, over the entries in scope matching a tsquery. `where` is
    the SQL Django compiled for the scope, with its `params`; nothing typed by the user
    is in any query's text (the tsquery is a parameter)."""

    where: str
    params: list[Any]
    tsquery: str

    def walk(self, rows: int, limit: int) -> tuple[list[_Row], int, bool]:
        """The newest matches, at most `limit`, among the newest `rows` entries in scope,
        checked one by one in time order; how many entries were looked at; and whether
        those were all the entries in scope. The entry `rows` is returned even when it
        does not match, as a marker that the scope holds that many."""
        sql = (
            "SELECT w.id, w.kind, w.object_id, extract(epoch FROM w.created_at)::float8, w.rn,"  # noqa: S608
            " w.vector @@ to_tsquery('simple', %s)"
            " FROM (SELECT search_searchentry.id, search_searchentry.kind,"
            " search_searchentry.object_id, search_searchentry.created_at,"
            " search_searchentry.vector, row_number() OVER (ORDER BY"
            " search_searchentry.created_at DESC, search_searchentry.id DESC) AS rn"
            f" FROM search_searchentry WHERE {self.where}"
            " ORDER BY search_searchentry.created_at DESC, search_searchentry.id DESC"
            " LIMIT %s) AS w"
            " WHERE w.vector @@ to_tsquery('simple', %s) OR w.rn = %s"
            " ORDER BY w.created_at DESC, w.id DESC LIMIT %s"
        )
        params = [self.tsquery, *self.params, rows, self.tsquery, rows, limit + 1]
        found: list[_Row] = []
        walked = 0
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for pk, kind, object_id, created_at, rn, hit in cursor.fetchall():
                walked = max(walked, rn)
                if hit and len(found) < limit:
                    found.append(_Row(pk, kind, object_id, created_at, None))
        complete = walked < rows and len(found) < limit
        return found, walked, complete

    def indexed(self, limit: int) -> list[_Row]:
        """At most `limit` matches, in no order, found through the GIN index."""
        return self._indexed(limit, since=None, newest=False)

    def recent(self, limit: int, share: float) -> list[_Row]:
        """The newest `limit` matches, newest first, through the GIN index and the time
        index together, over the newest entries only: as many as should hold `limit`
        matches three times over when `share` of the entries match, then four times as
        many, and so on. (The bound is read over all entries, not only those in scope: a
        scope that is a small part of them takes another round or two.)"""
        span = math.ceil(3 * limit / share)
        while True:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT created_at FROM search_searchentry"
                    " ORDER BY created_at DESC OFFSET %s LIMIT 1",
                    [span],
                )
                bound = cursor.fetchone()
            rows = self._indexed(limit, since=bound[0] if bound else None, newest=True)
            if bound is None or len(rows) >= limit:
                return rows
            span *= 4

    def share(self, rows: list[_Row]) -> float:
        """The share of entries that match, judged from `indexed` rows: a bitmap scan reads
        the table in its physical order, which is about that of the ids, so the rows it
        found lie among the entries up to the largest id it returned."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT min(id) FROM search_searchentry")
            first = cursor.fetchone()
        seen = max(r.id for r in rows) - (first[0] if first and first[0] else 0) + 1
        return len(rows) / max(seen, len(rows))

    def _indexed(self, limit: int, *, since: datetime | None, newest: bool) -> list[_Row]:
        sql = (
            "SELECT search_searchentry.id, search_searchentry.kind,"  # noqa: S608
            " search_searchentry.object_id,"
            " extract(epoch FROM search_searchentry.created_at)::float8, NULL"
            f" FROM search_searchentry WHERE ({self.where})"
        )
        params = [*self.params]
        if since is not None:
            sql += " AND search_searchentry.created_at >= %s"
            params.append(since)
        sql += " AND search_searchentry.vector @@ to_tsquery('simple', %s)"
        params.append(self.tsquery)
        if newest:
            sql += " ORDER BY search_searchentry.created_at DESC, search_searchentry.id DESC"
        sql += " LIMIT %s"
        params.append(limit)
        with _pg_bitmap_scans() as cursor:
            cursor.execute(sql, params)
            return [_Row(*row) for row in cursor.fetchall()]


@contextmanager
def _pg_bitmap_scans() -> Iterator[Any]:
    """A cursor whose queries read tables only through bitmap scans (the GIN index and,
    for a time bound, the btree ANDed with it), without JIT, in a transaction. The
    settings are put back afterwards: inside an outer transaction SET LOCAL would outlive
    this block."""
    names = ("enable_seqscan", "enable_indexscan", "jit")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"current_setting('{n}')" for n in names))
        before = cursor.fetchone()
        cursor.execute("SELECT " + ", ".join(f"set_config('{n}', 'off', true)" for n in names))
        yield cursor
        cursor.execute(
            "SELECT " + ", ".join(f"set_config('{n}', %s, true)" for n in names), list(before)
        )


_TRACKING_CODE = re.compile(rf"[{TRACKING_ALPHABET}]{{{TRACKING_LENGTH}}}")


def suggestion_url_by_code(*, user: Any, text: str) -> str | None:
    """Where the suggestion whose tracking code (查询码) `text` is opens for `user` (the
    staff's page, or a department's referral), when the user may see it; else None. A
    code read out on the phone is typed in any case and with spaces."""
    code = re.sub(r"[\s-]", "", text).upper()
    if not _TRACKING_CODE.fullmatch(code):
        return None
    visible = scoped_entries(user=user, kind=EntryKind.SUGGESTION).values("object_id")
    suggestion = (
        Suggestion.objects.select_related("committee")
        .filter(tracking_code=code, pk__in=visible)
        .first()
    )
    return None if suggestion is None else _suggestion_url(access_for(user), suggestion)


def _hits(user: Any, rows: list[tuple[str, int]], query: Query) -> list[Hit]:

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
                    snippet=_snippet(s.content, needles),
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
                    snippet=_snippet(f"{p.analysis} {p.recommendations}", needles),
                )
            )
    return hits


def _snippet(text: str, needles: list[str]) -> list[Piece]:
    """`textkit.snippet` of `text`, folding (OpenCC, in Python: about 3 µs a character,
    a text of a few thousand characters costs milliseconds) no more of it than needed.

    Where a needle occurs as written (in normal form, as most texts are), the snippet is
    cut around the earliest match, which is no later: the text up to a little past it
    gives the same snippet. Only the first SNIPPET_FOLD characters are otherwise searched
    for a match in another form (traditional characters, full-width letters): when the
    first place is further on, the snippet is around it unless they hold an earlier
    match; when there is none (the match was in the title), a match in another form
    further on is not marked, and the snippet shows the start of the text."""
    at = min((i for i in (text.find(n) for n in needles if n) if i >= 0), default=-1)
    if at < 0:
        return snippet(text[:SNIPPET_FOLD], needles, width=SNIPPET_WIDTH)
    if at >= SNIPPET_FOLD:
        early = snippet(text[:SNIPPET_FOLD], needles, width=SNIPPET_WIDTH)
        if any(piece.marked for piece in early):  # in another form, near the start
            return early
        lead = at - SNIPPET_WIDTH // 4
        return [
            Piece("…"),
            *snippet(text[lead : at + 2 * SNIPPET_WIDTH], needles, width=SNIPPET_WIDTH),
        ]
    head = text[: at + 2 * SNIPPET_WIDTH]
    # Enough text after the match even when white space is squeezed out of it.
    if len(head) == len(text) or len("".join(head[at:].split())) > SNIPPET_WIDTH:
        text = head
    return snippet(text, needles, width=SNIPPET_WIDTH)


def _suggestion_url(access: Any, suggestion: Any) -> str:
    if access.is_superuser or suggestion.committee_id in access.staff_committee_ids:
        return reverse("suggestions:detail", args=[suggestion.pk])

    referral = (
        Referral.objects.filter(suggestion=suggestion, department_id__in=list(access.clerk_of))
        .order_by("-id")
        .first()
    )
    return reverse("suggestions:referral", args=[referral.pk]) if referral else ""


def _proposal_url(user: Any, access: Any, proposal: Any) -> str:

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
