"""Reads of the core app, each scoped to who is asking."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from xieshang.core.models import Committee, CommitteeLevel
from xieshang.people.access import access_for


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


def committee_list_for_user(*, user: Any) -> QuerySet[Committee]:
    """Committees the user works in, in any role (all of them for a superuser)."""
    access = access_for(user)
    qs = Committee.objects.all()
    return qs if access.is_superuser else qs.filter(pk__in=access.committee_ids)
