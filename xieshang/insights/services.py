"""Writes of the triage aids.

* `fingerprint_write` runs in the dispatch that follows a submission within a second
  (`suggestions.services.suggestions_dispatch`), not in a queued job: the lexical signature
  and its band keys are cheap (about a millisecond), so the next citizen's "已有类似诉求"
  check sees the text soon, however long the analysis queue.
* `suggestion_analyse` runs in a Celery job after commit: the sentence embedding (about
  50 ms of CPU) and the category and department hints. A submission never waits for it.
* `hint_decide` records, when staff set a category or refer to a department, whether a
  hint was taken — the measure of the hints' usefulness.
* `category_model_retrain` trains a new version of a committee's model from its
  decisions and puts it in use only if it does at least as well as the one in use on the
  committee's recent decisions (nightly, and after every RETRAIN_EVERY decisions);
  `category_model_train` makes a committee's first one (from the seeded examples when it
  has no decisions yet).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from xieshang.core.jobs import enqueue
from xieshang.core.models import Committee, Event
from xieshang.insights.models import (
    CategoryModelRecord,
    Fingerprint,
    FingerprintBand,
    Hint,
    HintKind,
    HintOutcome,
)
from xieshang.insights.seed_examples import SEED_EXAMPLES
from xieshang.insights.selectors import (
    category_model_for,
    embedding_bank_forget,
    similar_for_suggestion,
)
from xieshang.suggestions.models import Category, Suggestion
from xieshang.textkit.classify import (
    CategoryModel,
    Corpus,
    ModelFormatError,
    Settings,
    suggestion_text,
)
from xieshang.textkit.hints import department_votes
from xieshang.textkit.similar import (
    band_keys,
    embed,
    embedding_bytes,
    embedding_from_bytes,
    signature,
)

log = logging.getLogger(__name__)

HINTS_PER_KIND = 3
MIN_TRAINING_EXAMPLES = 14  # two per default category; fewer and hints are noise


def fingerprint_write(*, suggestion: Suggestion) -> Fingerprint:
    """The suggestion's lexical signature and band keys, in the caller's transaction,
    replacing any it had."""
    sig = signature(suggestion_text(suggestion.title, suggestion.content))
    fingerprint, _created = Fingerprint.objects.update_or_create(
        suggestion=suggestion,
        defaults={
            "committee_id": suggestion.committee_id,
            "created_at": suggestion.created_at,
            "signature": sig,
        },
    )
    FingerprintBand.objects.filter(fingerprint=fingerprint).delete()
    _bands_insert([(fingerprint.pk, suggestion.committee_id, key) for key in band_keys(sig)])
    return fingerprint


def fingerprints_write_new(*, suggestions: Sequence[Suggestion]) -> list[Fingerprint]:
    """The fingerprints of suggestions that have none yet (the dispatch after their
    submission), in the caller's transaction: one INSERT for the fingerprints and one for
    all their band keys, whatever their number."""
    signatures = [signature(suggestion_text(s.title, s.content)) for s in suggestions]
    fingerprints = Fingerprint.objects.bulk_create(
        Fingerprint(
            suggestion=suggestion,
            committee_id=suggestion.committee_id,
            created_at=suggestion.created_at,
            signature=sig,
        )
        for suggestion, sig in zip(suggestions, signatures, strict=True)
    )
    _bands_insert(
        [
            (fingerprint.pk, fingerprint.committee_id, key)
            for fingerprint, sig in zip(fingerprints, signatures, strict=True)
            for key in band_keys(sig)
        ]
    )
    return fingerprints


BANDS_PER_STATEMENT = 500  # 1,500 parameters: well within SQLite's and PostgreSQL's limits


def _bands_insert(rows: Sequence[tuple[int, int, str]]) -> None:
    """Band keys (fingerprint id, committee id, key) in multi-row INSERTs. `bulk_create`
    would build a model instance for each key, 16 per fingerprint: about 1 ms of Python
    per suggestion."""
    meta = FingerprintBand._meta
    quote = connection.ops.quote_name
    column = {field.name: field.column for field in meta.concrete_fields}
    columns = ", ".join(quote(column[name]) for name in ("fingerprint", "committee", "key"))
    for start in range(0, len(rows), BANDS_PER_STATEMENT):
        chunk = rows[start : start + BANDS_PER_STATEMENT]
        values = ", ".join(["(%s, %s, %s)"] * len(chunk))
        with connection.cursor() as cursor:
            # Names come from the model and are quoted; every value is a parameter.
            cursor.execute(
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {values}",  # noqa: S608
                [value for row in chunk for value in row],
            )


def suggestion_analyse(*, suggestion_id: int) -> None:
    """The slow part, after commit: embedding, then hints. Safe to run twice."""
    suggestion = Suggestion.objects.filter(pk=suggestion_id).first()
    if suggestion is None:
        return
    fingerprint = Fingerprint.objects.filter(suggestion=suggestion).first()
    if fingerprint is None:
        fingerprint = fingerprint_write(suggestion=suggestion)
    if fingerprint.embedding is None:
        vector = embed([suggestion_text(suggestion.title, suggestion.content)])[0]
        Fingerprint.objects.filter(pk=fingerprint.pk).update(
            embedding=embedding_bytes(vector), embedded_at=timezone.now()
        )
        embedding_bank_forget(committee_id=suggestion.committee_id)
    hints_compute(suggestion=suggestion)


def suggestions_analyse_missed(
    *, days: int = 7, settle_minutes: int = 10, limit: int = 500
) -> list[int]:
    """Suggestions of the last `days` whose analysis never arrived (its job lost with the
    broker, which keeps nothing on disk, or a worker that died), analysed now, oldest
    first. Those younger than `settle_minutes` are left to their own job. Returns their
    ids."""
    now = timezone.now()
    missed = list(
        Suggestion.objects.filter(
            created_at__gte=now - timedelta(days=days),
            created_at__lt=now - timedelta(minutes=settle_minutes),
        )
        .filter(Q(fingerprint__isnull=True) | Q(fingerprint__embedding__isnull=True))
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for suggestion_id in missed:
        suggestion_analyse(suggestion_id=suggestion_id)
    return missed


def category_model_in_use(
    *, committee_id: int
) -> tuple[CategoryModelRecord | None, CategoryModel | None]:
    """The committee's model in use; a committee without one gets its first, trained now
    from the seeded examples (and its own decisions, if any)."""
    record, model = category_model_for(committee_id=committee_id)
    if record is None and category_model_train(committee_id=committee_id) is not None:
        record, model = category_model_for(committee_id=committee_id)
    return record, model


def hints_compute(*, suggestion: Suggestion) -> list[Hint]:
    """The top categories with the model's confidence, and the departments that handled
    the most similar earlier suggestions. Replaces undecided hints; keeps decided ones."""
    hints: list[Hint] = []
    record, model = category_model_in_use(committee_id=suggestion.committee_id)
    if model is not None and record is not None:
        categories = {
            c.name: c
            for c in Category.objects.filter(committee_id=suggestion.committee_id, is_active=True)
        }
        embedding = None
        if model.uses_embeddings:
            stored = (
                Fingerprint.objects.filter(suggestion=suggestion, embedding__isnull=False)
                .values_list("embedding", flat=True)
                .first()
            )
            embedding = embedding_from_bytes(bytes(stored)) if stored is not None else None
        guesses = [
            g
            for g in model.top(
                suggestion_text(suggestion.title, suggestion.content), k=7, embedding=embedding
            )
            if g.label in categories
        ][:HINTS_PER_KIND]
        for rank, guess in enumerate(guesses, start=1):
            hints.append(
                Hint(
                    suggestion=suggestion,
                    committee_id=suggestion.committee_id,
                    kind=HintKind.CATEGORY,
                    rank=rank,
                    value_id=categories[guess.label].pk,
                    label=guess.label,
                    confidence=max(0.0, min(1.0, guess.confidence)),
                    model=record,
                )
            )
    similar = similar_for_suggestion(suggestion=suggestion, limit=20, open_only=False)
    ranked = department_votes(((s.score, s.departments) for s in similar), k=HINTS_PER_KIND)
    for rank, (department_id, name, share) in enumerate(ranked, start=1):
        hints.append(
            Hint(
                suggestion=suggestion,
                committee_id=suggestion.committee_id,
                kind=HintKind.DEPARTMENT,
                rank=rank,
                value_id=department_id,
                label=name,
                confidence=max(0.0, min(1.0, share)),
            )
        )
    with transaction.atomic():
        decided = set(
            Hint.objects.filter(suggestion=suggestion)
            .exclude(outcome=HintOutcome.PENDING)
            .values_list("kind", flat=True)
        )
        Hint.objects.filter(suggestion=suggestion, outcome=HintOutcome.PENDING).delete()
        fresh = [h for h in hints if h.kind not in decided]
        Hint.objects.bulk_create(fresh)
    return fresh


def hint_decide(*, suggestion: Suggestion, kind: str, value_id: int) -> None:
    """Staff decided a category or a department: mark the kind's hints taken (the one
    chosen) or not. Called by the suggestions services in their transaction."""
    now = timezone.now()
    pending = Hint.objects.filter(suggestion=suggestion, kind=kind, outcome=HintOutcome.PENDING)
    pending.filter(value_id=value_id).update(
        outcome=HintOutcome.TAKEN, decided_value_id=value_id, decided_at=now
    )
    pending.exclude(value_id=value_id).update(
        outcome=HintOutcome.OTHER, decided_value_id=value_id, decided_at=now
    )
    if kind == HintKind.CATEGORY:
        category_model_retrain_queue(committee_id=suggestion.committee_id)


# --- The category model: versions learnt from staff ---------------------------------------

# The settings of every committee's model: what bench/category.py chose (bench/README.md).
CATEGORY_SETTINGS = Settings()
# Staff decisions since the model in use that start a retraining (besides the nightly one).
RETRAIN_EVERY = 50
# The newest staff decisions that neither model was trained on, held back to compare them;
# fewer than RECENT_MIN is no comparison yet, and the model in use stays.
RECENT_MAX = 200
RECENT_MIN = 10
TRAINING_MAX = 20_000
UNLABELLED_MAX = 2_000  # uncategorised texts, when the settings learn from them
RETRAIN_LOCK_SECONDS = 3600


@dataclass(frozen=True)
class Example:
    """A text with the category it was given: by staff in triage (`decided_at` set: the
    time of their last categorise event), by the citizen (kept by staff), or seeded."""

    text: str
    label: str
    suggestion_id: int | None = None
    decided_at: datetime | None = None


def category_examples(*, committee_id: int) -> list[Example]:
    """What a committee's model learns from: its suggestions that have an active category
    (newest first, at most TRAINING_MAX), then the seeded examples of its categories."""
    names = dict(
        Category.objects.filter(committee_id=committee_id, is_active=True).values_list("pk", "name")
    )
    rows = list(
        Suggestion.objects.filter(committee_id=committee_id, category_id__in=names)
        .order_by("-created_at", "-pk")
        .values_list("pk", "title", "content", "category_id")[:TRAINING_MAX]
    )
    decided = dict(
        Event.objects.filter(
            committee_id=committee_id,
            content_type=ContentType.objects.get_for_model(Suggestion),
            action="categorise",
        )
        .values("object_id")
        .annotate(last=Max("created_at"))
        .values_list("object_id", "last")
    )
    examples = [
        Example(suggestion_text(title, content), names[category_id], pk, decided.get(pk))
        for pk, title, content, category_id in rows
    ]
    for name in names.values():
        for title, content in SEED_EXAMPLES.get(name, ()):
            examples.append(Example(suggestion_text(title, content), name))
    return examples


def _embeddings(examples: Sequence[Example]) -> np.ndarray:
    """The stored sentence embeddings of the examples' suggestions; computed for the rest
    (seeds, and suggestions whose analysis has not run yet)."""
    stored = {
        suggestion_id: embedding_from_bytes(bytes(raw or b""))
        for suggestion_id, raw in Fingerprint.objects.filter(
            suggestion_id__in=[e.suggestion_id for e in examples if e.suggestion_id],
            embedding__isnull=False,
        ).values_list("suggestion_id", "embedding")
    }
    missing = [i for i, e in enumerate(examples) if e.suggestion_id not in stored]
    computed = dict(zip(missing, embed([examples[i].text for i in missing]), strict=True))
    return np.vstack(
        [
            stored[e.suggestion_id] if e.suggestion_id in stored else computed[i]
            for i, e in enumerate(examples)
        ]
    ).astype(np.float32)


def _model_train(
    *, committee_id: int, examples: Sequence[Example], settings: Settings
) -> CategoryModel:
    corpus = Corpus(
        [e.text for e in examples],
        embeddings=_embeddings(examples) if settings.uses_embeddings else None,
    )
    unlabelled: Corpus = Corpus([])
    if settings.unlabelled_vocabulary or settings.self_training is not None:
        rows = list(
            Suggestion.objects.filter(committee_id=committee_id, category__isnull=True)
            .order_by("-created_at")
            .values_list("pk", "title", "content")[:UNLABELLED_MAX]
        )
        pool = [Example(suggestion_text(t, c), "", pk) for pk, t, c in rows]
        unlabelled = Corpus(
            [e.text for e in pool],
            embeddings=_embeddings(pool) if settings.uses_embeddings and pool else None,
        )
    return CategoryModel.train(
        corpus, [e.label for e in examples], settings=settings, unlabelled=unlabelled
    )


def _top1(model: CategoryModel, examples: Sequence[Example]) -> float:
    """How often the model's first guess is the category the example was given."""
    if not examples:
        return 0.0
    guesses = model.top_many(
        Corpus(
            [e.text for e in examples],
            embeddings=_embeddings(examples) if model.uses_embeddings else None,
        ),
        k=1,
    )
    right = sum(bool(g) and g[0].label == e.label for g, e in zip(guesses, examples, strict=True))
    return right / len(examples)


