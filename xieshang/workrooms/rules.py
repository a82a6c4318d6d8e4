"""Who may do what with workrooms, their standard checklist and duty activities."""

from typing import Any

from rules.permissions import add_perm
from rules.predicates import predicate

from xieshang.core.rules import is_leader, is_member, is_staff, is_superuser, is_workroom_manager
from xieshang.people.access import access_for


@predicate
def is_convenor(user: Any, workroom: Any = None) -> bool:
    """Convenor (召集人) of this workroom, through an active seat of its committee; for a
    page without a record, of any workroom."""
    from xieshang.workrooms.models import WorkroomMembership, WorkroomRole

    if not access_for(user).member_of:
        return False
    convenors = WorkroomMembership.objects.filter(
        role=WorkroomRole.CONVENOR, member__user_id=user.pk, member__is_active=True
    )
    if workroom is None:
        return convenors.exists()
    return convenors.filter(
        workroom_id=workroom.pk, member__committee_id=workroom.committee_id
    ).exists()


@predicate
def is_recorder(user: Any, activity: Any = None) -> bool:
    """Recorded this activity and still works in its committee (as member or staff)."""
    if activity is None:
        return False
    access = access_for(user)
    in_committee = (
        activity.committee_id in access.member_of or activity.committee_id in access.staff
    )
    return bool(activity.recorded_by_id == user.pk and in_committee)


add_perm("workrooms.view_workroom", is_superuser | is_staff | is_leader | is_member)
add_perm("workrooms.manage_workroom", is_superuser | is_workroom_manager)
# The standard (五有): workroom staff or the workroom's convenor record evidence; workroom
# staff confirm it and install the default checklist.
add_perm("workrooms.record_evidence", is_superuser | is_workroom_manager | is_convenor)
add_perm("workrooms.confirm_evidence", is_superuser | is_workroom_manager)
# Duty activities (履职活动): staff and members record them (谁组织谁记录); the recorder and
# the committee's staff correct them.
add_perm("workrooms.view_activity", is_superuser | is_staff | is_leader | is_member)
add_perm("workrooms.record_activity", is_superuser | is_staff | is_member)
add_perm("workrooms.change_activity", is_superuser | is_staff | is_recorder)
