"""Reads of the core app, each scoped to who is asking."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from xieshang.core.models import Committee, CommitteeLevel


def committee_list_public() -> QuerySet[Committee]:
    """Committees a citizen can go to: the active city and district committees."""
    return Committee.objects.filter(
        is_active=True, level__in=[CommitteeLevel.CITY, CommitteeLevel.DISTRICT]
    ).select_related("parent")


def committee_get_public(*, code: str) -> Committee:
    try:
        return committee_list_public().get(code=code)
    except Committee.DoesNotExist:
        raise Http404(_("No such committee.")) from None


def committee_tree_ids(committee_id: int) -> list[int]:
    """The committee and every committee below it (a city's districts), in one query per
    level: the ids a committee's figures are counted over."""
    found = [committee_id]
    level = [committee_id]
    while level:
        level = list(Committee.objects.filter(parent_id__in=level).values_list("pk", flat=True))
        level = [c for c in level if c not in found]
        found.extend(level)
    return found


def committee_children(committee_id: int) -> QuerySet[Committee]:
    """The committees directly below (a city's districts), in display order."""
    return Committee.objects.filter(parent_id=committee_id, is_active=True)


def committees_within(ids: frozenset[int] | set[int] | list[int]) -> QuerySet[Committee]:
    """The committees `ids` name and all below them (what a city's staff oversee)."""
    found: set[int] = set()
    for committee_id in ids:
        if committee_id not in found:
            found.update(committee_tree_ids(committee_id))
    return Committee.objects.filter(pk__in=found)
