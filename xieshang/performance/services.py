"""Writes of the performance app: point schemes and rules (with history), the records
staff enter, and the computation of points from records and rules. Points are never
stored by hand: `points_recompute` is the only writer of `MemberYear` and `RecordLine`."""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from xieshang.activities.models import Activity
from xieshang.core.errors import DomainError
from xieshang.core.jobs import enqueue
from xieshang.core.models import ActorKind, Committee
from xieshang.core.rules import require
from xieshang.core.services import event_record
from xieshang.core.uploads import MAX_FILE_BYTES, file_kind
from xieshang.people.models import Member
from xieshang.people.selectors import member_groups
from xieshang.performance.models import (
    DEDUCTING_KINDS,
    ITEM_KINDS,
    AttendanceStatus,
    BaselineReminder,
    CommitteeSession,
    LivelihoodResult,
    MemberYear,
    PerformanceAction,
    PointClass,
    PointRule,
    PointRuleChange,
    PointScheme,
    RecordItem,
    RecordKind,
    RecordLine,
    ResultAction,
    ResultStatus,
    SessionAttendance,
    SessionKind,
    WorkroomPlan,
)
from xieshang.performance.sources import Record, records_of_year
from xieshang.proposals.models import Proposal
from xieshang.suggestions.models import Suggestion
from xieshang.suggestions.notifications import public_step_tell
from xieshang.workrooms.models import Workroom

# The scheme a committee starts from: (kind, points, cap per year or None, class).
DEFAULT_RULES: tuple[tuple[str, int, int | None, str], ...] = (
    (RecordKind.PROPOSAL_LEAD, 5, 20, PointClass.BASE),
    (RecordKind.PROPOSAL_COSIGN, 1, 5, PointClass.BASE),
    (RecordKind.PROPOSAL_ACCEPTED, 3, 15, PointClass.ADDITIONAL),
    (RecordKind.PROPOSAL_KEY, 5, None, PointClass.REWARD),
    (RecordKind.PROPOSAL_EXCELLENT, 10, None, PointClass.REWARD),
    (RecordKind.SHIFT_SERVED, 2, 24, PointClass.BASE),
    (RecordKind.TALK_HELD, 1, 12, PointClass.ADDITIONAL),
    (RecordKind.ACTIVITY, 2, 20, PointClass.BASE),
    (RecordKind.WORKROOM_ACTIVITY, 2, 20, PointClass.BASE),
    (RecordKind.RESEARCH, 3, 15, PointClass.BASE),
    (RecordKind.CONSULTATION, 2, 20, PointClass.BASE),
    (RecordKind.TRAINING, 1, 5, PointClass.BASE),
    (RecordKind.SUGGESTION_CLAIMED, 1, 5, PointClass.ADDITIONAL),
    (RecordKind.SUGGESTION_DEVELOPED, 3, 15, PointClass.ADDITIONAL),
    (RecordKind.CONSULTATION_ATTENDED, 2, 20, PointClass.BASE),
    (RecordKind.OPINION_WRITTEN, 1, 10, PointClass.ADDITIONAL),
    (RecordKind.OPINION_ADOPTED, 3, 15, PointClass.ADDITIONAL),
    (RecordKind.OPINION_INSTRUCTED, 5, None, PointClass.REWARD),
    (RecordKind.PLENARY_ATTENDED, 5, None, PointClass.BASE),
    (RecordKind.STANDING_ATTENDED, 3, None, PointClass.BASE),
    (RecordKind.CHAIRS_ATTENDED, 2, None, PointClass.BASE),
    (RecordKind.RESEARCH_GROUP, 3, 9, PointClass.BASE),
    (RecordKind.RESEARCH_REPORT, 3, 9, PointClass.ADDITIONAL),
    (RecordKind.OUTSIDE_WORK, 2, 10, PointClass.ADDITIONAL),
    (RecordKind.EXCUSED, 1, 5, PointClass.BASE),
    (RecordKind.LEAVE, 0, None, PointClass.BASE),
    (RecordKind.ABSENCE, -2, 10, PointClass.BASE),
)
DEFAULT_BASELINE = 20


def _rule_dict(rule: PointRule | None) -> dict[str, Any] | None:
    if rule is None:
        return None
    return {"points": rule.points, "cap": rule.cap, "class": rule.point_class}


# --- Schemes and rules ------------------------------------------------------------------


