"""Who may do what with the duty record and points: each member sees their own record;
the committee's staff see everyone's, rank them, set the rules and enter the records the
platform does not know. Other committees see nothing."""

from __future__ import annotations

from typing import Any

from rules.predicates import predicate

from xieshang.core.rules import permission
from xieshang.people.access import access_for
from xieshang.people.rules import is_member, is_staff, is_superuser


@predicate
def is_record_owner(user: Any, member_year: Any = None) -> bool:
    """The member whose year it is (a page without a record: any member)."""
    if member_year is None:
        return bool(access_for(user).member_of)
    return bool(member_year.member.user_id == getattr(user, "pk", None))


permission(
    "performance.view_own",
    is_superuser | is_member,
    doc="See one's own duty record and points, and how they compare with the group's median.",
)
permission(
    "performance.view_record",
    is_superuser | is_staff | is_record_owner,
    doc="See a member's duty record and its Word file: the member, or the committee's staff.",
    refusal="只有委员本人和本委员会的工作人员可以查看履职档案。",
)
permission(
    "performance.view_ranking",
    is_superuser | is_staff,
    doc="See the committee's points rankings and the members below the baseline; Excel.",
    refusal="只有本委员会的工作人员可以查看履职积分排名。",
)
permission(
    "performance.manage_rules",
    is_superuser | is_staff,
    doc="Set the committee's point rules and baseline for a year (history kept); recompute.",
    refusal="只有本委员会的工作人员可以修改积分规则。",
)
permission(
    "performance.enter_item",
    is_superuser | is_staff,
    doc="Enter or withdraw a record the platform does not know (outside work, leave, absence).",
    refusal="只有本委员会的工作人员可以登记履职记录。",
)
permission(
    "performance.manage_results",
    is_superuser | is_staff,
    doc="Record livelihood results (民生实事), link their causes, set 三个一 plans of workrooms.",
    refusal="只有本委员会的工作人员可以登记民生实事和三个一。",
)
permission(
    "performance.record_sessions",
    is_superuser | is_staff,
    doc="Record the committee's plenary, standing and chairs' meetings and each member's "
    "attendance (present, leave with its reason, excused, absent).",
    refusal="只有本委员会的工作人员可以登记全体会议、常委会议和主席会议的出席情况。",
)
