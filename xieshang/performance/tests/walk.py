"""The performance app's part of the URL walk (xieshang/core/tests/test_url_walk.py):
天河's point scheme, an entered record of 天河's member, and so the member's year."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from xieshang.conftest import Cast
from xieshang.people.models import Member
from xieshang.performance.models import MemberYear, RecordItem, RecordKind
from xieshang.performance.services import ItemInput, item_record, scheme_create

ITEM_TITLE = "天河委员参加区人大常委会视察"


def _year(cast: Cast) -> MemberYear:
    return MemberYear.objects.get(member__user=cast.member, member__committee=cast.tianhe)


SAMPLES: dict[str, Any] = {
    "performance:record": lambda c: {"pk": _year(c).pk},
    "performance:record_docx": lambda c: {"pk": _year(c).pk},
    "performance:item_remove": lambda c: {"pk": RecordItem.objects.get(title=ITEM_TITLE).pk},
}
POST_ONLY = {"performance:item_remove"}
SENTINELS = (ITEM_TITLE,)


def prepare(cast: Cast) -> None:
    year = timezone.localdate().year
    scheme_create(committee=cast.tianhe, year=year, actor=cast.staff)
    seat = Member.objects.get(user=cast.member, committee=cast.tianhe)
    item_record(
        committee=cast.tianhe,
        data=ItemInput(
            member=seat,
            kind=RecordKind.OUTSIDE_WORK,
            title=ITEM_TITLE,
            date=date(year, 1, 2),
            evidence=b"%PDF-1.4\n%walk\n",
        ),
        actor=cast.staff,
    )
