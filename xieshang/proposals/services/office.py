"""Writes of the proposal office: review (立案 with its number, 不立案, 并案), assignment
to departments (交办) and their return requests, re-handling (重办) and closing (办结), key
proposals (重点提案) and their supervision (督办), excellent proposals (优秀提案).

Every state change goes through a workflow (`PROPOSAL_WORKFLOW`, `ASSIGNMENT_WORKFLOW`,
and `KEY_WORKFLOW` for the leaders' decision); each service is one transaction
that either does all of its writes or none.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from xieshang.core.errors import Conflict, DomainError
from xieshang.core.models import ActorKind, Event
from xieshang.core.rules import require
from xieshang.core.services import event_record
from xieshang.core.workflow import Transition
from xieshang.people.models import Department, LeaderPosition
from xieshang.proposals import hooks
from xieshang.proposals.models import (
    OPINION_DAYS,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Conversion,
    ExcellentProposal,
    KeyProposal,
    KeyStatus,
    NotAcceptedReason,
    Proposal,
    ProposalAction,
    ProposalNumberCounter,
    ProposalPolicy,
    ProposalRating,
    ProposalStatus,
    Satisfaction,
    SupervisionActivity,
    SupervisionKind,
)
from xieshang.proposals.notifications import department_remind_tell
from xieshang.proposals.selectors.office import MERGE_TARGET_STATES
from xieshang.proposals.workflow import ASSIGNMENT_WORKFLOW, KEY_WORKFLOW, PROPOSAL_WORKFLOW

P = ProposalStatus
# A proposal may be nominated as key, or selected as excellent, once it has a number and
# until it is closed (excellent: also after).
NUMBERED = (P.ACCEPTED, P.ASSIGNED, P.HANDLING, P.REPLIED, P.REHANDLING)
# The proposal is handled (again) at most this many rounds: the first and one 重办.
MAX_ROUNDS = 2


# --- Dates ------------------------------------------------------------------------------


def add_months(moment: datetime, months: int) -> datetime:
    """The same local time `months` later; the 31st becomes the last day of a shorter
    month (31 January + 1 month = 28 or 29 February)."""
    local = timezone.localtime(moment)
    index = local.month - 1 + months
    year, month = local.year + index // 12, index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


def handling_deadline(policy: ProposalPolicy, *, start: datetime, urgent: bool) -> datetime:
    if urgent:
        return start + timedelta(days=policy.urgent_days)
    return add_months(start, policy.handling_months)


# --- Review -----------------------------------------------------------------------------


def _next_sequence(committee_id: int, year: int) -> int:
    """Take the next sequence of the committee's year under the counter's row lock. The
    lock is held until the accepting transaction ends, so two clerks accepting at once get
    consecutive numbers; a rolled-back acceptance gives its number back with it."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                counter, _created = ProposalNumberCounter.objects.select_for_update().get_or_create(
                    committee_id=committee_id, year=year
                )
            break
        except IntegrityError:  # another transaction created the row first: lock that one
            continue
    else:  # pragma: no cover - the row exists after the first failed insert
        raise Conflict()
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def proposal_accept(
    *, proposal: Proposal, actor: Any, expected_state: str | None = None, note: str = ""
) -> Event:
    """立案: the proposal gets the next number of its committee's year, in the format of
    the committee's policy. The number is unique in the database and never given again;
    a second acceptance is refused (409)."""
    policy = ProposalPolicy.for_committee(proposal.committee_id)

    def give_number(locked: Proposal, _t: Transition) -> None:
        if locked.number:
            raise Conflict(_("This proposal already has a number."))
        now = timezone.now()
        year = timezone.localdate(now).year
        sequence = _next_sequence(locked.committee_id, year)
        try:
            number = policy.number_format.format(year=year, seq=sequence)
        except (KeyError, IndexError, ValueError):
            raise DomainError(
                _("The committee's number format is not valid. Correct it in the administration.")
            ) from None
        locked.year, locked.sequence, locked.number = year, sequence, number[:40]
        locked.accepted_at = now
        hooks.proposal_saved(locked)  # its number is searchable from now on

    try:
        with transaction.atomic():
            return PROPOSAL_WORKFLOW.apply(
                proposal,
                action=ProposalAction.ACCEPT,
                actor=actor,
                note=note,
                expected_state=expected_state,
                on_apply=give_number,
            )
    except IntegrityError:
        # Only a number format without {seq} can repeat a number: nothing was saved.
        raise Conflict(
            _("This number has been given already. Check the committee's number format.")
        ) from None
    finally:
        proposal.refresh_from_db()