def scheme_create(*, committee: Committee, year: int, actor: Any) -> PointScheme:
    """The committee's scheme for `year`: a copy of its latest earlier scheme, or the
    default rules. Each rule is in the history as a change from nothing."""
    require(actor, "performance.manage_rules", committee)
    if not 2000 <= year <= 2100:
        raise DomainError(_("Choose a year between 2000 and 2100."))
    with transaction.atomic():
        Committee.objects.select_for_update().get(pk=committee.pk)
        if PointScheme.objects.filter(committee=committee, year=year).exists():
            raise DomainError(_("The committee already has a point scheme for this year."))
        earlier = (
            PointScheme.objects.filter(committee=committee, year__lt=year).order_by("-year").first()
        )
        scheme = PointScheme.objects.create(
            committee=committee,
            year=year,
            baseline=earlier.baseline if earlier else DEFAULT_BASELINE,
        )
        if earlier is not None:
            rules = [(r.kind, r.points, r.cap, r.point_class) for r in earlier.rules.all()]
            # Kinds of record added since the earlier year was set up start from the defaults.
            known = set(earlier.changes.values_list("kind", flat=True))
            rules += [(str(k), p, c, str(cl)) for k, p, c, cl in DEFAULT_RULES if k not in known]
        else:
            rules = [(str(k), p, c, str(cl)) for k, p, c, cl in DEFAULT_RULES]
        user = None if actor == ActorKind.SYSTEM else actor
        for kind, points, cap, point_class in rules:
            rule = PointRule.objects.create(
                scheme=scheme, kind=kind, points=points, cap=cap, point_class=point_class
            )
            PointRuleChange.objects.create(
                scheme=scheme, kind=kind, before=None, after=_rule_dict(rule), changed_by=user
            )
        event_record(
            obj=scheme,
            committee_id=committee.pk,
            actor=actor,
            action=PerformanceAction.SCHEME_CREATE,
            note=str(year),
        )
    points_recompute(committee_id=committee.pk, year=year)
    return scheme


def scheme_complete(*, scheme: PointScheme, actor: Any = ActorKind.SYSTEM) -> list[str]:
    """Give a scheme set up before a kind of record existed the default rule for it, each
    as a change from nothing in the history. A kind the scheme's history already names
    (a rule staff set, changed or removed) is left as it is, so running it again changes
    nothing. Returns the kinds added; the year is recomputed when there were any."""
    if actor != ActorKind.SYSTEM:
        require(actor, "performance.manage_rules", scheme)
    user = None if actor == ActorKind.SYSTEM else actor
    with transaction.atomic():
        PointScheme.objects.select_for_update().get(pk=scheme.pk)
        known = set(scheme.changes.values_list("kind", flat=True)) | set(
            scheme.rules.values_list("kind", flat=True)
        )
        added: list[str] = []
        for kind, points, cap, point_class in DEFAULT_RULES:
            if kind in known:
                continue
            rule = PointRule.objects.create(
                scheme=scheme, kind=kind, points=points, cap=cap, point_class=point_class
            )
            PointRuleChange.objects.create(
                scheme=scheme, kind=kind, before=None, after=_rule_dict(rule), changed_by=user
            )
            added.append(str(kind))
        if added:
            event_record(
                obj=scheme,
                committee_id=scheme.committee_id,
                actor=actor,
                action=PerformanceAction.SCHEME_COMPLETE,
                note="、".join(str(RecordKind(k).label) for k in added),
            )
            points_recompute(committee_id=scheme.committee_id, year=scheme.year)
    return added


def schemes_complete(*, year: int | None = None) -> int:
    """`scheme_complete` for every scheme (of `year`, or all); returns how many gained
    rules. Safe to run again."""
    schemes = PointScheme.objects.order_by("year", "id")
    if year is not None:
        schemes = schemes.filter(year=year)
    return sum(1 for scheme in schemes if scheme_complete(scheme=scheme))


@dataclass(frozen=True)
class RuleInput:
    kind: str
    points: int
    cap: int | None
    point_class: str


