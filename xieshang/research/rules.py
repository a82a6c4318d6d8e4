"""Who may do what with research topics: the committee's staff and leaders everything of
the committee, the group's members their topic and its report, and — for a joint topic
(联合调研) — the upper committee's staff too. Other committees see nothing."""

from __future__ import annotations

from typing import Any

from rules.predicates import predicate

from xieshang.core.rules import permission
from xieshang.people.access import access_for
from xieshang.people.rules import is_leader, is_member, is_staff, is_superuser


def _topic(obj: Any) -> Any:
    return getattr(obj, "topic", obj)


@predicate
def is_page(_user: Any, obj: Any = None) -> bool:
    """Asked for a page, not a record."""
    return obj is None


@predicate
def in_group(user: Any, obj: Any = None) -> bool:
    """A member of the topic's research group."""
    if obj is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(_topic(obj).members.filter(user_id=user.pk).exists())


@predicate
def is_upper_staff(user: Any, obj: Any = None) -> bool:
    """Staff of the upper committee, for a joint topic."""
    if obj is None:
        return False
    topic = _topic(obj)
    parent_id = topic.committee.parent_id
    return bool(topic.joint_with_upper and parent_id and access_for(user).is_staff_of(parent_id))


office = is_staff | is_superuser
group = in_group | office | is_upper_staff

permission(
    "research.view_topic",
    group | is_leader | (is_member & is_page),
    doc="See research topics: the committee's staff and leaders all, members their "
    "groups', the upper committee's staff the joint ones.",
)
permission(
    "research.manage_topic",
    office,
    doc="Set the year's research topics and their groups.",
    refusal="只有本会工作人员可以设立调研课题。",
)
permission(
    "research.write_report",
    group,
    doc="Draft the topic's report (its group, the staff, for a joint topic the upper "
    "committee's staff).",
    refusal="只有课题组成员或工作人员可以撰写调研报告。",
)
permission("research.submit_report", group, doc="Submit the report for review.")
permission("research.send_back_report", office, doc="Send the report back to its group.")
permission(
    "research.adopt_report", office, doc="Record the chairs' meeting's approval of the report."
)
permission(
    "research.instruct_report",
    office,
    doc="Record a leader's instruction (批示) on an approved report.",
    refusal="只有工作人员可以登记领导批示。",
)
permission(
    "research.attach_material",
    group,
    doc="Attach material and notes to a topic and record its visits and meetings (its "
    "group, the staff, for a joint topic the upper committee's staff), until the report "
    "is approved.",
    refusal="只有课题组成员或工作人员可以添加调研材料。",
)
