"""The three hotline rates: signed for in time (working days, from the timeline),
resolved, satisfied; by department, committee, workroom and street; ranked; who sees."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine

from xieshang.conftest import Cast
from xieshang.core.models import Committee
from xieshang.core.periods import Period
from xieshang.core.services import event_record
from xieshang.figures.rates import hotline_rates
from xieshang.figures.tests.conftest import local, suggestion
from xieshang.figures.tests.test_pages import client_for
from xieshang.people.models import Department
from xieshang.suggestions.models import (
    Area,
    AreaKind,
    Rating,
    Referral,
    ReferralStatus,
    ReplyResult,
    SuggestionAction,
)

pytestmark = pytest.mark.django_db

# Friday 6 March 2026; signed by the end of Monday 9 March is in time.
SENT = local(date(2026, 3, 6), 18)


def referral(
    cast: Cast,
    committee: Committee,
    department: Department,
    key: str,
    *,
    signed: datetime | None,
    status: str = ReferralStatus.SIGNED,
    result: str = "",
    rating: str = "",
    **extra: object,
) -> Referral:
    s = suggestion(committee, SENT, key, rating=rating, **extra)
    made = Referral.objects.create(
        suggestion=s,
        committee=committee,
        department=department,
        deadline=local(date(2026, 3, 20)),
        status=status,
        reply_result=result,
        replied_at=local(date(2026, 3, 12)) if result else None,
        created_by=cast.staff,
        created_at=SENT,
    )
    if signed is not None:
        with time_machine.travel(signed, tick=False):
            event_record(
                obj=made, committee_id=committee.pk, actor=cast.clerk, action=SuggestionAction.SIGN
            )
    return made


def test_rates_by_department_street_and_committee_ranked(cast: Cast) -> None:
    other = Department.objects.create(committee=cast.tianhe, name="天河区交通运输局")
    street = Area.objects.create(committee=cast.tianhe, name="石牌街道", kind=AreaKind.STREET)
    village = Area.objects.create(
        committee=cast.tianhe, name="棠下村", kind=AreaKind.COMMUNITY, parent=street
    )
    dept = cast.department
    # Signed on Monday evening: in time; resolved; satisfied.
    referral(
        cast,
        cast.tianhe,
        dept,
        "a",
        signed=local(date(2026, 3, 9), 23),
        status=ReferralStatus.APPROVED,
        result=ReplyResult.RESOLVED,
        rating=Rating.SATISFIED,
        area=village,
    )
    # Signed on Tuesday: late; replied not resolved; unsatisfied.
    referral(
        cast,
        cast.tianhe,
        dept,
        "b",
        signed=local(date(2026, 3, 10), 9),
        status=ReferralStatus.REPLIED,
        result=ReplyResult.NOT_POSSIBLE,
        rating=Rating.UNSATISFIED,
        area=street,
    )
    # Never signed for.
    referral(cast, cast.tianhe, other, "c", signed=None, status=ReferralStatus.SENT)
    # 海珠's, counted for the city only; and one of April, outside March.
    referral(cast, cast.haizhu, dept, "d", signed=local(date(2026, 3, 7), 9))
    late = referral(cast, cast.tianhe, dept, "e", signed=None)
    Referral.objects.filter(pk=late.pk).update(created_at=local(date(2026, 4, 1)))

    march = Period.month(2026, 3)
    rates = hotline_rates(cast.tianhe, march)
    total = rates.total
    assert (total.sent, total.signed_in_time, total.replied, total.resolved) == (3, 1, 2, 1)
    assert (total.rated, total.satisfied) == (2, 1)
    assert (total.response, total.resolution, total.satisfaction) == (33.3, 50.0, 50.0)
    departments = {t.name: t for t in rates.of("department")}
    assert departments[dept.name].response == 50.0
    assert departments[other.name].response == 0.0
    assert departments[other.name].resolution is None  # nothing replied
    assert [t.name for t in rates.of("department")] == [dept.name, other.name]
    assert [t.rank for t in rates.of("department")] == [1, 2]
    # The village counts for its street.
    assert [(t.name, t.sent) for t in rates.of("street")] == [("石牌街道", 2)]

    city = hotline_rates(cast.city, march)
    assert city.total.sent == 4
    assert {t.name for t in city.of("committee")} == {
        str(cast.tianhe.short_name),
        str(cast.haizhu.short_name),
    }


def test_the_rates_page_is_for_staff_and_leaders_of_the_committee(cast: Cast) -> None:
    referral(cast, cast.tianhe, cast.department, "a", signed=local(date(2026, 3, 9), 10))
    page = client_for(cast.staff).get("/work/figures/rates/?period=month&year=2026&month=3")
    assert page.status_code == 200
    assert page.context["rates"].total.sent == 1
    assert cast.department.name in page.content.decode()
    assert client_for(cast.leader).get("/work/figures/rates/").status_code == 200
    assert client_for(cast.member).get("/work/figures/rates/").status_code == 403
    forged = client_for(cast.outsider).get("/work/figures/rates/?committee=tianhe")
    assert forged.status_code == 404
    # Without a period: last month.
    default = client_for(cast.staff).get("/work/figures/rates/")
    assert default.context["period"].kind == "month"
    # A month that does not exist is last month too, not the whole year.
    bad = client_for(cast.staff).get("/work/figures/rates/?period=month&year=2026&month=13")
    assert bad.status_code == 200
    assert bad.context["period"] == default.context["period"]
