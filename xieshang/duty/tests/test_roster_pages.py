"""The roster's pages: who reaches them, what they show, what a POST changes — and that
another committee's staff get 404 for 天河's records. Also the admin and the demo data."""

from __future__ import annotations

from datetime import time

import pytest
from django.test import Client
from django.urls import reverse

from xieshang.core.models import Event
from xieshang.demo.duty import seed_duty
from xieshang.duty.models import (
    ClosedDate,
    DutyPattern,
    RotationEntry,
    Shift,
    ShiftChange,
    ShiftChangeStatus,
    ShiftStatus,
)
from xieshang.duty.services.roster import shift_change_request, shifts_generate
from xieshang.duty.tests.test_roster_generation import WED, Roster, roster, seat, today
from xieshang.workrooms.models import Workroom, WorkroomKind, WorkroomMembership
from xieshang.workrooms.services import workroom_transition

__all__ = ["roster", "today"]  # fixtures shared from test_roster_generation


def login(client: Client, user: object) -> Client:
    client.force_login(user)  # type: ignore[arg-type]
    return client


def order(roster: Roster) -> list[str]:
    return [
        e.member.user.username
        for e in RotationEntry.objects.filter(pattern=roster.pattern)
        .select_related("member__user")
        .order_by("position")
    ]


def expected(roster: Roster) -> str:
    return ",".join(
        str(pk)
        for pk in RotationEntry.objects.filter(pattern=roster.pattern)
        .order_by("position")
        .values_list("member_id", flat=True)
    )


def test_the_roster_page_shows_patterns_rotation_and_shifts(roster: Roster, client: Client) -> None:
    cast = roster.cast
    shifts_generate(pattern=roster.pattern, weeks=2, actor=cast.staff)
    url = reverse("duty:roster", args=[roster.workroom.pk])
    body = login(client, cast.staff).get(url).content.decode()
    assert "14:30" in body and "委员乙" in body and "委员丙" in body
    assert "2026-09-30" in body
    assert reverse("duty:generate", args=[roster.pattern.pk]) in body
    # A member of the committee reads the roster but gets no controls.
    response = login(client, cast.member).get(url)
    assert response.status_code == 200
    assert reverse("duty:generate", args=[roster.pattern.pk]) not in response.content.decode()
    # 海珠's staff learn nothing about 天河's workroom.
    response = login(client, cast.outsider).get(url)
    assert response.status_code == 404
    assert roster.workroom.name not in response.content.decode()
    client.logout()
    assert client.get(url).status_code == 302


def test_the_rosters_list_is_for_workroom_staff(roster: Roster, client: Client) -> None:
    cast = roster.cast
    url = reverse("duty:rosters")
    assert roster.workroom.name in login(client, cast.staff).get(url).content.decode()
    body = login(client, cast.outsider).get(url).content.decode()
    assert roster.workroom.name not in body
    assert login(client, cast.member).get(url).status_code == 403


