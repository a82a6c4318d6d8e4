"""Roster fixes: members who left get no more shifts and are flagged; holidays entered
after generation are not shown as duty and their shifts are cancelled by the nightly job;
a reopened day gets the turn of its own week; the admin keeps the roster's rules."""

from __future__ import annotations

import logging
from datetime import date, datetime, time
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext, override

from xieshang.conftest import make_staff
from xieshang.core.errors import DomainError
from xieshang.core.models import ActorKind, CalendarDay, DayKind, Event
from xieshang.duty.models import DutyPattern, RotationEntry, Shift, ShiftStatus
from xieshang.duty.selectors.roster import duty_this_week
from xieshang.duty.services.roster import (
    PatternData,
    closed_date_add,
    closed_date_remove,
    pattern_create,
    rotation_set,
    shifts_cancel_on_holidays,
    shifts_extend_all,
    shifts_generate,
)
from xieshang.duty.tests.test_roster_generation import (
    SHANGHAI,
    WED,
    Roster,
    book,
    dates,
    roster,
    seat,
    today,
    who,
)
from xieshang.people.models import Member, StaffRole

__all__ = ["roster", "today"]  # fixtures shared from test_roster_generation


def leave(member: Member) -> None:
    Member.objects.filter(pk=member.pk).update(is_active=False)
    member.refresh_from_db()


def holiday(day: date, name: str = "国庆节") -> None:
    CalendarDay.objects.create(date=day, kind=DayKind.HOLIDAY, name=name)


def public_page(client: Client, roster: Roster) -> str:
    return client.get(reverse("workrooms:public", args=[roster.workroom.code])).content.decode()


# --- 2. Members who left ---------------------------------------------------------------


def test_a_member_who_left_gets_no_shifts_and_the_turns_go_round_the_others(
    roster: Roster,
) -> None:
    leave(roster.b)
    shifts = shifts_generate(pattern=roster.pattern, weeks=4, actor=roster.cast.staff)
    assert [s.date for s in shifts] == WED[:4]
    assert who(shifts) == ["t.member", "t.c", "t.member", "t.c"]
    assert not Shift.objects.filter(member=roster.b).exists()


def test_the_nightly_job_passes_over_a_member_who_left(roster: Roster) -> None:
    shifts_generate(pattern=roster.pattern, weeks=2, actor=roster.cast.staff)
    leave(roster.c)
    assert shifts_extend_all(weeks=6) == 4
    assert not Shift.objects.filter(member=roster.c).exists()
    assert who(Shift.objects.filter(pattern=roster.pattern).order_by("date")) == [
        "t.member",
        "t.b",
        "t.member",  # week 2: the serving members, 甲 and 乙, by week index
        "t.b",
        "t.member",
        "t.b",
    ]


def test_a_rotation_where_nobody_serves_is_refused_and_skipped_with_a_message(
    roster: Roster, caplog: pytest.LogCaptureFixture
) -> None:
    for member in (roster.a, roster.b, roster.c):
        leave(member)
    with override("en"), pytest.raises(DomainError, match="serves any more"):
        shifts_generate(pattern=roster.pattern, weeks=4, actor=roster.cast.staff)
    with caplog.at_level(logging.WARNING, logger="xieshang.duty.services.roster"):
        assert shifts_extend_all(weeks=4) == 0
    assert str(roster.pattern.pk) in caplog.text
    assert not Shift.objects.exists()
    # From the page: a clear refusal, nothing made.
    response = Client()
    response.force_login(roster.cast.staff)
    answer = response.post(reverse("duty:generate", args=[roster.pattern.pk]), {"weeks": "4"})
    assert answer.status_code == 400
    assert not Shift.objects.exists()


def test_the_roster_page_flags_a_member_who_left_and_the_public_page_hides_them(
    roster: Roster, client: Client
) -> None:
    cast = roster.cast
    shifts = shifts_generate(pattern=roster.pattern, weeks=2, actor=cast.staff)
    url = reverse("duty:roster", args=[roster.workroom.pk])
    client.force_login(cast.staff)
    assert f'data-left="{roster.a.pk}"' not in client.get(url).content.decode()
    assert "天河委员" in public_page(client, roster)
    assert duty_this_week(workroom=roster.workroom) == [shifts[0]]
    leave(roster.a)  # on duty this week, and first in the rotation
    response = client.get(url)
    body = response.content.decode()
    assert response.context["has_left"] is True
    assert body.count(f'data-left="{roster.a.pk}"') == 2  # in the rotation, on the shift
    assert duty_this_week(workroom=roster.workroom) == []
    assert "天河委员" not in public_page(client, roster)


