"""The fixed test cast: 天河 (staff, member, department clerk, leader), an outsider from
海珠, and staff of 广州市政协. Every view test uses these people."""

from __future__ import annotations

import os
import shutil
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connections
from django.test import override_settings

from xieshang.core.memo import ProcessMemo
from xieshang.core.models import Committee, CommitteeLevel
from xieshang.core.tests import csp_watch
from xieshang.people.models import (
    Department,
    DepartmentClerk,
    LeaderPosition,
    LeaderTitle,
    Member,
    Sector,
    StaffPosition,
    StaffRole,
    User,
)
from xieshang.search import segmenter as segmenter_module
from xieshang.workrooms.models import Workroom, WorkroomKind, WorkroomMembership


@dataclass
class Cast:
    city: Committee
    tianhe: Committee
    haizhu: Committee
    staff: User
    member: User
    clerk: User
    leader: User
    outsider: User
    city_staff: User
    superuser: User
    department: Department
    workroom: Workroom
    haizhu_workroom: Workroom


def make_user(username: str, name: str, **extra: object) -> User:
    user = User(username=username, name=name, **extra)
    user.set_unusable_password()
    user.save()
    return user


def make_staff(username: str, name: str, committee: Committee, *roles: str) -> User:
    user = make_user(username, name, is_staff=True)
    for role in roles or StaffRole.values:
        StaffPosition.objects.create(user=user, committee=committee, role=role)
    return user


@pytest.fixture(autouse=True, scope="session")
def own_media_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Uploads go to a folder of this test process (each xdist worker has its own), never
    into the checkout's var/media, so parallel workers cannot see each other's files."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """pytest-django's test databases, with every session of this process closed before
    they are dropped: the `replica` alias (a mirror of `default` in the tests) is a second
    session to the same database, which PostgreSQL refuses to drop while it is open. A
    session still open after that (another thread's) is named in a warning and ended, so
    the database is dropped and the leak can be found."""
    yield
    connections.close_all()
    connection = connections["default"]
    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, application_name, state, left(query, 200) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        others = cursor.fetchall()
        for pid, *about in others:
            warnings.warn(f"a test left a database session open: {about}", stacklevel=1)
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    connections.close_all()


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    """Counters kept in the cache (the SMS-code limit per address) start at zero in every
    test, as they would for a new sender."""
    cache.clear()
    ProcessMemo.clear_all()  # each test's committees, not an earlier test's
    segmenter_module._current = None  # built again from this test's dictionaries
    yield
    cache.clear()
    ProcessMemo.clear_all()


@pytest.fixture
def cast(db: None) -> Cast:
    province = Committee.objects.create(
        name="中国人民政治协商会议广东省委员会",
        short_name="广东省政协",
        code="gd",
        level="province",
    )
    city = Committee.objects.create(
        name="中国人民政治协商会议广州市委员会",
        short_name="广州市政协",
        code="gz",
        level=CommitteeLevel.CITY,
        parent=province,
    )
    tianhe = Committee.objects.create(
        name="中国人民政治协商会议广州市天河区委员会",
        short_name="天河区政协",
        code="tianhe",
        level=CommitteeLevel.DISTRICT,
        parent=city,
    )
    haizhu = Committee.objects.create(
        name="中国人民政治协商会议广州市海珠区委员会",
        short_name="海珠区政协",
        code="haizhu",
        level=CommitteeLevel.DISTRICT,
        parent=city,
    )
    staff = make_staff("t.staff", "天河工作人员", tianhe)
    member = make_user("t.member", "天河委员")
    seat = Member.objects.create(
        user=member,
        committee=tianhe,
        sector=Sector.objects.create(committee=tianhe, name="律师界"),
    )
    department = Department.objects.create(committee=tianhe, name="天河区住房和城乡建设局")
    clerk = make_user("t.clerk", "天河承办人")
    DepartmentClerk.objects.create(user=clerk, department=department)
    leader = make_user("t.leader", "天河主席")
    LeaderPosition.objects.create(user=leader, committee=tianhe, title=LeaderTitle.CPPCC_CHAIR)
    outsider = make_staff("h.staff", "海珠工作人员", haizhu)
    city_staff = make_staff("c.staff", "市政协工作人员", city)
    superuser = make_user("root", "系统管理员", is_staff=True, is_superuser=True)
    workroom = Workroom.objects.create(
        committee=tianhe, name="天河珠江新城东塔委员工作室", code="t-east", kind=WorkroomKind.PARK
    )
    WorkroomMembership.objects.create(workroom=workroom, member=seat, role="convenor")
    haizhu_workroom = Workroom.objects.create(
        committee=haizhu,
        name="海珠琶洲协商示范点",
        code="h-pazhou",
        kind=WorkroomKind.DEMONSTRATION,
    )
    return Cast(
        city=city,
        tianhe=tianhe,
        haizhu=haizhu,
        staff=staff,
        member=member,
        clerk=clerk,
        leader=leader,
        outsider=outsider,
        city_staff=city_staff,
        superuser=superuser,
        department=department,
        workroom=workroom,
        haizhu_workroom=haizhu_workroom,
    )


# --- A real browser: Debian's Chromium driven by Playwright ---------------------------

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not path:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but Chromium is missing: .ci/run installs it")
        pytest.skip("Chromium is not installed")
    return path


@pytest.fixture
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        violations = csp_watch.watch(browser)
        yield browser
        browser.close()
    # A page that breaks the Content-Security-Policy fails its test (issue 20).
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)
