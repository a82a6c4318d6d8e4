"""The life of a consultation topic and of an opinion sent to a department. Who may take
each transition is the permission it names (`consultations/rules.py`)."""

from __future__ import annotations

from xieshang.consultations.models import (
    ConsultationAction,
    Invitation,
    InvitationStatus,
    Meeting,
    MeetingStatus,
    Sending,
    SendingStatus,
    Topic,
    TopicStatus,
)
from xieshang.core.workflow import Handling, Transition, Workflow

A = ConsultationAction
T = TopicStatus

TOPIC_WORKFLOW: Workflow[Topic] = Workflow(
    model=Topic,
    states=TopicStatus,
    actions=ConsultationAction,
    transitions=[
        Transition(T.PLANNED, A.ISSUE, T.ISSUED, public=True),
        Transition(T.ISSUED, A.CLOSE, T.CLOSED, public=True, perm="consultations.close_topic"),
    ],
)

S = SendingStatus

# The one department-handling shape (core.workflow.Handling) that referrals and proposal
# assignments follow too.
SENDING_HANDLING = Handling(
    waiting=S.SENT,
    signed=S.SIGNED,
    return_requested=S.RETURN_REQUESTED,
    returned=S.RETURNED,
    replied=S.REPLIED,
    approved=S.APPROVED,
    sign=A.SIGN,
    ask_return=A.ASK_RETURN,
    accept_return=A.ACCEPT_RETURN,
    refuse_return=A.REFUSE_RETURN,
    reply=A.REPLY,
    approve=A.APPROVE,
    send_back=A.SEND_BACK,
)

SENDING_WORKFLOW: Workflow[Sending] = Workflow(
    model=Sending,
    states=SendingStatus,
    actions=ConsultationAction,
    transitions=SENDING_HANDLING.transitions(),
)

# An event may be cancelled while it has not taken place; its invitees are told.
MEETING_WORKFLOW: Workflow[Meeting] = Workflow(
    model=Meeting,
    states=MeetingStatus,
    actions=ConsultationAction,
    transitions=[
        Transition(MeetingStatus.SCHEDULED, A.CANCEL_MEETING, MeetingStatus.CANCELLED),
    ],
)

I = InvitationStatus  # noqa: E741

# An invitee answers (by the link, in the workspace, or staff record an answer given by
# phone) and may change their mind until the event begins (the services check the time).
INVITATION_WORKFLOW: Workflow[Invitation] = Workflow(
    model=Invitation,
    states=InvitationStatus,
    actions=ConsultationAction,
    transitions=[
        Transition(I.INVITED, A.ACCEPT, I.ACCEPTED),
        Transition(I.INVITED, A.DECLINE, I.DECLINED),
        Transition(I.DECLINED, A.ACCEPT, I.ACCEPTED),
        Transition(I.ACCEPTED, A.DECLINE, I.DECLINED),
    ],
)
