"""The life of a proposal, of its assignments to departments, of a co-signer's invitation
and of a key proposal's nomination: states and transitions. Who may take each transition is
the permission it names (`proposals/rules.py`).

Steps that follow from an assignment (the proposal is being handled once its lead signs
for it, replied once every reply is sent) are taken by the system in the same transaction
as the assignment's step.
"""

from __future__ import annotations

from xieshang.core.workflow import Handling, Transition, Workflow
from xieshang.proposals.models import (
    Assignment,
    AssignmentStatus,
    CoSigner,
    CoSignerStatus,
    KeyProposal,
    KeyStatus,
    Proposal,
    ProposalAction,
    ProposalStatus,
)

P = ProposalStatus
A = AssignmentStatus
Do = ProposalAction

PROPOSAL_WORKFLOW: Workflow[Proposal] = Workflow(
    model=Proposal,
    states=ProposalStatus,
    actions=ProposalAction,
    transitions=[
        Transition(P.DRAFT, Do.SUBMIT, P.SUBMITTED, public=True),
        Transition(P.DRAFT, Do.WITHDRAW, P.WITHDRAWN),
        Transition(P.SUBMITTED, Do.WITHDRAW, P.WITHDRAWN, public=True),
        Transition(P.SUBMITTED, Do.ACCEPT, P.ACCEPTED, public=True),
        Transition(P.SUBMITTED, Do.REJECT, P.NOT_ACCEPTED, public=True, note_required=True),
        Transition(P.SUBMITTED, Do.MERGE, P.MERGED, public=True),
        Transition(P.ACCEPTED, Do.ASSIGN, P.ASSIGNED, public=True),
        Transition(P.ASSIGNED, Do.START, P.HANDLING, public=True),
        Transition(P.HANDLING, Do.REPLIED, P.REPLIED, public=True),
        Transition(P.REHANDLING, Do.REPLIED, P.REPLIED, public=True),
        Transition(P.REPLIED, Do.REHANDLE, P.REHANDLING, public=True, note_required=True),
        Transition(P.REPLIED, Do.CLOSE, P.CLOSED, public=True),
    ],
)

# The department's side: the shape every department-handling workflow shares. The lead
# (or a split handler) drafts the reply and the department head approves it; a return may
# be asked for only before signing; a refused return waits for a signature again.
ASSIGNMENT_HANDLING = Handling(
    waiting=A.ASSIGNED,
    signed=A.SIGNED,
    return_requested=A.RETURN_REQUESTED,
    returned=A.RETURNED,
    replied=A.REPLY_DRAFTED,
    approved=A.REPLIED,
    sign=Do.SIGN,
    ask_return=Do.ASK_RETURN,
    accept_return=Do.ACCEPT_RETURN,
    refuse_return=Do.REFUSE_RETURN,
    reply=Do.DRAFT_REPLY,
    approve=Do.APPROVE_REPLY,
    send_back=Do.RETURN_REPLY,
    return_after_signing=False,
    refused_return_waits=True,
)

ASSIGNMENT_WORKFLOW: Workflow[Assignment] = Workflow(
    model=Assignment,
    states=AssignmentStatus,
    actions=ProposalAction,
    transitions=[
        *ASSIGNMENT_HANDLING.transitions(),
        # A co-handler gives its opinion (会签), which ends its part.
        Transition(A.SIGNED, Do.GIVE_OPINION, A.REPLIED),
        # The office records that an overdue opinion is waived, so the lead's reply is not
        # blocked for good (with a reason; only once the opinion is overdue).
        Transition(A.ASSIGNED, Do.WAIVE_OPINION, A.REPLIED, note_required=True),
        Transition(A.SIGNED, Do.WAIVE_OPINION, A.REPLIED, note_required=True),
    ],
)

COSIGNER_WORKFLOW: Workflow[CoSigner] = Workflow(
    model=CoSigner,
    states=CoSignerStatus,
    actions=ProposalAction,
    transitions=[
        Transition(CoSignerStatus.INVITED, Do.COSIGN, CoSignerStatus.CONFIRMED),
        Transition(CoSignerStatus.INVITED, Do.COSIGN_DECLINE, CoSignerStatus.DECLINED),
    ],
)

KEY_WORKFLOW: Workflow[KeyProposal] = Workflow(
    model=KeyProposal,
    states=KeyStatus,
    actions=ProposalAction,
    transitions=[
        Transition(KeyStatus.NOMINATED, Do.CHOOSE, KeyStatus.CHOSEN, public=True),
        Transition(KeyStatus.NOMINATED, Do.DECLINE, KeyStatus.DECLINED),
    ],
)
