from __future__ import annotations

from celery import shared_task


@shared_task(name="search.reindex")
def reindex() -> int:
    """Index every record again with the current dictionaries."""
    from xieshang.search.segmenter import forget_version
    from xieshang.search.services import entries_rebuild

    forget_version()  # the words as they are now, not as this worker last saw them
    return entries_rebuild()