def _check_rule(data: RuleInput) -> None:
    if data.kind not in RecordKind.values:
        raise DomainError(_("Choose one of the kinds of record."))
    if data.point_class not in PointClass.values:
        raise DomainError(_("Choose base, additional or reward points."))
    if not -100 <= data.points <= 100:
        raise DomainError(_("Points of a rule must be between -100 and 100."))
    if data.points < 0 and data.kind not in DEDUCTING_KINDS:
        raise DomainError(
            _("Only absence without leave may deduct points: the total cannot go negative.")
        )
    if data.cap is not None:
        if data.cap < 0:
            raise DomainError(_("A cap cannot be negative."))
        if data.points > 0 and data.cap < data.points:
            raise DomainError(_("The cap is below the points of a single record."))


def rule_set(*, scheme: PointScheme, data: RuleInput, actor: Any) -> PointRule:
    """Set the rule for one kind of record (a scheme has one rule per kind, so rules
    never overlap); the change joins the history and the year's points are recomputed."""
    require(actor, "performance.manage_rules", scheme)
    _check_rule(data)
    with transaction.atomic():
        PointScheme.objects.select_for_update().get(pk=scheme.pk)
        rule = PointRule.objects.filter(scheme=scheme, kind=data.kind).first()
        before = _rule_dict(rule)
        if rule is None:
            rule = PointRule(scheme=scheme, kind=data.kind)
        rule.points, rule.cap, rule.point_class = data.points, data.cap, data.point_class
        after = _rule_dict(rule)
        if before == after:
            return rule
        rule.save()
        PointRuleChange.objects.create(
            scheme=scheme, kind=data.kind, before=before, after=after, changed_by=actor
        )
        event_record(
            obj=scheme,
            committee_id=scheme.committee_id,
            actor=actor,
            action=PerformanceAction.RULE_CHANGE,
            note=f"{RecordKind(data.kind).label}: {before} → {after}",
        )
        points_recompute(committee_id=scheme.committee_id, year=scheme.year)
    return rule


def rule_remove(*, scheme: PointScheme, kind: str, actor: Any) -> None:
    """Remove the rule for a kind: its records stay in the record and earn nothing."""
    require(actor, "performance.manage_rules", scheme)
    with transaction.atomic():
        PointScheme.objects.select_for_update().get(pk=scheme.pk)
        rule = PointRule.objects.filter(scheme=scheme, kind=kind).first()
        if rule is None:
            raise DomainError(_("The scheme has no rule for this kind of record."))
        before = _rule_dict(rule)
        rule.delete()
        PointRuleChange.objects.create(
            scheme=scheme, kind=kind, before=before, after=None, changed_by=actor
        )
        event_record(
            obj=scheme,
            committee_id=scheme.committee_id,
            actor=actor,
            action=PerformanceAction.RULE_CHANGE,
            note=f"{RecordKind(kind).label}: {before} → —",
        )
        points_recompute(committee_id=scheme.committee_id, year=scheme.year)


def baseline_set(*, scheme: PointScheme, baseline: int, actor: Any) -> PointScheme:
    """The points below which a member is flagged to staff for the year."""
    require(actor, "performance.manage_rules", scheme)
    if not 0 <= baseline <= 10000:
        raise DomainError(_("The baseline must be between 0 and 10000 points."))
    with transaction.atomic():
        locked = PointScheme.objects.select_for_update().get(pk=scheme.pk)
        if locked.baseline == baseline:
            return locked
        note = f"{locked.baseline} → {baseline}"
        locked.baseline = baseline
        locked.save(update_fields=["baseline", "updated_at"])
        event_record(
            obj=locked,
            committee_id=locked.committee_id,
            actor=actor,
            action=PerformanceAction.BASELINE_CHANGE,
            note=note,
        )
    return locked


# --- Records staff enter ------------------------------------------------------------------


@dataclass(frozen=True)
class ItemInput:
    member: Member
    kind: str
    title: str
    date: date
    note: str = ""
    evidence: bytes | None = None
    evidence_name: str = ""


