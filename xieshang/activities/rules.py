"""Who may do what with duty activities (履职活动): staff and members of a committee record
them (谁组织谁记录); the recorder and the committee's staff correct them."""

from typing import Any

from rules.predicates import predicate

from xieshang.core.rules import permission
from xieshang.people.access import access_for
from xieshang.people.rules import (
    is_leader,
    is_member,
    is_staff,
    is_superuser,
    is_workroom_manager,
)


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


permission(
    "activities.view_activity",
    is_superuser | is_staff | is_leader | is_member,
    doc="See the committee's duty activities, their totals and Excel.",
)
permission(
    "activities.record_activity",
    is_superuser | is_staff | is_member,
    doc="Record a duty activity (谁组织谁记录).",
    refusal="只有本委员会的工作人员和委员可以登记履职活动。",
)
permission(
    "activities.change_activity",
    is_superuser | is_staff | is_recorder,
    doc="Correct an activity: its recorder or the committee's staff.",
    refusal="只有登记人或工作人员可以修改这项活动。",
)
permission(
    "activities.install_kinds",
    is_superuser | is_workroom_manager,
    doc="Give the committee the default list of activity kinds.",
)
