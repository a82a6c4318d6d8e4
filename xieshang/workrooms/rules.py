from rules.permissions import add_perm

from xieshang.core.rules import is_leader, is_member, is_staff, is_superuser, is_workroom_manager

add_perm("workrooms.view_workroom", is_superuser | is_staff | is_leader | is_member)
add_perm("workrooms.manage_workroom", is_superuser | is_workroom_manager)