def _record_create(
    *,
    committee_id: int,
    model: CategoryModel,
    examples: Sequence[Example],
    keep: bool = True,
    **fields: Any,
) -> CategoryModelRecord:
    """A new version of the committee's model, numbered after the last one; its bytes only
    if `keep`."""
    with transaction.atomic():
        # One version at a time per committee: its committee row is the lock.
        Committee.objects.select_for_update().filter(pk=committee_id).first()
        last = (
            CategoryModelRecord.objects.filter(committee_id=committee_id)
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
        )
        return CategoryModelRecord.objects.create(
            committee_id=committee_id,
            version=(last or 0) + 1,
            samples=len(examples),
            decided=sum(1 for e in examples if e.suggestion_id is not None),
            labels=model.labels,
            data=model.dumps() if keep else b"",
            **fields,
        )


def category_model_train(*, committee_id: int) -> CategoryModelRecord | None:
    """Train a version of the committee's model from all its examples (every suggestion
    with a category, plus the seeded examples of its categories, so a new committee starts
    with sensible hints) and put it in use, with no comparison: for a committee that has
    no model yet. None when there is too little to learn from."""
    examples = category_examples(committee_id=committee_id)
    if len(examples) < MIN_TRAINING_EXAMPLES or len({e.label for e in examples}) < 2:
        return None
    model = _model_train(committee_id=committee_id, examples=examples, settings=CATEGORY_SETTINGS)
    return _record_create(committee_id=committee_id, model=model, examples=examples)