def test_staff_add_and_edit_a_pattern(roster: Roster, client: Client) -> None:
    cast = roster.cast
    login(client, cast.staff)
    url = reverse("duty:pattern_create", args=[roster.workroom.pk])
    assert client.get(url).status_code == 200
    data = {
        "weekday": "4",
        "start_time": "09:00",
        "end_time": "11:00",
        "slot_minutes": "30",
        "slot_capacity": "2",
        "is_active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    pattern = DutyPattern.objects.get(weekday=4)
    assert (pattern.start_time, pattern.slot_capacity) == (time(9), 2)
    assert Event.objects.filter(action="pattern_create", object_id=pattern.pk).exists()
    bad = client.post(url, {**data, "end_time": "08:00"})
    assert bad.status_code == 400
    assert DutyPattern.objects.count() == 2
    edit = reverse("duty:pattern_edit", args=[pattern.pk])
    assert client.post(edit, {**data, "end_time": "12:00"}).status_code == 302
    pattern.refresh_from_db()
    assert pattern.end_time == time(12)
    for user, status in ((cast.member, 403), (cast.outsider, 404)):
        login(client, user)
        assert client.get(edit).status_code == status
        assert client.post(edit, {**data, "end_time": "17:00"}).status_code == status
        assert client.post(url, data).status_code == status
    pattern.refresh_from_db()
    assert pattern.end_time == time(12) and DutyPattern.objects.count() == 2


def test_staff_edit_the_rotation(roster: Roster, client: Client) -> None:
    cast = roster.cast
    login(client, cast.staff)
    url = reverse("duty:rotation", args=[roster.pattern.pk])
    d = seat(cast, "t.d", "委员丁")
    WorkroomMembership.objects.create(workroom=roster.workroom, member=d)
    assert (
        client.post(url, {"op": "add", "member": d.pk, "expected": expected(roster)}).status_code
        == 302
    )
    assert order(roster) == ["t.member", "t.b", "t.c", "t.d"]
    client.post(url, {"op": "up", "member": d.pk, "expected": expected(roster)})
    assert order(roster) == ["t.member", "t.b", "t.d", "t.c"]
    client.post(url, {"op": "down", "member": roster.a.pk, "expected": expected(roster)})
    assert order(roster) == ["t.b", "t.member", "t.d", "t.c"]
    client.post(url, {"op": "remove", "member": roster.c.pk, "expected": expected(roster)})
    assert order(roster) == ["t.b", "t.member", "t.d"]
    # A stale page, a member of another committee, a missing field: refused, unchanged.
    stale = client.post(url, {"op": "remove", "member": d.pk, "expected": "1,2"})
    assert stale.status_code == 409
    haizhu = seat(cast, "h.member", "海珠委员", cast.haizhu)
    assert (
        client.post(
            url, {"op": "add", "member": haizhu.pk, "expected": expected(roster)}
        ).status_code
        == 400
    )
    assert client.post(url, {"op": "jump", "member": d.pk}).status_code == 400
    assert order(roster) == ["t.b", "t.member", "t.d"]
    assert client.get(url).status_code == 405
    login(client, cast.outsider)
    assert (
        client.post(url, {"op": "remove", "member": d.pk, "expected": expected(roster)}).status_code
        == 404
    )
    login(client, cast.member)
    assert (
        client.post(url, {"op": "remove", "member": d.pk, "expected": expected(roster)}).status_code
        == 403
    )
    assert order(roster) == ["t.b", "t.member", "t.d"]


def test_staff_generate_shifts_from_the_page(roster: Roster, client: Client) -> None:
    cast = roster.cast
    url = reverse("duty:generate", args=[roster.pattern.pk])
    assert login(client, cast.outsider).post(url, {"weeks": "4"}).status_code == 404
    assert login(client, cast.member).post(url, {"weeks": "4"}).status_code == 403
    assert login(client, cast.staff).post(url, {"weeks": "99"}).status_code == 400
    assert not Shift.objects.exists()
    response = client.post(url, {"weeks": "4"}, follow=True)
    assert Shift.objects.count() == 4
    assert "4" in response.content.decode()


def test_closed_dates_page(roster: Roster, client: Client) -> None:
    cast = roster.cast
    shifts_generate(pattern=roster.pattern, weeks=2, actor=cast.staff)
    url = reverse("duty:closed_dates")
    login(client, cast.staff)
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"committee": cast.tianhe.pk, "date": WED[1].isoformat(), "reason": "全会"}
    )
    assert response.status_code == 302
    closed = ClosedDate.objects.get()
    assert Shift.objects.get(date=WED[1]).status == ShiftStatus.CANCELLED
    assert "全会" in client.get(url).content.decode()
    # The outsider can neither see, pick nor remove 天河's closed dates.
    login(client, cast.outsider)
    assert "全会" not in client.get(url).content.decode()
    response = client.post(
        url, {"committee": cast.tianhe.pk, "date": WED[0].isoformat(), "reason": "越权"}
    )
    assert response.status_code == 400
    delete = reverse("duty:closed_date_delete", args=[closed.pk])
    assert client.post(delete).status_code == 404
    assert login(client, cast.member).get(url).status_code == 403
    assert ClosedDate.objects.count() == 1
    assert login(client, cast.staff).post(delete).status_code == 302
    assert not ClosedDate.objects.exists()


def test_a_day_with_bookings_cannot_be_closed_from_the_page(roster: Roster, client: Client) -> None:
    from xieshang.duty.tests.test_roster_generation import book

    cast = roster.cast
    shifts = shifts_generate(pattern=roster.pattern, weeks=1, actor=cast.staff)
    book(shifts[0])
    response = login(client, cast.staff).post(
        reverse("duty:closed_dates"),
        {"committee": cast.tianhe.pk, "date": WED[0].isoformat(), "reason": "全会"},
    )
    assert response.status_code == 409
    assert "1" in response.content.decode()
    assert not ClosedDate.objects.exists()
    assert Shift.objects.get().status == ShiftStatus.SCHEDULED