def item_record(*, committee: Committee, data: ItemInput, actor: Any) -> RecordItem:
    """Enter work outside the platform (with evidence), leave or absence for a member;
    the member's year is recomputed."""
    require(actor, "performance.enter_item", committee)
    if data.member.committee_id != committee.pk:
        raise DomainError(_("Only the committee's own members can be named."))
    if data.kind not in ITEM_KINDS:
        raise DomainError(_("Choose outside work, leave or absence."))
    if not data.title.strip():
        raise DomainError(_("Say what the record is about."))
    if data.date > timezone.localdate():
        raise DomainError(_("A record cannot be entered for a date in the future."))
    ext = None
    if data.evidence is not None:
        # A document or an image judged by its content (core.uploads), as every upload.
        if len(data.evidence) > MAX_FILE_BYTES:
            raise DomainError(_("Evidence may be at most 10 MB."))
        ext = file_kind(data.evidence)
        if ext is None:
            raise DomainError(_("Evidence must be a document (PDF, Word) or an image (JPEG, PNG)."))
    elif data.kind == RecordKind.OUTSIDE_WORK:
        raise DomainError(
            _("Work outside the platform needs evidence: attach a document or image.")
        )
    if RecordItem.objects.filter(
        member=data.member, kind=data.kind, date=data.date, title=data.title.strip()[:120]
    ).exists():  # before any file is stored
        raise DomainError(_("This record has already been entered for the member."))
    try:
        with transaction.atomic():
            item = RecordItem(
                committee=committee,
                member=data.member,
                kind=data.kind,
                title=data.title.strip()[:120],
                date=data.date,
                note=data.note.strip(),
                entered_by=actor,
            )
            if data.evidence is not None:
                item.evidence.save(f"evidence.{ext}", ContentFile(data.evidence), save=False)
            item.save()
            event_record(
                obj=item,
                committee_id=committee.pk,
                actor=actor,
                action=PerformanceAction.ITEM_RECORD,
                note=f"{data.member.user} · {item.get_kind_display()} · {item.title}",
            )
            points_recompute(committee_id=committee.pk, year=data.date.year)
    except IntegrityError:
        raise DomainError(_("This record has already been entered for the member.")) from None
    return item


def item_remove(*, item: RecordItem, actor: Any) -> None:
    """Withdraw an entered record (entered by mistake); the member's year is recomputed."""
    require(actor, "performance.enter_item", item)
    with transaction.atomic():
        event_record(
            obj=item,
            committee_id=item.committee_id,
            actor=actor,
            action=PerformanceAction.ITEM_REMOVE,
            note=f"{item.member.user} · {item.get_kind_display()} · {item.title}",
        )
        year = item.date.year
        if item.evidence:
            item.evidence.delete(save=False)
        item.delete()
        points_recompute(committee_id=item.committee_id, year=year)


# --- Plenary, standing and chairs' meetings ---------------------------------------------


@dataclass(frozen=True)
class SessionInput:
    kind: str
    date: date
    title: str


@dataclass(frozen=True)
class AttendanceInput:
    member: Member
    status: str
    reason: str = ""


def session_create(*, committee: Committee, data: SessionInput, actor: Any) -> CommitteeSession:
    """Record a plenary session, standing committee meeting or chairs' meeting the
    committee held (谁组织谁记录); attendance is recorded on it afterwards."""
    require(actor, "performance.record_sessions", committee)
    title = data.title.strip()[:120]
    if data.kind not in SessionKind.values:
        raise DomainError(_("Choose a plenary session, standing committee or chairs' meeting."))
    if not title:
        raise DomainError(_("Give the meeting a title."))
    if data.date > timezone.localdate():
        raise DomainError(_("A meeting cannot be recorded for a date in the future."))
    if CommitteeSession.objects.filter(
        committee=committee, kind=data.kind, date=data.date, title=title
    ).exists():
        raise DomainError(_("This meeting has already been recorded."))
    try:
        with transaction.atomic():
            session = CommitteeSession.objects.create(
                committee=committee, kind=data.kind, date=data.date, title=title, created_by=actor
            )
            event_record(
                obj=session,
                committee_id=committee.pk,
                actor=actor,
                action=PerformanceAction.SESSION_CREATE,
                note=f"{session.get_kind_display()} · {title}",
            )
    except IntegrityError:
        raise DomainError(_("This meeting has already been recorded.")) from None
    return session


def _check_attendance(session: CommitteeSession, entry: AttendanceInput) -> str:
    if entry.member.committee_id != session.committee_id:
        raise DomainError(_("Only the committee's own members can be named."))
    if entry.status not in AttendanceStatus.values:
        raise DomainError(_("Choose present, on leave, excused or absent."))
    reason = entry.reason.strip()[:200]
    if entry.status == AttendanceStatus.LEAVE and not reason:
        raise DomainError(_("Leave needs its reason (请假事由)."))
    return reason


