"""Writes of the duty roster: patterns, rotations, shift generation, closed dates, and
the swaps and covers members ask of each other (调班/代班).

Every write leaves an event on the record's timeline. A shift's status changes only in
`shift_cancel`; a shift change's status only through `SHIFT_CHANGE_WORKFLOW`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.errors import Conflict, DomainError
from xieshang.core.models import ActorKind, CalendarDay, Committee, DayKind, Event
from xieshang.core.rules import allowed, require
from xieshang.core.services import event_record
from xieshang.duty.models import (
    ACTIVE_BOOKING_STATES,
    Booking,
    ClosedDate,
    DutyAction,
    DutyPattern,
    RotationEntry,
    Shift,
    ShiftChange,
    ShiftChangeKind,
    ShiftStatus,
    Slot,
)
from xieshang.duty.workflow import SHIFT_CHANGE_WORKFLOW, SHIFT_WORKFLOW
from xieshang.people.models import Member
from xieshang.workrooms.models import Workroom, WorkroomStatus

logger = logging.getLogger(__name__)

MAX_WEEKS = 26


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _require_manager(actor: Any, record: Any) -> None:
    """The system may always act; a user must manage rosters in the record's committee."""
    require(actor, "duty.manage_roster", record)


# --- Patterns and rotations ----------------------------------------------------------


@dataclass(frozen=True)
class PatternData:
    weekday: int
    start_time: time
    end_time: time
    slot_minutes: int = 20
    slot_capacity: int = 1
    valid_from: date | None = None
    valid_until: date | None = None
    is_active: bool = True


def _check_pattern(data: PatternData) -> None:
    if not 0 <= data.weekday <= 6:
        raise DomainError(_("Choose a weekday."))
    start = datetime.combine(date(2000, 1, 3), data.start_time)
    end = datetime.combine(date(2000, 1, 3), data.end_time)
    if end <= start:
        raise DomainError(_("The duty must end after it starts."))
    if not 5 <= data.slot_minutes <= 240:
        raise DomainError(_("A talk lasts between 5 and 240 minutes."))
    if end - start < timedelta(minutes=data.slot_minutes):
        raise DomainError(_("The duty is shorter than one talk."))
    if not 1 <= data.slot_capacity <= 50:
        raise DomainError(_("A slot takes between 1 and 50 citizens."))
    if data.valid_from and data.valid_until and data.valid_until < data.valid_from:
        raise DomainError(_("“Valid until” is before “valid from”."))


def _pattern_note(pattern: DutyPattern) -> str:
    return (
        f"{pattern.get_weekday_display()} {pattern.start_time:%H:%M}–{pattern.end_time:%H:%M}, "
        f"{pattern.slot_minutes}′ × {pattern.slot_capacity}"
    )


def pattern_create(*, workroom: Workroom, data: PatternData, actor: Any) -> DutyPattern:
    """A new weekly pattern for the workroom. Its rotation is empty until set."""
    _require_manager(actor, workroom)
    _check_pattern(data)
    with transaction.atomic():
        pattern = DutyPattern.objects.create(
            workroom=workroom,
            weekday=data.weekday,
            start_time=data.start_time,
            end_time=data.end_time,
            slot_minutes=data.slot_minutes,
            slot_capacity=data.slot_capacity,
            valid_from=data.valid_from or timezone.localdate(),
            valid_until=data.valid_until,
            is_active=data.is_active,
        )
        event_record(
            obj=pattern,
            committee_id=workroom.committee_id,
            actor=actor,
            action=DutyAction.PATTERN_CREATE,
            note=_pattern_note(pattern),
        )
    return pattern


def pattern_update(*, pattern: DutyPattern, data: PatternData, actor: Any) -> DutyPattern:
    """Change a pattern. Shifts already generated keep their times and slots; the next
    generation uses the new values."""
    _require_manager(actor, pattern)
    _check_pattern(data)
    with transaction.atomic():
        locked = DutyPattern.objects.select_for_update().get(pk=pattern.pk)
        locked.weekday = data.weekday
        locked.start_time = data.start_time
        locked.end_time = data.end_time
        locked.slot_minutes = data.slot_minutes
        locked.slot_capacity = data.slot_capacity
        locked.valid_from = data.valid_from or locked.valid_from
        locked.valid_until = data.valid_until
        locked.is_active = data.is_active
        locked.save()
        event_record(
            obj=locked,
            committee_id=pattern.workroom.committee_id,
            actor=actor,
            action=DutyAction.PATTERN_UPDATE,
            note=_pattern_note(locked),
        )
    return locked