def test_staff_can_still_reorder_a_rotation_with_a_member_who_left(
    roster: Roster, client: Client
) -> None:
    cast = roster.cast
    leave(roster.b)
    url = reverse("duty:rotation", args=[roster.pattern.pk])
    client.force_login(cast.staff)
    ids = f"{roster.a.pk},{roster.b.pk},{roster.c.pk}"
    response = client.post(url, {"op": "down", "member": roster.a.pk, "expected": ids})
    assert response.status_code == 302
    order = list(
        RotationEntry.objects.filter(pattern=roster.pattern)
        .order_by("position")
        .values_list("member_id", flat=True)
    )
    assert order == [roster.b.pk, roster.a.pk, roster.c.pk]
    # A member who left cannot be added, though.
    rotation_set(pattern=roster.pattern, members=[roster.a, roster.c], actor=cast.staff)
    with pytest.raises(DomainError):
        rotation_set(
            pattern=roster.pattern, members=[roster.a, roster.c, roster.b], actor=cast.staff
        )


# --- 3. Holidays entered after generation --------------------------------------------


def test_a_holiday_entered_after_generation_is_not_shown_as_duty(
    roster: Roster, client: Client
) -> None:
    cast = roster.cast
    shifts = shifts_generate(pattern=roster.pattern, weeks=3, actor=cast.staff)
    holiday(WED[0], "中秋节")
    holiday(WED[2])
    assert duty_this_week(workroom=roster.workroom) == []
    assert "天河委员" not in public_page(client, roster)
    client.force_login(cast.staff)
    body = client.get(reverse("duty:roster", args=[roster.workroom.pk])).content.decode()
    assert f'data-holiday="{shifts[0].pk}"' in body
    assert f'data-holiday="{shifts[1].pk}"' not in body
    assert f'data-holiday="{shifts[2].pk}"' in body
    # Still scheduled until the nightly job runs.
    assert Shift.objects.filter(status=ShiftStatus.SCHEDULED).count() == 3


def test_the_nightly_job_cancels_holiday_shifts_without_bookings(roster: Roster) -> None:
    cast = roster.cast
    shifts = shifts_generate(pattern=roster.pattern, weeks=3, actor=cast.staff)
    book(shifts[2])
    holiday(WED[1])
    holiday(WED[2])
    assert shifts_extend_all(weeks=3) == 0  # nothing new: the holidays stay empty
    statuses = dict(Shift.objects.values_list("date", "status"))
    assert statuses == {
        WED[0]: ShiftStatus.SCHEDULED,
        WED[1]: ShiftStatus.CANCELLED,
        WED[2]: ShiftStatus.SCHEDULED,  # booked: left for staff to move the talk first
    }
    cancel = Event.objects.get(action="cancel")
    assert cancel.object_id == shifts[1].pk and cancel.actor_kind == ActorKind.SYSTEM
    assert shifts_cancel_on_holidays(actor=ActorKind.SYSTEM) == 0  # idempotent
    assert Event.objects.filter(action="cancel").count() == 1


def test_a_past_shift_on_a_holiday_is_left_alone(roster: Roster) -> None:
    shifts = shifts_generate(pattern=roster.pattern, weeks=2, actor=roster.cast.staff)
    holiday(WED[0])
    with time_machine.travel(datetime(2026, 9, 23, 15, 0, tzinfo=SHANGHAI), tick=False):
        assert shifts_cancel_on_holidays(actor=ActorKind.SYSTEM) == 0
    assert Shift.objects.get(pk=shifts[0].pk).status == ShiftStatus.SCHEDULED


def test_staff_cancel_holiday_shifts_only_in_their_committees(roster: Roster) -> None:
    cast = roster.cast
    shifts_generate(pattern=roster.pattern, weeks=1, actor=cast.staff)
    holiday(WED[0])
    haizhu_staff = make_staff("h.coord", "海珠协调员", cast.haizhu, StaffRole.WORKROOM_COORDINATOR)
    assert shifts_cancel_on_holidays(actor=haizhu_staff) == 0
    assert shifts_cancel_on_holidays(actor=cast.member) == 0
    assert Shift.objects.get().status == ShiftStatus.SCHEDULED
    assert shifts_cancel_on_holidays(actor=cast.staff) == 1
    assert Shift.objects.get().status == ShiftStatus.CANCELLED


# --- 4. A reopened day ---------------------------------------------------------------


def test_a_reopened_day_gets_its_own_weeks_turn_not_a_repeat(roster: Roster) -> None:
    cast = roster.cast
    closed, _n = closed_date_add(committee=cast.tianhe, day=WED[1], reason="全会", actor=cast.staff)
    first = shifts_generate(pattern=roster.pattern, weeks=4, actor=cast.staff)
    assert [s.date for s in first] == [WED[0], WED[2], WED[3]]
    closed_date_remove(closed_date=closed, actor=cast.staff)
    again = shifts_generate(pattern=roster.pattern, weeks=4, actor=cast.staff)
    assert [s.date for s in again] == [WED[1]]
    assert dates(roster.pattern) == WED[:4]
    # Week by week: 甲 乙 丙 甲 — nobody sits twice in a row.
    assert who(Shift.objects.filter(pattern=roster.pattern).order_by("date")) == [
        "t.member",
        "t.b",
        "t.c",
        "t.member",
    ]


