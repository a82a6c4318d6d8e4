"""Search benchmark: the first page of a search over a million suggestions.

Fills a database with `--rows` citizen suggestions (1,000,000 on PostgreSQL, 100,000 on
SQLite) made of the tipdm2020 messages (`--data`, 4,301 messages) repeated: each row is a
message drawn at random (seeded), with an id of its own and a time of its own, spread
over three years and rising with the id, as rows are written in the order they come in.
Every row has its search entry (`search.SearchEntry`), the same tokens the index writer
makes (`textkit.segment.document_terms` of title, content and the empty address),
computed once per distinct message and reused for its copies, so loading is bounded by
the database:

* PostgreSQL: the distinct messages and the row plan (row number, message, time) go in
  with COPY (`cursor.copy`), and one `INSERT … SELECT` each expands them into the
  suggestions and the entries; the generated `tsvector` is computed by PostgreSQL, as in
  production. Secondary indexes are dropped for the load and built again afterwards
  (the same definitions, read from `pg_indexes`), foreign-key triggers are skipped
  (`session_replication_role = replica`; the rows are known to be valid), and the tables
  are vacuumed and analysed, as autovacuum would leave them.
* SQLite: `bulk_create` in batches; the FTS5 triggers index each entry.

All rows belong to one committee, `bench-search`, and are searched by one of its staff
(the whole table is in scope: the worst case for a committee). The query terms are
chosen by measuring their document frequency in the loaded rows (substring containment
of the normalised text, which is what a match means): rare terms (< 0.1 % of rows),
terms in about 0.5 % (`uncommon`, where neither walking the newest rows nor the index
alone is cheap), terms in about 6 %, 小区 (about 24 %), and two-term queries (小区 and a
6 % term, ANDed). Each class is timed `--repeat` times for each sort (newest first and
by relevance), cycling through its terms, through the real scoped code path:
`search.selectors.search(user=staff, filters=SearchFilter(text=…, sort=…))`, which
parses the query, counts the matches (capped), fetches the first page of 20 and builds
the snippets. The staff member's positions are forgotten before each search, so their
queries are timed as in a request. One untimed pass warms the caches first.

Recall against LIKE: for 1- and 2-character queries and fragments of place names (the
middle of a road, village or community name, as 口东 in 龙口东路), the ids every match
finds (the same scoped matching the page uses, without the page and the cap) are
compared with a `LIKE '%q%'` over title and content, both restricted to the first
`--recall-rows` (20,000) rows so that LIKE stays affordable. recall = |found ∩ like| /
|like|.

    .venv/bin/python bench/search.py --engine postgresql --keep
    .venv/bin/python bench/search.py --engine sqlite

A database that exists is used as it is when it already holds the rows of an earlier
run with --keep (the same --rows and --seed): then only the queries run. A benchmark, not
a test: it exits 0 when a target is missed ("met": false), and non-zero only when it
could not run. Everything it talks to is on this machine.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path[:0] = [str(ROOT), str(BENCH_DIR)]

from intake import (  # noqa: E402
    check_local,
    create_database,
    database_name,
    drop_database,
    fernet_key,
    manage,
    percentile,
)

COMMITTEE_CODE = "bench-search"
STAFF_USERNAME = "bench.search.staff"
TARGET_P95_MS = 100.0
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "tipdm2020" / "messages.jsonl"
DEFAULT_ROWS = {"postgresql": 1_000_000, "sqlite": 100_000}
COMMON_TERM = "小区"
# The classes the issue names, in order; `uncommon` is measured too and reported apart.
TARGET_CLASSES = ("rare", "mid", "common", "two_terms")
SPAN = timedelta(days=3 * 365)
START = datetime(2023, 1, 1, tzinfo=UTC)
_HAN_WORD = re.compile(r"^[\u4e00-\u9fff]{2,}$")
_PLACE = re.compile(r"^[\u4e00-\u9fff]{2,4}(?:路|街|村|镇|社区|小区|公园|大道)$")


def log(message: str) -> None:
    print(f"[search] {message}", file=sys.stderr, flush=True)


# --- The data ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    title: str
    content: str


def load_messages(path: Path) -> list[Message]:
    if not path.exists():
        raise SystemExit(f"no data file at {path} (--data)")
    messages = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            title = " ".join(str(row.get("title", "")).split())[:60]
            content = str(row.get("body", "")).strip()
            if title and content:
                messages.append(Message(title, content))
    return messages


def row_plan(rows: int, messages: int, seed: int) -> tuple[list[int], list[datetime]]:
    """For each row, the message it copies and its time: rising with the row number,
    spread at random over three years."""
    rng = random.Random(seed)
    choice = [rng.randrange(messages) for _ in range(rows)]
    seconds = SPAN.total_seconds()
    offsets = sorted(rng.random() * seconds for _ in range(rows))
    return choice, [START + timedelta(seconds=round(s, 3)) for s in offsets]


# --- Loading ----------------------------------------------------------------------------


def seed_committee() -> tuple[Any, Any, Any]:
    """The committee, its category and a staff member (Django models, after setup)."""
    from xieshang.core.models import Committee
    from xieshang.people.models import StaffPosition, StaffRole, User
    from xieshang.suggestions.models import Category

    committee, _ = Committee.objects.get_or_create(
        code=COMMITTEE_CODE,
        defaults={"name": "检索基准测试区政协", "short_name": "检索基准", "level": "district"},
    )
    category, _ = Category.objects.get_or_create(committee=committee, name="城乡建设")
    user, _ = User.objects.get_or_create(username=STAFF_USERNAME, defaults={"name": "检索员"})
    StaffPosition.objects.get_or_create(
        user=user, committee=committee, role=StaffRole.LIAISON_OFFICE
    )
    return committee, category, user


def loaded_rows(committee: Any) -> tuple[int, int]:
    """How many suggestions the committee has, and the smallest id."""
    from django.db.models import Count, Min

    from xieshang.suggestions.models import Suggestion

    got = Suggestion.objects.filter(committee=committee).aggregate(n=Count("id"), first=Min("id"))
    return int(got["n"]), int(got["first"] or 0)


def suggestion_columns(
    base_id: int, committee_id: int, category_id: int
) -> tuple[list[str], list[str], list[Any]]:
    """Column names of suggestions_suggestion and, for each, an SQL expression over the
    plan `p` (g, created_at) and the message `m` (title, content), with its parameters.
    Built from the model, so a field added later gets its default (or NULL)."""
    from xieshang.suggestions.models import Suggestion

    explicit: dict[str, tuple[str, list[Any]]] = {
        "id": ("%s::bigint + p.g", [base_id]),
        "committee_id": ("%s", [committee_id]),
        "category_id": ("%s", [category_id]),
        "tracking_code": ("'S' || lpad(upper(to_hex(p.g)), 9, '0')", []),
        "idempotency_key": ("'bench-search-' || p.g", []),
        "title": ("m.title", []),
        "content": ("m.content", []),
        "source": ("%s", ["web"]),
        "created_at": ("p.created_at", []),
        "updated_at": ("p.created_at", []),
        "consented_at": ("p.created_at", []),
    }
    columns, exprs, params = [], [], []
    for field in Suggestion._meta.concrete_fields:
        column = field.column
        if column in explicit:
            expr, values = explicit[column]
        elif field.null:
            expr, values = "NULL", []
        elif field.has_default():
            expr, values = "%s", [field.get_default()]
        elif getattr(field, "blank", False):
            expr, values = "%s", [""]
        else:
            raise SystemExit(f"the bench does not know what to put in suggestion.{column}")
        columns.append(column)
        exprs.append(expr)
        params.extend(values)
    return columns, exprs, params


def load_postgresql(
    url: str,
    messages: list[Message],
    terms: list[Any],
    choice: list[int],
    times: list[datetime],
    committee_id: int,
    category_id: int,
) -> None:
    with psycopg.connect(url) as conn:
        try:
            conn.execute("SET session_replication_role = replica")  # no FK triggers
        except psycopg.Error:
            conn.rollback()
        conn.execute("SET maintenance_work_mem = '512MB'")
        base = conn.execute("SELECT coalesce(max(id), 0) FROM suggestions_suggestion").fetchone()
        base_id = int(base[0]) if base else 0
        columns, exprs, params = suggestion_columns(base_id, committee_id, category_id)
        indexes = secondary_indexes(conn, ["suggestions_suggestion", "search_searchentry"])
        for name, _definition in indexes:
            conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
        conn.execute(
            "CREATE TEMP TABLE bench_message (n int PRIMARY KEY, title text, content text,"
            " words text, grams text, chars text)"
        )
        conn.execute("CREATE TEMP TABLE bench_plan (g bigint, n int, created_at timestamptz)")
        started = time.monotonic()
        with conn.cursor().copy("COPY bench_message FROM STDIN") as copy:
            for n, (message, term) in enumerate(zip(messages, terms, strict=True)):
                copy.write_row(
                    (n, message.title, message.content, term.words, term.grams, term.chars)
                )
        with conn.cursor().copy("COPY bench_plan FROM STDIN") as copy:
            for g, (n, at) in enumerate(zip(choice, times, strict=True), start=1):
                copy.write_row((g, n, at))
        log(f"copied the plan in {time.monotonic() - started:.1f} s")
        started = time.monotonic()
        conn.execute(
            sql.SQL(
                "INSERT INTO suggestions_suggestion ({}) SELECT {} FROM bench_plan p"
                " JOIN bench_message m USING (n) ORDER BY p.g"
            ).format(
                sql.SQL(", ").join(sql.Identifier(c) for c in columns),
                sql.SQL(", ").join(sql.SQL(e) for e in exprs),
            ),
            params,
        )
        log(f"inserted {len(choice):,} suggestions in {time.monotonic() - started:.1f} s")
        started = time.monotonic()
        conn.execute(
            "INSERT INTO search_searchentry"
            " (kind, object_id, committee_id, created_at, words, grams, chars, indexed_at)"
            " SELECT 'suggestion', %s::bigint + p.g, %s, p.created_at, m.words, m.grams,"
            " m.chars, now() FROM bench_plan p JOIN bench_message m USING (n) ORDER BY p.g",
            [base_id, committee_id],
        )
        log(f"inserted {len(choice):,} entries in {time.monotonic() - started:.1f} s")
        for name, definition in indexes:
            started = time.monotonic()
            conn.execute(definition)
            log(f"built {name} in {time.monotonic() - started:.1f} s")
        for table in ("suggestions_suggestion", "search_searchentry"):
            conn.execute(
                sql.SQL(
                    "SELECT setval(pg_get_serial_sequence({t}, 'id'), (SELECT max(id) FROM {i}))"
                ).format(t=sql.Literal(table), i=sql.Identifier(table))
            )
        conn.commit()
        conn.autocommit = True
        started = time.monotonic()
        for table in ("suggestions_suggestion", "search_searchentry"):
            conn.execute(sql.SQL("VACUUM ANALYZE {}").format(sql.Identifier(table)))
        log(f"vacuumed and analysed in {time.monotonic() - started:.1f} s")


def secondary_indexes(conn: psycopg.Connection[Any], tables: list[str]) -> list[tuple[str, str]]:
    """Indexes of the tables that no constraint owns: (name, CREATE INDEX statement)."""
    rows = conn.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i"
        " WHERE i.schemaname = 'public' AND i.tablename = ANY(%s)"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
        " ORDER BY i.tablename, i.indexname",
        [tables],
    ).fetchall()
    return [(str(name), str(definition)) for name, definition in rows]


def load_sqlite(
    messages: list[Message],
    terms: list[Any],
    choice: list[int],
    times: list[datetime],
    committee: Any,
    category: Any,
    batch: int = 2000,
) -> None:
    from django.db import connection, transaction

    from xieshang.search.models import EntryKind, SearchEntry
    from xieshang.suggestions.models import Source, Suggestion

    base_id = (Suggestion.objects.order_by("-id").values_list("id", flat=True).first()) or 0
    started = time.monotonic()
    for start in range(0, len(choice), batch):
        with transaction.atomic():
            suggestions, entries = [], []
            for g in range(start, min(start + batch, len(choice))):
                message, term, at = messages[choice[g]], terms[choice[g]], times[g]
                pk = base_id + g + 1
                suggestions.append(
                    Suggestion(
                        id=pk,
                        committee=committee,
                        category=category,
                        tracking_code=f"S{pk:09X}",
                        idempotency_key=f"bench-search-{pk}",
                        title=message.title,
                        content=message.content,
                        source=Source.WEB,
                        consented_at=at,
                        created_at=at,
                    )
                )
                entries.append(
                    SearchEntry(
                        kind=EntryKind.SUGGESTION,
                        object_id=pk,
                        committee=committee,
                        created_at=at,
                        words=term.words,
                        grams=term.grams,
                        chars=term.chars,
                    )
                )
            Suggestion.objects.bulk_create(suggestions)
            SearchEntry.objects.bulk_create(entries)
        if (start // batch) % 10 == 9:
            done = start + batch
            rate = done / (time.monotonic() - started)
            log(f"{done:,} rows ({rate:,.0f}/s)")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- Choosing the terms -----------------------------------------------------------------


@dataclass
class Corpus:
    """The distinct messages, how many rows copy each, and their normalised texts."""

    texts: list[str]
    copies: list[int]
    rows: int

    def fraction(self, query: Any) -> float:
        """The share of rows matching a parsed query: every piece of every term occurs."""
        needles = query.highlights
        hits = sum(
            c for t, c in zip(self.texts, self.copies, strict=True) if all(n in t for n in needles)
        )
        return hits / self.rows


def choose_terms(corpus: Corpus, terms: list[Any], seed: int) -> dict[str, list[str]]:
    """Words of the messages whose measured share of rows is nearest each class's aim."""
    from xieshang.search.segmenter import segmenter
    from xieshang.textkit.query import parse_query

    by_word: Counter[str] = Counter()
    for term, copies in zip(terms, corpus.copies, strict=True):
        for word in set(term.words.split()):
            if _HAN_WORD.match(word):
                by_word[word] += copies
    seg = segmenter()
    rng = random.Random(seed)

    def nearest(aim: float, low: float, high: float, count: int) -> list[str]:
        # Words are shortlisted by how often they stand as a word, then measured as a
        # substring, which is what a search matches; a word the query parser would cut
        # into more than one term is left out (its class would be another's).
        candidates = sorted(w for w, n in by_word.items() if low / 3 <= n / corpus.rows <= high * 3)
        rng.shuffle(candidates)  # ties in any order but the alphabet's
        shortlist = sorted(candidates, key=lambda w: abs(by_word[w] / corpus.rows - aim))
        chosen: list[tuple[float, str]] = []
        for word in shortlist[: 40 * count]:
            query = parse_query(word, seg)
            if len(query.terms) != 1 or word == COMMON_TERM:
                continue
            share = corpus.fraction(query)
            if low <= share <= high:
                chosen.append((abs(share - aim), word))
        chosen.sort(key=lambda c: c[0])  # stable: ties stay in the shuffled order
        return [w for _d, w in chosen[:count]]

    rare = nearest(0.0004, 0.0001, 0.001, 6)
    uncommon = nearest(0.005, 0.003, 0.008, 4)
    mid = nearest(0.06, 0.05, 0.07, 4)
    return {
        "rare": rare,
        "uncommon": uncommon,
        "mid": mid,
        "common": [COMMON_TERM],
        "two_terms": [f"{COMMON_TERM} {w}" for w in mid[:3]] + [" ".join(mid[:2])],
    }