def attendance_record(
    *, session: CommitteeSession, entries: list[AttendanceInput], actor: Any
) -> list[SessionAttendance]:
    """Record members' attendance at a session, all or nothing: a member named twice, one
    already recorded (change that one instead) or of another committee refuses the lot.
    The members' year is recomputed at once."""
    require(actor, "performance.record_sessions", session)
    if not entries:
        raise DomainError(_("Name at least one member."))
    reasons = [_check_attendance(session, entry) for entry in entries]
    ids = [entry.member.pk for entry in entries]
    if len(set(ids)) != len(ids):
        raise DomainError(_("A member is named twice: record each member's attendance once."))
    try:
        with transaction.atomic():
            CommitteeSession.objects.select_for_update().get(pk=session.pk)
            if SessionAttendance.objects.filter(session=session, member_id__in=ids).exists():
                raise DomainError(
                    _("A member's attendance at this meeting is already recorded: change it.")
                )
            made = []
            for entry, reason in zip(entries, reasons, strict=True):
                attendance = SessionAttendance.objects.create(
                    session=session,
                    member=entry.member,
                    status=entry.status,
                    reason=reason,
                    recorded_by=actor,
                )
                event_record(
                    obj=session,
                    committee_id=session.committee_id,
                    actor=actor,
                    action=PerformanceAction.ATTENDANCE_RECORD,
                    note=f"{entry.member.user} · {attendance.get_status_display()}"
                    + (f" · {reason}" if reason else ""),
                )
                made.append(attendance)
            points_recompute(committee_id=session.committee_id, year=session.date.year)
    except IntegrityError:
        raise DomainError(
            _("A member's attendance at this meeting is already recorded: change it.")
        ) from None
    return made


def attendance_change(
    *, attendance: SessionAttendance, status: str, reason: str, actor: Any
) -> SessionAttendance:
    """Correct one member's attendance (present, leave with its reason, excused, absent);
    the change is on the session's timeline and the year is recomputed."""
    session = attendance.session
    require(actor, "performance.record_sessions", session)
    reason = _check_attendance(
        session, AttendanceInput(member=attendance.member, status=status, reason=reason)
    )
    with transaction.atomic():
        locked = SessionAttendance.objects.select_for_update().get(pk=attendance.pk)
        before = locked.get_status_display()
        if (locked.status, locked.reason) == (status, reason):
            return locked
        locked.status, locked.reason, locked.recorded_by = status, reason, actor
        locked.save(update_fields=["status", "reason", "recorded_by", "recorded_at"])
        event_record(
            obj=session,
            committee_id=session.committee_id,
            actor=actor,
            action=PerformanceAction.ATTENDANCE_CHANGE,
            note=f"{locked.member.user} · {before} → {locked.get_status_display()}"
            + (f" · {reason}" if reason else ""),
        )
        points_recompute(committee_id=session.committee_id, year=session.date.year)
    return locked


# --- Points ------------------------------------------------------------------------------


def _lines_for(
    records: list[Record], rules: dict[str, PointRule]
) -> list[tuple[Record, int, str, bool]]:
    """(record, points, class, over the cap) for one member's records of a year: earning
    records in date order up to each kind's cap, then deductions (at most the kind's cap a
    year), none taking the total below zero."""
    earned: dict[str, int] = defaultdict(int)
    out: list[tuple[Record, int, str, bool]] = []
    deductions: list[Record] = []
    for record in records:
        rule = rules.get(record.kind)
        if rule is None:
            out.append((record, 0, PointClass.BASE, False))
            continue
        if rule.points < 0:
            deductions.append(record)
            continue
        points = rule.points
        if rule.cap is not None:
            points = max(0, min(points, rule.cap - earned[record.kind]))
        earned[record.kind] += points
        out.append((record, points, rule.point_class, points == 0 and rule.points > 0))
    total = sum(p for _r, p, _c, _x in out)
    deducted: dict[str, int] = defaultdict(int)
    for record in deductions:
        rule = rules[record.kind]
        points = max(rule.points, -total)
        if rule.cap is not None:  # at most `cap` points deducted a year for the kind
            points = max(points, -(rule.cap - deducted[record.kind]))
        deducted[record.kind] -= points
        total += points
        out.append((record, points, rule.point_class, points == 0))
    return out