def proposal_reject(
    *,
    proposal: Proposal,
    actor: Any,
    reason: str,
    note: str = "",
    conversion: str = Conversion.NONE,
    expected_state: str | None = None,
) -> Event:
    """不立案 with one of the standard reasons, optionally converted to an opinion and
    suggestion (意见建议) or public-opinion information (社情民意). The proposer reads the
    reason on the proposal's timeline."""
    if reason not in NotAcceptedReason.values:
        raise DomainError(_("Choose the reason it is not accepted."))
    if conversion not in Conversion.values:
        raise DomainError(_("Choose what it is converted to."))
    text = str(NotAcceptedReason(reason).label)
    if note.strip():
        text = f"{text}：{note.strip()}"
    if conversion:
        text = f"{text}\n{Conversion(conversion).label}"

    def set_reason(locked: Proposal, _t: Transition) -> None:
        locked.not_accepted_reason = reason
        locked.conversion = conversion

    try:
        with transaction.atomic():
            event = PROPOSAL_WORKFLOW.apply(
                proposal,
                action=ProposalAction.REJECT,
                actor=actor,
                note=text,
                expected_state=expected_state,
                on_apply=set_reason,
            )
            if conversion == Conversion.SOCIAL_OPINION:
                proposal.refresh_from_db()
                hooks.converted_to_opinion(proposal, actor)  # the 社情民意 draft
    finally:
        proposal.refresh_from_db()
    return event


def proposal_merge(*, proposals: Sequence[Proposal], into: Proposal, actor: Any) -> list[Event]:
    """并案: the `proposals` (each awaiting review) are handled together with `into`,
    the main proposal. Each moves to 已并案 with `merged_into` set and a public step on its
    timeline; its proposers follow the main proposal's handling and read its reply."""
    if not proposals:
        raise DomainError(_("Choose the proposals to merge."))
    ids = {p.pk for p in proposals}
    if into.pk in ids:
        raise DomainError(_("A proposal cannot be merged into itself."))
    if any(p.committee_id != into.committee_id for p in proposals):
        raise DomainError(_("Only proposals of the same committee can be merged."))
    try:
        return _merge(proposals, main_pk=into.pk, label=into.number or into.title, actor=actor)
    finally:
        for proposal in proposals:
            proposal.refresh_from_db()


def _merge(proposals: Sequence[Proposal], *, main_pk: int, label: str, actor: Any) -> list[Event]:
    events: list[Event] = []
    with transaction.atomic():
        main = Proposal.objects.select_for_update().get(pk=main_pk)
        if main.status not in MERGE_TARGET_STATES:
            raise Conflict(
                _("The main proposal is “%(state)s”; choose another one.")
                % {"state": main.get_status_display()}
            )

        def link(locked: Proposal, _t: Transition) -> None:
            locked.merged_into = main

        for proposal in sorted(proposals, key=lambda p: p.pk):
            events.append(
                PROPOSAL_WORKFLOW.apply(
                    proposal,
                    action=ProposalAction.MERGE,
                    actor=actor,
                    note=_("Handled together with %(main)s") % {"main": label},
                    expected_state=P.SUBMITTED,
                    on_apply=link,
                )
            )
        event_record(
            obj=main,
            committee_id=main.committee_id,
            actor=actor,
            action=ProposalAction.MERGE,
            note=_("Handled together with: %(others)s")
            % {"others": "；".join(p.title for p in sorted(proposals, key=lambda p: p.pk))},
            is_public=True,
        )
    return events


# --- Assignment -------------------------------------------------------------------------


def _check_departments(committee_id: int, departments: Sequence[Department]) -> None:
    if len({d.pk for d in departments}) != len(departments):
        raise DomainError(_("A department can take only one part of a proposal."))
    for department in departments:
        if department.committee_id != committee_id or not department.is_active:
            raise DomainError(
                _("%(name)s is not an active department of this committee.")
                % {"name": department.name}
            )