def category_model_retrain(*, committee_id: int) -> CategoryModelRecord | None:
    """A new version of the committee's model, put in use only if it is at least as good
    as the one in use on the committee's recent decisions.

    The recent decisions are staff's categorisations made after the model in use was
    trained (so it never saw them), the newest RECENT_MAX of them; the new version learns
    from every other example, so neither model saw them either. The new version is put in
    use when its first guess is right at least as often as the old one's; otherwise the
    old one stays and the new version is recorded without its bytes, with both scores. The
    held-back decisions are learnt from by the next version, trained after them.

    None when nothing is due: fewer than RECENT_MIN recent decisions (no fair comparison
    yet), no decision since the last version was turned down (it would be trained and
    turned down again), or too few examples to learn from. A committee without a model
    gets its first one (`category_model_train`)."""
    current = (
        CategoryModelRecord.objects.filter(committee_id=committee_id, promoted=True)
        .order_by("-version")
        .first()
    )
    if current is None:
        return category_model_train(committee_id=committee_id)
    last_tried = _last_version_trained_at(committee_id=committee_id)
    examples = category_examples(committee_id=committee_id)
    if last_tried is not None and last_tried > current.trained_at:  # a version turned down
        newest = max((e.decided_at for e in examples if e.decided_at), default=None)
        if newest is None or newest <= last_tried:
            return None
    recent = sorted(
        (e for e in examples if e.decided_at is not None and e.decided_at > current.trained_at),
        key=lambda e: (e.decided_at, e.suggestion_id),
    )[-RECENT_MAX:]
    if len(recent) < RECENT_MIN:
        return None
    held = {e.suggestion_id for e in recent}
    training = [e for e in examples if e.suggestion_id is None or e.suggestion_id not in held]
    if len(training) < MIN_TRAINING_EXAMPLES or len({e.label for e in training}) < 2:
        return None
    candidate = _model_train(
        committee_id=committee_id, examples=training, settings=CATEGORY_SETTINGS
    )
    new_score = _top1(candidate, recent)
    try:
        old_score = _top1(CategoryModel.loads(bytes(current.data)), recent)
    except ModelFormatError:
        old_score = 0.0  # unreadable by this code: it cannot be used anyway
    promoted = new_score >= old_score
    record = _record_create(
        committee_id=committee_id,
        model=candidate,
        examples=training,
        keep=promoted,
        promoted=promoted,
        previous=current,
        compared_on=len(recent),
        top1_recent=new_score,
        previous_top1_recent=old_score,
    )
    if promoted:
        category_models_prune(committee_id=committee_id)
    log.info(
        "category model of committee %s: v%s %s (%.3f against v%s's %.3f on %s decisions)",
        committee_id,
        record.version,
        "in use" if promoted else "not used",
        new_score,
        current.version,
        old_score,
        len(recent),
    )
    return record


