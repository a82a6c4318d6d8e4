"""The life of a suggestion, of a referral and of an escalation: states and transitions.
Who may take each transition is the permission it names (`suggestions/rules.py`)."""

from __future__ import annotations

from xieshang.core.workflow import Handling, Transition, Workflow
from xieshang.suggestions.models import (
    Escalation,
    EscalationStatus,
    Referral,
    ReferralStatus,
    Suggestion,
    SuggestionAction,
    SuggestionStatus,
)

S = SuggestionStatus
A = SuggestionAction

SUGGESTION_WORKFLOW: Workflow[Suggestion] = Workflow(
    model=Suggestion,
    states=SuggestionStatus,
    actions=SuggestionAction,
    transitions=[
        Transition(S.NEW, A.TRIAGE, S.TRIAGE, public=True),
        # Dispositions that record a decision and leave the suggestion in triage.
        Transition(S.TRIAGE, A.OFFER, S.TRIAGE, public=True),
        Transition(S.TRIAGE, A.CLAIM, S.TRIAGE),
        Transition(S.TRIAGE, A.OPINION, S.TRIAGE),
        Transition(S.TRIAGE, A.TOPIC, S.TRIAGE),
        Transition(S.TRIAGE, A.REFER, S.HANDLING, public=True),
        Transition(S.HANDLING, A.REFER, S.HANDLING, public=True),
        Transition(S.TRIAGE, A.ESCALATE, S.HANDLING, public=True),
        # The upper committee's decision flows back (the system acts for its staff, who
        # hold no role in the district; the escalation's own timeline names them).
        Transition(S.HANDLING, A.UPPER_DECLINED, S.TRIAGE),
        Transition(S.HANDLING, A.UPPER_ANSWERED, S.ANSWERED, public=True),
        Transition(S.TRIAGE, A.ANSWER, S.ANSWERED, public=True, note_required=True),
        Transition(S.HANDLING, A.ANSWER, S.ANSWERED, public=True, note_required=True),
        Transition(S.NEW, A.REJECT, S.REJECTED, public=True, note_required=True),
        Transition(S.TRIAGE, A.REJECT, S.REJECTED, public=True, note_required=True),
        Transition(S.NEW, A.MERGE, S.MERGED, public=True),
        Transition(S.TRIAGE, A.MERGE, S.MERGED, public=True),
        # The citizen's word on the answer.
        Transition(S.ANSWERED, A.RATE_OK, S.CLOSED, public=True),
        Transition(S.ANSWERED, A.RATE_BAD, S.TRIAGE, public=True),
        Transition(S.ANSWERED, A.CLOSE, S.CLOSED, public=True),
    ],
)

R = ReferralStatus

REFERRAL_HANDLING = Handling(
    waiting=R.SENT,
    signed=R.SIGNED,
    return_requested=R.RETURN_REQUESTED,
    returned=R.RETURNED,
    replied=R.REPLIED,
    approved=R.APPROVED,
    sign=A.SIGN,
    ask_return=A.ASK_RETURN,
    accept_return=A.ACCEPT_RETURN,
    refuse_return=A.REFUSE_RETURN,
    reply=A.REPLY,
    approve=A.APPROVE,
    send_back=A.SEND_BACK,
)

REFERRAL_WORKFLOW: Workflow[Referral] = Workflow(
    model=Referral,
    states=ReferralStatus,
    actions=SuggestionAction,
    transitions=REFERRAL_HANDLING.transitions(),
)


E = EscalationStatus

ESCALATION_WORKFLOW: Workflow[Escalation] = Workflow(
    model=Escalation,
    states=EscalationStatus,
    actions=SuggestionAction,
    transitions=[
        Transition(E.SENT, A.ACCEPT, E.ACCEPTED),
        Transition(E.SENT, A.DECLINE, E.DECLINED, note_required=True),
        Transition(E.ACCEPTED, A.ANSWER, E.ANSWERED, note_required=True),
    ],
)
