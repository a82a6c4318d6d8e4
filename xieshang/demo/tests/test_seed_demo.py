"""The demo data: the article's committees and workrooms, loadable twice, with logins."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import models

from xieshang.core.models import CalendarDay, Committee, CommitteeLevel, Event
from xieshang.demo.base import DEMO_PASSWORD
from xieshang.demo.members import DEMO_LOGINS, demo_logins_table
from xieshang.demo.seed import seed_demo
from xieshang.people.models import (
    Department,
    DepartmentClerk,
    LeaderPosition,
    LocalGroup,
    Member,
    MemberRole,
    Sector,
    SpecialCommittee,
    StaffPosition,
    StaffRole,
    User,
)
from xieshang.workrooms.models import (
    ServicePoint,
    Workroom,
    WorkroomKind,
    WorkroomMembership,
    WorkroomRole,
    WorkroomStatus,
)

pytestmark = pytest.mark.django_db

DISTRICTS = ["tianhe", "haizhu", "baiyun", "panyu", "huadu"]
MODELS: list[type[models.Model]] = [
    Committee,
    Sector,
    SpecialCommittee,
    LocalGroup,
    User,
    Member,
    Member.special_committees.through,
    Department,
    DepartmentClerk,
    StaffPosition,
    LeaderPosition,
    Workroom,
    WorkroomMembership,
    ServicePoint,
    Event,
]


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    """The real hasher takes a second a password; the loader's logic is the same."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in MODELS}


def rooms(code: str, kind: str | None = None) -> models.QuerySet[Workroom]:
    qs = Workroom.objects.filter(committee__code=code)
    return qs.filter(kind=kind) if kind else qs


def test_it_includes_the_working_day_calendar(demo: str) -> None:
    assert CalendarDay.objects.count() == 25  # the year's public holidays and swapped days


def test_it_loads_the_committee_tree(demo: str) -> None:
    province = Committee.objects.get(code="guangdong", level=CommitteeLevel.PROVINCE)
    city = Committee.objects.get(code="guangzhou", level=CommitteeLevel.CITY, parent=province)
    assert city.short_name == "广州市政协"
    assert sorted(city.children.values_list("code", flat=True)) == sorted(DISTRICTS)
    tianhe = Committee.objects.get(code="tianhe")
    assert tianhe.name == "中国人民政治协商会议广州市天河区委员会"
    assert tianhe.short_name == "天河区政协"
    assert tianhe.level == CommitteeLevel.DISTRICT


def test_it_gives_every_district_the_articles_organisation(demo: str) -> None:
    for code in DISTRICTS:
        committee = Committee.objects.get(code=code)
        seats = Member.objects.filter(committee=committee)
        assert 30 <= seats.count() <= 60, code
        assert seats.filter(role=MemberRole.CHAIR).count() == 1, code
        assert seats.filter(role=MemberRole.VICE_CHAIR).count() >= 2, code
        assert seats.filter(role=MemberRole.MEMBER).count() > seats.count() // 2, code
        assert not seats.filter(sector__isnull=True).exists(), code
        assert not seats.filter(local_group__isnull=True).exists(), code
        assert not seats.exclude(sector__committee=committee).exists(), code
        assert not seats.exclude(local_group__committee=committee).exists(), code
        assert Sector.objects.filter(committee=committee).count() >= 5, code
        assert SpecialCommittee.objects.filter(committee=committee, name="提案委员会").exists()
        departments = Department.objects.filter(committee=committee)
        assert departments.filter(kind="bureau").count() == 10, code
        assert departments.exclude(kind="bureau").exists(), code
    assert Sector.objects.filter(committee__code="baiyun").count() == 26
    assert LocalGroup.objects.filter(committee__code="baiyun").count() == 24
    assert LocalGroup.objects.filter(committee__code="baiyun", name="三元里街地方组").exists()
    assert LocalGroup.objects.filter(committee__code="baiyun", name="钟落潭镇地方组").exists()
    assert Department.objects.filter(name="广州市生态环境局天河分局", kind="bureau").exists()
    assert Member.objects.filter(committee__code="guangzhou").count() >= 20
    chairs = {
        "haizhu": "温志文",
        "baiyun": "袁东华",
        "panyu": "覃海深",
        "huadu": "陈家飞",
    }
    for code, name in chairs.items():
        chair = Member.objects.get(committee__code=code, role=MemberRole.CHAIR)
        assert chair.user.name == name
    vice_chairs = Member.objects.filter(committee__code="tianhe", role=MemberRole.VICE_CHAIR)
    assert {"曹利元", "张玉玉"} <= {m.user.name for m in vice_chairs}
    assert not User.objects.filter(username__startswith="m.").exclude(password__startswith="!")


