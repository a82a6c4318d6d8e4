"""Read-only facts of a committee's year the duty record (履职档案, the performance app)
is built from: shifts served and talks held. Rows are `(member_id, record_id, title,
date)`; not scoped to a user (the point computation shows them only to whom may see)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from xieshang.duty.models import Shift, ShiftStatus, Talk

Row = tuple[int, int, str, date]


def shifts_served(*, committee_id: int, year: int, until: date | None = None) -> list[Row]:
    """Shifts of the year that were not cancelled and have taken place (up to `until`,
    today by default)."""
    until = until or timezone.localdate()
    rows = (
        Shift.objects.filter(
            committee_id=committee_id,
            date__year=year,
            date__lte=until,
            status=ShiftStatus.SCHEDULED,
        )
        .order_by("date", "id")
        .values_list("member_id", "pk", "workroom__name", "date")
    )
    return list(rows)


def talks_held(*, committee_id: int, year: int) -> list[Row]:
    """Talks with citizens the member held and recorded in the year."""
    rows = (
        Talk.objects.filter(booking__committee_id=committee_id, booking__starts_at__year=year)
        .order_by("booking__starts_at", "id")
        .values_list("booking__member_id", "pk", "booking__topic", "booking__starts_at")
    )
    return [(m, pk, t, timezone.localdate(at)) for m, pk, t, at in rows]