# --- Measuring --------------------------------------------------------------------------


def time_searches(
    user: Any, classes: dict[str, list[str]], repeat: int
) -> dict[str, dict[str, Any]]:
    from django.urls import reverse

    from xieshang.people.access import forget_access
    from xieshang.search.selectors import SearchFilter, search

    def once(text: str, sort: str) -> tuple[float, int, bool, int]:
        forget_access(user)
        started = time.perf_counter()
        results = search(user=user, filters=SearchFilter(text=text, sort=sort))
        elapsed = (time.perf_counter() - started) * 1000
        return elapsed, results.count, results.capped, len(results.hits)

    # One untimed pass first: the segmenter, the connection, the pages the terms touch.
    # Its slowest search per class is reported as `first_max_ms` (pages not yet cached).
    # What a server does once, not per search: import every view (the URLconf, which the
    # hits' links need; about 2 s with the insights models) and the first queries.
    reverse("search:search")
    once("基准测试", "newest")
    first: dict[str, float] = {}
    for name, texts in classes.items():
        for text in texts:
            for sort in ("newest", "relevance"):
                first[name] = max(first.get(name, 0.0), once(text, sort)[0])
    report: dict[str, dict[str, Any]] = {}
    for name, texts in classes.items():
        report[name] = {"first_max_ms": round(first[name], 1)}
        for sort in ("newest", "relevance"):
            times: list[float] = []
            counts: dict[str, Any] = {}
            for i in range(repeat):
                text = texts[i % len(texts)]
                elapsed, count, capped, hits = once(text, sort)
                times.append(elapsed)
                counts[text] = f">{count}" if capped else count
                if hits == 0:
                    counts[text] = f"{counts[text]} (no hits)"
            times.sort()
            report[name][sort] = {
                "p50_ms": round(percentile(times, 0.50), 1),
                "p95_ms": round(percentile(times, 0.95), 1),
                "max_ms": round(times[-1], 1),
                "n": len(times),
            }
            report[name]["result_count"] = counts
            log(
                f"{name:10} {sort:9} p50 {report[name][sort]['p50_ms']:7.1f} ms"
                f"  p95 {report[name][sort]['p95_ms']:7.1f} ms"
            )
    return report


