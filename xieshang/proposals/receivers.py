"""What the proposals app does at the hooks of the apps below it (core/hooks.py)."""

from __future__ import annotations

from xieshang.core.hooks import Section
from xieshang.proposals.selectors.drafting import proposal_marks_for_suggestion
from xieshang.suggestions import hooks as suggestion_hooks
from xieshang.suggestions.models import Suggestion


def became_proposal(suggestion: Suggestion) -> Section | None:
    """On the citizen's tracking page: the proposal developed from the suggestion, once it
    is submitted (百姓提案)."""
    marks = proposal_marks_for_suggestion(suggestion=suggestion)
    if not marks:
        return None
    return Section("proposals/hooks/tracking.html", {"proposals": marks}, order=10)


def connect() -> None:
    suggestion_hooks.tracking_sections.register(became_proposal)