def rotation_set(*, pattern: DutyPattern, members: Sequence[Member], actor: Any) -> None:
    """Replace the pattern's rotation with `members`, in this order. Each must be a
    member of the workroom's committee, and appear once; a member added must be serving.
    One already in the rotation who has left since may stay while the others are moved
    (generation passes over them; the roster page flags them)."""
    _require_manager(actor, pattern)
    committee_id = pattern.workroom.committee_id
    already = set(RotationEntry.objects.filter(pattern=pattern).values_list("member_id", flat=True))
    seen: set[int] = set()
    for member in members:
        if member.pk in seen:
            raise DomainError(_("%(name)s is in the rotation twice.") % {"name": member.user})
        seen.add(member.pk)
        if member.committee_id != committee_id or not (member.is_active or member.pk in already):
            raise DomainError(
                _("%(name)s does not serve in this committee and cannot take duty here.")
                % {"name": member.user}
            )
    with transaction.atomic():
        DutyPattern.objects.select_for_update().get(pk=pattern.pk)
        RotationEntry.objects.filter(pattern=pattern).delete()
        RotationEntry.objects.bulk_create(
            RotationEntry(pattern=pattern, member=member, position=index)
            for index, member in enumerate(members)
        )
        event_record(
            obj=pattern,
            committee_id=committee_id,
            actor=actor,
            action=DutyAction.ROTATION_SET,
            note="、".join(str(m.user) for m in members) or _("(empty)"),
        )


# --- Shifts --------------------------------------------------------------------------


def closed_days(*, workroom: Workroom, first: date, last: date) -> set[date]:
    """Days from `first` to `last` on which the workroom takes no duty: public holidays
    of the working-day calendar, and the committee's or this workroom's closed dates."""
    holidays = CalendarDay.objects.filter(
        date__gte=first, date__lte=last, kind=DayKind.HOLIDAY
    ).values_list("date", flat=True)
    closed = ClosedDate.objects.filter(
        Q(workroom__isnull=True) | Q(workroom=workroom),
        committee_id=workroom.committee_id,
        date__gte=first,
        date__lte=last,
    ).values_list("date", flat=True)
    return set(holidays) | set(closed)


def _slots(shift: Shift, pattern: DutyPattern) -> list[Slot]:
    """The shift cut into slots of the pattern's length; a last partial slot is dropped."""
    step = timedelta(minutes=pattern.slot_minutes)
    slots = []
    start = shift.starts_at
    while start + step <= shift.ends_at:
        slots.append(
            Slot(shift=shift, starts_at=start, ends_at=start + step, capacity=pattern.slot_capacity)
        )
        start += step
    return slots


def week_index(pattern: DutyPattern, day: date) -> int:
    """Weeks from the week of the pattern's `valid_from` to the week of `day` (Monday to
    Sunday): the shift that week goes to this place of the rotation, modulo its length.

    The index depends on the calendar only, not on which shifts exist, so filling a gap
    later (a day reopened) gives the member whose turn that week was; a closed day or a
    holiday skips that week's member instead of postponing everyone (decision 24)."""
    start = pattern.valid_from - timedelta(days=pattern.valid_from.weekday())
    monday = day - timedelta(days=day.weekday())
    return (monday - start).days // 7


