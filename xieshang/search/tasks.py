"""Background jobs of the search index: one-line wrappers around the services."""

from __future__ import annotations

from celery import shared_task

from xieshang.search import services


@shared_task(name="search.reindex")
def reindex() -> int:
    """Index every record again with the current dictionaries."""
    return services.entries_reindex_all()


@shared_task(name="search.index_suggestion")
def index_suggestion(suggestion_id: int) -> bool:
    """The search entry of a citizen's new suggestion, written after its submission."""
    return services.entry_index_suggestion_id(suggestion_id=suggestion_id) is not None


@shared_task(name="search.index_missed")
def index_missed() -> int:
    """Every hour: the past week's suggestions whose entry job was lost. Returns how many."""
    return len(services.entries_index_missed())
