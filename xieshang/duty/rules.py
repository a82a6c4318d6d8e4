"""Who may do what with duty rosters, shifts, shift changes (调班/代班) and booked talks.

One permission per action. Workflow transitions name theirs ("duty.<action>_<model>").
Rosters: staff of the committee read them; workroom staff edit them and approve changes.
A shift change is the asking member's and the colleague's; a booking is the citizen's (by
its link), the member on duty's, and the committee's staff's. Being a member of the
committee gives no say over another member's shifts or talks.
"""

from typing import Any

from rules.predicates import predicate

from xieshang.core.rules import is_citizen, is_system, permission
from xieshang.people.rules import is_member, is_staff, is_superuser, is_workroom_manager


def _user_id(actor: Any) -> int | None:
    return getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None


@predicate
def is_requester(user: Any, change: Any = None) -> bool:
    """The member who asked for the shift change."""
    user_id = _user_id(user)
    return change is not None and user_id is not None and change.requested_by.user_id == user_id


@predicate
def is_asked_colleague(user: Any, change: Any = None) -> bool:
    """The colleague asked to swap or cover."""
    user_id = _user_id(user)
    return change is not None and user_id is not None and change.colleague.user_id == user_id


@predicate
def is_member_on_duty(user: Any, record: Any = None) -> bool:
    """The member on duty for the shift, or for the booked talk."""
    user_id = _user_id(user)
    return record is not None and user_id is not None and record.member.user_id == user_id


managers = is_superuser | is_workroom_manager

# --- Pages --------------------------------------------------------------------------------
permission(
    "duty.view_roster",
    is_superuser | is_staff | is_member,
    doc="See duty rosters and shifts (members: their own).",
)
permission(
    "duty.manage_roster",
    is_system | managers,
    doc="Set up duty patterns and rotations, generate shifts, close dates, hand shifts over.",
    refusal="只有本委员会负责工作室的工作人员可以修改值班安排。",
)
permission(
    "duty.view_booking",
    is_superuser | is_staff | is_member,
    doc="See booked talks (members: those booked with them).",
)

# --- A shift ----------------------------------------------------------------------------
permission(
    "duty.cancel_shift",
    is_system | managers,
    doc="Cancel a scheduled shift that no citizen is booked on.",
)
permission(
    "duty.request_shift",
    is_superuser | is_member_on_duty,
    doc="Ask a colleague to swap or cover one's own shift.",
    refusal="只能为自己的值班申请调班或代班。",
)

# --- A shift change ---------------------------------------------------------------------
permission(
    "duty.agree_shiftchange", is_superuser | is_asked_colleague, doc="Agree to swap or cover."
)
permission(
    "duty.decline_shiftchange", is_superuser | is_asked_colleague, doc="Decline to swap or cover."
)
permission(
    "duty.withdraw_shiftchange",
    is_superuser | is_requester,
    doc="Withdraw one's request for a shift change.",
)
permission("duty.approve_shiftchange", managers, doc="Approve an agreed shift change.")
permission("duty.reject_shiftchange", managers, doc="Reject an agreed shift change, with a reason.")

# --- A booked talk ----------------------------------------------------------------------
on_duty_or_staff = is_superuser | is_member_on_duty | is_staff
permission(
    "duty.cancel_booking",
    is_citizen | managers,
    doc="Cancel a talk before it begins (the citizen by the link, or workroom staff).",
)
permission(
    "duty.move_booking",
    is_citizen | managers,
    doc="Move a talk to another free slot (the citizen by the link, or workroom staff).",
)
permission("duty.check_in_booking", on_duty_or_staff, doc="Check the citizen in for the talk.")
permission("duty.no_show_booking", on_duty_or_staff, doc="Mark that the citizen did not come.")
permission(
    "duty.record_booking",
    on_duty_or_staff,
    doc="Record the talk and turn what was raised into suggestions.",
)