def _create_assignments(
    proposal: Proposal,
    parts: Sequence[tuple[Department, str]],
    *,
    round_: int,
    now: datetime,
    deadline: datetime,
    return_by: datetime,
    instructions: str = "",
) -> list[Assignment]:
    try:
        with transaction.atomic():
            return [
                Assignment.objects.create(
                    committee_id=proposal.committee_id,
                    proposal=proposal,
                    department=department,
                    role=role,
                    round=round_,
                    deadline=deadline,
                    return_by=return_by,
                    assigned_at=now,
                    instructions=instructions,
                )
                for department, role in parts
            ]
    except IntegrityError:
        raise Conflict(
            _("One of these departments already holds this proposal. Reload the page.")
        ) from None


def proposal_assign(
    *,
    proposal: Proposal,
    actor: Any,
    lead: Department | None = None,
    co_handlers: Sequence[Department] = (),
    split_handlers: Sequence[Department] = (),
    urgent: bool = False,
    instructions: str = "",
    expected_state: str | None = None,
) -> list[Assignment]:
    """交办: to a lead department (主办) with co-handlers (会办), or split (分办) to two or
    more departments that each reply. The reply is due `handling_months` from now (or
    `urgent_days` when urgent); a department may ask to return it for `return_days`.
    `instructions` (交办意见) is kept on each assignment for the departments to read; it is
    internal, so the public step's note names only the departments."""
    if lead is not None and split_handlers:
        raise DomainError(_("Assign to a lead department or split it, not both."))
    if lead is None and not split_handlers:
        raise DomainError(_("Choose the lead department, or the departments to split it to."))
    if lead is None and co_handlers:
        raise DomainError(_("Co-handlers work with a lead department."))
    if lead is None and len(split_handlers) < 2:
        raise DomainError(_("Split it to at least two departments, or choose a lead."))
    parts: list[tuple[Department, str]] = (
        [(lead, AssignmentRole.LEAD), *((d, AssignmentRole.CO) for d in co_handlers)]
        if lead is not None
        else [(d, AssignmentRole.SPLIT) for d in split_handlers]
    )
    _check_departments(proposal.committee_id, [d for d, _role in parts])
    policy = ProposalPolicy.for_committee(proposal.committee_id)
    now = timezone.now()
    deadline = handling_deadline(policy, start=now, urgent=urgent)
    return_by = now + timedelta(days=policy.return_days)

    def set_deadline(locked: Proposal, _t: Transition) -> None:
        locked.is_urgent = urgent
        locked.deadline = deadline

    note = "；".join(f"{d.name}（{AssignmentRole(role).label}）" for d, role in parts)
    with transaction.atomic():
        PROPOSAL_WORKFLOW.apply(
            proposal,
            action=ProposalAction.ASSIGN,
            actor=actor,
            note=note,
            expected_state=expected_state,
            on_apply=set_deadline,
        )
        assignments = _create_assignments(
            proposal,
            parts,
            round_=1,
            now=now,
            deadline=deadline,
            return_by=return_by,
            instructions=instructions.strip(),
        )
    proposal.refresh_from_db()
    return assignments


def assignment_accept_return(
    *, assignment: Assignment, actor: Any, note: str = "", expected_state: str | None = None
) -> Event:
    """Take back an assignment the department asked to return; give it to another
    department next (`assignment_reassign`)."""
    return ASSIGNMENT_WORKFLOW.apply(
        assignment,
        action=ProposalAction.ACCEPT_RETURN,
        actor=actor,
        note=note,
        expected_state=expected_state,
    )


def assignment_refuse_return(
    *, assignment: Assignment, actor: Any, reason: str, expected_state: str | None = None
) -> Event:
    """The department keeps the assignment: it is back to awaiting sign-for, with the
    office's reason on its timeline."""
    return ASSIGNMENT_WORKFLOW.apply(
        assignment,
        action=ProposalAction.REFUSE_RETURN,
        actor=actor,
        note=reason,
        expected_state=expected_state,
    )