def recall_queries(messages: list[Message], terms: list[Any], seed: int) -> dict[str, list[str]]:
    """1- and 2-character pieces of titles, and fragments of place names: the middle two
    characters of the words jieba cut that end as roads, villages, communities do."""
    from xieshang.textkit.normalize import normalize

    rng = random.Random(seed)
    titles = [normalize(m.title) for m in messages]
    han = [t for t in titles if re.search(r"[\u4e00-\u9fff]{4}", t)]

    def pieces(length: int, count: int = 12) -> list[str]:
        found: set[str] = set()
        while len(found) < count:
            run = rng.choice(re.findall(r"[\u4e00-\u9fff]{2,}", rng.choice(han)))
            i = rng.randrange(len(run) - length + 1)
            found.add(run[i : i + length])
        return sorted(found)

    one, two = pieces(1), pieces(2)
    places = sorted({w for t in terms for w in t.words.split() if _PLACE.match(w)})
    rng.shuffle(places)
    fragments: list[str] = []
    for place in places:
        if len(place) >= 3:
            fragment = place[1:3]  # the middle, as 口东 in 龙口东路
            if fragment not in fragments:
                fragments.append(fragment)
        if len(fragments) == 12:
            break
    return {"one_char": one, "two_char": two, "place_fragment": fragments}


