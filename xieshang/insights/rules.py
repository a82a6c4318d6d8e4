from rules.permissions import add_perm

from xieshang.core.rules import is_staff, is_superuser

# Similar suggestions, category and department hints and hotspots are the triage staff's.
add_perm("insights.view_insights", is_superuser | is_staff)