def test_it_builds_the_workrooms_of_the_article(demo: str) -> None:
    # 天河: 委员之家 → 街道委员工作室 → 14 园区(楼宇)委员工作室.
    home = rooms("tianhe", WorkroomKind.MEMBERS_HOME).get()
    assert home.venue == "TIT智慧园"
    streets = rooms("tianhe", WorkroomKind.STREET)
    assert streets.count() >= 3
    assert set(streets.values_list("parent", flat=True)) == {home.pk}
    parks = rooms("tianhe", WorkroomKind.PARK)
    assert parks.count() == 14
    assert set(parks.values_list("parent__parent", flat=True)) == {home.pk}
    assert parks.filter(name__contains="珠江新城东塔", venue="珠江新城东塔60楼").exists()
    # 海珠: four grassroots demonstration sites.
    sites = rooms("haizhu", WorkroomKind.DEMONSTRATION)
    for place in ("赤岗街", "琶洲街", "南石头街", "沙园街港海社区"):
        assert sites.filter(name__startswith=place).exists(), place
    # 白云: 16 workrooms, each guided by a special committee.
    baiyun = rooms("baiyun")
    assert baiyun.count() == 16
    assert not baiyun.filter(guiding_special_committee__isnull=True).exists()
    assert baiyun.filter(name="跨境电商供应链行业委员工作室").exists()
    # 番禺: one cloud workroom, 16 town/street and 24 personal workrooms.
    assert rooms("panyu", WorkroomKind.CLOUD).count() == 1
    panyu_streets = rooms("panyu", WorkroomKind.STREET)
    assert panyu_streets.count() == 16
    assert not panyu_streets.filter(guiding_local_group__isnull=True).exists()
    assert panyu_streets.filter(name="钟村街工作室").exists()
    assert rooms("panyu", WorkroomKind.PERSONAL).count() == 24
    assert rooms("panyu").filter(name="冯银彩委员工作室").exists()
    # 花都: six, among them the 10号工作室.
    assert rooms("huadu").count() == 6
    assert rooms("huadu").filter(name="10号工作室·党群连心桥").exists()

    codes = list(Workroom.objects.values_list("code", flat=True))
    assert all(code.isascii() for code in codes)
    for workroom in Workroom.objects.prefetch_related("memberships__member"):
        assert workroom.address and workroom.opening_hours, workroom.code
        memberships = list(workroom.memberships.all())
        assert len(memberships) >= 3, workroom.code
        assert [m.role for m in memberships].count(WorkroomRole.CONVENOR) == 1, workroom.code
        assert {m.member.committee_id for m in memberships} == {workroom.committee_id}
    assert ServicePoint.objects.filter(committee__code="panyu").count() >= 3
    assert ServicePoint.objects.filter(name="市桥街政务晓屋").exists()
    assert ServicePoint.objects.exclude(committee__code="panyu").exists()