def measure_recall(
    user: Any, committee: Any, first_id: int, sample_rows: int, queries: dict[str, list[str]]
) -> dict[str, Any]:
    from django.db.models import Q

    from xieshang.search.models import EntryKind
    from xieshang.search.segmenter import segmenter
    from xieshang.search.selectors import matching_entries
    from xieshang.suggestions.models import Suggestion
    from xieshang.textkit.query import parse_query

    last_id = first_id + sample_rows - 1
    report: dict[str, Any] = {"sample_rows": sample_rows}
    total_like = total_hit = 0
    for group, texts in queries.items():
        like_n = hit_n = extra_n = 0
        missed: dict[str, int] = {}
        for text in texts:
            like = set(
                Suggestion.objects.filter(committee=committee, id__range=(first_id, last_id))
                .filter(Q(title__contains=text) | Q(content__contains=text))
                .values_list("id", flat=True)
            )
            found = set(
                matching_entries(
                    user=user, query=parse_query(text, segmenter()), kind=EntryKind.SUGGESTION
                )
                .filter(object_id__range=(first_id, last_id))
                .values_list("object_id", flat=True)
            )
            like_n += len(like)
            hit_n += len(like & found)
            extra_n += len(found - like)
            if like - found:
                missed[text] = len(like - found)
        total_like += like_n
        total_hit += hit_n
        report[group] = {
            "queries": texts,
            "like_rows": like_n,
            "found_of_like": hit_n,
            "recall": round(hit_n / like_n, 4) if like_n else None,
            "found_not_like": extra_n,
            "missed": missed,
        }
    report["recall"] = round(total_hit / total_like, 4) if total_like else None
    return report


