"""The life of a proposal and of its assignments to departments: states, and who may move
them.

A proposal's relation roles come from the record: `OWNER` is its lead proposer (the member
who wrote it, or the convenor who filed it). An assignment's come from its department:
`DEPARTMENT_CLERK` only for clerks of that department, `OWNER` for that department's head,
who approves replies. Steps that follow from an assignment (the proposal is being handled
once its lead signs for it, replied once every reply is sent) are taken by `SYSTEM` in the
same transaction as the assignment's step.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from xieshang.core.models import ActorKind
from xieshang.core.workflow import Transition, Workflow
from xieshang.people.access import Role, access_for
from xieshang.people.models import DepartmentClerk, LeaderPosition, LeaderTitle
from xieshang.proposals.models import (
    Assignment,
    AssignmentStatus,
    KeyProposal,
    KeyStatus,
    Proposal,
    ProposalStatus,
)

P = ProposalStatus
A = AssignmentStatus
OWNER = frozenset({Role.OWNER})
OFFICE = frozenset({Role.PROPOSAL_OFFICE, Role.ADMINISTRATOR})
CLERK = frozenset({Role.DEPARTMENT_CLERK})
SYSTEM = frozenset({Role.SYSTEM})
# Who decides which proposals are key (重点提案): the chairs' meeting, or the chair.
DECIDING_TITLES = (LeaderTitle.CHAIRS_MEETING, LeaderTitle.CPPCC_CHAIR)


def _user_id(actor: Any) -> int | None:
    return getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None


def _base_roles(committee_id: int, actor: Any) -> set[Role]:
    if actor == ActorKind.CITIZEN:
        return {Role.CITIZEN}
    if actor == ActorKind.SYSTEM:
        return {Role.SYSTEM}
    # MEMBER and DEPARTMENT_CLERK are dropped: a seat or a clerkship somewhere in the
    # committee gives no say over another member's proposal or another department's work.
    return set(access_for(actor).roles_in(committee_id)) - {Role.MEMBER, Role.DEPARTMENT_CLERK}


def proposal_roles(proposal: Proposal, actor: Any) -> frozenset[Role]:
    roles = _base_roles(proposal.committee_id, actor)
    user_id = _user_id(actor)
    if user_id is not None and proposal.lead.user_id == user_id:
        roles.add(Role.OWNER)
    return frozenset(roles)


def assignment_roles(assignment: Assignment, actor: Any) -> frozenset[Role]:
    roles = _base_roles(assignment.committee_id, actor)
    user_id = _user_id(actor)
    if user_id is not None and assignment.department_id in access_for(actor).clerk_of:
        roles.add(Role.DEPARTMENT_CLERK)
        if DepartmentClerk.objects.filter(
            user_id=user_id, department_id=assignment.department_id, is_head=True
        ).exists():
            roles.add(Role.OWNER)
    return frozenset(roles)


PROPOSAL_WORKFLOW: Workflow[Proposal] = Workflow(
    model=Proposal,
    states=ProposalStatus,
    roles_of=proposal_roles,
    labels={
        "create": _("Drafted"),
        "edit": _("Edited"),
        "invite": _("Co-signers invited"),
        "cosign": _("Co-signed"),
        "cosign_decline": _("Co-signing declined"),
        "rate": _("Rated"),
        "nominate_key": _("Nominated as a key proposal"),
        "key_decided": _("Key proposal decided"),
        "supervise": _("Supervision recorded"),
        "excellent": _("Selected as an excellent proposal"),
        "reassign": _("Given to another department"),
    },
    transitions=[
        Transition(P.DRAFT, "submit", P.SUBMITTED, OWNER, _("Submit"), public=True),
        Transition(P.DRAFT, "withdraw", P.WITHDRAWN, OWNER, _("Withdraw")),
        Transition(P.SUBMITTED, "withdraw", P.WITHDRAWN, OWNER, _("Withdraw"), public=True),
        Transition(P.SUBMITTED, "accept", P.ACCEPTED, OFFICE, _("Accept (立案)"), public=True),
        Transition(
            P.SUBMITTED,
            "reject",
            P.NOT_ACCEPTED,
            OFFICE,
            _("Do not accept (不立案)"),
            public=True,
            note_required=True,
        ),
        Transition(P.SUBMITTED, "merge", P.MERGED, OFFICE, _("Merge (并案)"), public=True),
        Transition(P.ACCEPTED, "assign", P.ASSIGNED, OFFICE, _("Assign (交办)"), public=True),
        Transition(P.ASSIGNED, "start", P.HANDLING, SYSTEM, _("Signed for"), public=True),
        Transition(P.HANDLING, "replied", P.REPLIED, SYSTEM, _("Replied"), public=True),
        Transition(P.REHANDLING, "replied", P.REPLIED, SYSTEM, _("Replied again"), public=True),
        Transition(
            P.REPLIED,
            "rehandle",
            P.REHANDLING,
            OFFICE,
            _("Order re-handling (重办)"),
            public=True,
            note_required=True,
        ),
        Transition(P.REPLIED, "close", P.CLOSED, OFFICE, _("Close (办结)"), public=True),
    ],
)

ASSIGNMENT_WORKFLOW: Workflow[Assignment] = Workflow(
    model=Assignment,
    states=AssignmentStatus,
    roles_of=assignment_roles,
    labels={"note": _("Progress noted"), "remind": _("Reminder sent")},
    transitions=[
        Transition(A.ASSIGNED, "sign", A.SIGNED, CLERK, _("Sign for (签收)")),
        Transition(
            A.ASSIGNED,
            "ask_return",
            A.RETURN_REQUESTED,
            CLERK,
            _("Ask to return it"),
            note_required=True,
        ),
        Transition(A.RETURN_REQUESTED, "accept_return", A.RETURNED, OFFICE, _("Take it back")),
        Transition(
            A.RETURN_REQUESTED,
            "refuse_return",
            A.ASSIGNED,
            OFFICE,
            _("Refuse the return"),
            note_required=True,
        ),
        # The lead or a split handler drafts the reply; the department head approves it.
        Transition(A.SIGNED, "draft_reply", A.REPLY_DRAFTED, CLERK, _("Submit the reply")),
        Transition(A.REPLY_DRAFTED, "approve_reply", A.REPLIED, OWNER, _("Approve and send")),
        Transition(
            A.REPLY_DRAFTED,
            "return_reply",
            A.SIGNED,
            OWNER,
            _("Send the draft back"),
            note_required=True,
        ),
        # A co-handler gives its opinion (会签), which ends its part.
        Transition(A.SIGNED, "give_opinion", A.REPLIED, CLERK, _("Give the opinion (会签)")),
    ],
)


def key_roles(key: KeyProposal, actor: Any) -> frozenset[Role]:
    """`OWNER` of a key proposal's decision: the chairs' meeting or the chair of its
    committee."""
    if actor in (ActorKind.CITIZEN, ActorKind.SYSTEM):
        return frozenset({Role(actor)})
    roles = set(access_for(actor).roles_in(key.committee_id))
    if (
        getattr(actor, "is_authenticated", False)
        and LeaderPosition.objects.filter(
            user_id=actor.pk, committee_id=key.committee_id, title__in=DECIDING_TITLES
        ).exists()
    ):
        roles.add(Role.OWNER)
    return frozenset(roles)


KEY_WORKFLOW: Workflow[KeyProposal] = Workflow(
    model=KeyProposal,
    states=KeyStatus,
    roles_of=key_roles,
    labels={"supervise": _("Supervision recorded")},
    transitions=[
        Transition(
            KeyStatus.NOMINATED,
            "choose",
            KeyStatus.CHOSEN,
            frozenset({Role.OWNER}),
            _("Choose as a key proposal"),
            public=True,
        ),
        Transition(
            KeyStatus.NOMINATED,
            "decline",
            KeyStatus.DECLINED,
            frozenset({Role.OWNER}),
            _("Do not choose"),
        ),
    ],
)
