"""Writes of the search index: entries for records, the committees' dictionaries.

`entry_index_*` runs inside the transaction that writes the record, so a record and its
entry are saved together or not at all, and a search right after the write finds it. The
one exception is a citizen's new suggestion, the one write a crowd can flood: its entry is
written by a job that the dispatch starts within a second of the submission
(`entry_index_suggestion_id`, decision 28), and an hourly sweep (`entries_index_missed`)
writes any whose job was lost."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.errors import DomainError
from xieshang.core.models import Committee
from xieshang.proposals.models import Proposal
from xieshang.search.models import EntryKind, SearchEntry, SearchWord, WordKind
from xieshang.search.segmenter import dictionary_changed, forget_version, segmenter
from xieshang.suggestions.models import Suggestion
from xieshang.textkit.normalize import normalize
from xieshang.textkit.segment import document_terms

MAX_WORD = 30


def _entry_save(
    *,
    kind: str,
    object_id: int,
    committee_id: int,
    created_at: Any,
    parts: Iterable[str],
) -> SearchEntry:
    """Write the entry of a record, replacing the one it had."""
    terms = document_terms(segmenter(), *parts)
    entry, _created = SearchEntry.objects.update_or_create(
        kind=kind,
        object_id=object_id,
        defaults={
            "committee_id": committee_id,
            "created_at": created_at,
            "words": terms.words,
            "grams": terms.grams,
            "chars": terms.chars,
        },
    )
    return entry


def entry_index_suggestion(*, suggestion: Any) -> SearchEntry:
    """Index a citizen suggestion: title, content, address, and what the citizen added."""
    return _entry_save(
        kind=EntryKind.SUGGESTION,
        object_id=suggestion.pk,
        committee_id=suggestion.committee_id,
        created_at=suggestion.created_at,
        parts=[suggestion.title, suggestion.content, suggestion.address or ""],
    )


def entry_index_suggestion_id(*, suggestion_id: int) -> SearchEntry | None:
    """Index a suggestion as it is now: the job that follows a citizen's submission. The row is
    locked first, so an edit that indexes it at the same moment (in its own transaction)
    is not overwritten by an older reading. None when the suggestion is gone."""

    with transaction.atomic():
        suggestion = Suggestion.objects.select_for_update().filter(pk=suggestion_id).first()
        if suggestion is None:
            return None
        return entry_index_suggestion(suggestion=suggestion)


def entries_index_missed(
    *, days: int = 7, settle_minutes: int = 10, limit: int = 1000
) -> list[int]:
    """Suggestions of the last `days` still without a search entry (their job lost with
    the broker, or a worker that died), indexed now, oldest first. Those younger than
    `settle_minutes` are left to their own job. Returns their ids."""

    now = timezone.now()
    entries = SearchEntry.objects.filter(kind=EntryKind.SUGGESTION, object_id=OuterRef("pk"))
    missed = list(
        Suggestion.objects.filter(
            created_at__gte=now - timedelta(days=days),
            created_at__lt=now - timedelta(minutes=settle_minutes),
        )
        .filter(~Exists(entries))
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for suggestion_id in missed:
        entry_index_suggestion_id(suggestion_id=suggestion_id)
    return missed


def entry_index_proposal(*, proposal: Any) -> SearchEntry:
    """Index a proposal: number, title (案由), analysis and suggestions."""
    return _entry_save(
        kind=EntryKind.PROPOSAL,
        object_id=proposal.pk,
        committee_id=proposal.committee_id,
        created_at=proposal.created_at,
        parts=[proposal.number or "", proposal.title, proposal.analysis, proposal.recommendations],
    )


def entries_reindex_all() -> int:
    """Index every record again with the current dictionaries (after they changed)."""
    forget_version()  # the words as they are now, not as this worker last saw them
    return entries_rebuild()


def entries_rebuild(*, kinds: Iterable[str] = EntryKind.values, batch: int = 500) -> int:
    """Index every record of the given kinds again (after a dictionary change, or for
    records written before the index existed). Returns how many were indexed."""

    count = 0
    if EntryKind.SUGGESTION in kinds:
        for suggestion in Suggestion.objects.order_by("pk").iterator(chunk_size=batch):
            with transaction.atomic():
                entry_index_suggestion(suggestion=suggestion)
            count += 1
    if EntryKind.PROPOSAL in kinds:
        for proposal in Proposal.objects.order_by("pk").iterator(chunk_size=batch):
            with transaction.atomic():
                entry_index_proposal(proposal=proposal)
            count += 1
    return count


def word_add(
    *, committee: Committee, word: str, kind: str = WordKind.WORD, actor: Any
) -> SearchWord:
    """Add a word to a committee's dictionary. Entries are re-indexed by a background job,
    so the words of older records follow; a search finds them meanwhile by their
    characters."""
    word = normalize(word)
    if not word or len(word) > MAX_WORD or " " in word:
        raise DomainError(_("A dictionary word is 1 to 30 characters without spaces."))
    if kind not in WordKind.values:
        raise DomainError(_("Choose whether it is a word or a stop word."))
    with transaction.atomic():
        if SearchWord.objects.filter(committee=committee, word=word).exists():
            raise DomainError(_("“%(word)s” is already in the dictionary.") % {"word": word})
        record = SearchWord.objects.create(committee=committee, word=word, kind=kind)
        dictionary_changed()
    return record


def word_remove(*, word: SearchWord, actor: Any) -> None:
    """Take a word out of its committee's dictionary."""
    with transaction.atomic():
        word.delete()
        dictionary_changed()
