"""Reads of the triage aids: similar suggestions (for the citizen at submit, for staff in
triage), hints, the committee's category model, the hints' usefulness, and hotspots.

Candidates are narrowed before any score is computed: same committee, a time window,
open ones only for citizens; lexical candidates come from shared LSH band keys (an
indexed lookup), semantic ones from the embeddings of the window's newest suggestions."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from xieshang.core.memo import ProcessMemo
from xieshang.core.models import Committee
from xieshang.insights.models import (
    CONFIDENCE_WORDS,
    CategoryModelRecord,
    Fingerprint,
    FingerprintBand,
    Hint,
    HintKind,
    HintOutcome,
)
from xieshang.people.access import access_for
from xieshang.suggestions.models import OPEN_STATES, Referral, Suggestion, SuggestionStatus
from xieshang.textkit.classify import CategoryModel, suggestion_text
from xieshang.textkit.hints import (
    CONFIDENCE_LEVELS,
    LIKELY,
    LIKELY_FROM,
    POSSIBLE,
    POSSIBLE_FROM,
    UNCERTAIN,
)
from xieshang.textkit.similar import (
    DUPLICATE_THRESHOLD,
    HOTSPOT_THRESHOLD,
    SIMILAR_THRESHOLD,
    band_keys,
    combined_score,
    embed,
    embedding_from_bytes,
    lexical_similarity,
    signature,
)

WINDOW_DAYS = 180
MAX_SEMANTIC = 5000  # embeddings compared per lookup: the window's newest
MAX_LEXICAL = 300  # band candidates scored per lookup
LEXICAL_SHOW = 0.15  # shared wording worth showing (random pairs stay below 0.1)
# A committee's embeddings are kept as one matrix per process for this long (the similar
# check runs as citizens type); an embedding written in this process drops it at once.
BANK_SECONDS = 30


@dataclass(frozen=True)
class EmbeddingBank:
    """The window's newest embeddings of one committee, as arrays: what a semantic lookup
    compares against, filtered by masks instead of a query each time."""

    suggestion_ids: np.ndarray  # int64
    statuses: np.ndarray  # str
    public: np.ndarray  # bool: the citizen allowed publication
    created: np.ndarray  # float64, POSIX seconds
    matrix: np.ndarray  # float32, (n, 512), L2-normalised rows


_banks: ProcessMemo[EmbeddingBank] = ProcessMemo(seconds=BANK_SECONDS, max_entries=16)


def _bank_read(committee_id: int) -> EmbeddingBank:
    since = timezone.now() - timedelta(days=WINDOW_DAYS)
    rows = list(
        Fingerprint.objects.filter(
            committee_id=committee_id, created_at__gte=since, embedding__isnull=False
        )
        .order_by("-created_at")
        .values_list(
            "suggestion_id",
            "suggestion__status",
            "suggestion__allow_publication",
            "created_at",
            "embedding",
        )[:MAX_SEMANTIC]
    )
    matrix = (
        np.frombuffer(b"".join(_raw(r[4]) for r in rows), dtype=np.float16)
        .astype(np.float32)
        .reshape(len(rows), -1)
        if rows
        else np.zeros((0, 0), dtype=np.float32)
    )
    return EmbeddingBank(
        suggestion_ids=np.array([r[0] for r in rows], dtype=np.int64),
        statuses=np.array([r[1] for r in rows], dtype=str),
        public=np.array([r[2] for r in rows], dtype=bool),
        created=np.array([r[3].timestamp() for r in rows], dtype=np.float64),
        matrix=matrix,
    )


def embedding_bank(*, committee_id: int) -> EmbeddingBank:
    return _banks.get(committee_id, lambda: _bank_read(committee_id))


def embedding_bank_forget(*, committee_id: int) -> None:
    """After an embedding of the committee was written: the next lookup reads them again."""
    _banks.forget(committee_id)


@dataclass
class Similar:
    suggestion: Suggestion
    score: float
    lexical: float
    semantic: float | None
    departments: list[tuple[int, str]] = field(default_factory=list)

    @property
    def is_duplicate(self) -> bool:
        return self.lexical >= DUPLICATE_THRESHOLD


def _raw(value: Any) -> bytes:
    """A BinaryField's value: bytes on SQLite, memoryview on PostgreSQL."""
    return bytes(value) if value is not None else b""


