"""Background jobs of the proposals app: the departments' deadline reminders (daily, see
CELERY_BEAT_SCHEDULE) and the email to the proposers when the replies are sent.

Messages are put together here, when the job runs, in the site's language.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


@shared_task(name="proposals.remind_deadlines")
def remind_deadlines() -> int:
    """Remind each department of the replies it owes: `reminder_days` (the committee's
    policy, 7 by default) before the due day, and on the due day (or at the first run
    after it). Each reminder is an event "remind" on the assignment and one email per
    department to its clerks who have an address. Safe to run again: each reminder is
    claimed by a conditional UPDATE of `reminded_before_at` / `reminded_due_at`, so two
    runs at once send it once. Returns how many reminders were given."""
    from xieshang.core.models import ActorKind
    from xieshang.core.services import event_record
    from xieshang.proposals.models import Assignment, AssignmentStatus, ProposalPolicy

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
    candidates = (
        Assignment.objects.filter(
            status__in=open_states,
            reminded_due_at__isnull=True,
            deadline__lt=_day_start(today + timedelta(days=horizon + 1)),
        )
        .select_related("proposal")
        .order_by("deadline", "id")
    )
    lines: dict[int, list[str]] = defaultdict(list)
    given = 0
    with translation.override(settings.LANGUAGE_CODE):
        for assignment in list(candidates):
            due_day = timezone.localdate(assignment.deadline)
            if today >= due_day:
                field = "reminded_due_at"
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
                note = _("The reply is due on %(day)s.") % {"day": due_day.isoformat()}
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
                    action="remind",
                    note=note,
                )
            proposal, role = assignment.proposal, assignment.get_role_display()
            lines[assignment.department_id].append(
                f"{proposal.number or '—'} {proposal.title}（{role}）：{note}"
            )
            given += 1
    for department_id, department_lines in lines.items():
        remind_department.delay(department_id, department_lines)
    return given


@shared_task(name="proposals.remind_department", autoretry_for=(OSError,), max_retries=5)
def remind_department(department_id: int, lines: list[str]) -> int:
    """Email a department's clerks (those with an address) the reminders of one run.
    Returns how many addresses were written to."""
    from xieshang.people.models import Department, DepartmentClerk

    department = Department.objects.filter(pk=department_id).first()
    if department is None:
        return 0
    addresses = sorted(
        {
            email
            for email in DepartmentClerk.objects.filter(
                department=department, user__is_active=True
            ).values_list("user__email", flat=True)
            if email
        }
    )
    if not addresses:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        send_mail(
            subject=_("Proposal replies due: %(department)s") % {"department": department.name},
            message="\n".join(lines),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=addresses,
        )
    return len(addresses)


@shared_task(name="proposals.proposers_notify", autoretry_for=(OSError,), max_retries=5)
def proposers_notify(proposal_id: int) -> int:
    """Email every proposer who has an address (the lead, confirmed co-signers, and those
    of the proposals merged into it) that the replies to the proposal have been sent.
    The event on the proposal is the notice in the site; this is the optional email.
    Returns how many addresses were written to."""
    from xieshang.proposals.models import Proposal
    from xieshang.proposals.services.handling import proposer_seats

    proposal = Proposal.objects.filter(pk=proposal_id).first()
    if proposal is None:
        return 0
    addresses = sorted(
        {
            email
            for email in proposer_seats(proposal)
            .filter(user__is_active=True)
            .values_list("user__email", flat=True)
            if email
        }
    )
    if not addresses:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        send_mail(
            subject=_("Your proposal %(number)s has been replied to")
            % {"number": proposal.number or ""},
            message=_(
                "The departments' replies to your proposal “%(title)s” have been sent. Log in "
                "to read them and to rate them."
            )
            % {"title": proposal.title},
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=addresses,
        )
    return len(addresses)
