"""The life of a suggestion and of a referral: states, and who may move them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from xieshang.core.models import ActorKind
from xieshang.core.workflow import Transition, Workflow, committee_roles
from xieshang.people.access import Role, access_for
from xieshang.suggestions.models import (
    Escalation,
    EscalationStatus,
    Referral,
    ReferralStatus,
    Suggestion,
    SuggestionStatus,
)

S = SuggestionStatus
STAFF = frozenset({Role.STAFF})
CITIZEN = frozenset({Role.CITIZEN})
MEMBER = frozenset({Role.MEMBER})
SYSTEM = frozenset({Role.SYSTEM})

SUGGESTION_WORKFLOW: Workflow[Suggestion] = Workflow(
    model=Suggestion,
    states=SuggestionStatus,
    labels={
        "submit": _("Handed in"),
        "add_information": _("Information added"),
        "reveal_contact": _("Contact details viewed"),
        "answer_added": _("Answer added"),
    },
    transitions=[
        Transition(S.NEW, "triage", S.TRIAGE, STAFF, _("Start triage"), public=True),
        # Dispositions that record a decision and leave the suggestion in triage.
        Transition(S.TRIAGE, "offer", S.TRIAGE, STAFF, _("Offer to members"), public=True),
        Transition(S.TRIAGE, "claim", S.TRIAGE, MEMBER, _("Claim to develop into a proposal")),
        Transition(S.TRIAGE, "opinion", S.TRIAGE, STAFF, _("Forward as public-opinion info")),
        Transition(S.TRIAGE, "topic", S.TRIAGE, STAFF, _("Make a consultation topic")),
        Transition(S.TRIAGE, "refer", S.HANDLING, STAFF, _("Refer to a department"), public=True),
        Transition(S.HANDLING, "refer", S.HANDLING, STAFF, _("Refer to a department"), True),
        Transition(
            S.TRIAGE, "escalate", S.HANDLING, STAFF, _("Send to the upper committee"), public=True
        ),
        # The upper committee's decision flows back (the system acts for its staff, who
        # hold no role in the district; the escalation's own timeline names them).
        Transition(S.HANDLING, "upper_declined", S.TRIAGE, SYSTEM, _("Declined upstairs")),
        Transition(
            S.HANDLING, "upper_answered", S.ANSWERED, SYSTEM, _("Answered upstairs"), public=True
        ),
        Transition(
            S.TRIAGE, "answer", S.ANSWERED, STAFF, _("Answer"), public=True, note_required=True
        ),
        Transition(
            S.HANDLING, "answer", S.ANSWERED, STAFF, _("Answer"), public=True, note_required=True
        ),
        Transition(
            S.NEW, "reject", S.REJECTED, STAFF, _("Do not accept"), public=True, note_required=True
        ),
        Transition(
            S.TRIAGE,
            "reject",
            S.REJECTED,
            STAFF,
            _("Do not accept"),
            public=True,
            note_required=True,
        ),
        Transition(S.NEW, "merge", S.MERGED, STAFF, _("Merge"), public=True),
        Transition(S.TRIAGE, "merge", S.MERGED, STAFF, _("Merge"), public=True),
        # The citizen's word on the answer.
        Transition(S.ANSWERED, "rate_ok", S.CLOSED, CITIZEN, _("Rate"), public=True),
        Transition(S.ANSWERED, "rate_bad", S.TRIAGE, CITIZEN, _("Rate unsatisfied"), public=True),
        Transition(S.ANSWERED, "close", S.CLOSED, STAFF, _("Close"), public=True),
    ],
)


R = ReferralStatus
CLERK = frozenset({Role.DEPARTMENT_CLERK})


def referral_roles(referral: Any, actor: Any) -> frozenset[Role]:
    """Staff roles come from the committee; the clerk role only from this department."""
    roles = set(committee_roles(referral, actor)) - {Role.DEPARTMENT_CLERK}
    is_user = actor not in (ActorKind.CITIZEN, ActorKind.SYSTEM)
    if is_user and referral.department_id in access_for(actor).clerk_of:
        roles.add(Role.DEPARTMENT_CLERK)
    return frozenset(roles)


REFERRAL_WORKFLOW: Workflow[Referral] = Workflow(
    model=Referral,
    states=ReferralStatus,
    roles_of=referral_roles,
    transitions=[
        Transition(R.SENT, "sign", R.SIGNED, CLERK, _("Sign for it")),
        Transition(
            R.SENT, "ask_return", R.RETURN_REQUESTED, CLERK, _("Ask to return"), note_required=True
        ),
        Transition(
            R.SIGNED,
            "ask_return",
            R.RETURN_REQUESTED,
            CLERK,
            _("Ask to return"),
            note_required=True,
        ),
        Transition(R.RETURN_REQUESTED, "accept_return", R.RETURNED, STAFF, _("Accept the return")),
        Transition(
            R.RETURN_REQUESTED,
            "refuse_return",
            R.SIGNED,
            STAFF,
            _("Refuse the return"),
            note_required=True,
        ),
        Transition(R.SIGNED, "reply", R.REPLIED, CLERK, _("Send the reply")),
        Transition(R.REPLIED, "approve", R.APPROVED, STAFF, _("Approve the reply")),
        Transition(
            R.REPLIED, "send_back", R.SIGNED, STAFF, _("Send the reply back"), note_required=True
        ),
    ],
)


E = EscalationStatus

ESCALATION_WORKFLOW: Workflow[Escalation] = Workflow(
    model=Escalation,
    states=EscalationStatus,
    labels={"sent": _("Sent up")},
    transitions=[
        Transition(E.SENT, "accept", E.ACCEPTED, STAFF, _("Take it up")),
        Transition(E.SENT, "decline", E.DECLINED, STAFF, _("Decline"), note_required=True),
        Transition(E.ACCEPTED, "answer", E.ANSWERED, STAFF, _("Answer"), note_required=True),
    ],
)