def test_a_member_asks_from_my_shifts_and_staff_approve(roster: Roster, client: Client) -> None:
    cast = roster.cast
    shifts = shifts_generate(pattern=roster.pattern, weeks=3, actor=cast.staff)
    login(client, cast.member)
    body = client.get(reverse("duty:my_shifts")).content.decode()
    url = reverse("duty:shift_change_new", args=[shifts[0].pk])
    assert url in body
    assert reverse("duty:shift_change_new", args=[shifts[1].pk]) not in body
    assert client.get(url).status_code == 200
    # Incomplete: a cover with no colleague.
    assert client.post(url, {"kind": "cover", "reason": "出差"}).status_code == 400
    response = client.post(url, {"kind": "cover", "colleague": roster.b.pk, "reason": "出差"})
    change = ShiftChange.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "duty:change_detail", args=[change.pk]
    )
    # Not the member's shift; not the committee's.
    assert client.get(reverse("duty:shift_change_new", args=[shifts[1].pk])).status_code == 403
    assert login(client, cast.staff).get(url).status_code == 403
    assert login(client, cast.outsider).get(url).status_code == 404

    detail = reverse("duty:change_detail", args=[change.pk])
    act = reverse("duty:change_act", args=[change.pk])
    assert login(client, roster.c.user).get(detail).status_code == 404
    assert client.post(act, {"action": "agree", "expected_state": "requested"}).status_code == 404
    assert login(client, cast.outsider).get(detail).status_code == 404
    login(client, roster.b.user)
    assert "委员乙" in client.get(reverse("duty:changes")).content.decode()
    assert client.post(act, {"action": "agree", "expected_state": "requested"}).status_code == 302
    login(client, cast.staff)
    assert detail in client.get(reverse("duty:changes")).content.decode()
    assert 'value="approve"' in client.get(detail).content.decode()
    assert client.post(act, {"action": "reject", "expected_state": "agreed"}).status_code == 409
    assert client.post(act, {"action": "approve", "expected_state": "agreed"}).status_code == 302
    change.refresh_from_db()
    assert change.status == ShiftChangeStatus.APPROVED
    assert Shift.objects.get(pk=shifts[0].pk).member == roster.b


def test_a_swap_from_the_page_takes_the_colleague_from_their_shift(
    roster: Roster, client: Client
) -> None:
    cast = roster.cast
    shifts = shifts_generate(pattern=roster.pattern, weeks=3, actor=cast.staff)
    url = reverse("duty:shift_change_new", args=[shifts[0].pk])
    response = login(client, cast.member).post(
        url, {"kind": "swap", "other_shift": shifts[2].pk, "reason": "家中有事"}
    )
    assert response.status_code == 302
    change = ShiftChange.objects.get()
    assert (change.colleague, change.other_shift) == (roster.c, shifts[2])
    # A second open request on the same shift: a clear refusal.
    again = client.post(url, {"kind": "cover", "colleague": roster.b.pk, "reason": "再问"})
    assert again.status_code == 409
    assert ShiftChange.objects.count() == 1


def test_the_admin_pages_answer_for_workroom_staff(roster: Roster, client: Client) -> None:
    cast = roster.cast
    shifts = shifts_generate(pattern=roster.pattern, weeks=2, actor=cast.staff)
    change = shift_change_request(
        shift=shifts[0], kind="cover", colleague=roster.b, reason="出差", actor=cast.member
    )
    login(client, cast.staff)
    for name, obj in (
        ("dutypattern", roster.pattern),
        ("shift", shifts[0]),
        ("shiftchange", change),
    ):
        assert client.get(reverse(f"admin:duty_{name}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:duty_{name}_change", args=[obj.pk])).status_code == 200
    response = client.post(
        reverse("admin:duty_closeddate_add"),
        {"committee": cast.tianhe.pk, "workroom": "", "date": WED[1].isoformat(), "reason": "全会"},
    )
    assert response.status_code == 302
    assert Shift.objects.get(pk=shifts[1].pk).status == ShiftStatus.CANCELLED
    login(client, cast.outsider)
    assert client.get(reverse("admin:duty_shift_change", args=[shifts[0].pk])).status_code in (
        302,
        403,
        404,
    )


@pytest.mark.usefixtures("today")
def test_seed_duty_is_idempotent(cast: object, db: None) -> None:
    from xieshang.conftest import Cast

    assert isinstance(cast, Cast)
    cloud = Workroom.objects.create(
        committee=cast.tianhe, name="云工作室", code="panyu-cloud", kind=WorkroomKind.CLOUD
    )
    workroom_transition(workroom=cloud, action="activate", actor=cast.staff, expected_state=None)
    for n in range(5):
        WorkroomMembership.objects.create(workroom=cloud, member=seat(cast, f"m{n}", f"委员{n}"))
    first = seed_duty()
    assert first == {"patterns": 1, "rotations": 1, "shifts": 6}
    pattern = DutyPattern.objects.get(workroom=cloud)
    assert pattern.rotation.count() == 4 and pattern.slot_minutes == 20
    assert seed_duty() == {"patterns": 0, "rotations": 0, "shifts": 0}
    assert Shift.objects.count() == 6
