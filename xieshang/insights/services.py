"""Writes of the triage aids.

* `fingerprint_write` runs in the dispatch that follows a submission within a second
  (`suggestions.services.suggestions_dispatch`), not in a queued job: the lexical signature
  and its band keys are cheap (about a millisecond), so the next citizen's "已有类似诉求"
  check sees the text soon, however long the analysis queue.
* `suggestion_analyse` runs in a Celery job after commit: the sentence embedding (about
  50 ms of CPU) and the category and department hints. A submission never waits for it.
* `hint_decide` records, when staff set a category or refer to a department, whether a
  hint was taken — the measure of the hints' usefulness.
* `category_model_train` retrains a committee's model from its decisions (nightly, and
  from the seeded examples when a committee has none yet).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from xieshang.insights.models import (
    CategoryModelRecord,
    Fingerprint,
    FingerprintBand,
    Hint,
    HintKind,
    HintOutcome,
)
from xieshang.insights.seed_examples import SEED_EXAMPLES
from xieshang.suggestions.models import Category, Suggestion
from xieshang.textkit.classify import CategoryModel, suggestion_text
from xieshang.textkit.similar import band_keys, embed, embedding_bytes, signature

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
    from xieshang.insights.selectors import embedding_bank_forget

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


def hints_compute(*, suggestion: Suggestion) -> list[Hint]:
    """The top categories with the model's confidence, and the departments that handled
    the most similar earlier suggestions. Replaces undecided hints; keeps decided ones."""
    from xieshang.insights.selectors import category_model_for, similar_for_suggestion

    hints: list[Hint] = []
    record, model = category_model_for(committee_id=suggestion.committee_id)
    if model is not None and record is not None:
        categories = {
            c.name: c
            for c in Category.objects.filter(committee_id=suggestion.committee_id, is_active=True)
        }
        guesses = [
            g
            for g in model.top(suggestion_text(suggestion.title, suggestion.content), k=7)
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
    votes: dict[int, float] = defaultdict(float)
    names: dict[int, str] = {}
    for similar in similar_for_suggestion(suggestion=suggestion, limit=20, open_only=False):
        for department_id, name in similar.departments:
            votes[department_id] += similar.score
            names[department_id] = name
    total = sum(votes.values())
    ranked = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[:HINTS_PER_KIND]
    for rank, (department_id, weight) in enumerate(ranked, start=1):
        hints.append(
            Hint(
                suggestion=suggestion,
                committee_id=suggestion.committee_id,
                kind=HintKind.DEPARTMENT,
                rank=rank,
                value_id=department_id,
                label=names[department_id],
                confidence=weight / total if total else 0.0,
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


def category_model_train(*, committee_id: int) -> CategoryModelRecord | None:
    """Train the committee's category model: every suggestion with a category (what staff
    decided, or the citizen chose and staff kept), plus the seeded examples of the
    committee's categories, so a new committee starts with sensible hints."""
    categories = list(
        Category.objects.filter(committee_id=committee_id, is_active=True).values_list("pk", "name")
    )
    names = dict(categories)
    texts: list[str] = []
    labels: list[str] = []
    decided = 0
    rows = (
        Suggestion.objects.filter(committee_id=committee_id, category_id__in=names)
        .order_by("-created_at")
        .values_list("title", "content", "category_id")[:20_000]
    )
    for title, content, category_id in rows:
        texts.append(suggestion_text(title, content))
        labels.append(names[category_id])
        decided += 1
    for name in names.values():
        for title, content in SEED_EXAMPLES.get(name, ()):
            texts.append(suggestion_text(title, content))
            labels.append(name)
    if len(texts) < MIN_TRAINING_EXAMPLES or len(set(labels)) < 2:
        return None
    model = CategoryModel.train(texts, labels)
    return CategoryModelRecord.objects.create(
        committee_id=committee_id,
        samples=len(texts),
        decided=decided,
        labels=model.labels,
        data=model.dumps(),
    )


def category_models_train_all() -> int:
    """Retrain every committee that has categories (the nightly job)."""
    from xieshang.core.models import Committee

    trained = 0
    for committee_id in Committee.objects.filter(
        pk__in=Category.objects.values("committee_id")
    ).values_list("pk", flat=True):
        if category_model_train(committee_id=committee_id) is not None:
            trained += 1
    return trained
