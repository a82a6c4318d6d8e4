"""The demo 社情民意 and research topics: the article's examples, loadable twice."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from xieshang.core.models import Event
from xieshang.demo.opinions import seed_opinions
from xieshang.opinions.models import Item, ItemStatus
from xieshang.people.models import User
from xieshang.research.models import ReportStatus, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_articles_examples_and_a_second_run_changes_nothing(demo: str) -> None:
    panyu = Item.objects.get(title="加快解除番禺广场地铁上盖区域围蔽")
    assert panyu.status == ItemStatus.ISSUED and panyu.issue is not None
    assert "专题会议" in panyu.instructions.get().text
    haizhu = Item.objects.filter(committee__code="haizhu", source_suggestion__isnull=False)
    assert haizhu.count() == 2
    assert haizhu.filter(status=ItemStatus.ISSUED).count() == 1
    key = Topic.objects.filter(committee__code="tianhe", is_key=True)
    assert key.count() == 8
    assert key.filter(report__status=ReportStatus.ADOPTED).count() == 7
    joint = Topic.objects.get(title="广州火车站北广场规划建设")
    assert joint.joint_with_upper and joint.committee.code == "baiyun"
    city = Client()
    city.force_login(User.objects.get(username="city.staff"))
    assert city.get(reverse("research:topic", args=[joint.pk])).status_code == 200
    events = Event.objects.count()
    assert seed_opinions() == {"items": 0, "topics": 0}
    assert Event.objects.count() == events
