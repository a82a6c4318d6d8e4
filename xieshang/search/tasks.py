from __future__ import annotations

from celery import shared_task


@shared_task(name="search.reindex")
def reindex() -> int:
    """Index every record again with the current dictionaries."""
    from xieshang.search.services import entries_rebuild

    return entries_rebuild()