def points_recompute(*, committee_id: int, year: int) -> int:
    """Rebuild every member's record and points of the committee's year from the records
    (sources.py) and the year's rules; returns the number of members. Without a scheme
    the records are kept with no points."""
    scheme = PointScheme.objects.filter(committee_id=committee_id, year=year).first()
    rules = {r.kind: r for r in scheme.rules.all()} if scheme else {}
    members = {m.pk for m in member_groups(committee_id=committee_id)}
    by_member: dict[int, list[Record]] = defaultdict(list)
    seen: set[tuple[int, str, str]] = set()
    for record in records_of_year(committee_id=committee_id, year=year):
        key = (record.member_id, record.kind, record.source)
        if record.member_id in members and key not in seen:  # a record counts once
            seen.add(key)
            by_member[record.member_id].append(record)
    now = timezone.now()
    with transaction.atomic():
        Committee.objects.select_for_update().get(pk=committee_id)
        RecordLine.objects.filter(
            member_year__committee_id=committee_id, member_year__year=year
        ).delete()
        MemberYear.objects.filter(committee_id=committee_id, year=year).exclude(
            member_id__in=members
        ).delete()
        existing = {
            my.member_id: my
            for my in MemberYear.objects.filter(committee_id=committee_id, year=year)
        }
        new_lines: list[RecordLine] = []
        for member_id in members:
            lines = _lines_for(by_member.get(member_id, []), rules)
            sums = dict.fromkeys(PointClass.values, 0)
            for _record, points, point_class, _capped in lines:
                sums[point_class] += points
            my = existing.get(member_id) or MemberYear(
                committee_id=committee_id, member_id=member_id, year=year
            )
            my.base, my.additional, my.reward = (
                sums[PointClass.BASE],
                sums[PointClass.ADDITIONAL],
                sums[PointClass.REWARD],
            )
            my.total = my.base + my.additional + my.reward
            my.records = len(lines)
            my.computed_at = now
            my.save()
            for record, points, point_class, capped in lines:
                new_lines.append(
                    RecordLine(
                        member_year=my,
                        kind=record.kind,
                        source=record.source,
                        title=record.title,
                        date=record.date,
                        points=points,
                        point_class=point_class,
                        capped=capped,
                    )
                )
        RecordLine.objects.bulk_create(new_lines)
    return len(members)


def points_recompute_all(*, year: int | None = None) -> int:
    """Every committee with a point scheme for the year (this year, and in January the
    past one too, by default): the nightly job, which first gives the schemes the default
    rules of kinds of record added since they were set up (`scheme_complete`). Returns the
    number of committees."""
    today = timezone.localdate()
    # In January the past year is still being recorded (谁组织谁记录 takes a few days).
    years = [year] if year else ([today.year - 1, today.year] if today.month == 1 else [today.year])
    for scheme_year in years:  # rules for kinds of record added since a scheme was set up
        schemes_complete(year=scheme_year)
    ids = list(PointScheme.objects.filter(year__in=years).values_list("committee_id", "year"))
    for committee_id, scheme_year in ids:
        points_recompute(committee_id=committee_id, year=scheme_year)
    return len({committee_id for committee_id, _year in ids})


def points_recompute_for(*, committee: Committee, year: int, actor: Any) -> int:
    """A staff member's "recompute now"."""
    require(actor, "performance.manage_rules", committee)
    count = points_recompute(committee_id=committee.pk, year=year)
    scheme = PointScheme.objects.filter(committee=committee, year=year).first()
    if scheme is not None:
        event_record(
            obj=scheme,
            committee_id=committee.pk,
            actor=actor,
            action=PerformanceAction.RECOMPUTE,
            note=str(count),
        )
    return count


# --- Members below the baseline, flagged to staff ------------------------------------------


def checkpoints_of(year: int) -> list[date]:
    """The days of the year on which staff are told who is below the pro-rata baseline
    (settings.PERFORMANCE_CHECKPOINTS, "MM-DD"; by default the end of each of the first
    three quarters and 30 November, a month before the year closes)."""
    days = []
    for text in settings.PERFORMANCE_CHECKPOINTS:
        month, day = (int(x) for x in text.split("-"))
        if (month, day) != (2, 29) or calendar.isleap(year):
            days.append(date(year, month, day))
    return sorted(days)


