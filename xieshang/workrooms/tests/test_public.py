"""The public workroom page behind its QR code, and the workroom tree in the list."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xieshang.activities.models import Activity
from xieshang.activities.services import ActivityInput, activity_record
from xieshang.conftest import Cast
from xieshang.duty.models import Shift, ShiftStatus
from xieshang.people.models import Member
from xieshang.workrooms.models import Workroom
from xieshang.workrooms.selectors import week_of
from xieshang.workrooms.services import workroom_transition
from xieshang.workrooms.tests.conftest import activate, kinds

PAGE = "/w/t-east/"


def shift_on(cast: Cast, day, status=ShiftStatus.SCHEDULED) -> Shift:
    seat = Member.objects.get(user=cast.member, committee=cast.tianhe)
    tz = timezone.get_current_timezone()
    shift = Shift.objects.create(
        committee=cast.tianhe,
        workroom=cast.workroom,
        member=seat,
        date=day,
        starts_at=datetime.combine(day, time(14, 30), tz),
        ends_at=datetime.combine(day, time(17, 30), tz),
    )
    if status != ShiftStatus.SCHEDULED:
        Shift.objects.filter(pk=shift.pk).update(status=status)
    return shift


def test_only_an_active_workroom_has_a_public_page(cast: Cast, client: Client) -> None:
    assert reverse("workrooms:public", args=["t-east"]) == PAGE
    assert client.get(PAGE).status_code == 404  # still being prepared
    activate(cast)
    assert client.get(PAGE).status_code == 200
    workroom_transition(
        workroom=cast.workroom, action="suspend", actor=cast.staff, note="装修",
        expected_state="active",
    )  # fmt: skip
    assert client.get(PAGE).status_code == 404
    assert client.get("/w/no-such-room/").status_code == 404


def test_the_page_shows_the_workroom_and_its_qr_codes(cast: Cast, client: Client) -> None:
    Workroom.objects.filter(pk=cast.workroom.pk).update(
        address="珠江新城珠江东路 6 号", venue="东塔 12 楼", opening_hours="周三 14:30–17:30",
        description="服务珠江新城楼宇企业",
    )  # fmt: skip
    activate(cast)
    body = client.get(PAGE).content.decode()
    for text in ("天河珠江新城东塔委员工作室", "珠江东路 6 号", "东塔 12 楼", "周三 14:30–17:30"):
        assert text in body
    assert body.count("<svg") == 2
    # A fixed-size QR without a viewBox is cut off when a phone narrows it: each one scales.
    for svg in body.split("<svg")[1:]:
        tag = svg.split(">", 1)[0]
        assert "viewBox=" in tag
        assert "width=" not in tag and "height=" not in tag
    assert 'href="/w/t-east/suggest/"' in body
    assert 'href="/w/t-east/book/"' in body
    assert "/w/t-east/poster.pdf" in body


def test_the_page_shows_who_is_on_duty_this_week_only(cast: Cast, client: Client) -> None:
    activate(cast)
    monday, sunday = week_of(timezone.localdate())
    shift_on(cast, sunday + timedelta(days=1))  # next week
    assert "天河委员" not in client.get(PAGE).content.decode()
    shift_on(cast, monday, status=ShiftStatus.CANCELLED)
    assert "天河委员" not in client.get(PAGE).content.decode()
    shift_on(cast, sunday)
    body = client.get(PAGE).content.decode()
    assert "天河委员" in body
    assert "14:30–17:30" in body


def test_the_public_log_shows_what_was_done_but_not_the_notes(cast: Cast, client: Client) -> None:
    activate(cast)
    kind = kinds(cast)["接待来访"]
    seat = Member.objects.get(user=cast.member)
    activity_record(
        committee=cast.tianhe,
        data=ActivityInput(
            kind=kind, title="接待楼宇企业代表", date=timezone.localdate(), members=[seat],
            workroom=cast.workroom, citizens_reached=12, note="某企业负责人私下反映的情况",
        ),
        actor=cast.member,
    )  # fmt: skip
    body = client.get(PAGE).content.decode()
    assert "接待楼宇企业代表" in body and "接待来访" in body and "天河委员" in body
    assert "某企业负责人私下反映的情况" not in body
    assert reverse("activities:detail", args=[Activity.objects.get().pk]) not in body


def test_the_list_shows_children_under_their_parent(cast: Cast, client: Client) -> None:
    home = Workroom.objects.create(
        committee=cast.tianhe, name="天河区政协委员之家", code="t-home", kind="members_home"
    )
    street = Workroom.objects.create(
        committee=cast.tianhe, name="冼村街委员工作室", code="t-xiancun", kind="street",
        parent=home,
    )  # fmt: skip
    Workroom.objects.filter(pk=cast.workroom.pk).update(parent=street)
    client.force_login(cast.staff)
    rows = list(client.get(reverse("workrooms:list")).context["page"])
    assert [(w.code, w.depth) for w in rows] == [("t-home", 0), ("t-xiancun", 1), ("t-east", 2)]