# Versions whose bytes are kept: the one in use and the ones before it, to go back to.
KEEP_MODEL_BYTES = 3


def category_models_prune(*, committee_id: int) -> int:
    """Drop the bytes (a few megabytes each) of the committee's versions older than the
    newest KEEP_MODEL_BYTES put in use; their records stay, with their scores, as the
    model's history. Returns how many were emptied."""
    kept = list(
        CategoryModelRecord.objects.filter(committee_id=committee_id, promoted=True)
        .order_by("-version")
        .values_list("pk", flat=True)[:KEEP_MODEL_BYTES]
    )
    return (
        CategoryModelRecord.objects.filter(committee_id=committee_id)
        .exclude(pk__in=kept)
        .exclude(data=b"")
        .update(data=b"")
    )


def _last_version_trained_at(*, committee_id: int) -> datetime | None:
    """When the committee's newest version was trained, whether it was put in use or not."""
    return (
        CategoryModelRecord.objects.filter(committee_id=committee_id)
        .order_by("-version")
        .values_list("trained_at", flat=True)
        .first()
    )


def category_model_retrain_due(*, committee_id: int) -> bool:
    """Whether staff have made RETRAIN_EVERY category decisions on hinted suggestions since
    the newest version was trained — the one in use, or one turned down since (counting
    from the one in use would start a retraining at every decision after a version was
    turned down, until one is put in use)."""
    current = _last_version_trained_at(committee_id=committee_id)
    if current is None:
        return False
    return (
        Hint.objects.filter(
            committee_id=committee_id,
            kind=HintKind.CATEGORY,
            rank=1,
            decided_at__gt=current,
        )
        .exclude(outcome=HintOutcome.PENDING)
        .count()
        >= RETRAIN_EVERY
    )


