from rules.permissions import add_perm

from xieshang.core.rules import is_clerk, is_member, is_staff, is_superuser

# Anyone with records to find searches; the selector narrows to what each may see.
add_perm("search.use_search", is_superuser | is_staff | is_member | is_clerk)
# Staff keep their committee's dictionary (place names, stop words).
add_perm("search.edit_dictionary", is_superuser | is_staff)
