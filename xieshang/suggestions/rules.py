from typing import Any

from rules.permissions import add_perm
from rules.predicates import predicate

from xieshang.core.rules import is_member, is_staff, is_superuser, staff_with
from xieshang.people.access import access_for
from xieshang.people.models import StaffRole


@predicate
def is_referral_clerk(user: Any, referral: Any = None) -> bool:
    access = access_for(user)
    if referral is None:
        return bool(access.clerk_of)
    return referral.department_id in access.clerk_of


may_see_contact = staff_with(
    StaffRole.PROPOSAL_OFFICE, StaffRole.LIAISON_OFFICE, StaffRole.ADMINISTRATOR
)

add_perm("suggestions.view_suggestion", is_superuser | is_staff)
add_perm("suggestions.triage_suggestion", is_superuser | is_staff)
add_perm("suggestions.reveal_contact", is_superuser | may_see_contact)
add_perm("suggestions.claim_suggestion", is_member)
add_perm("suggestions.enter_suggestion", is_superuser | is_staff | is_member)
add_perm("suggestions.view_referral", is_superuser | is_staff | is_referral_clerk)
