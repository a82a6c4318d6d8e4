"""The life of a shift change and of a booking: states, and who may move them.

Both tables name relations, not only positions: `OWNER` is the member who asked for a
shift change, or the member on duty for a booking; `INVITEE` is the colleague asked to
swap or cover. Other members of the committee hold neither and may do nothing here.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from xieshang.core.models import ActorKind
from xieshang.core.workflow import Transition, Workflow
from xieshang.duty.models import Booking, BookingStatus, ShiftChange, ShiftChangeStatus
from xieshang.people.access import Role, access_for

C = ShiftChangeStatus
B = BookingStatus
OWNER = frozenset({Role.OWNER})
INVITEE = frozenset({Role.INVITEE})
MANAGERS = frozenset({Role.WORKROOM_COORDINATOR, Role.ADMINISTRATOR})
STAFF = frozenset({Role.STAFF})


def _user_id(actor: Any) -> int | None:
    return getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None


def _roles(committee_id: int, actor: Any) -> set[Role]:
    if actor == ActorKind.CITIZEN:
        return {Role.CITIZEN}
    if actor == ActorKind.SYSTEM:
        return {Role.SYSTEM}
    # MEMBER is dropped: being a member of the committee gives no say over another
    # member's shifts or talks; OWNER and INVITEE below do.
    return set(access_for(actor).roles_in(committee_id)) - {Role.MEMBER}


def shift_change_roles(change: ShiftChange, actor: Any) -> frozenset[Role]:
    roles = _roles(change.committee_id, actor)
    user_id = _user_id(actor)
    if user_id is not None and change.requested_by.user_id == user_id:
        roles.add(Role.OWNER)
    if user_id is not None and change.colleague.user_id == user_id:
        roles.add(Role.INVITEE)
    return frozenset(roles)


def booking_roles(booking: Booking, actor: Any) -> frozenset[Role]:
    roles = _roles(booking.committee_id, actor)
    user_id = _user_id(actor)
    if user_id is not None and booking.member.user_id == user_id:
        roles.add(Role.OWNER)
    return frozenset(roles)


SHIFT_CHANGE_WORKFLOW: Workflow[ShiftChange] = Workflow(
    model=ShiftChange,
    states=ShiftChangeStatus,
    roles_of=shift_change_roles,
    labels={"request": _("Asked")},
    transitions=[
        Transition(C.REQUESTED, "agree", C.AGREED, INVITEE, _("Agree")),
        Transition(C.REQUESTED, "decline", C.DECLINED, INVITEE, _("Decline")),
        Transition(C.REQUESTED, "withdraw", C.WITHDRAWN, OWNER, _("Withdraw")),
        Transition(C.AGREED, "withdraw", C.WITHDRAWN, OWNER, _("Withdraw")),
        Transition(C.AGREED, "approve", C.APPROVED, MANAGERS, _("Approve")),
        Transition(C.AGREED, "reject", C.REJECTED, MANAGERS, _("Reject"), note_required=True),
    ],
)

BOOKING_WORKFLOW: Workflow[Booking] = Workflow(
    model=Booking,
    states=BookingStatus,
    roles_of=booking_roles,
    labels={"book": _("Booked"), "remind": _("Reminder sent")},
    transitions=[
        Transition(
            B.CONFIRMED,
            "cancel",
            B.CANCELLED,
            frozenset({Role.CITIZEN}) | MANAGERS,
            _("Cancel"),
            public=True,
        ),
        Transition(
            B.CONFIRMED,
            "move",
            B.CONFIRMED,
            frozenset({Role.CITIZEN}) | MANAGERS,
            _("Move to another time"),
            public=True,
        ),
        Transition(
            B.CONFIRMED, "check_in", B.CHECKED_IN, OWNER | STAFF, _("Check in"), public=True
        ),
        Transition(
            B.CONFIRMED, "no_show", B.NO_SHOW, OWNER | STAFF, _("Did not come"), public=True
        ),
        Transition(
            B.CHECKED_IN, "record", B.COMPLETED, OWNER | STAFF, _("Record the talk"), public=True
        ),
    ],
)