def _shown(lexical: float, semantic: float | None) -> bool:
    return lexical >= LEXICAL_SHOW or (semantic is not None and semantic >= SIMILAR_THRESHOLD)


def _similar(
    *,
    committee_id: int,
    text: str,
    sig: bytes | None = None,
    vector: Any = None,
    exclude_id: int | None = None,
    statuses: tuple[str, ...] | None = None,
    public_only: bool = False,
    limit: int = 5,
) -> list[Similar]:
    sig = sig if sig is not None else signature(text)
    since = timezone.now() - timedelta(days=WINDOW_DAYS)
    fingerprints = Fingerprint.objects.filter(committee_id=committee_id, created_at__gte=since)
    if exclude_id is not None:
        fingerprints = fingerprints.exclude(suggestion_id=exclude_id)
    if statuses is not None:
        fingerprints = fingerprints.filter(suggestion__status__in=statuses)
    if public_only:
        fingerprints = fingerprints.filter(suggestion__allow_publication=True)

    lexical: dict[int, float] = {}
    keys = band_keys(sig)
    if keys:
        # The band keys first, on their own index: a handful of rows. Given as a subquery,
        # PostgreSQL may instead walk every fingerprint of the window and probe its bands
        # (seen: 0.7 s at 1,700 fingerprints with stale statistics).
        shared = list(
            FingerprintBand.objects.filter(committee_id=committee_id, key__in=keys)
            .order_by("-fingerprint_id")
            .values_list("fingerprint_id", flat=True)
            .distinct()[: MAX_LEXICAL * 4]
        )
        candidates = (
            fingerprints.filter(pk__in=shared)
            .order_by("-created_at")
            .values_list("suggestion_id", "signature")[:MAX_LEXICAL]
        )
        for suggestion_id, other in candidates:
            lexical[suggestion_id] = lexical_similarity(sig, _raw(other))

    semantic: dict[int, float] = {}
    bank = embedding_bank(committee_id=committee_id)
    mask = bank.created >= since.timestamp()
    if statuses is not None:
        mask &= np.isin(bank.statuses, statuses)
    if public_only:
        mask &= bank.public
    if exclude_id is not None:
        mask &= bank.suggestion_ids != exclude_id
    if mask.any():
        if vector is None:
            vector = embed([text])[0]
        scores = bank.matrix @ np.asarray(vector, dtype=np.float32)
        scores[~mask] = -np.inf
        k = min(max(limit * 4, 20), int(mask.sum()))
        for index in np.argpartition(-scores, k - 1)[:k]:
            semantic[int(bank.suggestion_ids[index])] = float(scores[index])
    scored = []
    for suggestion_id in set(lexical) | set(semantic):
        lex = lexical.get(suggestion_id)
        if lex is None:
            lex = 0.0  # no shared band: far below any threshold that matters
        sem = semantic.get(suggestion_id)
        if _shown(lex, sem):
            scored.append((combined_score(lex, sem), suggestion_id, lex, sem))
    scored.sort(key=lambda t: (-t[0], -t[1]))
    scored = scored[:limit]
    records = Suggestion.objects.select_related("area", "category").in_bulk([t[1] for t in scored])
    # The bank may be up to BANK_SECONDS old: what is shown is checked as it is now.
    records = {
        pk: record
        for pk, record in records.items()
        if (statuses is None or record.status in statuses)
        and (record.allow_publication or not public_only)
        and pk != exclude_id
    }
    departments: dict[int, list[tuple[int, str]]] = {}
    for suggestion_id, department_id, name in Referral.objects.filter(
        suggestion_id__in=records
    ).values_list("suggestion_id", "department_id", "department__name"):
        departments.setdefault(suggestion_id, []).append((department_id, name))
    return [
        Similar(
            suggestion=records[sid],
            score=score,
            lexical=lex,
            semantic=sem,
            departments=departments.get(sid, []),
        )
        for score, sid, lex, sem in scored
        if sid in records
    ]


