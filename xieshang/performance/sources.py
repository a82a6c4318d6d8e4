"""Where a member's record comes from: one small function per kind of record, each reading
what another app already recorded (谁组织谁记录) through that app's selectors, so nothing
is typed twice. `SOURCES` maps a record kind to its function; a function returns the
committee's records of a year as `Record`s."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from xieshang.activities.selectors import activity_participations
from xieshang.consultations.selectors import attendances_of_year
from xieshang.duty.selectors.records import shifts_served, talks_held
from xieshang.opinions.selectors import (
    items_adopted_of_year,
    items_instructed_of_year,
    items_written_of_year,
)
from xieshang.performance.models import (
    ABSENT_KINDS,
    PRESENT_KINDS,
    AttendanceStatus,
    RecordItem,
    RecordKind,
    SessionAttendance,
)
from xieshang.proposals.selectors.records import (
    proposals_accepted,
    proposals_cosigned,
    proposals_excellent,
    proposals_from_suggestions,
    proposals_key,
    proposals_led,
)
from xieshang.research.selectors import group_members_of_year, group_reports_adopted_of_year
from xieshang.suggestions.selectors import suggestion_claims


@dataclass(frozen=True)
class Record:
    member_id: int
    kind: str
    source: str  # which record: "proposal:12", "shift:40", "item:3"
    title: str
    date: date


Source = Callable[[int, int], list[Record]]


def _rows(kind: str, prefix: str, rows: list[tuple[int, int, str, date]]) -> list[Record]:
    return [Record(m, kind, f"{prefix}:{pk}", title[:200], d) for m, pk, title, d in rows]


def _led(cid: int, year: int) -> list[Record]:
    return _rows(RecordKind.PROPOSAL_LEAD, "proposal", proposals_led(committee_id=cid, year=year))


def _cosigned(cid: int, year: int) -> list[Record]:
    rows = proposals_cosigned(committee_id=cid, year=year)
    return _rows(RecordKind.PROPOSAL_COSIGN, "proposal", rows)


def _accepted(cid: int, year: int) -> list[Record]:
    rows = proposals_accepted(committee_id=cid, year=year)
    return _rows(RecordKind.PROPOSAL_ACCEPTED, "proposal", rows)


def _key(cid: int, year: int) -> list[Record]:
    return _rows(RecordKind.PROPOSAL_KEY, "proposal", proposals_key(committee_id=cid, year=year))


def _excellent(cid: int, year: int) -> list[Record]:
    rows = proposals_excellent(committee_id=cid, year=year)
    return _rows(RecordKind.PROPOSAL_EXCELLENT, "proposal", rows)


def _developed(cid: int, year: int) -> list[Record]:
    rows = proposals_from_suggestions(committee_id=cid, year=year)
    return _rows(RecordKind.SUGGESTION_DEVELOPED, "proposal", rows)


def _shifts(cid: int, year: int) -> list[Record]:
    return _rows(RecordKind.SHIFT_SERVED, "shift", shifts_served(committee_id=cid, year=year))


def _talks(cid: int, year: int) -> list[Record]:
    return _rows(RecordKind.TALK_HELD, "talk", talks_held(committee_id=cid, year=year))


# Activities of these kinds (by name; kinds are per committee) are records of their own.
ACTIVITY_KINDS: dict[str, str] = {
    "调研": RecordKind.RESEARCH,
    "视察": RecordKind.RESEARCH,
    "座谈/协商": RecordKind.CONSULTATION,
    "会议": RecordKind.CONSULTATION,
    "培训": RecordKind.TRAINING,
}


def _activity_kind(kind_name: str, in_workroom: bool) -> str:
    if kind_name in ACTIVITY_KINDS:
        return ACTIVITY_KINDS[kind_name]
    return RecordKind.WORKROOM_ACTIVITY if in_workroom else RecordKind.ACTIVITY


def _activities_of(kind: str) -> Source:
    def read(cid: int, year: int) -> list[Record]:
        rows = activity_participations(committee_id=cid, year=year)
        return [
            Record(m, kind, f"activity:{pk}", t[:200], d)
            for m, pk, t, d, in_workroom, kind_name in rows
            if _activity_kind(kind_name, in_workroom) == kind
        ]

    return read


def _claims(cid: int, year: int) -> list[Record]:
    rows = suggestion_claims(committee_id=cid, year=year)
    return _rows(RecordKind.SUGGESTION_CLAIMED, "suggestion", rows)


def _attended(cid: int, year: int) -> list[Record]:
    rows = attendances_of_year(committee_id=cid, year=year)
    return _rows(RecordKind.CONSULTATION_ATTENDED, "meeting", rows)


def _opinions(kind: str, read_rows: Callable[..., list[tuple[int, int, str, date]]]) -> Source:
    def read(cid: int, year: int) -> list[Record]:
        return _rows(kind, "opinion", read_rows(committee_id=cid, year=year))

    return read


def _items(kind: str) -> Source:
    def read(cid: int, year: int) -> list[Record]:
        rows = (
            RecordItem.objects.filter(committee_id=cid, kind=kind, date__year=year)
            .order_by("date", "id")
            .values_list("member_id", "pk", "title", "date")
        )
        return _rows(kind, "item", list(rows))

    return read


def _research_group(cid: int, year: int) -> list[Record]:
    rows = group_members_of_year(committee_id=cid, year=year)
    return _rows(RecordKind.RESEARCH_GROUP, "research", rows)


def _research_report(cid: int, year: int) -> list[Record]:
    rows = group_reports_adopted_of_year(committee_id=cid, year=year)
    return _rows(RecordKind.RESEARCH_REPORT, "report", rows)


def _sessions(kind: str) -> Source:
    """Attendance at the committee's plenary, standing and chairs' meetings (this app's
    own record, kept by the staff who organised them): one record per member and meeting,
    of the kind its attendance makes it."""
    statuses = [s for s, k in ABSENT_KINDS.items() if k == kind]
    meeting_kinds = [m for m, k in PRESENT_KINDS.items() if k == kind]
    if meeting_kinds:
        match = {"status": AttendanceStatus.PRESENT, "session__kind__in": meeting_kinds}
    else:
        match = {"status__in": statuses}

    def read(cid: int, year: int) -> list[Record]:
        rows = (
            SessionAttendance.objects.filter(
                session__committee_id=cid, session__date__year=year, **match
            )
            .order_by("session__date", "session_id", "member_id")
            .values_list("member_id", "session_id", "session__title", "session__date")
        )
        return _rows(kind, "session", list(rows))

    return read


def _joined(*sources: Source) -> Source:
    def read(cid: int, year: int) -> list[Record]:
        return [r for source in sources for r in source(cid, year)]

    return read


SOURCES: dict[str, Source] = {
    RecordKind.PROPOSAL_LEAD: _led,
    RecordKind.PROPOSAL_COSIGN: _cosigned,
    RecordKind.PROPOSAL_ACCEPTED: _accepted,
    RecordKind.PROPOSAL_KEY: _key,
    RecordKind.PROPOSAL_EXCELLENT: _excellent,
    RecordKind.SUGGESTION_DEVELOPED: _developed,
    RecordKind.SHIFT_SERVED: _shifts,
    RecordKind.TALK_HELD: _talks,
    RecordKind.ACTIVITY: _activities_of(RecordKind.ACTIVITY),
    RecordKind.WORKROOM_ACTIVITY: _activities_of(RecordKind.WORKROOM_ACTIVITY),
    RecordKind.RESEARCH: _activities_of(RecordKind.RESEARCH),
    RecordKind.CONSULTATION: _activities_of(RecordKind.CONSULTATION),
    RecordKind.TRAINING: _activities_of(RecordKind.TRAINING),
    RecordKind.SUGGESTION_CLAIMED: _claims,
    RecordKind.CONSULTATION_ATTENDED: _attended,
    RecordKind.OPINION_WRITTEN: _opinions(RecordKind.OPINION_WRITTEN, items_written_of_year),
    RecordKind.OPINION_ADOPTED: _opinions(RecordKind.OPINION_ADOPTED, items_adopted_of_year),
    RecordKind.OPINION_INSTRUCTED: _opinions(
        RecordKind.OPINION_INSTRUCTED, items_instructed_of_year
    ),
    RecordKind.PLENARY_ATTENDED: _sessions(RecordKind.PLENARY_ATTENDED),
    RecordKind.STANDING_ATTENDED: _sessions(RecordKind.STANDING_ATTENDED),
    RecordKind.CHAIRS_ATTENDED: _sessions(RecordKind.CHAIRS_ATTENDED),
    RecordKind.RESEARCH_GROUP: _research_group,
    RecordKind.RESEARCH_REPORT: _research_report,
    RecordKind.OUTSIDE_WORK: _items(RecordKind.OUTSIDE_WORK),
    RecordKind.EXCUSED: _sessions(RecordKind.EXCUSED),
    RecordKind.LEAVE: _joined(_items(RecordKind.LEAVE), _sessions(RecordKind.LEAVE)),
    RecordKind.ABSENCE: _joined(_items(RecordKind.ABSENCE), _sessions(RecordKind.ABSENCE)),
}


def records_of_year(*, committee_id: int, year: int) -> list[Record]:
    """Every record of the committee's year, from every source, in date order."""
    records = [r for read in SOURCES.values() for r in read(committee_id, year)]
    return sorted(records, key=lambda r: (r.date, r.kind, r.source))