def shifts_generate(
    *, pattern: DutyPattern, weeks: int, actor: Any, start: date | None = None
) -> list[Shift]:
    """Create the pattern's shifts from `start` (today, Beijing time) for `weeks` weeks,
    each split into slots, and return the new ones.

    Idempotent: a day that already has a shift of the pattern is left alone, so running it
    twice creates nothing new. The shift of the n-th week since the pattern's `valid_from`
    (`week_index`) goes to the n-th serving member of the rotation, modulo their number:
    swaps and covers change who sits, never whose turn comes next. Members of the
    rotation who no longer serve (`Member.is_active` false) are passed over: the turns go
    round the serving ones. Closed days, days outside the pattern's validity, shifts
    already begun, inactive patterns and inactive workrooms get nothing. An empty
    rotation, or one where nobody serves any more, is refused."""
    _require_manager(actor, pattern)
    if not 1 <= weeks <= MAX_WEEKS:
        raise DomainError(_("Generate between 1 and %(n)d weeks.") % {"n": MAX_WEEKS})
    zone = _zone()
    first = start or timezone.localdate()
    last = first + timedelta(days=7 * weeks - 1)
    with transaction.atomic():
        # The lock serialises two generations of one pattern (a click and the nightly task).
        locked = (
            DutyPattern.objects.select_for_update().select_related("workroom").get(pk=pattern.pk)
        )
        workroom = locked.workroom
        if not locked.is_active or workroom.status != WorkroomStatus.ACTIVE:
            return []
        rotation = [e.member for e in locked.rotation.select_related("member").order_by("position")]
        if not rotation:
            raise DomainError(
                _("The rotation of “%(pattern)s” is empty: add members before generating shifts.")
                % {"pattern": locked}
            )
        serving = [m for m in rotation if m.is_active]
        if not serving:
            raise DomainError(
                _(
                    "Nobody in the rotation of “%(pattern)s” serves any more: add serving "
                    "members before generating shifts."
                )
                % {"pattern": locked}
            )
        first = max(first, locked.valid_from)
        if locked.valid_until is not None:
            last = min(last, locked.valid_until)
        if last < first:
            return []
        closed = closed_days(workroom=workroom, first=first, last=last)
        taken = set(Shift.objects.filter(pattern=locked).values_list("date", flat=True))
        now = timezone.now()
        day = first + timedelta(days=(locked.weekday - first.weekday()) % 7)
        created: list[Shift] = []
        while day <= last:
            starts_at = datetime.combine(day, locked.start_time, tzinfo=zone)
            if day not in taken and day not in closed and starts_at > now:
                created.append(
                    Shift(
                        committee_id=workroom.committee_id,
                        workroom=workroom,
                        pattern=locked,
                        member=serving[week_index(locked, day) % len(serving)],
                        date=day,
                        starts_at=starts_at,
                        ends_at=datetime.combine(day, locked.end_time, tzinfo=zone),
                    )
                )
            day += timedelta(days=7)
        if not created:
            return []
        for shift in created:
            shift.save()
        Slot.objects.bulk_create([slot for shift in created for slot in _slots(shift, locked)])
        event_record(
            obj=locked,
            committee_id=workroom.committee_id,
            actor=actor,
            action=DutyAction.GENERATE,
            note=_("%(n)d shifts, %(first)s to %(last)s")
            % {
                "n": len(created),
                "first": created[0].date.isoformat(),
                "last": created[-1].date.isoformat(),
            },
        )
    return created


def shifts_cancel_on_holidays(*, actor: Any) -> int:
    """Cancel the scheduled shifts, not yet begun, that fall on a public holiday of the
    working-day calendar — holidays a clerk entered after the shifts were generated.
    A shift with active bookings is left scheduled (its talks must be moved first) and
    logged. A user acts only on the committees whose rosters they manage; the system
    (the nightly task) on all. Returns the number of shifts cancelled."""
    holidays = CalendarDay.objects.filter(kind=DayKind.HOLIDAY, date__gte=timezone.localdate())
    shifts = Shift.objects.filter(
        status=ShiftStatus.SCHEDULED,
        starts_at__gt=timezone.now(),
        date__in=holidays.values("date"),
    ).select_related("workroom", "member__user")
    cancelled = 0
    for shift in shifts.order_by("starts_at", "pk"):
        if not allowed(actor, "duty.manage_roster", shift):
            continue
        try:
            shift_cancel(shift=shift, actor=actor, note=_("Public holiday"))
        except Conflict as error:
            logger.warning("Shift %s on a holiday not cancelled: %s", shift.pk, error.message)
            continue
        cancelled += 1
    return cancelled


def shifts_extend_all(*, weeks: int = 8) -> int:
    """Keep every active pattern of an active workroom generated `weeks` ahead (the
    periodic task), after cancelling the shifts that now fall on a public holiday
    (`shifts_cancel_on_holidays`). Patterns with an empty rotation are skipped; so are,
    with a warning in the log, those whose rotation has nobody serving. Returns shifts
    made."""
    shifts_cancel_on_holidays(actor=ActorKind.SYSTEM)
    total = 0
    patterns = DutyPattern.objects.filter(
        is_active=True, workroom__status=WorkroomStatus.ACTIVE, rotation__isnull=False
    ).distinct()
    for pattern in patterns:
        try:
            total += len(shifts_generate(pattern=pattern, weeks=weeks, actor=ActorKind.SYSTEM))
        except DomainError as error:
            logger.warning("Duty pattern %s not extended: %s", pattern.pk, error.message)
    return total


def _active_bookings(shifts: Sequence[Shift]) -> int:
    return Booking.objects.filter(
        slot__shift__in=[s.pk for s in shifts], status__in=ACTIVE_BOOKING_STATES
    ).count()


