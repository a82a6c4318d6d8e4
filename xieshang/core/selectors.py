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