def assignment_reassign(
    *, assignment: Assignment, department: Department, actor: Any
) -> Assignment:
    """Give a returned assignment's part to another department, in the same round and
    role, with a fresh deadline. Each returned assignment is given on once."""
    with transaction.atomic():
        returned = Assignment.objects.select_for_update().get(pk=assignment.pk)
        proposal = Proposal.objects.select_for_update().get(pk=returned.proposal_id)
        require(actor, "proposals.reassign_assignment", returned)
        if returned.status != AssignmentStatus.RETURNED:
            raise Conflict(_("Take the assignment back before giving it to another department."))
        if Event.objects.for_object(returned).filter(action=ProposalAction.REASSIGN).exists():
            raise Conflict(_("This assignment has already been given to another department."))
        if proposal.status not in (P.ASSIGNED, P.HANDLING, P.REHANDLING):
            raise Conflict(
                _("The proposal is “%(state)s”; it cannot be given to a department now.")
                % {"state": proposal.get_status_display()}
            )
        if department.pk == returned.department_id:
            raise DomainError(_("Choose another department than the one that returned it."))
        _check_departments(proposal.committee_id, [department])
        policy = ProposalPolicy.for_committee(proposal.committee_id)
        now = timezone.now()
        months = policy.rehandle_months if returned.round > 1 else policy.handling_months
        deadline = (
            now + timedelta(days=policy.urgent_days)
            if proposal.is_urgent
            else add_months(now, months)
        )
        (new,) = _create_assignments(
            proposal,
            [(department, returned.role)],
            round_=returned.round,
            now=now,
            deadline=deadline,
            return_by=now + timedelta(days=policy.return_days),
        )
        if proposal.deadline is None or proposal.deadline < deadline:
            proposal.deadline = deadline
            proposal.save(update_fields=["deadline"])
        note = _("%(old)s → %(new)s (%(role)s)") % {
            "old": returned.department.name,
            "new": department.name,
            "role": new.get_role_display(),
        }
        event_record(
            obj=returned,
            committee_id=proposal.committee_id,
            actor=actor,
            action=ProposalAction.REASSIGN,
            note=note,
        )
        event_record(
            obj=proposal,
            committee_id=proposal.committee_id,
            actor=actor,
            action=ProposalAction.REASSIGN,
            note=note,
            is_public=True,
        )
    return new


# --- After the replies ------------------------------------------------------------------


def proposal_rehandle(
    *, proposal: Proposal, actor: Any, note: str, expected_state: str | None = None
) -> list[Assignment]:
    """重办 after a proposer rated the round's replies 不满意: the departments of the last
    round (lead, co-handlers, split handlers) get it again in a new round, due
    `rehandle_months` from now. A proposal is re-handled once."""
    policy = ProposalPolicy.for_committee(proposal.committee_id)
    now = timezone.now()
    deadline = add_months(now, policy.rehandle_months)

    def set_deadline(row: Proposal, _t: Transition) -> None:
        row.deadline = deadline

    try:
        return _rehandle(proposal, actor, note, expected_state, policy, now, deadline, set_deadline)
    finally:
        proposal.refresh_from_db()


def _rehandle(
    proposal: Proposal,
    actor: Any,
    note: str,
    expected_state: str | None,
    policy: ProposalPolicy,
    now: datetime,
    deadline: datetime,
    set_deadline: Any,
) -> list[Assignment]:
    with transaction.atomic():
        # The workflow checks the state and the office's role first; the rules of 重办
        # below roll its step back when they refuse.
        PROPOSAL_WORKFLOW.apply(
            proposal,
            action=ProposalAction.REHANDLE,
            actor=actor,
            note=note,
            expected_state=expected_state,
            on_apply=set_deadline,
        )
        locked = Proposal.objects.get(pk=proposal.pk)
        current = max(locked.assignments.values_list("round", flat=True), default=0)
        if current >= MAX_ROUNDS:
            raise Conflict(_("This proposal has been re-handled once already."))
        if not ProposalRating.objects.filter(
            proposal=locked, round=current, value=Satisfaction.DISSATISFIED
        ).exists():
            raise DomainError(
                _("Re-handling is ordered after a proposer rated the reply dissatisfied.")
            )
        last = sorted(
            locked.assignments.filter(round=current)
            .exclude(status=AssignmentStatus.RETURNED)
            .select_related("department"),
            key=lambda a: (a.role == AssignmentRole.CO, a.pk),  # the lead first
        )
        return _create_assignments(
            locked,
            [(a.department, a.role) for a in last],
            round_=current + 1,
            now=now,
            deadline=deadline,
            return_by=now + timedelta(days=policy.return_days),
        )


def proposal_close(
    *, proposal: Proposal, actor: Any, note: str = "", expected_state: str | None = None
) -> Event:
    """办结: the replies are in and no re-handling is ordered."""
    event = PROPOSAL_WORKFLOW.apply(
        proposal, action=ProposalAction.CLOSE, actor=actor, note=note, expected_state=expected_state
    )
    proposal.refresh_from_db()
    return event