def shift_cancel(*, shift: Shift, actor: Any, note: str = "") -> Shift:
    """Cancel a scheduled shift that has no active bookings: its slots are no longer
    bookable. Refused while citizens are booked on it."""

    def unbooked(locked: Shift, _t: object) -> None:
        # Lock the slots too, so a booking racing for one waits for this decision.
        list(Slot.objects.select_for_update().filter(shift=locked).values_list("pk", flat=True))
        booked = _active_bookings([locked])
        if booked:
            raise Conflict(
                _("%(n)d bookings on this shift must be moved or cancelled first.") % {"n": booked}
            )

    SHIFT_WORKFLOW.apply(
        shift,
        action=DutyAction.CANCEL,
        actor=actor,
        note=note,
        expected_state=ShiftStatus.SCHEDULED,
        on_apply=unbooked,
    )
    return shift


# --- Closed dates --------------------------------------------------------------------


def closed_date_add(
    *,
    committee: Committee,
    day: date,
    reason: str,
    actor: Any,
    workroom: Workroom | None = None,
) -> tuple[ClosedDate, int]:
    """Close the committee's workrooms (or one of them) on `day` and cancel the scheduled
    shifts that day. If any of those shifts has active bookings, nothing is changed and
    the message says how many bookings must be moved first. Returns the closed date and
    the number of shifts cancelled."""
    _require_manager(actor, committee)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Please give a reason."))
    if workroom is not None and workroom.committee_id != committee.pk:
        raise DomainError(_("The workroom does not belong to this committee."))
    if day < timezone.localdate():
        raise DomainError(_("A day in the past cannot be closed."))
    with transaction.atomic():
        if ClosedDate.objects.filter(
            Q(workroom__isnull=True) | Q(workroom=workroom), committee=committee, date=day
        ).exists():
            raise Conflict(_("This day is already closed."))
        shifts = Shift.objects.filter(committee=committee, date=day, status=ShiftStatus.SCHEDULED)
        if workroom is not None:
            shifts = shifts.filter(workroom=workroom)
        locked = list(shifts.select_for_update().order_by("pk"))
        list(Slot.objects.select_for_update().filter(shift__in=locked).values_list("pk", flat=True))
        booked = _active_bookings(locked)
        if booked:
            raise Conflict(
                _(
                    "%(n)d bookings that day must be moved or cancelled before the day "
                    "can be closed. Nothing was changed."
                )
                % {"n": booked}
            )
        try:
            with transaction.atomic():
                closed = ClosedDate.objects.create(
                    committee=committee, workroom=workroom, date=day, reason=reason[:60]
                )
        except IntegrityError:
            raise Conflict(_("This day is already closed.")) from None
        event_record(
            obj=closed,
            committee_id=committee.pk,
            actor=actor,
            action=DutyAction.CLOSE,
            note=f"{day.isoformat()} {workroom or committee} {reason}",
        )
        for shift in locked:
            shift_cancel(shift=shift, actor=actor, note=_("Closed: %(r)s") % {"r": reason})
    return closed, len(locked)


def closed_date_remove(*, closed_date: ClosedDate, actor: Any) -> None:
    """Open the day again. Shifts cancelled for it stay cancelled; days without a shift
    are filled by the next generation."""
    _require_manager(actor, closed_date)
    with transaction.atomic():
        event_record(
            obj=closed_date,
            committee_id=closed_date.committee_id,
            actor=actor,
            action=DutyAction.REOPEN,
            note=f"{closed_date.date.isoformat()} {closed_date.reason}",
        )
        closed_date.delete()


# --- Swaps and covers ----------------------------------------------------------------


def _upcoming(shift: Shift, now: datetime) -> bool:
    return shift.status == ShiftStatus.SCHEDULED and shift.starts_at > now


def _busy(member: Member, shift: Shift, *, besides: Sequence[Shift]) -> bool:
    """Whether the member is on duty elsewhere at the time of `shift`."""
    return (
        Shift.objects.filter(
            member=member,
            status=ShiftStatus.SCHEDULED,
            starts_at__lt=shift.ends_at,
            ends_at__gt=shift.starts_at,
        )
        .exclude(pk__in=[s.pk for s in besides])
        .exists()
    )