def similar_for_submit(*, committee_id: int, title: str, content: str) -> list[Similar]:
    """ "已有类似诉求": up to 5 open suggestions of the committee that their citizens let
    be published, like the text being written."""
    text = suggestion_text(title, content)
    if len(text.strip()) < 6:
        return []
    return _similar(
        committee_id=committee_id,
        text=text,
        statuses=tuple(OPEN_STATES),
        public_only=True,
    )


def similar_for_suggestion(
    *, suggestion: Suggestion, limit: int = 5, open_only: bool = False
) -> list[Similar]:
    """Suggestions of the same committee like this one (the caller has checked that the
    user may see it): in triage every status but merged, for the merge button."""
    fingerprint = Fingerprint.objects.filter(suggestion=suggestion).first()
    statuses: tuple[str, ...] = (
        tuple(str(s) for s in OPEN_STATES)
        if open_only
        else tuple(str(s) for s in SuggestionStatus.values if s != SuggestionStatus.MERGED)
    )
    return _similar(
        committee_id=suggestion.committee_id,
        text=suggestion_text(suggestion.title, suggestion.content),
        sig=_raw(fingerprint.signature) if fingerprint else None,
        vector=(
            embedding_from_bytes(_raw(fingerprint.embedding))
            if fingerprint is not None and fingerprint.embedding is not None
            else None
        ),
        exclude_id=suggestion.pk,
        statuses=statuses,
        limit=limit,
    )


def hints_for(*, suggestion: Suggestion) -> dict[str, list[Hint]]:
    out: dict[str, list[Hint]] = {HintKind.CATEGORY: [], HintKind.DEPARTMENT: []}
    for hint in Hint.objects.filter(suggestion=suggestion).order_by("kind", "rank"):
        out[hint.kind].append(hint)
    return out


_models_lock = threading.Lock()
_models: dict[int, tuple[int, CategoryModel]] = {}


def category_model_for(
    *, committee_id: int
) -> tuple[CategoryModelRecord | None, CategoryModel | None]:
    """The committee's category model in use (its newest promoted version), or (None,
    None) when it has none yet (`services.category_model_in_use` trains the first);
    loaded once per process per version (the stored model is read only then: it is large,
    and every analysis asks for it)."""
    record = (
        CategoryModelRecord.objects.filter(committee_id=committee_id, promoted=True)
        .defer("data")
        .order_by("-version")
        .first()
    )
    if record is None:
        return None, None
    with _models_lock:
        cached = _models.get(committee_id)
        if cached is None or cached[0] != record.pk:
            cached = (record.pk, CategoryModel.loads(_raw(record.data)))
            _models[committee_id] = cached
    return record, cached[1]


@dataclass(frozen=True)
class Usefulness:
    kind: str
    decided: int
    top1: int
    top3: int

    @property
    def top1_rate(self) -> float:
        return self.top1 / self.decided if self.decided else 0.0

    @property
    def top3_rate(self) -> float:
        return self.top3 / self.decided if self.decided else 0.0


def hint_usefulness(*, committee_ids: Any) -> list[Usefulness]:
    """Per kind: of the suggestions decided with hints shown, how often the first hint,
    or any of the three, was what staff chose."""
    rows = []
    for kind in HintKind.values:
        decided = Hint.objects.filter(committee_id__in=committee_ids, kind=kind).exclude(
            outcome=HintOutcome.PENDING
        )
        suggestions = decided.values("suggestion_id").distinct().count()
        taken = decided.filter(outcome=HintOutcome.TAKEN)
        rows.append(
            Usefulness(
                kind=kind,
                decided=suggestions,
                top1=taken.filter(rank=1).count(),
                top3=taken.values("suggestion_id").distinct().count(),
            )
        )
    return rows


@dataclass(frozen=True)
class Uptake:
    level: str
    word: str
    shown: int  # first category hints of decided suggestions shown with this word
    taken: int

    @property
    def rate(self) -> float:
        return self.taken / self.shown if self.shown else 0.0