# --- Main -------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/xieshang_bench_search",
        help="PostgreSQL: created when missing and dropped at the end (unless --keep); "
        "a database that exists is used and kept",
    )
    parser.add_argument(
        "--sqlite-path",
        type=Path,
        default=None,
        help="SQLite: the database file (default: a new one in a temporary folder, removed "
        "at the end unless --keep); a file that exists is used and kept",
    )
    parser.add_argument("--rows", type=int, default=0, help="1,000,000 (PG), 100,000 (SQLite)")
    parser.add_argument("--repeat", type=int, default=40, help="searches per class and sort")
    parser.add_argument("--recall-rows", type=int, default=20_000, help="rows LIKE looks at")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="messages.jsonl")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args(argv)
    args.rows = args.rows or DEFAULT_ROWS[args.engine]
    if args.engine == "postgresql":
        check_local(args.database_url)
    if args.rows < 1000 or args.repeat < 1:
        parser.error("--rows at least 1000, --repeat at least 1")
    return args


def django_env(url: str, var_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "XIESHANG_", "CELERY_"))
        and key not in ("REDIS_URL", "DEBUG", "LOG_LEVEL")
    }
    env.update(
        DATABASE_URL=url,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(45),
        FIELD_ENCRYPTION_KEY=fernet_key(),
        ALLOWED_HOSTS="127.0.0.1",
        HTTPS="0",
        XIESHANG_VAR_DIR=str(var_dir),
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="xieshang.settings",
    )
    return env