def category_model_retrain_queue(*, committee_id: int) -> bool:
    """Start the committee's retraining job after commit when it is due and none is
    running (a lock in the cache for an hour, freed by the job). Returns whether it was
    queued."""
    if not category_model_retrain_due(committee_id=committee_id):
        return False
    if not cache.add(_retrain_lock(committee_id), 1, timeout=RETRAIN_LOCK_SECONDS):
        return False
    enqueue("insights.retrain_category_model", committee_id=committee_id)
    return True


def _retrain_lock(committee_id: int) -> str:
    return f"insights:category-retrain:{committee_id}"


def category_model_retrain_job(*, committee_id: int) -> int | None:
    """The job: retrain, then free the lock. Returns the new version's number, if any."""
    try:
        record = category_model_retrain(committee_id=committee_id)
    finally:
        cache.delete(_retrain_lock(committee_id))
    return record.version if record is not None else None


def category_models_train_all() -> int:
    """Every committee that has categories: its first model, or a new version compared
    with the one in use (the nightly job). Returns how many versions were put in use."""
    promoted = 0
    for committee_id in Committee.objects.filter(
        pk__in=Category.objects.values("committee_id")
    ).values_list("pk", flat=True):
        record = category_model_retrain(committee_id=committee_id)
        if record is not None and record.promoted:
            promoted += 1
    return promoted
