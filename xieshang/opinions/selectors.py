"""Reads of 社情民意 items and issues, each scoped to what the user may see: a member
their own items, the liaison office its committee's, another committee nothing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from xieshang.core.models import Committee
from xieshang.opinions.models import Instruction, Issue, Item, ItemStatus
from xieshang.people.access import access_for
from xieshang.people.models import Member, StaffRole


def office_committee_ids(user: Any) -> frozenset[int]:
    """Committees whose liaison office the user works in."""
    access = access_for(user)
    return access.staff_ids_with(StaffRole.LIAISON_OFFICE, StaffRole.ADMINISTRATOR)


def office_committees(user: Any) -> QuerySet[Committee]:
    """The committees whose liaison office the user works in, in the tree's order."""
    return Committee.objects.filter(pk__in=office_committee_ids(user))


def item_taken_up(*, item: Item) -> bool:
    """Whether the upper committee already made its own item from this one."""
    return Item.objects.filter(forwarded_from=item).exists()


def _with_people(qs: QuerySet[Item]) -> QuerySet[Item]:
    return qs.select_related("committee", "author__user", "issue", "created_by")


def items_mine(*, user: Any) -> QuerySet[Item]:
    """The items the user wrote, is the author or a co-author of."""
    if not getattr(user, "is_authenticated", False):
        return Item.objects.none()
    ids = Item.objects.filter(
        Q(created_by=user) | Q(author__user=user) | Q(coauthors__user=user)
    ).values("pk")
    return _with_people(Item.objects.filter(pk__in=ids))


def items_inbox(*, user: Any, status: str = "") -> QuerySet[Item]:
    """The items of the committees whose liaison office the user works in (drafts stay
    with their authors)."""
    qs = Item.objects.filter(committee_id__in=office_committee_ids(user)).exclude(
        status=ItemStatus.DRAFT
    )
    if status in ItemStatus.values:
        qs = qs.filter(status=status)
    return _with_people(qs)


def items_from_below(*, user: Any) -> QuerySet[Item]:
    """Items issued in issues sent up to a committee whose liaison office the user works
    in, not yet taken up."""
    return _with_people(
        Item.objects.filter(
            issue__sent_upward=True,
            committee__parent_id__in=office_committee_ids(user),
            forwarded_to__isnull=True,
        )
    )


def item_get(*, user: Any, pk: int) -> Item:
    """An item the user may see, or 404."""
    visible = Item.objects.filter(
        Q(pk__in=items_mine(user=user).values("pk"))
        | Q(committee_id__in=office_committee_ids(user))
        | Q(issue__sent_upward=True, committee__parent_id__in=office_committee_ids(user))
    )
    item = _with_people(visible).filter(pk=pk).first()
    if item is None:
        raise Http404(_("No such item."))
    return item


def issues_of(*, user: Any) -> QuerySet[Issue]:
    return Issue.objects.filter(committee_id__in=office_committee_ids(user)).select_related(
        "committee"
    )


def issue_get(*, user: Any, pk: int) -> Issue:
    issue = issues_of(user=user).filter(pk=pk).first()
    if issue is None:
        raise Http404(_("No such issue."))
    return issue


def adopted_items(*, committee_id: int) -> QuerySet[Item]:
    """Adopted items waiting for an issue."""
    return _with_people(Item.objects.filter(committee_id=committee_id, status=ItemStatus.ADOPTED))


def member_seats(*, user: Any) -> QuerySet[Member]:
    if not getattr(user, "is_authenticated", False):
        return Member.objects.none()
    return Member.objects.filter(user=user, is_active=True).select_related("committee")


def members_of(committee_id: int) -> QuerySet[Member]:
    return Member.objects.filter(committee_id=committee_id, is_active=True).select_related("user")


def items_from_suggestion(*, suggestion: Any) -> QuerySet[Item]:
    """The items a citizen suggestion became (for its public tracking page)."""
    return Item.objects.filter(source_suggestion=suggestion).order_by("created_at")


# --- for the figures app: the committees' records, unscoped (figures scopes by committee) ---


def items_of_committees(ids: Sequence[int]) -> QuerySet[Item]:
    """社情民意 items handed in to the committees' liaison offices (drafts are the
    authors' own and never counted)."""
    return Item.objects.filter(committee_id__in=list(ids)).exclude(status=ItemStatus.DRAFT)


def issues_of_committees(ids: Sequence[int]) -> QuerySet[Issue]:
    """Numbered issues of 《社情民意》 and 《情况快报》 the committees put out."""
    return Issue.objects.filter(committee_id__in=list(ids))


def instructions_of_committees(ids: Sequence[int]) -> QuerySet[Instruction]:
    """Leaders' instructions (批示) on the committees' items."""
    return Instruction.objects.filter(item__committee_id__in=list(ids))


def items_of_suggestions(ids: Sequence[int]) -> QuerySet[Item]:
    """社情民意 items written from any of the suggestions (drafts are the authors' own)."""
    return (
        Item.objects.filter(source_suggestion_id__in=list(ids))
        .exclude(status=ItemStatus.DRAFT)
        .order_by("pk")
    )
