"""The demo's consultations: the article's figures, linked to the suggestions behind them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xieshang.consultations.models import (
    Adoption,
    Invitation,
    Opinion,
    Sending,
    Topic,
    TopicStatus,
)
from xieshang.core.models import Event
from xieshang.demo.seed import seed_demo
from xieshang.people.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_demo_holds_the_articles_consultations(demo: str) -> None:
    assert Topic.objects.filter(committee__code="tianhe").count() == 8
    assert Topic.objects.filter(committee__code="haizhu").count() == 26
    assert Opinion.objects.filter(topic__committee__code="haizhu").count() >= 200

    sewer = Topic.objects.get(committee__code="tianhe", title="龙口东路下水道返臭")
    assert sewer.meetings.filter(kind="site_visit").exists()
    assert sewer.suggestions.filter(idempotency_key="demo-001").exists()

    joint = Topic.objects.get(committee__code="haizhu", is_joint=True)
    opinions = joint.opinions.all()
    assert opinions.count() == 11
    assert len(set(opinions.values_list("category", flat=True))) == 4
    assert joint.status == TopicStatus.ISSUED and joint.document_number
    assert Sending.objects.filter(opinion__topic=joint).exclude(adoption="").count() == 11
    assert Sending.objects.filter(opinion__topic=joint, adoption=Adoption.ADOPTED).count() == 10

    traffic = Topic.objects.get(committee__code="panyu", title="改善交通出行环境")
    assert traffic.organiser_name == "区政协主席会议" and traffic.kind == "inspection"
    assert traffic.suggestions.filter(idempotency_key="demo-019").exists()

    before = (
        Topic.objects.count(),
        Opinion.objects.count(),
        Invitation.objects.count(),
        Event.objects.count(),
    )
    seed_demo()
    assert (
        Topic.objects.count(),
        Opinion.objects.count(),
        Invitation.objects.count(),
        Event.objects.count(),
    ) == before


def test_the_articles_events_have_invitations_with_a_mix_of_answers(demo: str) -> None:
    sewer = Topic.objects.get(committee__code="tianhe", title="龙口东路下水道返臭")
    held = sewer.meetings.get(place="天河南街党群服务中心")
    answers = set(held.invitations.values_list("status", flat=True))
    assert answers == {"accepted", "declined", "invited"}
    assert set(held.invitations.values_list("kind", flat=True)) == {
        "member",
        "official",
        "citizen",
        "expert",
    }
    assert held.invitations.filter(status="declined").exclude(reason="").exists()
    for committee, title in (
        ("panyu", "改善交通出行环境"),
        ("haizhu", "广州塔—琶洲滨江区域品质提升联动协商"),
    ):
        topic = Topic.objects.get(committee__code=committee, title=title)
        statuses = set(
            Invitation.objects.filter(meeting__topic=topic).values_list("status", flat=True)
        )
        assert {"accepted", "declined"} <= statuses
    # The follow-up visit ahead: the demo member has an invitation to answer.
    ahead = sewer.meetings.get(date__gt=timezone.localdate())
    mine = ahead.invitations.get(member__user__username="tianhe.member")
    assert mine.status == "invited"
    # The staff's page shows the counts.
    client = Client()
    client.force_login(User.objects.get(username="tianhe.staff"))
    page = client.get(reverse("consultations:meeting", args=[held.pk])).content.decode()
    assert 'id="count-declined">' in page and "当天值班" in page
