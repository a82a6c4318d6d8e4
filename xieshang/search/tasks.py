from __future__ import annotations

from celery import shared_task


@shared_task(name="search.reindex")
def reindex() -> int:
    """Index every record again with the current dictionaries."""
    from xieshang.search.segmenter import forget_version
    from xieshang.search.services import entries_rebuild

    forget_version()  # the words as they are now, not as this worker last saw them
    return entries_rebuild()


@shared_task(name="search.index_suggestion")
def index_suggestion(suggestion_id: int) -> bool:
    """The search entry of a citizen's new suggestion, written after its submission."""
    from xieshang.search.services import entry_index_suggestion_id

    return entry_index_suggestion_id(suggestion_id=suggestion_id) is not None


@shared_task(name="search.index_missed")
def index_missed() -> int:
    """Index the suggestions of the past week whose entry job was lost (the broker keeps
    nothing on disk). Returns how many."""
    from xieshang.search.services import entries_index_missed

    return len(entries_index_missed())
