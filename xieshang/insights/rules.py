"""Who may see the triage aids."""

from xieshang.core.rules import permission
from xieshang.people.rules import is_staff, is_superuser

# Similar suggestions, category and department hints and hotspots are the triage staff's.
permission(
    "insights.view_insights",
    is_superuser | is_staff,
    doc="See similar suggestions, category and department hints, hotspots.",
)