def category_hint_uptake(*, committee_ids: Any) -> list[Uptake]:
    """Per confidence word: of the decided suggestions whose first category hint was shown
    with it, how often staff took that hint — whether the words mean what they say."""
    bands = {
        LIKELY: Q(confidence__gte=LIKELY_FROM),
        POSSIBLE: Q(confidence__gte=POSSIBLE_FROM, confidence__lt=LIKELY_FROM),
        UNCERTAIN: Q(confidence__lt=POSSIBLE_FROM),
    }
    taken = Q(outcome=HintOutcome.TAKEN)
    counts = (
        Hint.objects.filter(committee_id__in=committee_ids, kind=HintKind.CATEGORY, rank=1)
        .exclude(outcome=HintOutcome.PENDING)
        .aggregate(
            **{f"{level}_shown": Count("pk", filter=band) for level, band in bands.items()},
            **{f"{level}_taken": Count("pk", filter=band & taken) for level, band in bands.items()},
        )
    )
    return [
        Uptake(
            level, str(CONFIDENCE_WORDS[level]), counts[f"{level}_shown"], counts[f"{level}_taken"]
        )
        for level in CONFIDENCE_LEVELS
    ]


# --- Hotspots ----------------------------------------------------------------------------


@dataclass
class Hotspot:
    members: list[Suggestion]
    representative: Suggestion
    place: str
    recent: int  # in the last 7 days
    previous: int  # in the 7 days before

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def growth(self) -> int:
        return self.recent - self.previous


HOTSPOT_MAX = 3000
HOTSPOT_NEIGHBOURS = 10
# The groups are recomputed at most this often per set of committees and period: at 3,000
# suggestions the computation costs about half a second of CPU, and a staff member's view
# (or the dashboard's figure) would otherwise pay it each time.
HOTSPOT_CACHE_SECONDS = 300


def hotspots(
    *,
    committee_ids: Any,
    days: int = 30,
    min_size: int = 3,
    limit: int | None = None,
    until: datetime | None = None,
) -> list[Hotspot]:
    """热点问题: groups of suggestions about the same issue in the last `days` — linked
    when their wording nearly matches or their meaning is close — ranked by size, then
    growth over the last week; the first `limit` of them. Merged suggestions count with
    their main one. The groups are at most five minutes old (`HOTSPOT_CACHE_SECONDS`);
    their suggestions are read fresh, so one merged since leaves its group at once.
    `until`: the `days` before that moment instead (a past month), growth up to it."""
    groups = _hotspot_groups(committee_ids=committee_ids, days=days, min_size=min_size, until=until)
    created = dict(
        Suggestion.objects.filter(pk__in=[pk for members, _centre in groups for pk in members])
        .exclude(status=SuggestionStatus.MERGED)
        .values_list("pk", "created_at")
    )
    now = until or timezone.now()
    week, fortnight = now - timedelta(days=7), now - timedelta(days=14)
    ranked = []
    for member_ids, centre in groups:
        alive = [pk for pk in member_ids if pk in created]
        if len(alive) < min_size:
            continue
        recent = sum(1 for pk in alive if created[pk] >= week)
        previous = sum(1 for pk in alive if fortnight <= created[pk] < week)
        ranked.append((alive, centre if centre in created else alive[0], recent, previous))
    ranked.sort(key=lambda g: (-len(g[0]), -(g[2] - g[3]), -g[1]))
    ranked = ranked[:limit] if limit is not None else ranked
    # Whole records only for the groups shown.
    records = Suggestion.objects.select_related("area", "committee").in_bulk(
        [pk for alive, _centre, _recent, _previous in ranked for pk in alive]
    )
    spots = []
    for alive, centre, recent, previous in ranked:
        members = [records[pk] for pk in alive if pk in records]
        if not members:
            continue
        areas = Counter(str(m.area) for m in members if m.area_id)
        addresses = Counter(m.address for m in members if m.address)
        place = (areas or addresses).most_common(1)[0][0] if (areas or addresses) else ""
        spots.append(
            Hotspot(
                members=sorted(members, key=lambda m: m.created_at, reverse=True),
                representative=records.get(centre, members[0]),
                place=place,
                recent=recent,
                previous=previous,
            )
        )
    return spots


