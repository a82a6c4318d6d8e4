"""Points follow the records: when another app records a step that changes a member's
record (an activity, a proposal filed, accepted or co-signed, a talk, a cancelled shift,
a claimed suggestion, a sign-in at a consultation, a 社情民意 item handed in, adopted or
instructed, a research group set or its report approved), the committee's year is
recomputed once that transaction commits.
We listen to the event every such step writes (core.Event), so no lower app has to know
about points. A recompute that cannot be sent is left to the nightly job."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone

from xieshang.core import jobs
from xieshang.core.hooks import Section
from xieshang.core.models import Event
from xieshang.performance.models import LivelihoodResult, ResultStatus
from xieshang.suggestions import hooks as suggestion_hooks
from xieshang.suggestions.models import Suggestion
from xieshang.workrooms import hooks as workroom_hooks
from xieshang.workrooms.models import Workroom

logger = logging.getLogger(__name__)

# (app of the record, action of its event) that change someone's duty record.
RELEVANT: dict[str, frozenset[str]] = {
    "activities": frozenset({"activity_record", "activity_edit"}),
    "proposals": frozenset(
        {"submit", "withdraw", "accept", "merge", "cosign", "choose", "decline", "excellent"}
    ),
    "duty": frozenset({"cancel", "record", "approve", "hand_over"}),
    "suggestions": frozenset({"claim"}),
    "consultations": frozenset({"sign_in", "hold_event"}),
    "opinions": frozenset(
        {"submit", "adopt", "decline", "send_back", "issue", "instruction", "edit", "from_below"}
    ),
    "research": frozenset({"create_topic", "adopt"}),
}


class _Recompute:
    """The after-commit call for one committee's year (one per transaction: a callback
    already waiting for the same key is not added again)."""

    def __init__(self, key: tuple[int, int]) -> None:
        self.key = key

    def __call__(self) -> None:
        _recompute(self.key)


def _recompute(key: tuple[int, int]) -> None:
    try:
        jobs.send("performance.recompute", committee_id=key[0], year=key[1])
    except Exception as error:  # the broker is away: the nightly job catches up
        logger.warning("Points of %s not recomputed now: %s", key, error)


def event_saved(sender: Any, instance: Event, created: bool, **kwargs: Any) -> None:
    if not created or kwargs.get("raw"):  # a restore or fixture loads records, records none
        return
    actions = RELEVANT.get(ContentType.objects.get_for_id(instance.content_type_id).app_label)
    if not actions or instance.action not in actions:
        return
    today = timezone.localdate()
    # In January a record may still be for the past year.
    years = [today.year - 1, today.year] if today.month == 1 else [today.year]
    waiting = getattr(transaction.get_connection(), "run_on_commit", [])
    for year in years:
        key = (int(instance.committee_id), year)
        if not any(isinstance(f, _Recompute) and f.key == key for _ids, f, _robust in waiting):
            transaction.on_commit(_Recompute(key))


def contributed_to(suggestion: Suggestion) -> Section | None:
    """On the citizen's tracking page: the livelihood results (民生实事) the suggestion
    led to, once under way."""
    results = list(
        LivelihoodResult.objects.filter(suggestions=suggestion).exclude(status=ResultStatus.PLANNED)
    )
    if not results:
        return None
    return Section("performance/hooks/tracking.html", {"results": results}, order=20)


def workroom_results(workroom: Workroom) -> Section | None:
    """On the public workroom page: the livelihood results it brought about (under way
    or done)."""
    results = list(
        LivelihoodResult.objects.filter(workroom=workroom)
        .exclude(status=ResultStatus.PLANNED)
        .order_by("-done_on", "-id")[:10]
    )
    if not results:
        return None
    return Section("performance/hooks/workroom_results.html", {"results": results}, order=70)


def connect() -> None:
    post_save.connect(event_saved, sender=Event, dispatch_uid="performance.event_saved")
    suggestion_hooks.tracking_sections.register(contributed_to)
    workroom_hooks.public_sections.register(workroom_results)