def pro_rata(baseline: int, day: date) -> int:
    """The points a member should have by `day` to be on course for the year's baseline:
    the baseline times the share of the year gone, rounded up (so "below" is exact)."""
    start = date(day.year, 1, 1)
    days = (date(day.year + 1, 1, 1) - start).days
    gone = (day - start).days + 1
    return -(-baseline * gone // days)


def below_baseline_remind_due(*, today: date | None = None) -> int:
    """At each checkpoint of the year (the latest one passed, once), tell each committee's
    staff which serving members are below the pro-rata baseline: a `BaselineReminder`
    (their 我的工作 count and list), an event on the scheme, and an email to the staff
    with an address. Safe to run again: the reminder row is unique per scheme and
    checkpoint. Returns the number of committees whose staff were told."""
    today = today or timezone.localdate()
    passed = [c for c in checkpoints_of(today.year) if c <= today]
    if not passed:
        return 0
    checkpoint = passed[-1]
    given = 0
    schemes = PointScheme.objects.filter(year=today.year, baseline__gt=0).order_by("id")
    for scheme in schemes.exclude(reminders__checkpoint=checkpoint):
        due = pro_rata(scheme.baseline, checkpoint)
        # from today's records: a member seated since the last recompute is counted too
        points_recompute(committee_id=scheme.committee_id, year=scheme.year)
        below = list(
            MemberYear.objects.filter(
                committee_id=scheme.committee_id,
                year=scheme.year,
                total__lt=due,
                member__is_active=True,
            )
            .order_by("total", "member__user__name", "id")
            .values_list("member_id", "total")
        )
        try:
            with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
                reminder = BaselineReminder.objects.create(
                    scheme=scheme,
                    checkpoint=checkpoint,
                    due=due,
                    members=[member_id for member_id, _total in below],
                )
                if below:
                    event_record(
                        obj=scheme,
                        committee_id=scheme.committee_id,
                        actor=ActorKind.SYSTEM,
                        action=PerformanceAction.BELOW_BASELINE,
                        note=_("%(day)s: %(count)d members below %(due)d points")
                        % {"day": checkpoint.isoformat(), "count": len(below), "due": due},
                    )
                    enqueue("performance.remind_staff", reminder_id=reminder.pk)
        except IntegrityError:  # another run took this checkpoint
            continue
        given += 1 if below else 0
    return given


# --- Livelihood results (民生实事) and 三个一 ----------------------------------------------


@dataclass(frozen=True)
class ResultInput:
    title: str
    place: str = ""
    department: str = ""
    figures: str = ""
    description: str = ""
    workroom: Workroom | None = None


def result_create(*, committee: Committee, data: ResultInput, actor: Any) -> LivelihoodResult:
    """Record a livelihood result (planned); its causes are linked afterwards."""
    require(actor, "performance.manage_results", committee)
    if not data.title.strip():
        raise DomainError(_("Say what was fixed or built."))
    if data.workroom is not None and data.workroom.committee_id != committee.pk:
        raise DomainError(_("The workroom belongs to another committee; choose one of yours."))
    if LivelihoodResult.objects.filter(committee=committee, title=data.title.strip()).exists():
        raise DomainError(_("The committee already has a livelihood result of this title."))
    with transaction.atomic():
        result = LivelihoodResult.objects.create(
            committee=committee,
            workroom=data.workroom,
            title=data.title.strip(),
            place=data.place.strip(),
            department=data.department.strip(),
            figures=data.figures.strip(),
            description=data.description.strip(),
            created_by=actor,
        )
        event_record(
            obj=result,
            committee_id=committee.pk,
            actor=actor,
            action=ResultAction.RESULT_CREATE,
            note=result.title,
        )
    return result


def result_link(
    *,
    result: LivelihoodResult,
    actor: Any,
    suggestions: list[Suggestion] | None = None,
    proposals: list[Proposal] | None = None,
) -> LivelihoodResult:
    """Link the suggestions and proposals that led to the result: only the committee's
    own; a citizen whose suggestion joins a result already done is told."""
    require(actor, "performance.manage_results", result)
    suggestions, proposals = suggestions or [], proposals or []
    if any(s.committee_id != result.committee_id for s in suggestions) or any(
        p.committee_id != result.committee_id for p in proposals
    ):
        raise DomainError(_("Only the committee's own suggestions and proposals can be linked."))
    with transaction.atomic():
        locked = LivelihoodResult.objects.select_for_update().get(pk=result.pk)
        known = set(locked.suggestions.values_list("pk", flat=True))
        new = [s for s in suggestions if s.pk not in known]
        locked.suggestions.add(*suggestions)
        locked.proposals.add(*proposals)
        names = [s.tracking_code for s in suggestions] + [p.number or str(p.pk) for p in proposals]
        event_record(
            obj=locked,
            committee_id=locked.committee_id,
            actor=actor,
            action=ResultAction.RESULT_LINK,
            note="、".join(names),
        )
        if locked.status == ResultStatus.DONE:
            for suggestion in new:
                _tell_done(locked, suggestion)
    return locked


def _tell_done(result: LivelihoodResult, suggestion: Suggestion) -> None:
    public_step_tell(
        suggestion=suggestion,
        text=_("it contributed to a livelihood result now done: %(title)s")
        % {"title": result.title},
    )


def result_set_status(
    *, result: LivelihoodResult, status: str, actor: Any, done_on: date | None = None
) -> LivelihoodResult:
    """Planned → under way → done (or back, to correct); when done, the citizens whose
    suggestions led to it are told."""
    require(actor, "performance.manage_results", result)
    if status not in ResultStatus.values:
        raise DomainError(_("Choose planned, under way or done."))
    with transaction.atomic():
        locked = LivelihoodResult.objects.select_for_update().get(pk=result.pk)
        before = locked.status
        if before == status:
            return locked
        locked.status = status
        locked.done_on = (done_on or timezone.localdate()) if status == ResultStatus.DONE else None
        if locked.done_on and locked.done_on > timezone.localdate():
            raise DomainError(_("A result cannot be done on a date in the future."))
        locked.save(update_fields=["status", "done_on"])
        event_record(
            obj=locked,
            committee_id=locked.committee_id,
            actor=actor,
            action=ResultAction.RESULT_STATUS,
            from_state=before,
            to_state=status,
            is_public=True,
        )
        if status == ResultStatus.DONE:
            for suggestion in locked.suggestions.all():
                _tell_done(locked, suggestion)
    return locked


@dataclass(frozen=True)
class PlanInput:
    research: str
    proposal_topic: str
    livelihood_topic: str


def plan_set(*, workroom: Workroom, year: int, data: PlanInput, actor: Any) -> WorkroomPlan:
    """A workroom's 三个一 for a year: what each one will be."""
    require(actor, "performance.manage_results", workroom)
    if not (
        data.research.strip() and data.proposal_topic.strip() and data.livelihood_topic.strip()
    ):
        raise DomainError(
            _("Name all three: the research, the proposal and the livelihood result.")
        )
    if not 2000 <= year <= 2100:
        raise DomainError(_("Choose a year between 2000 and 2100."))
    with transaction.atomic():
        plan, _created = WorkroomPlan.objects.select_for_update().get_or_create(
            workroom=workroom,
            year=year,
            defaults={"committee_id": workroom.committee_id},
        )
        plan.research = data.research.strip()[:120]
        plan.proposal_topic = data.proposal_topic.strip()[:120]
        plan.livelihood_topic = data.livelihood_topic.strip()[:120]
        plan.save()
        event_record(
            obj=plan,
            committee_id=workroom.committee_id,
            actor=actor,
            action=ResultAction.PLAN_SET,
            note=f"{plan.research} / {plan.proposal_topic} / {plan.livelihood_topic}",
        )
    return plan


def plan_fulfil(
    *,
    plan: WorkroomPlan,
    actor: Any,
    research: Activity | None = None,
    proposal: Proposal | None = None,
    livelihood: LivelihoodResult | None = None,
) -> WorkroomPlan:
    """Link the records that fulfil a 三个一 plan: the committee's own only."""
    require(actor, "performance.manage_results", plan)
    for record in (research, proposal, livelihood):
        if record is not None and record.committee_id != plan.committee_id:
            raise DomainError(_("Only the committee's own records can fulfil its 三个一."))
    with transaction.atomic():
        locked = WorkroomPlan.objects.select_for_update().get(pk=plan.pk)
        if research is not None:
            locked.research_activity = research
        if proposal is not None:
            locked.proposal = proposal
        if livelihood is not None:
            locked.livelihood = livelihood
        locked.save()
        event_record(
            obj=locked,
            committee_id=locked.committee_id,
            actor=actor,
            action=ResultAction.PLAN_FULFIL,
            note=", ".join(str(r) for r in (research, proposal, livelihood) if r is not None),
        )
    return locked