def shift_change_request(
    *,
    shift: Shift,
    kind: str,
    colleague: Member,
    reason: str,
    actor: Any,
    other_shift: Shift | None = None,
) -> ShiftChange:
    """The member on duty asks a colleague of the same committee to cover the shift, or
    to swap it for one of the colleague's own future shifts. Nothing changes hands until
    the colleague agrees and staff approve. One open request per shift."""
    now = timezone.now()
    reason = reason.strip()
    require(actor, "duty.request_shift", shift)
    if not _upcoming(shift, now):
        raise DomainError(_("This shift has begun, is over or was cancelled."))
    if not reason:
        raise DomainError(_("Please give a reason."))
    if (
        colleague.committee_id != shift.committee_id
        or not colleague.is_active
        or colleague.user_id == shift.member.user_id
    ):
        raise DomainError(_("Ask a colleague who serves in the same committee."))
    if kind == ShiftChangeKind.COVER:
        if other_shift is not None:
            raise DomainError(_("A cover takes no shift in exchange."))
        if _busy(colleague, shift, besides=[shift]):
            raise DomainError(_("Your colleague is on duty elsewhere at that time."))
    elif kind == ShiftChangeKind.SWAP:
        if other_shift is None:
            raise DomainError(_("Choose the colleague's shift you take in exchange."))
        if other_shift.member_id != colleague.pk:
            raise DomainError(_("That shift is not your colleague's."))
        if not _upcoming(other_shift, now):
            raise DomainError(_("Your colleague's shift has begun, is over or was cancelled."))
        if _busy(colleague, shift, besides=[shift, other_shift]) or _busy(
            shift.member, other_shift, besides=[shift, other_shift]
        ):
            raise DomainError(_("One of you is on duty elsewhere at the other's time."))
    else:
        raise DomainError(_("Choose a swap or a cover."))
    try:
        with transaction.atomic():
            change = ShiftChange.objects.create(
                committee_id=shift.committee_id,
                kind=kind,
                shift=shift,
                requested_by=shift.member,
                colleague=colleague,
                other_shift=other_shift if kind == ShiftChangeKind.SWAP else None,
                reason=reason[:200],
            )
            event_record(
                obj=change,
                committee_id=change.committee_id,
                actor=actor,
                action=DutyAction.REQUEST,
                to_state=change.status,
                note=reason,
            )
    except IntegrityError:
        raise Conflict(
            _("This shift already has an open request. Withdraw it before asking again.")
        ) from None
    return change


def _hand_over(shift: Shift, member: Member, actor: Any) -> None:
    previous = shift.member
    shift.member = member
    shift.save(update_fields=["member"])
    Booking.objects.filter(slot__shift=shift, status__in=ACTIVE_BOOKING_STATES).update(
        member=member
    )
    event_record(
        obj=shift,
        committee_id=shift.committee_id,
        actor=actor,
        action=DutyAction.HAND_OVER,
        note=f"{previous.user} → {member.user}",
    )


def shift_change_transition(
    *, change: ShiftChange, action: str, actor: Any, note: str = "", expected_state: str | None
) -> Event:
    """Agree, decline, withdraw, approve or reject a request through its workflow. On
    approval, in the same transaction: a cover gives the shift to the colleague; a swap
    exchanges the two shifts' members; active bookings follow their shift. Approval is
    refused, changing nothing, if a shift has begun, was cancelled or changed hands."""

    def apply_change(locked: ShiftChange, _t: object) -> None:
        if action != "approve":
            return
        now = timezone.now()
        ids = [locked.shift_id] + ([locked.other_shift_id] if locked.other_shift_id else [])
        shifts = {
            s.pk: s
            for s in Shift.objects.select_for_update()
            .select_related("member__user")
            .filter(pk__in=ids)
        }
        shift = shifts[locked.shift_id]
        if not _upcoming(shift, now) or shift.member_id != locked.requested_by_id:
            raise Conflict(_("The shift has begun, was cancelled or changed hands since."))
        colleague = Member.objects.select_related("user").get(pk=locked.colleague_id)
        if locked.kind == ShiftChangeKind.COVER:
            _hand_over(shift, colleague, actor)
            return
        other = shifts[locked.other_shift_id]  # type: ignore[index]
        if not _upcoming(other, now) or other.member_id != locked.colleague_id:
            raise Conflict(
                _("The colleague's shift has begun, was cancelled or changed hands since.")
            )
        asker = shift.member
        _hand_over(shift, colleague, actor)
        _hand_over(other, asker, actor)

    return SHIFT_CHANGE_WORKFLOW.apply(
        change,
        action=action,
        actor=actor,
        note=note,
        expected_state=expected_state,
        on_apply=apply_change,
    )
