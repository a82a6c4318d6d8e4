"""The demo's consultations: the article's figures, linked to the suggestions behind them."""

from __future__ import annotations

import pytest

from xieshang.consultations.models import Adoption, Opinion, Sending, Topic, TopicStatus
from xieshang.core.models import Event
from xieshang.demo.seed import seed_demo

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

    before = (Topic.objects.count(), Opinion.objects.count(), Event.objects.count())
    seed_demo()
    assert (Topic.objects.count(), Opinion.objects.count(), Event.objects.count()) == before
