"""What the consultations app does at the hooks of the apps below it (core/hooks.py)."""

from __future__ import annotations

from typing import Any

from xieshang.consultations.selectors import topic_list, topic_of_suggestion
from xieshang.consultations.services import suggestion_topic_join
from xieshang.core.hooks import Section
from xieshang.suggestions import hooks as suggestion_hooks
from xieshang.suggestions.models import Suggestion


def topic_made(suggestion: Suggestion, actor: Any, note: str) -> None:
    """列为协商议题: the suggestion creates or joins a consultation topic."""
    suggestion_topic_join(suggestion=suggestion, actor=actor, note=note)


def became_topic(suggestion: Suggestion) -> Section | None:
    """On the citizen's tracking page: the consultation topic(s) the suggestion became
    (titles and what has happened to them; no personal data)."""
    topics = topic_of_suggestion(suggestion=suggestion)
    if not topics:
        return None
    return Section("consultations/hooks/tracking.html", {"topics": topics}, order=20)


def staff_topics(user: Any, suggestion: Suggestion) -> Section | None:
    """On the staff's suggestion page: the topics it joined, and how to join one."""
    if not user.has_perm("consultations.view_topic", suggestion):
        return None
    return Section(
        "consultations/hooks/staff.html",
        {
            "topics": topic_of_suggestion(suggestion=suggestion),
            "open_titles": list(
                topic_list(user=user)
                .filter(committee_id=suggestion.committee_id, status="planned")
                .values_list("title", flat=True)[:30]
            ),
        },
        order=40,
    )


def connect() -> None:
    suggestion_hooks.topic_made.register(topic_made)
    suggestion_hooks.tracking_sections.register(became_topic)
    suggestion_hooks.staff_sections.register(staff_topics)
