"""The demo's citizen-suggestion data: categories, areas, policies, campaigns and sample
suggestions submitted and moved along through the services, loadable twice."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from xieshang.core.models import ActorKind, Event
from xieshang.demo.organisation import STREETS
from xieshang.demo.seed import seed_demo
from xieshang.demo.suggestions import CATEGORIES, SAMPLES
from xieshang.people.models import DepartmentClerk, User
from xieshang.suggestions.models import (
    Area,
    AreaKind,
    Campaign,
    Category,
    Disposition,
    DispositionKind,
    Policy,
    Rating,
    Referral,
    ReferralStatus,
    Source,
    Suggestion,
    SuggestionStatus,
)

pytestmark = pytest.mark.django_db

DISTRICTS = ["tianhe", "haizhu", "baiyun", "panyu", "huadu"]
MODELS: list[type[models.Model]] = [
    Category,
    Area,
    Policy,
    Campaign,
    Suggestion,
    Event,
    Referral,
    Disposition,
]


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    """The real hasher takes a second a password; the loader's logic is the same."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def samples() -> models.QuerySet[Suggestion]:
    return Suggestion.objects.filter(idempotency_key__startswith="demo-")


def counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in MODELS}


def test_every_committee_gets_the_default_categories_in_order(demo: str) -> None:
    for code in ["guangzhou", *DISTRICTS]:
        names = Category.objects.filter(committee__code=code).order_by("order", "id")
        assert list(names.values_list("name", flat=True)) == CATEGORIES, code
    assert CATEGORIES == [
        "城乡建设",
        "环境保护",
        "交通运输",
        "教育文体",
        "劳动和社会保障",
        "商贸旅游",
        "卫生计生",
    ]
    assert not Category.objects.filter(committee__code="guangdong").exists()


def test_every_district_gets_its_streets_towns_communities_and_policy(demo: str) -> None:
    baiyun = Area.objects.filter(committee__code="baiyun", parent__isnull=True)
    assert baiyun.count() == 24
    assert set(baiyun.values_list("name", flat=True)) == set(STREETS["baiyun"])
    assert sorted(baiyun.filter(kind=AreaKind.TOWN).values_list("name", flat=True)) == sorted(
        ["人和镇", "太和镇", "钟落潭镇", "江高镇"]
    )
    for code in DISTRICTS:
        tops = Area.objects.filter(committee__code=code, parent__isnull=True)
        assert tops.count() == len(STREETS[code]), code
        assert not tops.filter(kind=AreaKind.COMMUNITY).exists(), code
        assert not tops.filter(name__endswith="街").exclude(kind=AreaKind.STREET).exists()
        assert not tops.filter(name__endswith="镇").exclude(kind=AreaKind.TOWN).exists()
        policy = Policy.objects.get(committee__code=code)
        assert (policy.referral_working_days, policy.hourly_limit) == (15, 10)
    communities = Area.objects.filter(kind=AreaKind.COMMUNITY)
    assert not communities.filter(parent__isnull=True).exists()
    assert not communities.exclude(committee=models.F("parent__committee")).exists()
    for code, street, names in [
        ("haizhu", "沙园街", {"港海社区", "金德社区"}),
        ("tianhe", "猎德街", {"猎德社区"}),
        ("panyu", "钟村街", {"祈福新邨社区"}),
        ("panyu", "石楼镇", {"思贤村"}),
    ]:
        children = communities.filter(committee__code=code, parent__name=street)
        assert names <= set(children.values_list("name", flat=True)), street
        assert 2 <= children.count() <= 4, street


def test_the_tianhe_campaign_is_open_and_the_haizhu_one_closed(demo: str, time_machine) -> None:
    tianhe = Campaign.objects.get(code="tianhe-yiji")
    assert tianhe.committee.code == "tianhe"
    assert tianhe.title == "我为天河高质量发展献一计"
    assert tianhe.is_open()
    now = timezone.now()
    assert tianhe.starts_at < now - timedelta(days=29)
    assert tianhe.ends_at > now + timedelta(days=59)
    haizhu = Campaign.objects.get(committee__code="haizhu")
    assert "电动自行车" in haizhu.title
    assert not haizhu.is_open()
    this_month = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    assert haizhu.ends_at < this_month
    assert haizhu.ends_at > this_month - timedelta(days=31)
    panyu = Campaign.objects.get(committee__code="panyu")
    assert panyu.is_open()
    assert panyu.workroom is not None and panyu.workroom.kind == "cloud"

    # A load a week later leaves the dates where the first load put them.
    dates = {c.code: (c.starts_at, c.ends_at) for c in Campaign.objects.all()}
    time_machine.move_to(now + timedelta(days=7))
    seed_demo()
    assert {c.code: (c.starts_at, c.ends_at) for c in Campaign.objects.all()} == dates


