"""Who may do what with 社情民意 items: a member their own items (as author or co-author),
whoever wrote an item for a sector or office, and the liaison office (联络委) of the item's
committee everything of that committee. Other committees see nothing."""

from __future__ import annotations

from typing import Any

from rules.predicates import predicate

from xieshang.core.rules import permission
from xieshang.opinions.models import ItemStatus
from xieshang.people.rules import is_liaison_office, is_member, is_superuser


def _user_id(actor: Any) -> int | None:
    return getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None


@predicate
def is_author(user: Any, item: Any = None) -> bool:
    """Wrote the item, is its author or one of its co-authors."""
    user_id = _user_id(user)
    if user_id is None or item is None or getattr(item, "pk", None) is None:
        return False
    if item.created_by_id == user_id:
        return True
    if item.author_id is not None and item.author.user_id == user_id:
        return True
    return bool(item.coauthors.filter(user_id=user_id).exists())


@predicate
def is_editable_by_author(_user: Any, item: Any = None) -> bool:
    return item is not None and item.status in (ItemStatus.DRAFT, ItemStatus.RETURNED)


@predicate
def is_editable_by_office(_user: Any, item: Any = None) -> bool:
    return item is not None and item.status in (ItemStatus.SUBMITTED, ItemStatus.ADOPTED)


@predicate
def is_page(_user: Any, obj: Any = None) -> bool:
    """Asked for a page, not a record."""
    return obj is None


writer = is_member | is_liaison_office | is_superuser
office = is_liaison_office | is_superuser

permission(
    "opinions.view_item",
    is_author | office | (is_member & is_page),
    doc="See 社情民意 items: members their own, the liaison office its committee's.",
)
permission(
    "opinions.write_item",
    writer,
    doc="Write a 社情民意 item (a member, or the liaison office for a sector or office).",
    refusal="只有本会委员或联络委工作人员可以撰写社情民意信息。",
)
permission(
    "opinions.change_item",
    (is_author & is_editable_by_author) | (office & is_editable_by_office),
    doc="Edit an item: its authors while a draft or sent back; the liaison office once "
    "submitted (each edit kept in the history).",
    refusal="这条社情民意信息现在不能修改。",
)
permission("opinions.submit_item", is_author, doc="Submit one's item to the liaison office.")
permission("opinions.send_back_item", office, doc="Send an item back with a comment.")
permission("opinions.adopt_item", office, doc="Adopt an item (采用).")
permission("opinions.decline_item", office, doc="Do not adopt an item, with a reason.")
permission("opinions.issue_item", office, doc="Put an adopted item in an issue.")
permission(
    "opinions.manage_issue",
    office,
    doc="Compile, close and see the issues of 《社情民意》 and 《情况快报》.",
    refusal="只有联络委工作人员可以编辑刊期。",
)
permission(
    "opinions.instruct_item",
    office,
    doc="Record a leader's instruction (批示) on an item.",
    refusal="只有联络委工作人员可以登记领导批示。",
)
