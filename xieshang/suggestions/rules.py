"""Who may do what with citizen suggestions, referrals to departments and escalations.

One permission per action. Workflow transitions name theirs ("suggestions.<action>_<model>");
pages and services check the others. Selectors only narrow the rows.
"""

from typing import Any

from rules.predicates import predicate

from xieshang.core.rules import is_citizen, is_system, permission
from xieshang.people.models import StaffRole
from xieshang.people.rules import (
    is_department_clerk,
    is_leader,
    is_member,
    is_staff,
    is_superuser,
    staff_with,
)


@predicate
def shares_contact(user: Any, referral: Any = None) -> bool:
    """Staff shared the citizen's contact details with the department of this referral."""
    return referral is not None and bool(referral.share_contact)


triage_staff = is_superuser | is_staff
may_see_contact = is_superuser | staff_with(
    StaffRole.PROPOSAL_OFFICE, StaffRole.LIAISON_OFFICE, StaffRole.ADMINISTRATOR
)
referral_clerk = is_superuser | is_department_clerk


# --- Pages --------------------------------------------------------------------------------
permission(
    "suggestions.view_suggestion",
    triage_staff,
    doc="See the committee's suggestions: the inbox, a suggestion, its full timeline.",
)
permission(
    "suggestions.read_suggestion",
    triage_staff | is_leader,
    doc="Read the committee's suggestions: the inbox, its Excel, a suggestion and its "
    "timeline (leaders read them as staff do; acting on them stays with staff).",
)
permission(
    "suggestions.enter_suggestion",
    is_superuser | is_staff | is_member,
    doc="Enter a suggestion for a citizen (代为录入): a visit, a phone call, a talk.",
)
permission(
    "suggestions.view_referral",
    is_superuser | is_staff | is_department_clerk,
    doc="See referrals (交办件): staff their committee's, a clerk their department's.",
)
permission(
    "suggestions.reveal_contact",
    may_see_contact,
    doc="See a citizen's mobile number (every reveal is logged).",
)
permission(
    "suggestions.reveal_contact_referral",
    is_superuser | (is_department_clerk & shares_contact),
    doc="A department's clerk sees the citizen's number when staff shared it (logged).",
    refusal="工作人员没有向承办单位提供群众的联系方式。",
)
permission(
    "suggestions.categorise_suggestion",
    triage_staff,
    doc="Set or correct a suggestion's category while it is open.",
)

# --- A suggestion's workflow ------------------------------------------------------------
permission("suggestions.triage_suggestion", triage_staff, doc="Start triage (研判).")
permission("suggestions.offer_suggestion", triage_staff, doc="Offer it to members (推送委员).")
permission(
    "suggestions.claim_suggestion",
    is_member,
    doc="Claim an offered suggestion to develop it into a proposal (认领).",
    refusal="只有本届政协的委员可以认领。",
)
permission(
    "suggestions.opinion_suggestion", triage_staff, doc="Forward it as 社情民意 information."
)
permission("suggestions.topic_suggestion", triage_staff, doc="Make it a consultation topic.")
permission("suggestions.refer_suggestion", triage_staff, doc="Refer it to a department (交办).")
permission(
    "suggestions.escalate_suggestion",
    triage_staff,
    doc="Send it to the upper committee (市区联动).",
)
permission(
    "suggestions.upper_declined_suggestion",
    is_system,
    doc="The upper committee's decline flows back (taken by the system).",
)
permission(
    "suggestions.upper_answered_suggestion",
    is_system,
    doc="The upper committee's answer flows back (taken by the system).",
)
permission("suggestions.answer_suggestion", triage_staff, doc="Answer it directly.")
permission("suggestions.reject_suggestion", triage_staff, doc="Do not accept it, with a reason.")
permission("suggestions.merge_suggestion", triage_staff, doc="Merge it into a similar one.")
permission("suggestions.close_suggestion", triage_staff, doc="Close it once answered.")
permission(
    "suggestions.rate_ok_suggestion",
    is_citizen,
    doc="The citizen is satisfied with the answer (closes it).",
)
permission(
    "suggestions.rate_bad_suggestion",
    is_citizen,
    doc="The citizen is not satisfied (back to triage).",
)

# --- A referral to a department (the department-handling workflow) ----------------------
permission("suggestions.sign_referral", referral_clerk, doc="Sign for a referral (签收).")
permission(
    "suggestions.ask_return_referral",
    referral_clerk,
    doc="Ask the committee to take a referral back, with a reason.",
)
permission("suggestions.accept_return_referral", triage_staff, doc="Take a referral back.")
permission(
    "suggestions.refuse_return_referral",
    triage_staff,
    doc="Refuse to take a referral back, with a reason.",
)
permission("suggestions.reply_referral", referral_clerk, doc="Send the department's reply.")
permission(
    "suggestions.approve_referral",
    triage_staff,
    doc="Approve a department's reply: it becomes the citizen's answer.",
)
permission(
    "suggestions.send_back_referral",
    triage_staff,
    doc="Send a department's reply back, with a reason.",
)

# --- An escalation, on the upper committee's side (its committee is the upper one) -------
upper_staff = triage_staff
permission("suggestions.accept_escalation", upper_staff, doc="Take up a district's escalation.")
permission(
    "suggestions.decline_escalation", upper_staff, doc="Decline an escalation, with a reason."
)
permission("suggestions.answer_escalation", upper_staff, doc="Answer an escalation.")
