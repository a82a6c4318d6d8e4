from rules.permissions import add_perm

from xieshang.core.rules import is_leader, is_staff, is_superuser

add_perm("people.view_member", is_superuser | is_staff | is_leader)
add_perm("people.view_department", is_superuser | is_staff | is_leader)