def test_it_activates_workrooms_through_the_workflow(demo: str) -> None:
    active = Workroom.objects.filter(status=WorkroomStatus.ACTIVE)
    assert active.count() >= Workroom.objects.count() - 2
    assert Workroom.objects.filter(status=WorkroomStatus.PREPARING).count() == 2
    events = Event.objects.filter(
        content_type=ContentType.objects.get_for_model(Workroom), action="activate"
    )
    assert sorted(events.values_list("object_id", flat=True)) == sorted(
        active.values_list("pk", flat=True)
    )
    admin = User.objects.get(username="admin")
    assert not events.exclude(actor=admin).exists()
    assert not events.exclude(from_state="preparing", to_state="active").exists()


def test_it_changes_nothing_when_run_again(demo: str) -> None:
    before = counts()
    staff = User.objects.get(username="tianhe.staff")
    staff.set_password("changed-by-the-user")
    staff.save()

    out = StringIO()
    seed_demo(stdout=out)

    assert counts() == before
    staff.refresh_from_db()
    assert staff.check_password("changed-by-the-user")
    assert "新建账号 0 个" in out.getvalue()
    assert "启用工作室 0 个" in out.getvalue()


def test_it_seats_the_city_member_in_the_city_and_tianhe(demo: str) -> None:
    city_member = User.objects.get(username="city.member")
    seats = Member.objects.filter(user=city_member)
    assert sorted(seats.values_list("committee__code", flat=True)) == ["guangzhou", "tianhe"]
    both = Member.objects.values("user").annotate(n=models.Count("id")).filter(n=2)
    assert both.count() >= 5
    assert not Member.objects.values("user").annotate(n=models.Count("id")).filter(n__gt=2)


def test_it_lets_every_demo_login_sign_in(demo: str) -> None:
    users = {u.username: u for u in User.objects.filter(username__in=[u for u, _ in DEMO_LOGINS])}
    assert set(users) == {u for u, _ in DEMO_LOGINS}
    for user in users.values():
        # authenticate() needs a request with django-axes; the password is what matters.
        assert user.check_password(DEMO_PASSWORD), user.username
        assert user.is_active and user.name, user.username
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert users["admin"].name == "系统管理员"
    for username, code in [
        ("tianhe.staff", "tianhe"),
        ("haizhu.staff", "haizhu"),
        ("baiyun.staff", "baiyun"),
        ("panyu.staff", "panyu"),
        ("huadu.staff", "huadu"),
        ("city.staff", "guangzhou"),
    ]:
        user = users[username]
        assert user.is_staff and not user.is_superuser
        roles = StaffPosition.objects.filter(user=user, committee__code=code)
        assert sorted(roles.values_list("role", flat=True)) == sorted(StaffRole.values)
    seat = Member.objects.get(user=users["tianhe.member"])
    assert seat.committee.code == "tianhe"
    assert seat.role == MemberRole.MEMBER
    assert seat.sector is not None and seat.sector.name == "律师界"
    convenor = WorkroomMembership.objects.get(member=seat, workroom__name__contains="珠江新城东塔")
    assert convenor.role == WorkroomRole.CONVENOR
    clerk = DepartmentClerk.objects.get(user=users["tianhe.clerk"])
    assert clerk.department.name == "天河区住房和城乡建设局"
    # Every demo department has a clerk and a head, so a reply can be approved and sent.
    for department in Department.objects.all():
        heads = DepartmentClerk.objects.filter(department=department).values_list(
            "is_head", flat=True
        )
        assert {False, True} <= set(heads), department.name
    leader = LeaderPosition.objects.get(user=users["tianhe.leader"])
    assert (leader.committee.code, leader.title) == ("tianhe", "cppcc_chair")
    assert WorkroomMembership.objects.filter(
        member__user=users["panyu.member"], workroom__kind=WorkroomKind.CLOUD
    ).exists()


def test_it_prints_the_logins_after_loading():
    out = StringIO()
    call_command("seed_demo", stdout=out)

    text = out.getvalue()
    assert "演示数据已就绪" in text
    assert demo_logins_table() in text
    for username, role in DEMO_LOGINS:
        line = next(line for line in text.splitlines() if line.startswith(username + " "))
        assert DEMO_PASSWORD in line and role in line
