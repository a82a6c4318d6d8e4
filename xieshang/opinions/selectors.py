"""Reads of 社情民意 items and issues, each scoped to what the user may see: a member
their own items, the liaison office its committee's, another committee nothing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
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


def instruction_get(*, user: Any, pk: int) -> Instruction:
    """A leader's instruction on an item the user may see (for its scan), or 404."""
    instruction = Instruction.objects.select_related("item").filter(pk=pk).first()
    if instruction is None:
        raise Http404(_("No such instruction."))
    item_get(user=user, pk=instruction.item_id)  # 404 unless the item is the user's to see
    return instruction


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


def _by_author(qs: QuerySet[Item], day: str) -> list[tuple[int, int, str, date]]:
    """Rows `(member_id, item_id, title, date)`: one for the author and one for each
    co-author of each item."""
    rows: dict[tuple[int, int], tuple[int, int, str, date]] = {}
    for pk, author_id, coauthor_id, title, when in qs.values_list(
        "pk", "author_id", "coauthors", "title", day
    ):
        for member_id in (author_id, coauthor_id):
            if member_id is not None:
                rows.setdefault((member_id, pk), (member_id, pk, title, when))
    return list(rows.values())


def items_written_of_year(*, committee_id: int, year: int) -> list[tuple[int, int, str, date]]:
    """社情民意 items handed in to the committee in the year (drafts left out), one row per
    author and co-author, dated the day it was written; for the duty record."""
    qs = items_of_committees([committee_id]).filter(created_at__year=year)
    return _by_author(qs.annotate(day=TruncDate("created_at")).order_by("pk"), "day")


def items_adopted_of_year(*, committee_id: int, year: int) -> list[tuple[int, int, str, date]]:
    """The year's items that were adopted (or issued), one row per author and co-author."""
    qs = items_of_committees([committee_id]).filter(
        created_at__year=year, status__in=[ItemStatus.ADOPTED, ItemStatus.ISSUED]
    )
    return _by_author(qs.annotate(day=TruncDate("created_at")).order_by("pk"), "day")


def items_instructed_of_year(*, committee_id: int, year: int) -> list[tuple[int, int, str, date]]:
    """Items with a leader's instruction (批示) dated in the year, one row per item and
    author or co-author, dated by the year's first instruction."""
    first = (
        Instruction.objects.filter(item=OuterRef("pk"), date__year=year)
        .order_by("date")
        .values("date")[:1]
    )
    qs = items_of_committees([committee_id]).filter(
        pk__in=Instruction.objects.filter(date__year=year).values("item_id")
    )
    return _by_author(qs.annotate(day=Subquery(first)).order_by("pk"), "day")
