"""Who may search, and keep the search dictionaries."""

from xieshang.core.rules import permission
from xieshang.people.rules import is_clerk, is_member, is_staff, is_superuser

# Anyone with records to find searches; the selector narrows to what each may see.
permission(
    "search.use_search",
    is_superuser | is_staff | is_member | is_clerk,
    doc="Search what one may see (suggestions, proposals).",
)
# Staff keep their committee's dictionary (place names, stop words).
permission(
    "search.edit_dictionary",
    is_superuser | is_staff,
    doc="Keep the committee's search dictionary (place names, stop words).",
)
