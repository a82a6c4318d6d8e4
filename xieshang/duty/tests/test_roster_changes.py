"""Swaps and covers (调班/代班): the member on duty asks, the colleague agrees, workroom staff
approve; each rule allowed and refused per role, and approval refused once stale."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.http import Http404
from django.utils.translation import override

from xieshang.conftest import make_staff
from xieshang.core.errors import Conflict, DomainError, Forbidden, StaleState
from xieshang.core.models import Event
from xieshang.duty.models import (
    Booking,
    BookingStatus,
    Shift,
    ShiftChange,
    ShiftChangeStatus,
)
from xieshang.duty.selectors.roster import (
    shift_change_counts,
    shift_change_get,
    shift_changes_for,
)
from xieshang.duty.services.roster import (
    shift_cancel,
    shift_change_request,
    shift_change_transition,
    shifts_generate,
)
from xieshang.duty.tests.test_roster_generation import SHANGHAI, Roster, book, roster, seat, today
from xieshang.people.models import StaffRole

__all__ = ["roster", "today"]  # fixtures shared from test_roster_generation


@pytest.fixture
def shifts(roster: Roster) -> list[Shift]:
    """Six Wednesdays: member, b, c, member, b, c."""
    return shifts_generate(pattern=roster.pattern, weeks=6, actor=roster.cast.staff)


def cover(roster: Roster, shift: Shift, **extra: object) -> ShiftChange:
    return shift_change_request(
        shift=shift,
        kind="cover",
        colleague=extra.pop("colleague", roster.b),  # type: ignore[arg-type]
        reason="外出调研",
        actor=extra.pop("actor", roster.cast.member),
        **extra,  # type: ignore[arg-type]
    )


def move(change: ShiftChange, action: str, actor: object, note: str = "") -> None:
    shift_change_transition(
        change=change, action=action, actor=actor, note=note, expected_state=change.status
    )


def test_a_cover_agreed_and_approved_gives_the_shift_and_its_bookings_to_the_colleague(
    roster: Roster, shifts: list[Shift]
) -> None:
    cast = roster.cast
    booking = book(shifts[0])
    cancelled = book(shifts[0], status=BookingStatus.CANCELLED)
    change = cover(roster, shifts[0])
    assert change.status == ShiftChangeStatus.REQUESTED
    assert Event.objects.filter(action="request", object_id=change.pk).exists()
    move(change, "agree", roster.b.user)
    assert Shift.objects.get(pk=shifts[0].pk).member == roster.a  # nothing yet
    move(change, "approve", cast.staff)
    assert change.status == ShiftChangeStatus.APPROVED
    assert Shift.objects.get(pk=shifts[0].pk).member == roster.b
    assert Booking.objects.get(pk=booking.pk).member == roster.b
    assert Booking.objects.get(pk=cancelled.pk).member == roster.a
    assert Event.objects.filter(action="hand_over", object_id=shifts[0].pk).count() == 1
    assert [e.action for e in Event.objects.for_object(change).order_by("id")] == [
        "request",
        "agree",
        "approve",
    ]


def test_a_swap_exchanges_the_two_shifts_and_their_bookings(
    roster: Roster, shifts: list[Shift]
) -> None:
    cast = roster.cast
    mine, theirs = book(shifts[0]), book(shifts[2])
    change = shift_change_request(
        shift=shifts[0],
        kind="swap",
        colleague=roster.c,
        other_shift=shifts[2],
        reason="家中有事",
        actor=cast.member,
    )
    move(change, "agree", roster.c.user)
    move(change, "approve", cast.staff)
    assert Shift.objects.get(pk=shifts[0].pk).member == roster.c
    assert Shift.objects.get(pk=shifts[2].pk).member == roster.a
    assert Booking.objects.get(pk=mine.pk).member == roster.c
    assert Booking.objects.get(pk=theirs.pk).member == roster.a


@pytest.mark.parametrize("who", ["colleague", "requester", "other_member", "outsider", "office"])
def test_only_the_colleague_agrees(roster: Roster, shifts: list[Shift], who: str) -> None:
    cast = roster.cast
    change = cover(roster, shifts[0])
    actor = {
        "colleague": roster.b.user,
        "requester": cast.member,
        "other_member": roster.c.user,
        "outsider": cast.outsider,
        "office": make_staff("t.office", "提案委", cast.tianhe, StaffRole.PROPOSAL_OFFICE),
    }[who]
    if who == "colleague":
        move(change, "agree", actor)
        assert change.status == ShiftChangeStatus.AGREED
    else:
        with pytest.raises(Forbidden):
            move(change, "agree", actor)
        assert ShiftChange.objects.get(pk=change.pk).status == ShiftChangeStatus.REQUESTED


@pytest.mark.parametrize(
    "who", ["workroom_staff", "colleague", "requester", "other_member", "outsider", "office"]
)
def test_only_workroom_staff_of_the_committee_approve(
    roster: Roster, shifts: list[Shift], who: str
) -> None:
    cast = roster.cast
    change = cover(roster, shifts[0])
    move(change, "agree", roster.b.user)
    actor = {
        "workroom_staff": make_staff(
            "t.rooms", "工作室科", cast.tianhe, StaffRole.WORKROOM_COORDINATOR
        ),
        "colleague": roster.b.user,
        "requester": cast.member,
        "other_member": roster.c.user,
        "outsider": cast.outsider,
        "office": make_staff("t.office", "提案委", cast.tianhe, StaffRole.PROPOSAL_OFFICE),
    }[who]
    if who == "workroom_staff":
        move(change, "approve", actor)
        assert Shift.objects.get(pk=shifts[0].pk).member == roster.b
    else:
        with pytest.raises(Forbidden):
            move(change, "approve", actor)
        assert ShiftChange.objects.get(pk=change.pk).status == ShiftChangeStatus.AGREED
        assert Shift.objects.get(pk=shifts[0].pk).member == roster.a


def test_decline_withdraw_and_reject(roster: Roster, shifts: list[Shift]) -> None:
    cast = roster.cast
    first = cover(roster, shifts[0])
    move(first, "decline", roster.b.user)
    assert first.status == ShiftChangeStatus.DECLINED
    second = cover(roster, shifts[0])  # the shift is free to ask about again
    with pytest.raises(Forbidden):
        move(second, "withdraw", roster.b.user)
    move(second, "withdraw", cast.member)
    third = cover(roster, shifts[0], colleague=roster.c)
    move(third, "agree", roster.c.user)
    with pytest.raises(Conflict):  # a reason is required to reject
        move(third, "reject", cast.staff)
    move(third, "reject", cast.staff, note="人手不足")
    assert third.status == ShiftChangeStatus.REJECTED
    assert Shift.objects.get(pk=shifts[0].pk).member == roster.a
    with pytest.raises(Conflict):
        move(third, "approve", cast.staff)


def test_a_second_click_is_refused(roster: Roster, shifts: list[Shift]) -> None:
    change = cover(roster, shifts[0])
    move(change, "agree", roster.b.user)
    with pytest.raises(StaleState):
        shift_change_transition(
            change=change,
            action="agree",
            actor=roster.b.user,
            expected_state=ShiftChangeStatus.REQUESTED,
        )


def test_a_member_asks_only_about_their_own_upcoming_shifts(
    roster: Roster, shifts: list[Shift]
) -> None:
    cast = roster.cast
    with pytest.raises(Forbidden):  # shifts[1] is b's
        cover(roster, shifts[1], colleague=roster.c)
    with pytest.raises(Forbidden):
        cover(roster, shifts[0], actor=cast.staff)
    shift_cancel(shift=shifts[3], actor=cast.staff)
    with pytest.raises(DomainError):
        cover(roster, Shift.objects.get(pk=shifts[3].pk))
    begun = datetime(2026, 9, 23, 14, 40, tzinfo=SHANGHAI)
    with time_machine.travel(begun, tick=False), pytest.raises(DomainError):
        cover(roster, shifts[0])
    with pytest.raises(DomainError):
        shift_change_request(
            shift=shifts[0], kind="cover", colleague=roster.b, reason="  ", actor=cast.member
        )
    assert not ShiftChange.objects.exists()


def test_the_colleague_must_serve_in_the_same_committee(
    roster: Roster, shifts: list[Shift]
) -> None:
    cast = roster.cast
    haizhu = seat(cast, "h.member", "海珠委员", cast.haizhu)
    with pytest.raises(DomainError):
        cover(roster, shifts[0], colleague=haizhu)
    with pytest.raises(DomainError):
        cover(roster, shifts[0], colleague=roster.a)
    assert not ShiftChange.objects.exists()


def test_a_swap_needs_an_upcoming_shift_of_that_colleague(
    roster: Roster, shifts: list[Shift]
) -> None:
    cast = roster.cast

    def swap(colleague: object, other: Shift | None) -> ShiftChange:
        return shift_change_request(
            shift=shifts[0],
            kind="swap",
            colleague=colleague,  # type: ignore[arg-type]
            other_shift=other,
            reason="家中有事",
            actor=cast.member,
        )

    with pytest.raises(DomainError):
        swap(roster.b, None)
    with pytest.raises(DomainError):  # shifts[2] is c's, not b's
        swap(roster.b, shifts[2])
    shift_cancel(shift=shifts[4], actor=cast.staff)
    with pytest.raises(DomainError):
        swap(roster.b, Shift.objects.get(pk=shifts[4].pk))
    with pytest.raises(DomainError):  # a cover takes no shift in exchange
        cover(roster, shifts[0], other_shift=shifts[1])
    # b's past shift: travel to after the second Wednesday, ask about the fourth.
    later = datetime(2026, 10, 1, 9, 0, tzinfo=SHANGHAI)
    with time_machine.travel(later, tick=False), pytest.raises(DomainError):
        shift_change_request(
            shift=shifts[3],
            kind="swap",
            colleague=roster.b,
            other_shift=shifts[1],
            reason="家中有事",
            actor=cast.member,
        )
    assert not ShiftChange.objects.exists()


def test_one_open_request_per_shift(roster: Roster, shifts: list[Shift]) -> None:
    cover(roster, shifts[0])
    with override("en"), pytest.raises(Conflict, match="open request"):
        cover(roster, shifts[0], colleague=roster.c)
    assert ShiftChange.objects.count() == 1
    assert Event.objects.filter(action="request").count() == 1


def test_approval_is_refused_once_the_shift_changed_hands(
    roster: Roster, shifts: list[Shift]
) -> None:
    cast = roster.cast
    first = cover(roster, shifts[0])
    move(first, "agree", roster.b.user)
    # Meanwhile the shift went to someone else (e.g. an admin's correction).
    Shift.objects.filter(pk=shifts[0].pk).update(member=roster.c)
    with override("en"), pytest.raises(Conflict, match="changed hands"):
        move(first, "approve", cast.staff)
    assert ShiftChange.objects.get(pk=first.pk).status == ShiftChangeStatus.AGREED
    assert Shift.objects.get(pk=shifts[0].pk).member == roster.c
    assert not Event.objects.filter(action="approve").exists()


def test_approval_is_refused_once_a_shift_began_or_was_cancelled(
    roster: Roster, shifts: list[Shift]
) -> None:
    cast = roster.cast
    change = shift_change_request(
        shift=shifts[0],
        kind="swap",
        colleague=roster.c,
        other_shift=shifts[2],
        reason="家中有事",
        actor=cast.member,
    )
    move(change, "agree", roster.c.user)
    begun = datetime(2026, 9, 23, 15, 0, tzinfo=SHANGHAI)
    with time_machine.travel(begun, tick=False), pytest.raises(Conflict):
        move(change, "approve", cast.staff)
    shift_cancel(shift=shifts[2], actor=cast.staff)
    with pytest.raises(Conflict):
        move(change, "approve", cast.staff)
    assert Shift.objects.get(pk=shifts[0].pk).member == roster.a
    assert ShiftChange.objects.get(pk=change.pk).status == ShiftChangeStatus.AGREED


def test_the_lists_and_the_request_are_scoped(roster: Roster, shifts: list[Shift]) -> None:
    cast = roster.cast
    change = cover(roster, shifts[0])
    assert shift_changes_for(user=cast.member).asked_by_me == [change]
    assert shift_changes_for(user=roster.b.user).asked_of_me == [change]
    assert shift_changes_for(user=cast.staff).to_approve == []
    assert shift_change_counts(user=roster.b.user) == {"to_answer": 1, "to_approve": 0}
    move(change, "agree", roster.b.user)
    assert shift_change_counts(user=cast.staff) == {"to_answer": 0, "to_approve": 1}
    assert shift_change_counts(user=cast.outsider) == {"to_answer": 0, "to_approve": 0}
    assert shift_changes_for(user=cast.staff).to_approve == [change]
    assert shift_changes_for(user=cast.outsider).to_approve == []
    for user in (cast.member, roster.b.user, cast.staff, cast.superuser):
        assert shift_change_get(user=user, pk=change.pk) == change
    for user in (roster.c.user, cast.outsider, cast.clerk):
        with pytest.raises(Http404):
            shift_change_get(user=user, pk=change.pk)
