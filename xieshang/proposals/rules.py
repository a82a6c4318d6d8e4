from rules.permissions import add_perm

from xieshang.core.rules import (
    is_clerk,
    is_leader,
    is_member,
    is_staff,
    is_superuser,
    staff_with,
)
from xieshang.people.models import StaffRole

is_proposal_office = staff_with(StaffRole.PROPOSAL_OFFICE, StaffRole.ADMINISTRATOR)

# Members write and follow their own proposals; staff of the committee read all of it; the
# proposal office reviews, assigns and supervises; clerks work what was assigned to their
# department; leaders see key proposals. The selectors narrow the rows.
add_perm("proposals.view_proposal", is_superuser | is_staff | is_member | is_leader | is_clerk)
add_perm("proposals.draft_proposal", is_superuser | is_member)
add_perm("proposals.review_proposal", is_superuser | is_proposal_office)
add_perm("proposals.handle_assignment", is_superuser | is_clerk)
add_perm("proposals.view_key", is_superuser | is_staff | is_leader)
