"""每月一题: the month's top hotspot, the consultation and 社情民意 it became, and what came
of it, on one page; scoped to the committee."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from xieshang.conftest import Cast
from xieshang.consultations.models import (
    Adoption,
    Opinion,
    Sending,
    SendingStatus,
    Topic,
    TopicKind,
)
from xieshang.core.periods import Period
from xieshang.figures.monthly import monthly_topics
from xieshang.figures.tests.test_pages import client_for
from xieshang.insights.models import Fingerprint
from xieshang.insights.tests.test_insights import LAMP, NOISE, NOISE_REPOST, analysed, categories
from xieshang.opinions.models import Item, ItemStatus
from xieshang.people.models import Member
from xieshang.suggestions.models import Rating, Suggestion
from xieshang.suggestions.tests.conftest import places  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_top_hotspot_what_it_became_and_what_came_of_it(
    cast: Cast,
    places: Any,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    categories(cast)
    capture = django_capture_on_commit_callbacks
    noise = [analysed(cast, text, capture) for text in (NOISE, NOISE_REPOST, NOISE)]
    analysed(cast, LAMP, capture)  # alone: not a hotspot
    Suggestion.objects.filter(pk=noise[0].pk).update(
        answered_at=timezone.now(), rating=Rating.SATISFIED
    )
    topic = Topic.objects.create(
        committee=cast.tianhe,
        year=date.today().year,
        title="珠江新城夜间施工噪音协商",
        kind=TopicKind.THEMATIC,
        created_by=cast.staff,
    )
    topic.suggestions.add(noise[1])
    opinion = Opinion.objects.create(
        topic=topic, number=1, text="限定夜间施工时段", created_by=cast.staff
    )
    Sending.objects.create(
        opinion=opinion,
        committee=cast.tianhe,
        department=cast.department,
        deadline=timezone.now(),
        status=SendingStatus.APPROVED,
        adoption=Adoption.ADOPTED,
        replied_at=timezone.now(),
        created_by=cast.staff,
    )
    Item.objects.create(
        committee=cast.tianhe,
        author=Member.objects.get(user=cast.member),
        title="关于整治夜间施工噪音的建议",
        situation="情况",
        suggestion="建议",
        status=ItemStatus.ADOPTED,
        source_suggestion=noise[2],
        created_by=cast.member,
    )

    (followed,) = monthly_topics(cast.tianhe)
    assert {s.pk for s in followed.hotspot.members} == {s.pk for s in noise}
    (became,) = followed.topics
    assert became.pk == topic.pk
    assert (became.opinion_count, became.replied_count, became.adopted_count) == (1, 1, 1)
    assert [i.title for i in followed.items] == ["关于整治夜间施工噪音的建议"]
    assert (followed.answered, followed.rated, followed.satisfied) == (1, 1, 1)

    page = client_for(cast.staff).get("/work/figures/monthly/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "珠江新城夜间施工噪音协商" in body and "关于整治夜间施工噪音的建议" in body
    assert client_for(cast.member).get("/work/figures/monthly/").status_code == 403
    # 海珠's staff see their own committee's month: nothing of 天河's.
    other = client_for(cast.outsider).get("/work/figures/monthly/")
    assert other.status_code == 200 and "珠江新城" not in other.content.decode()
    assert (
        client_for(cast.outsider).get("/work/figures/monthly/?committee=tianhe").status_code == 404
    )


def test_a_past_month_and_not_the_last_30_days(
    cast: Cast,
    places: Any,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The suggestions of a past calendar month (local time) are that month's hotspot:
    the page shows it for that month, and not for the last 30 days nor another month."""
    categories(cast)
    capture = django_capture_on_commit_callbacks
    noise = [analysed(cast, text, capture) for text in (NOISE, NOISE_REPOST, NOISE)]
    today = timezone.localdate()
    last = today.replace(day=1) - timedelta(days=1)
    earlier = (last.replace(day=1) - timedelta(days=1)).replace(day=1)  # two months back
    # Handed in on the month's first day at 00:30 local (in UTC, the month before).
    when = datetime(earlier.year, earlier.month, 1, 0, 30, tzinfo=timezone.get_current_timezone())
    ids = [s.pk for s in noise]
    Suggestion.objects.filter(pk__in=ids).update(created_at=when)
    Fingerprint.objects.filter(suggestion_id__in=ids).update(created_at=when)

    assert monthly_topics(cast.tianhe) == []
    month = Period.month(earlier.year, earlier.month)
    (followed,) = monthly_topics(cast.tianhe, month=month)
    assert {s.pk for s in followed.hotspot.members} == set(ids)
    before = Period.month(last.year, last.month) if earlier.month != last.month else None
    assert before is not None and monthly_topics(cast.tianhe, month=before) == []

    staff = client_for(cast.staff)
    value = f"{earlier:%Y-%m}"
    page = staff.get(f"/work/figures/monthly/?month={value}")
    body = page.content.decode()
    assert page.status_code == 200
    assert f'<option value="{value}" selected>' in body
    assert noise[0].title in body
    assert noise[0].title not in staff.get("/work/figures/monthly/").content.decode()
    # A month the page does not offer (the future, or unreadable) is the last 30 days.
    assert staff.get("/work/figures/monthly/?month=2999-01").status_code == 200
    assert noise[0].title not in staff.get("/work/figures/monthly/?month=x").content.decode()
