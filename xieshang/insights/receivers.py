"""What the triage aids do at the hooks of the apps below them (core/hooks.py)."""

from __future__ import annotations

from typing import Any

from xieshang.insights.models import HintKind
from xieshang.insights.selectors import hints_for, similar_for_suggestion
from xieshang.insights.services import hint_decide
from xieshang.suggestions import hooks as suggestion_hooks
from xieshang.suggestions.models import Suggestion


def category_taken(suggestion: Suggestion, category_id: int) -> None:
    """Staff chose a category: the category hints are marked taken or not."""
    hint_decide(suggestion=suggestion, kind=HintKind.CATEGORY, value_id=category_id)


def department_taken(suggestion: Suggestion, department_id: int) -> None:
    """Staff referred it to a department: the department hints are marked taken or not."""
    hint_decide(suggestion=suggestion, kind=HintKind.DEPARTMENT, value_id=department_id)


def triage_aids(user: Any, suggestion: Suggestion) -> dict[str, Any]:
    """On the staff's suggestion page: similar suggestions (with a one-click merge) and the
    category and department hints."""
    return {
        "similar": similar_for_suggestion(suggestion=suggestion),
        "hints": hints_for(suggestion=suggestion),
    }


def connect() -> None:
    suggestion_hooks.category_chosen.register(category_taken)
    suggestion_hooks.department_chosen.register(department_taken)
    suggestion_hooks.staff_context.register(triage_aids)
