"""Who may do what with proposals (提案): drafting, co-signing, review and assignment by the
proposal office, the departments' handling, key proposals and their supervision, ratings.

One permission per action. Workflow transitions name theirs ("proposals.<action>_<model>");
pages and services check the others. Members write and follow their own proposals; staff
of the committee read all of it; the proposal office reviews, assigns and supervises;
clerks work what was assigned to their department; leaders see key proposals. The
selectors narrow the rows.
"""

from typing import Any

from rules.predicates import predicate

from xieshang.core.rules import is_system, permission
from xieshang.people.models import LeaderPosition, LeaderTitle, Member
from xieshang.people.rules import (
    is_clerk,
    is_department_clerk,
    is_department_head,
    is_leader,
    is_member,
    is_proposal_office,
    is_staff,
    is_superuser,
)
from xieshang.proposals.selectors.handling import proposer_seats

# Who decides which proposals are key (重点提案): the chairs' meeting, or the chair.
DECIDING_TITLES = (LeaderTitle.CHAIRS_MEETING, LeaderTitle.CPPCC_CHAIR)


def _user_id(actor: Any) -> int | None:
    return getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None


@predicate
def is_lead_proposer(user: Any, proposal: Any = None) -> bool:
    """The member who leads the proposal (wrote it, or the convenor who filed it)."""
    user_id = _user_id(user)
    return proposal is not None and user_id is not None and proposal.lead.user_id == user_id


@predicate
def is_serving_seat(user: Any, seat: Any = None) -> bool:
    """`seat` (a Member) is the user's own, active seat."""
    user_id = _user_id(user)
    return (
        isinstance(seat, Member)
        and user_id is not None
        and seat.user_id == user_id
        and seat.is_active
    )


@predicate
def is_invited_member(user: Any, cosigner: Any = None) -> bool:
    """The member invited to co-sign (联名)."""
    user_id = _user_id(user)
    return cosigner is not None and user_id is not None and cosigner.member.user_id == user_id


@predicate
def is_proposer(user: Any, proposal: Any = None) -> bool:
    """The lead or a confirmed co-signer of the proposal, or of one merged into it."""
    user_id = _user_id(user)
    if proposal is None or user_id is None:
        return False
    return bool(proposer_seats(proposal).filter(user_id=user_id).exists())


@predicate
def is_key_decider(user: Any, key: Any = None) -> bool:
    """The chairs' meeting or the chair of the key proposal's committee."""
    user_id = _user_id(user)
    if user_id is None:
        return False
    positions = LeaderPosition.objects.filter(user_id=user_id, title__in=DECIDING_TITLES)
    if key is None:
        return positions.exists()
    return positions.filter(committee_id=key.committee_id).exists()


office = is_superuser | is_proposal_office
lead = is_superuser | is_lead_proposer
clerk = is_superuser | is_department_clerk
head = is_superuser | is_department_head

# --- Pages --------------------------------------------------------------------------------
permission(
    "proposals.view_proposal",
    is_superuser | is_staff | is_member | is_leader | is_clerk,
    doc="Open the proposal pages (each list narrows to the user's own part).",
)
permission(
    "proposals.draft_proposal",
    is_superuser | is_member,
    doc="Write proposals (a member of the committee).",
)
permission(
    "proposals.read_proposal",
    is_superuser | is_staff | is_leader,
    doc="Read the committee's submitted proposals: the staff list and a proposal's page "
    "(leaders read them as staff do; acting on them stays with the office).",
)
permission(
    "proposals.review_proposal",
    office,
    doc="The proposal office's pages: review, assignment, supervision, documents.",
)
permission(
    "proposals.handle_assignment",
    is_superuser | is_clerk,
    doc="The department's pages: assignments, replies (a clerk of a department).",
)
permission(
    "proposals.view_key",
    is_superuser | is_staff | is_leader,
    doc="See key proposals and their supervision.",
)