# --- Key and excellent proposals --------------------------------------------------------


def key_nominate(*, proposal: Proposal, actor: Any, reason: str) -> KeyProposal:
    """The proposal office nominates a numbered proposal as a key proposal (重点提案);
    the chairs' meeting decides."""
    require(actor, "proposals.nominate_key_proposal", proposal)
    if not reason.strip():
        raise DomainError(_("Say why it should be a key proposal."))
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.status not in NUMBERED:
            raise Conflict(
                _("A proposal is nominated once it is accepted and until it is replied.")
            )
        if KeyProposal.objects.filter(proposal=locked).exists():
            raise Conflict(_("This proposal has been nominated already."))
        key = KeyProposal.objects.create(
            proposal=locked,
            committee_id=locked.committee_id,
            reason=reason.strip(),
            nominated_by=actor,
        )
        event_record(
            obj=locked,
            committee_id=locked.committee_id,
            actor=actor,
            action=ProposalAction.NOMINATE_KEY,
            note=reason,
        )
    return key


def key_decide(
    *,
    key: KeyProposal,
    actor: Any,
    chosen: bool,
    supervisors: Sequence[LeaderPosition] = (),
    note: str = "",
    expected_state: str | None = KeyStatus.NOMINATED,
) -> Event:
    """The chairs' meeting (or the chair) chooses a nominated proposal as a key proposal,
    naming the leaders who supervise it, or declines it."""
    if chosen and not supervisors:
        raise DomainError(_("Name at least one supervising leader."))
    if any(s.committee_id != key.committee_id for s in supervisors):
        raise DomainError(_("Supervising leaders are leaders of the same committee."))
    names = "、".join(f"{s.user}（{s.get_title_display()}）" for s in supervisors)
    text = "\n".join(part for part in (names, note.strip()) if part)
    with transaction.atomic():
        event = KEY_WORKFLOW.apply(
            key,
            action=ProposalAction.CHOOSE if chosen else "decline",
            actor=actor,
            note=text,
            expected_state=expected_state,
        )
        if chosen:
            key.supervisors.set(supervisors)
        event_record(
            obj=key.proposal,
            committee_id=key.committee_id,
            actor=actor,
            action=ProposalAction.KEY_DECIDED,
            note=f"{KeyStatus(key.status).label}\n{text}".strip(),
            is_public=chosen,
        )
    return event


def supervision_record(
    *,
    key: KeyProposal,
    actor: Any,
    kind: str,
    happened_on: date,
    participants: str,
    agreed: str,
) -> SupervisionActivity:
    """A supervision activity (督办: visit, symposium, inspection) of a chosen key
    proposal, with who took part and what was agreed; by the proposal office or a
    leader of the committee."""
    require(actor, "proposals.supervise_keyproposal", key)
    if kind not in SupervisionKind.values:
        raise DomainError(_("Choose the kind of activity."))
    if not participants.strip() or not agreed.strip():
        raise DomainError(_("Write who took part and what was agreed."))
    if happened_on > timezone.localdate():
        raise DomainError(_("Record an activity once it has taken place."))
    with transaction.atomic():
        locked = KeyProposal.objects.select_for_update().get(pk=key.pk)
        if locked.status != KeyStatus.CHOSEN:
            raise Conflict(_("Supervision is recorded for chosen key proposals."))
        activity = SupervisionActivity.objects.create(
            key=locked,
            kind=kind,
            happened_on=happened_on,
            participants=participants.strip(),
            agreed=agreed.strip(),
            created_by=actor,
        )
        event_record(
            obj=locked.proposal,
            committee_id=locked.committee_id,
            actor=actor,
            action=ProposalAction.SUPERVISE,
            note=f"{activity.get_kind_display()} {happened_on:%Y-%m-%d}：{agreed.strip()}",
        )
    return activity