def _hotspot_groups(
    *, committee_ids: Any, days: int, min_size: int, until: datetime | None = None
) -> list[tuple[list[int], int]]:
    """The groups of at least `min_size` suggestions, each as (its suggestion ids, the id
    of the one closest in meaning to all the others); kept in the cache."""
    ids = sorted({int(i) for i in committee_ids})
    end = until.isoformat() if until is not None else "now"
    key = f"insights:hotspot-groups:{days}:{min_size}:{end}:{','.join(map(str, ids))}"
    groups: list[tuple[list[int], int]] | None = cache.get(key)
    if groups is None:
        groups = _hotspot_groups_compute(
            committee_ids=ids, days=days, min_size=min_size, until=until
        )
        cache.set(key, groups, timeout=HOTSPOT_CACHE_SECONDS)
    return groups


def _hotspot_groups_compute(
    *, committee_ids: list[int], days: int, min_size: int, until: datetime | None = None
) -> list[tuple[list[int], int]]:
    now = until or timezone.now()
    window = Fingerprint.objects.filter(created_at__lt=now) if until else Fingerprint.objects
    rows = list(
        window.filter(
            committee_id__in=committee_ids,
            created_at__gte=now - timedelta(days=days),
            embedding__isnull=False,
        )
        .exclude(suggestion__status=SuggestionStatus.MERGED)
        .order_by("-created_at")
        .values_list(
            "suggestion_id", "signature", "embedding", "committee_id", "suggestion__area_id"
        )[:HOTSPOT_MAX]
    )
    if len(rows) < min_size:
        return []
    ids = [r[0] for r in rows]
    matrix = np.vstack([embedding_from_bytes(_raw(r[2])) for r in rows])
    cosine = matrix @ matrix.T
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def link(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    # Meaning links only between mutual nearest neighbours, so that chance resemblances in
    # a busy month do not chain unrelated groups together: a very close meaning anywhere in
    # the committee, or a close one in the same street or community.
    same_committee = np.array([r[3] for r in rows])
    area = np.array([r[4] if r[4] is not None else -1 - i for i, r in enumerate(rows)])
    same_place = (same_committee[:, None] == same_committee[None, :]) & (
        area[:, None] == area[None, :]
    )
    close = (cosine >= HOTSPOT_THRESHOLD) | ((cosine >= SIMILAR_THRESHOLD) & same_place)
    close &= same_committee[:, None] == same_committee[None, :]
    np.fill_diagonal(close, False)
    masked = np.where(close, cosine, -1.0)
    k = min(HOTSPOT_NEIGHBOURS, len(rows) - 1)
    nearest = np.argpartition(-masked, k - 1, axis=1)[:, :k] if k > 0 else np.zeros((0, 0))
    neighbours = [{int(j) for j in nearest[i] if close[i, j]} for i in range(len(rows))]
    for i, mine in enumerate(neighbours):
        for j in mine:
            if i < j and i in neighbours[j]:
                link(i, j)
    by_key: dict[tuple[int, str], list[int]] = {}
    for index, row in enumerate(rows):
        for key in band_keys(_raw(row[1])):
            by_key.setdefault((row[3], key), []).append(index)
    for bucket in by_key.values():
        for j in bucket[1:]:
            if (
                find(j) != find(bucket[0])
                and lexical_similarity(_raw(rows[bucket[0]][1]), _raw(rows[j][1]))
                >= DUPLICATE_THRESHOLD
            ):
                link(bucket[0], j)
    groups: dict[int, list[int]] = {}
    for index in range(len(rows)):
        groups.setdefault(find(index), []).append(index)
    clusters = [g for g in groups.values() if len(g) >= min_size]
    return [
        (
            [ids[i] for i in group],
            ids[max(group, key=lambda i: float(cosine[i, group].sum()))],
        )
        for group in clusters
    ]


def insight_committees(*, user: Any) -> QuerySet[Any]:
    """The committees whose suggestions the user triages."""
    access = access_for(user)
    if access.is_superuser:
        return Committee.objects.filter(pk__in=Fingerprint.objects.values("committee_id"))
    return Committee.objects.filter(pk__in=access.staff_committee_ids)


def hotspot_count(*, committee_ids: Any, days: int = 30) -> int:
    """The dashboard's figure: how many hotspots the period has (as `hotspots` finds them,
    at most five minutes old)."""
    return len(_hotspot_groups(committee_ids=committee_ids, days=days, min_size=3))
