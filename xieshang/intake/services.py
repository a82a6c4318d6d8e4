"""What follows a citizen's suggestion once it is stored: the dispatch.

The submit request only stores the suggestion and its first event (suggestions.services);
the beat's `intake.dispatch`, every second, starts the rest — work of the apps above
suggestions (the fingerprint and the analysis of insights, the search entry of search) and
the acknowledgement to the citizen. This module sits above all of them (decision 28).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from xieshang.core.jobs import send
from xieshang.insights.models import Fingerprint
from xieshang.insights.services import fingerprints_write_new
from xieshang.suggestions.models import Suggestion

DISPATCH_BATCH = 500
DISPATCH_FIELDS = (
    "pk",
    "committee_id",
    "created_at",
    "title",
    "content",
    "phone_encrypted",
    "email_encrypted",
)


def suggestions_dispatch(
    *, ids: Sequence[int] | None = None, limit: int = DISPATCH_BATCH
) -> list[int]:
    """What follows each new suggestion not yet dispatched, oldest first: its lexical
    fingerprint, written here for all of them at once (the next citizen's similar check sees
    it within a second, however long the analysis queue), then the jobs for its search entry, the
    citizen's acknowledgement (when they left contact details) and the analysis; then the
    mark. The submit request only stores the suggestion and its event (the unmarked row is
    the durable note that the rest is due), so a submission neither waits for the broker
    nor fails with it. Run every second by the beat; `ids` limits it to those suggestions.
    Two runs at once take different rows (SKIP LOCKED). The messages go out before the
    marks are committed: a job may come twice, never not at all (every one of them may run
    twice). A new suggestion has no followers yet. Returns the ids dispatched."""
    pending = Suggestion.objects.filter(dispatched_at__isnull=True)
    if ids is not None:
        pending = pending.filter(pk__in=ids)
    with transaction.atomic():
        due = list(
            pending.select_for_update(skip_locked=True)
            .order_by("pk")
            .only(*DISPATCH_FIELDS)[:limit]
        )
        # The hourly analysis sweep writes a fingerprint for a suggestion it finds without
        # one: a suggestion left undispatched that long (no beat) may have one already.
        fingerprinted = set(
            Fingerprint.objects.filter(suggestion__in=due).values_list("suggestion", flat=True)
        )
        fingerprints_write_new(
            suggestions=[suggestion for suggestion in due if suggestion.pk not in fingerprinted]
        )
        for suggestion in due:
            send("search.index_suggestion", suggestion_id=suggestion.pk)
            if suggestion.phone_encrypted or suggestion.email_encrypted:
                send("suggestions.acknowledge", suggestion_id=suggestion.pk)
            send("insights.analyse_suggestion", suggestion_id=suggestion.pk)
        dispatched = [suggestion.pk for suggestion in due]
        Suggestion.objects.filter(pk__in=dispatched).update(dispatched_at=timezone.now())
    return dispatched