def excellent_select(
    *, proposal: Proposal, actor: Any, year: int, reason: str
) -> ExcellentProposal:
    """优秀提案: the proposal office selects a numbered proposal as one of the year's
    excellent proposals, with the reasons; once a year per proposal."""
    require(actor, "proposals.excellent_proposal", proposal)
    if not reason.strip():
        raise DomainError(_("Give the reasons for the selection."))
    this_year = timezone.localdate().year
    if not 2000 <= year <= this_year:
        raise DomainError(_("Choose a year up to this one."))
    if proposal.status not in (*NUMBERED, P.CLOSED) or not proposal.number:
        raise Conflict(_("Only accepted proposals can be selected."))
    try:
        with transaction.atomic():
            award = ExcellentProposal.objects.create(
                proposal=proposal,
                committee_id=proposal.committee_id,
                year=year,
                reason=reason.strip(),
                selected_by=actor,
            )
            event_record(
                obj=proposal,
                committee_id=proposal.committee_id,
                actor=actor,
                action=ProposalAction.EXCELLENT,
                note=f"{year}：{reason.strip()}",
                is_public=True,
            )
    except IntegrityError:
        raise Conflict(_("It has been selected for this year already.")) from None
    return award


# --- Deadline reminders ------------------------------------------------------------------


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def assignments_remind_due() -> int:
    """Remind each department of the replies it owes: `reminder_days` (the committee's
    policy, 7 by default) before the due day, and on the due day (or at the first run
    after it). A co-handler is reminded of its opinion (会签), due `opinion_due`; once that
    is overdue the office may waive it (`coopinion_waive`). Each reminder is an event
    "remind" on the assignment and one email per department to its clerks who have an
    address. Safe to run again: each reminder is
    claimed by a conditional UPDATE of `reminded_before_at` / `reminded_due_at`, so two
    runs at once send it once. Returns how many reminders were given."""
    open_states = (
        AssignmentStatus.ASSIGNED,
        AssignmentStatus.SIGNED,
        AssignmentStatus.REPLY_DRAFTED,
    )
    now = timezone.now()
    today = timezone.localdate(now)
    default_days = ProposalPolicy().reminder_days
    days_of = dict(ProposalPolicy.objects.values_list("committee_id", "reminder_days"))
    horizon = max([default_days, *days_of.values()])
    limit = _day_start(today + timedelta(days=horizon + 1))
    candidates = (
        Assignment.objects.filter(
            Q(deadline__lt=limit)
            | Q(role=AssignmentRole.CO, assigned_at__lt=limit - timedelta(days=OPINION_DAYS)),
            status__in=open_states,
            reminded_due_at__isnull=True,
        )
        .select_related("proposal")
        .order_by("deadline", "id")
    )
    lines: dict[int, list[str]] = defaultdict(list)
    given = 0
    with translation.override(settings.LANGUAGE_CODE):
        for assignment in list(candidates):
            opinion_due = assignment.opinion_due
            due_day = timezone.localdate(opinion_due or assignment.deadline)
            if today >= due_day:
                field = "reminded_due_at"
                if opinion_due is not None:
                    note = (
                        _("The co-handling opinion (会签) is due today (%(day)s).")
                        if today == due_day
                        else _(
                            "The co-handling opinion (会签) was due on %(day)s and is "
                            "overdue; the office may record that it is waived."
                        )
                    ) % {"day": due_day.isoformat()}
                else:
                    note = (
                        _("The reply is due today (%(day)s).")
                        if today == due_day
                        else _("The reply was due on %(day)s and is overdue.")
                    ) % {"day": due_day.isoformat()}
            elif (
                today
                >= due_day - timedelta(days=days_of.get(assignment.committee_id, default_days))
                and assignment.reminded_before_at is None
            ):
                field = "reminded_before_at"
                note = (
                    _("The co-handling opinion (会签) is due on %(day)s.")
                    if opinion_due is not None
                    else _("The reply is due on %(day)s.")
                ) % {"day": due_day.isoformat()}
            else:
                continue
            with transaction.atomic():
                claimed = Assignment.objects.filter(
                    pk=assignment.pk, status__in=open_states, **{f"{field}__isnull": True}
                ).update(**{field: now})
                if not claimed:
                    continue
                if field == "reminded_due_at":
                    # The due-day reminder makes the earlier one pointless.
                    Assignment.objects.filter(
                        pk=assignment.pk, reminded_before_at__isnull=True
                    ).update(reminded_before_at=now)
                event_record(
                    obj=assignment,
                    committee_id=assignment.committee_id,
                    actor=ActorKind.SYSTEM,
                    action=ProposalAction.REMIND,
                    note=note,
                )
            proposal, role = assignment.proposal, assignment.get_role_display()
            lines[assignment.department_id].append(
                f"{proposal.number or '—'} {proposal.title}（{role}）：{note}"
            )
            given += 1
    for department_id, department_lines in lines.items():
        department_remind_tell(department_id=department_id, lines=department_lines)
    return given