def run(args: argparse.Namespace) -> dict[str, Any]:
    load_before = [round(x, 2) for x in os.getloadavg()]
    messages = load_messages(args.data)
    tmp = Path(tempfile.mkdtemp(prefix="xieshang-bench-search-"))
    created = False
    sqlite_path: Path | None = None
    try:
        if args.engine == "postgresql":
            url = args.database_url
            created = create_database(url)
            log(("created" if created else "reusing") + f" database {database_name(url)}")
        else:
            sqlite_path = (args.sqlite_path or tmp / "search.sqlite3").resolve()
            created = not sqlite_path.exists()
            url = f"sqlite:///{sqlite_path}"
            log(("creating" if created else "reusing") + f" {sqlite_path}")
        env = django_env(url, tmp)
        manage(env, "migrate", "--noinput")
        os.environ.update(env)
        import django

        django.setup()
        from xieshang.search.segmenter import segmenter
        from xieshang.textkit.segment import document_terms

        committee, category, user = seed_committee()
        choice, times = row_plan(args.rows, len(messages), args.seed)
        count, first_id = loaded_rows(committee)
        started = time.monotonic()
        seg = segmenter()
        terms = [document_terms(seg, m.title, m.content, "") for m in messages]
        terms_s = time.monotonic() - started
        log(f"tokens of {len(messages):,} distinct messages in {terms_s:.1f} s")
        load_s: float | None = None
        if count == 0:
            started = time.monotonic()
            if args.engine == "postgresql":
                load_postgresql(url, messages, terms, choice, times, committee.pk, category.pk)
            else:
                load_sqlite(messages, terms, choice, times, committee, category)
            load_s = time.monotonic() - started
            count, first_id = loaded_rows(committee)
            log(f"loaded {count:,} rows in {load_s:.0f} s")
        elif count != args.rows:
            raise SystemExit(f"the database holds {count:,} bench rows, not {args.rows:,}")
        else:
            log(f"the database already holds the {count:,} rows")

        from xieshang.textkit.normalize import normalize

        copies = Counter(choice)
        corpus = Corpus(
            texts=[normalize(f"{m.title}\n{m.content}") for m in messages],
            copies=[copies[n] for n in range(len(messages))],
            rows=args.rows,
        )
        classes = choose_terms(corpus, terms, args.seed)
        from xieshang.textkit.query import parse_query

        fractions = {
            name: {t: round(corpus.fraction(parse_query(t, seg)), 5) for t in texts}
            for name, texts in classes.items()
        }
        log(f"terms: {json.dumps(fractions, ensure_ascii=False)}")
        timings = time_searches(user, classes, args.repeat)
        queries = recall_queries(messages, terms, args.seed)
        recall = measure_recall(user, committee, first_id, args.recall_rows, queries)

        worst = max(
            timings[c][s]["p95_ms"] for c in TARGET_CLASSES for s in ("newest", "relevance")
        )
        report: dict[str, Any] = {
            "benchmark": "search",
            "engine": args.engine,
            "rows": count,
            "p95_target_ms": TARGET_P95_MS,
            "worst_p95_ms": worst,
            "met": worst < TARGET_P95_MS,
            "classes": {name: {"terms": fractions[name], **timings[name]} for name in classes},
            "uncommon_met": all(
                timings["uncommon"][s]["p95_ms"] < TARGET_P95_MS for s in ("newest", "relevance")
            ),
            "recall_vs_like": recall,
            "load_s": round(load_s, 1) if load_s is not None else None,
            "tokens_s": round(terms_s, 1),
            "distinct_messages": len(messages),
            "repeat": args.repeat,
            "page_size": 20,
            "data": str(args.data),
            "machine": {
                "cpu_count": os.cpu_count(),
                "load_average_before": load_before,
                "load_average_after": [round(x, 2) for x in os.getloadavg()],
                "platform": platform.platform(),
                "python": platform.python_version(),
                "django": importlib.metadata.version("django"),
                "database": database_version(),
            },
        }
        return report
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # Django may not be set up yet
            pass
        if created and not args.keep:
            if args.engine == "postgresql":
                try:
                    drop_database(args.database_url)
                except psycopg.Error as exc:
                    log(f"could not drop the database: {exc}")
            elif sqlite_path is not None:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
        elif args.keep and sqlite_path is not None and sqlite_path.is_relative_to(tmp):
            kept = ROOT / "var" / "bench-search.sqlite3"
            kept.parent.mkdir(exist_ok=True)
            for suffix in ("", "-wal", "-shm"):
                if Path(f"{sqlite_path}{suffix}").exists():
                    shutil.move(f"{sqlite_path}{suffix}", f"{kept}{suffix}")
            log(f"kept the SQLite database at {kept}")
        shutil.rmtree(tmp, ignore_errors=True)


def database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT 'SQLite ' || sqlite_version()")
        row = cursor.fetchone()
    return str(row[0]) if row else ""


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupted)
    signal.signal(signal.SIGHUP, _interrupted)
    try:
        report = run(args)
    except KeyboardInterrupt:
        log("interrupted; the database cleaned up")
        return 130
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
