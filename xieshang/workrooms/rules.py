"""Who may do what with workrooms, their standard checklist and duty activities.

One permission per action; workflow transitions name theirs ("workrooms.<action>_workroom").
"""

from typing import Any

from rules.predicates import predicate

from xieshang.core.rules import permission
from xieshang.people.access import access_for
from xieshang.people.rules import is_leader, is_member, is_staff, is_superuser, is_workroom_manager
from xieshang.workrooms.models import WorkroomMembership, WorkroomRole


@predicate
def is_convenor(user: Any, workroom: Any = None) -> bool:
    """Convenor (召集人) of this workroom, through an active seat of its committee; for a
    page without a record, of any workroom."""
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


managers = is_superuser | is_workroom_manager

permission(
    "workrooms.view_workroom",
    is_superuser | is_staff | is_leader | is_member,
    doc="See the committee's workrooms and their timelines.",
)
permission(
    "workrooms.manage_workroom",
    managers,
    doc="Keep the committee's workrooms and service points (workroom coordinator).",
)
permission("workrooms.activate_workroom", managers, doc="Open a prepared workroom.")
permission("workrooms.suspend_workroom", managers, doc="Suspend a workroom, with a reason.")
permission("workrooms.resume_workroom", managers, doc="Resume a suspended workroom.")
# The standard (五有): workroom staff or the workroom's convenor record evidence; workroom
# staff confirm it and install the default checklist.
permission(
    "workrooms.install_checklist",
    managers,
    doc="Give the committee the default standard checklist (五有).",
    refusal="只有本委员会负责工作室的工作人员可以设置工作室标准。",
)
permission(
    "workrooms.record_evidence",
    managers | is_convenor,
    doc="Record evidence that a workroom meets an item of the standard.",
    refusal="只有负责工作室的工作人员或该工作室的召集人可以登记佐证材料。",
)
permission(
    "workrooms.confirm_evidence",
    managers,
    doc="Confirm a workroom's evidence: the item counts as met.",
    refusal="只有本委员会负责工作室的工作人员可以确认佐证材料。",
)
# Duty activities (履职活动): staff and members record them (谁组织谁记录); the recorder and
# the committee's staff correct them.
permission(
    "workrooms.view_activity",
    is_superuser | is_staff | is_leader | is_member,
    doc="See the committee's duty activities.",
)
permission(
    "workrooms.record_activity",
    is_superuser | is_staff | is_member,
    doc="Record a duty activity (谁组织谁记录).",
    refusal="只有本委员会的工作人员和委员可以登记履职活动。",
)
permission(
    "workrooms.change_activity",
    is_superuser | is_staff | is_recorder,
    doc="Correct an activity: its recorder or the committee's staff.",
    refusal="只有登记人或工作人员可以修改这项活动。",
)