def test_the_week_index_counts_from_the_week_of_valid_from(roster: Roster) -> None:
    cast = roster.cast
    # Valid from a Friday: the Wednesday after is in the next week, the rotation's week 1.
    pattern = pattern_create(
        workroom=roster.workroom,
        data=PatternData(
            weekday=2, start_time=time(9, 0), end_time=time(11, 0), valid_from=date(2026, 9, 25)
        ),
        actor=cast.staff,
    )
    rotation_set(pattern=pattern, members=[roster.a, roster.b, roster.c], actor=cast.staff)
    shifts = shifts_generate(pattern=pattern, weeks=3, actor=cast.staff)
    assert [s.date for s in shifts] == WED[1:3]
    assert who(shifts) == ["t.b", "t.c"]


# --- 5. The admin ----------------------------------------------------------------------


def short_message() -> str:  # in the language the request used
    return gettext("The duty is shorter than one talk.")


def admin_data(pattern: DutyPattern, **extra: Any) -> dict[str, Any]:
    data = {
        "weekday": str(pattern.weekday),
        "start_time": pattern.start_time.strftime("%H:%M"),
        "end_time": pattern.end_time.strftime("%H:%M"),
        "slot_minutes": str(pattern.slot_minutes),
        "slot_capacity": str(pattern.slot_capacity),
        "valid_from": pattern.valid_from.isoformat(),
        "valid_until": "",
        "is_active": "on",
        "rotation-TOTAL_FORMS": "0",
        "rotation-INITIAL_FORMS": "0",
        "rotation-MIN_NUM_FORMS": "0",
        "rotation-MAX_NUM_FORMS": "0",
    }
    data.update(extra)
    return data


def test_the_admin_refuses_a_duty_shorter_than_one_talk(roster: Roster, client: Client) -> None:
    cast = roster.cast
    client.force_login(cast.staff)
    url = reverse("admin:duty_dutypattern_change", args=[roster.pattern.pk])
    response = client.post(url, admin_data(roster.pattern, end_time="14:40"))
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [short_message()]
    roster.pattern.refresh_from_db()
    assert roster.pattern.end_time == time(17, 30)
    add = reverse("admin:duty_dutypattern_add")
    response = client.post(
        add,
        admin_data(
            roster.pattern, workroom=str(roster.workroom.pk), start_time="09:00", end_time="09:10"
        ),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [short_message()]
    assert DutyPattern.objects.count() == 1


def test_the_admin_saves_a_pattern_through_the_roster_service(
    roster: Roster, client: Client
) -> None:
    cast = roster.cast
    client.force_login(cast.staff)
    url = reverse("admin:duty_dutypattern_change", args=[roster.pattern.pk])
    response = client.post(url, admin_data(roster.pattern, end_time="18:00"))
    assert response.status_code == 302
    roster.pattern.refresh_from_db()
    assert roster.pattern.end_time == time(18, 0)
    assert Event.objects.filter(action="pattern_update", object_id=roster.pattern.pk).exists()
    response = client.post(
        reverse("admin:duty_dutypattern_add"),
        admin_data(roster.pattern, workroom=str(roster.workroom.pk), weekday="4"),
    )
    assert response.status_code == 302
    created = DutyPattern.objects.get(weekday=4)
    assert Event.objects.filter(action="pattern_create", object_id=created.pk).exists()


def test_the_admin_shows_the_rotation_read_only_and_ignores_edits(
    roster: Roster, client: Client
) -> None:
    cast = roster.cast
    client.force_login(cast.staff)
    url = reverse("admin:duty_dutypattern_change", args=[roster.pattern.pk])
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert reverse("duty:roster", args=[roster.workroom.pk]) in body  # where to edit it
    assert 'name="members"' not in body and 'name="rotation-0-member"' not in body
    assert "委员乙" in body  # shown, read-only
    entries = list(RotationEntry.objects.filter(pattern=roster.pattern).order_by("position"))
    # A crafted post swapping two places (the 500 of before) and naming a member of
    # another committee: the rotation is not touched.
    haizhu = seat(cast, "h.member", "海珠委员", cast.haizhu)
    swap = admin_data(
        roster.pattern,
        **{
            "rotation-TOTAL_FORMS": "3",
            "rotation-INITIAL_FORMS": "2",
            "rotation-0-id": str(entries[0].pk),
            "rotation-0-pattern": str(roster.pattern.pk),
            "rotation-0-member": str(roster.a.pk),
            "rotation-0-position": "1",
            "rotation-1-id": str(entries[1].pk),
            "rotation-1-pattern": str(roster.pattern.pk),
            "rotation-1-member": str(roster.b.pk),
            "rotation-1-position": "0",
            "rotation-2-pattern": str(roster.pattern.pk),
            "rotation-2-member": str(haizhu.pk),
            "rotation-2-position": "3",
            "members": [str(haizhu.pk)],
        },
    )
    response = client.post(url, swap)
    assert response.status_code in (200, 302)
    after = list(
        RotationEntry.objects.filter(pattern=roster.pattern)
        .order_by("position")
        .values_list("position", "member_id")
    )
    assert after == [(0, roster.a.pk), (1, roster.b.pk), (2, roster.c.pk)]
    assert Event.objects.filter(action="rotation_set").count() == 1  # the fixture's