# --- Writing and co-signing ----------------------------------------------------------------
permission(
    "proposals.create_proposal",
    is_superuser | is_serving_seat,
    doc="Start a draft as its lead proposer, with one's own serving seat.",
    refusal="只有本届政协的在任委员可以撰写提案。",
)
permission(
    "proposals.edit_proposal",
    lead,
    doc="Change a draft (its lead proposer).",
    refusal="只有领衔提案人可以修改提案。",
)
permission(
    "proposals.invite_proposal",
    lead,
    doc="Invite members to co-sign (联名) (the lead proposer).",
    refusal="只有领衔提案人可以邀请联名委员。",
)
permission("proposals.submit_proposal", lead, doc="Submit a draft for review.")
permission("proposals.withdraw_proposal", lead, doc="Withdraw a draft or a submitted proposal.")
permission(
    "proposals.cosign_cosigner",
    is_superuser | is_invited_member,
    doc="Confirm an invitation to co-sign (the invited member).",
    refusal="只有受邀的委员可以答复联名邀请。",
)
permission(
    "proposals.cosign_decline_cosigner",
    is_superuser | is_invited_member,
    doc="Decline an invitation to co-sign (the invited member).",
    refusal="只有受邀的委员可以答复联名邀请。",
)

# --- Review and assignment by the proposal office ----------------------------------------
permission("proposals.accept_proposal", office, doc="Accept it (立案) and give it a number.")
permission("proposals.reject_proposal", office, doc="Do not accept it (不立案), with a reason.")
permission("proposals.merge_proposal", office, doc="Merge proposals (并案).")
permission("proposals.assign_proposal", office, doc="Assign it to departments (交办).")
permission("proposals.rehandle_proposal", office, doc="Order re-handling (重办).")
permission("proposals.close_proposal", office, doc="Close it (办结).")
permission(
    "proposals.start_proposal",
    is_system,
    doc="It is being handled once its lead department signs (the system).",
)
permission(
    "proposals.replied_proposal",
    is_system,
    doc="It is replied once every reply of the round is sent (the system).",
)
permission("proposals.accept_return_assignment", office, doc="Take an assignment back.")
permission("proposals.refuse_return_assignment", office, doc="Refuse to take an assignment back.")
permission(
    "proposals.waive_opinion_assignment",
    office,
    doc="Record that a co-handler's overdue opinion (会签) is waived, with a reason.",
)
permission(
    "proposals.reassign_assignment",
    office,
    doc="Give a returned assignment to another department.",
    refusal="只有提案委可以把提案交给承办单位。",
)

# --- The department's handling ------------------------------------------------------------
permission("proposals.sign_assignment", clerk, doc="Sign for an assignment (签收).")
permission(
    "proposals.ask_return_assignment", clerk, doc="Ask to return an assignment, with a reason."
)
permission(
    "proposals.note_assignment",
    clerk,
    doc="Note progress and contacts with the proposer (办前/办中/办后沟通).",
    refusal="只有该承办单位的承办人可以办理这件提案。",
)
permission("proposals.give_opinion_assignment", clerk, doc="Give a co-handler's opinion (会签).")
permission("proposals.draft_reply_assignment", clerk, doc="Submit the reply for approval.")
permission(
    "proposals.approve_reply_assignment",
    head,
    doc="Approve and send the reply (the department's head).",
)
permission(
    "proposals.return_reply_assignment",
    head,
    doc="Send a draft reply back (the department's head).",
)

# --- Ratings, key and excellent proposals --------------------------------------------------
permission(
    "proposals.rate_proposal",
    is_proposer,
    doc="Rate the round's replies (each proposer).",
    refusal="只有提案人可以评价答复。",
)
permission(
    "proposals.nominate_key_proposal",
    office,
    doc="Nominate a key proposal (重点提案).",
    refusal="只有提案委可以这样做。",
)
permission(
    "proposals.choose_keyproposal",
    is_superuser | is_key_decider,
    doc="Choose a nominated key proposal (the chairs' meeting or the chair).",
)
permission(
    "proposals.decline_keyproposal",
    is_superuser | is_key_decider,
    doc="Do not choose a nominated key proposal.",
)
permission(
    "proposals.supervise_keyproposal",
    office | is_leader,
    doc="Record a supervision activity (督办) of a key proposal.",
    refusal="只有提案委和政协领导可以记录督办活动。",
)
permission(
    "proposals.excellent_proposal",
    office,
    doc="Select an excellent proposal (优秀提案).",
    refusal="只有提案委可以这样做。",
)
