"""提案答复公开: the public page of the replies a committee chose to publish."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from xieshang.conftest import Cast
from xieshang.proposals.models import GradeWording, Proposal, ProposalStatus
from xieshang.proposals.tests.test_documents import (
    World,
    assign,
    build_world,
    proposal,
    replied_proposal,
    reply,
)


@pytest.fixture
def world(cast: Cast) -> World:
    return build_world(cast)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def page(url: str) -> str:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_only_the_published_replies_with_their_grade(world: World) -> None:
    cast = world.cast
    GradeWording.objects.create(committee=cast.tianhe, grade="B", wording="正在解决或列入规划")
    published, _r = replied_proposal(world, publish_reply=True)
    replied_proposal(world, number=2, title="未公开的提案答复")
    closed, _r2 = replied_proposal(world, number=3, title="已办结的公开提案", publish_reply=True)
    Proposal.objects.filter(pk=closed.pk).update(status=ProposalStatus.CLOSED)
    handling = proposal(
        world, status=ProposalStatus.HANDLING, number=4, title="办理中的提案", publish_reply=True
    )
    reply(assign(handling, cast.department), cast.clerk, text="尚未发出的答复草稿")
    html = page(reverse("proposals:public_replies", args=[cast.tianhe.code]))
    assert published.title in html and "已办结的公开提案" in html
    assert "未公开的提案答复" not in html
    assert "办理中的提案" not in html and "尚未发出的答复草稿" not in html
    assert "No. 2026001" in html
    assert "我局已会同相关单位制定地下空间连通规划，正分期推进。" in html
    assert "Grade B" in html and "正在解决或列入规划" in html
    assert "天河区住房和城乡建设局" in html and "天河区交通运输局" in html
    assert "城市建设管理" in html
    # The proposers' names, and nothing else about anyone.
    assert "天河委员、联名委员甲" in html
    assert "未确认委员乙" not in html
    for private in ("t.member", "t.clerk", "天河承办人", "同意主办单位意见"):
        assert private not in html


def test_it_searches_the_text_and_filters_by_category(world: World) -> None:
    cast = world.cast
    replied_proposal(world, publish_reply=True)
    other, r = replied_proposal(
        world,
        number=2,
        title="关于增设社区长者饭堂的提案",
        category=world.other_category,
        publish_reply=True,
    )
    type(r).objects.filter(pk=r.pk).update(text="已在猎德街试点长者饭堂。")
    url = reverse("proposals:public_replies", args=[cast.tianhe.code])
    html = page(url + "?q=猎德街")  # found in the reply's text
    assert other.title in html and "地下空间互联互通" not in html
    html = page(url + "?q=互联互通")  # in the title
    assert other.title not in html and "地下空间互联互通" in html
    html = page(url + f"?category={world.other_category.pk}")
    assert other.title in html and "地下空间互联互通" not in html
    html = page(url + "?category=abc&q=")
    assert other.title in html and "地下空间互联互通" in html
    assert "No reply has been published yet." in page(url + "?q=没有这样的内容")


def test_another_committees_replies_are_not_shown_and_an_unknown_code_is_404(
    world: World,
) -> None:
    cast = world.cast
    replied_proposal(world, publish_reply=True)
    html = page(reverse("proposals:public_replies", args=[cast.haizhu.code]))
    assert "地下空间互联互通" not in html
    response = Client().get(reverse("proposals:public_replies", args=["nowhere"]))
    assert response.status_code == 404


def test_the_committee_page_links_to_the_public_replies(world: World) -> None:
    cast = world.cast
    html = page(reverse("workspace:committee", args=[cast.tianhe.code]))
    assert reverse("proposals:public_replies", args=[cast.tianhe.code]) in html


def test_a_sent_replys_date_is_shown(world: World) -> None:
    cast = world.cast
    _p, r = replied_proposal(world, publish_reply=True)
    sent = timezone.now() - timedelta(days=40)
    type(r).objects.filter(pk=r.pk).update(sent_at=sent)
    html = page(reverse("proposals:public_replies", args=[cast.tianhe.code]))
    assert timezone.localtime(sent).strftime("%Y-%m-%d") in html
