"""The life of a shift, of a shift change and of a booking: states and transitions. Who
may take each transition is the permission it names (`duty/rules.py`)."""

from __future__ import annotations

from xieshang.core.workflow import Transition, Workflow
from xieshang.duty.models import (
    Booking,
    BookingStatus,
    DutyAction,
    Shift,
    ShiftChange,
    ShiftChangeStatus,
    ShiftStatus,
)

C = ShiftChangeStatus
B = BookingStatus
Do = DutyAction

SHIFT_WORKFLOW: Workflow[Shift] = Workflow(
    model=Shift,
    states=ShiftStatus,
    actions=DutyAction,
    transitions=[Transition(ShiftStatus.SCHEDULED, Do.CANCEL, ShiftStatus.CANCELLED)],
)

SHIFT_CHANGE_WORKFLOW: Workflow[ShiftChange] = Workflow(
    model=ShiftChange,
    states=ShiftChangeStatus,
    actions=DutyAction,
    transitions=[
        Transition(C.REQUESTED, Do.AGREE, C.AGREED),
        Transition(C.REQUESTED, Do.DECLINE, C.DECLINED),
        Transition(C.REQUESTED, Do.WITHDRAW, C.WITHDRAWN),
        Transition(C.AGREED, Do.WITHDRAW, C.WITHDRAWN),
        Transition(C.AGREED, Do.APPROVE, C.APPROVED),
        Transition(C.AGREED, Do.REJECT, C.REJECTED, note_required=True),
    ],
)

BOOKING_WORKFLOW: Workflow[Booking] = Workflow(
    model=Booking,
    states=BookingStatus,
    actions=DutyAction,
    transitions=[
        Transition(B.CONFIRMED, Do.CANCEL, B.CANCELLED, public=True),
        Transition(B.CONFIRMED, Do.MOVE, B.CONFIRMED, public=True),
        Transition(B.CONFIRMED, Do.CHECK_IN, B.CHECKED_IN, public=True),
        Transition(B.CONFIRMED, Do.NO_SHOW, B.NO_SHOW, public=True),
        Transition(B.CHECKED_IN, Do.RECORD, B.COMPLETED, public=True),
    ],
)
