"""Who may do what with consultations (协商议事): the committee's staff keep the topics,
their events and opinions and send opinions to departments; a joint topic (市区联动) is
seen by the upper committee's staff too; a department's clerk works the opinions sent to
the department. Workflow transitions name theirs ("consultations.<action>_<model>")."""

from typing import Any

from rules.predicates import predicate

from xieshang.core.rules import is_citizen, permission
from xieshang.people.access import access_for
from xieshang.people.rules import (
    is_department_clerk,
    is_leader,
    is_member,
    is_staff,
    is_superuser,
)


@predicate
def is_joint_upper_staff(user: Any, topic: Any = None) -> bool:
    """Staff of the upper committee of a joint topic (市区联动)."""
    if topic is None or not getattr(topic, "is_joint", False):
        return False
    parent_id = topic.committee.parent_id
    return parent_id is not None and access_for(user).is_staff_of(parent_id)


@predicate
def is_invitee(user: Any, invitation: Any = None) -> bool:
    """The member an invitation to a consultation event is for."""
    if invitation is None or getattr(invitation, "member_id", None) is None:
        return False
    user_id = getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None
    return user_id is not None and invitation.member.user_id == user_id


topic_staff = is_superuser | is_staff
sending_clerk = is_superuser | is_department_clerk

# --- Pages --------------------------------------------------------------------------------
permission(
    "consultations.view_topic",
    topic_staff | is_leader | is_joint_upper_staff,
    doc="See the committee's consultation topics, their events, opinions and replies "
    "(a joint topic: the upper committee's staff too).",
)
permission(
    "consultations.view_sending",
    topic_staff | is_department_clerk,
    doc="See an opinion sent to a department: staff their committee's, a clerk their department's.",
)

permission(
    "consultations.sign_in",
    is_member,
    doc="Sign in at a consultation event by its QR code (a member; the event checks the "
    "committee).",
)

permission(
    "consultations.view_own_invitations",
    is_member,
    doc="See one's invitations to consultation events and answer them (a member).",
)

# --- Writes -------------------------------------------------------------------------------
permission(
    "consultations.add_topic",
    topic_staff,
    doc="Add a topic to the committee's consultation plan.",
    refusal="只有本委员会的工作人员可以新增协商议题。",
)
permission(
    "consultations.change_topic",
    topic_staff,
    doc="Change a topic; record its events and opinions.",
    refusal="只有本委员会的工作人员可以修改协商议题。",
)
permission(
    "consultations.send_opinion",
    topic_staff,
    doc="Send a consultation opinion to a department of the committee.",
    refusal="只有本委员会的工作人员可以把协商意见送交承办单位。",
)

permission(
    "consultations.invite",
    topic_staff,
    doc="Invite people to a consultation event (SMS and/or email), send an invitation "
    "again, change the event's time or place.",
    refusal="只有本委员会的工作人员可以邀请参加协商活动。",
)

# --- Transitions --------------------------------------------------------------------------
permission(
    "consultations.issue_topic",
    topic_staff,
    doc="Issue the topic's opinions as one numbered document (协商意见书).",
)
permission("consultations.close_topic", topic_staff, doc="Close a topic whose opinions are done.")
permission("consultations.sign_sending", sending_clerk, doc="Sign for an opinion (签收).")
permission(
    "consultations.ask_return_sending",
    sending_clerk,
    doc="Ask to return an opinion that is not the department's.",
)
permission("consultations.accept_return_sending", topic_staff, doc="Take back a returned opinion.")
permission(
    "consultations.refuse_return_sending",
    topic_staff,
    doc="Refuse a department's return: it stays with the department.",
)
permission(
    "consultations.reply_sending",
    sending_clerk,
    doc="Reply with what was done (已采纳落实 / 正在落实 / 暂不具备条件).",
)
permission("consultations.approve_sending", topic_staff, doc="Approve a department's reply.")
permission("consultations.send_back_sending", topic_staff, doc="Send a department's reply back.")
permission(
    "consultations.cancel_meeting",
    topic_staff,
    doc="Cancel a consultation event that has not taken place (its invitees are told).",
)
invitation_answer = is_citizen | is_invitee | topic_staff
permission(
    "consultations.accept_invitation",
    invitation_answer,
    doc="Accept an invitation: the invitee by the link or (a member) in the workspace, or "
    "staff recording an answer given by phone.",
)
permission(
    "consultations.decline_invitation",
    invitation_answer,
    doc="Decline an invitation, optionally with a reason (the same people).",
)
