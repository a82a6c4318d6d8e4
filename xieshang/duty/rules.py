from rules.permissions import add_perm

from xieshang.core.rules import is_member, is_staff, is_superuser, is_workroom_manager

# Rosters: staff of the committee read them; workroom staff edit them and approve changes.
add_perm("duty.view_roster", is_superuser | is_staff | is_member)
add_perm("duty.manage_roster", is_superuser | is_workroom_manager)
# Bookings: staff of the committee see them all; a member sees the talks booked with them
# (the selectors narrow the rows), and works them through the booking workflow.
add_perm("duty.view_booking", is_superuser | is_staff | is_member)
