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