def test_the_samples_show_every_state(demo: str) -> None:
    assert samples().count() == len(SAMPLES) >= 25
    assert f"新收群众建议 {len(SAMPLES)} 条" in demo
    by_committee = set(samples().values_list("committee__code", flat=True))
    assert by_committee == set(DISTRICTS)
    for code in ("tianhe", "panyu"):
        states = set(samples().filter(committee__code=code).values_list("status", flat=True))
        assert states == set(SuggestionStatus.values), code

    merged = samples().filter(status=SuggestionStatus.MERGED)
    assert not merged.filter(merged_into__isnull=True).exists()
    assert not merged.exclude(committee=models.F("merged_into__committee")).exists()
    rejected = samples().filter(status=SuggestionStatus.REJECTED)
    assert rejected.count() >= 2
    for suggestion in rejected:
        assert suggestion.dispositions.filter(kind=DispositionKind.REJECT).exists()
    closed = samples().filter(status=SuggestionStatus.CLOSED)
    assert not closed.filter(rating="").exists()
    assert closed.filter(rating=Rating.SATISFIED).exists()
    assert not samples().filter(status__in=["answered", "closed"], public_answer="").exists()
    assert samples().filter(status=SuggestionStatus.TRIAGE, dispositions__kind="offer").exists()
    assert samples().filter(source=Source.CAMPAIGN, campaign__code="tianhe-yiji").exists()
    assert samples().filter(source=Source.WORKROOM, workroom__isnull=False).exists()
    assert samples().filter(source=Source.ON_BEHALF, entered_by__isnull=False).exists()
    assert samples().filter(phone_masked="", citizen_name="").exists()  # anonymous
    assert samples().exclude(phone_masked="").count() >= 10
    assert not samples().exclude(phone_masked="").filter(phone_encrypted="").exists()
    assert not samples().filter(phone_encrypted__contains="138000").exists()
    assert samples().filter(workroom__isnull=False).count() >= 5
    assert not samples().filter(workroom__status="preparing").exists()


def test_referrals_go_through_the_department(demo: str) -> None:
    referrals = Referral.objects.filter(suggestion__idempotency_key__startswith="demo-")
    assert not referrals.exclude(committee=models.F("suggestion__committee")).exists()
    assert not referrals.exclude(department__committee=models.F("committee")).exists()
    clerk = User.objects.get(username="tianhe.clerk")
    department = DepartmentClerk.objects.get(user=clerk).department
    approved = referrals.get(status=ReferralStatus.APPROVED)
    assert approved.department == department
    assert approved.reply_text and approved.replied_at
    assert approved.suggestion.status == SuggestionStatus.CLOSED
    assert department.name in approved.suggestion.public_answer
    signed = referrals.filter(status=ReferralStatus.SIGNED)
    assert signed.filter(department=department).exists()
    # The clerk's steps are the clerk's; staff approved the reply.
    clerk_events = Event.objects.filter(actor=clerk)
    assert set(clerk_events.values_list("action", flat=True)) == {"sign", "reply"}
    # (Of referrals: the demo's consultations have departments' replies approved too.)
    approvals = Event.objects.filter(
        action="approve", content_type=ContentType.objects.get_for_model(Referral)
    )
    assert set(approvals.values_list("actor__username", flat=True)) == {"tianhe.staff"}
    # 番禺 has no demo clerk: its referral waits for a signature.
    panyu = referrals.get(committee__code="panyu")
    assert panyu.status == ReferralStatus.SENT
    assert samples().filter(committee__code="panyu", status=SuggestionStatus.HANDLING).exists()


def test_every_sample_starts_with_its_submission(demo: str) -> None:
    for suggestion in samples():
        events = list(Event.objects.for_object(suggestion))
        assert events, suggestion.idempotency_key
        first = events[0]
        assert first.action == "submit", suggestion.idempotency_key
        assert first.to_state == SuggestionStatus.NEW
        if suggestion.entered_by_id:
            assert first.actor_id == suggestion.entered_by_id
        else:
            assert first.actor_kind == ActorKind.CITIZEN
        assert events[-1].to_state == suggestion.status, suggestion.idempotency_key
        later = [e.action for e in events[1:]]
        assert "submit" not in later, suggestion.idempotency_key
        staff_steps = [e for e in events[1:] if e.action not in ("rate_ok", "rate_bad")]
        usernames = {e.actor.username for e in staff_steps if e.actor is not None}
        code = suggestion.committee.code
        assert usernames <= {f"{code}.staff", "tianhe.clerk"}, suggestion.idempotency_key


def test_a_second_run_adds_nothing(demo: str) -> None:
    before = counts()
    states = dict(samples().values_list("idempotency_key", "status"))

    out = StringIO()
    seed_demo(stdout=out)

    assert counts() == before
    assert dict(samples().values_list("idempotency_key", "status")) == states
    assert "新收群众建议 0 条" in out.getvalue()
