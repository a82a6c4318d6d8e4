"""Who is told what about proposals: a department's clerks of the replies they owe (the
deadline reminders), and the proposers when the replies to their proposal are sent. The
event on the record is the notice in the site; these are the emails, put together in the
job, in the site's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from xieshang.core.jobs import enqueue
from xieshang.people.models import Department, DepartmentClerk
from xieshang.proposals.models import Proposal
from xieshang.proposals.selectors.handling import proposer_seats


def department_remind_tell(*, department_id: int, lines: list[str]) -> None:
    """After the current transaction commits, email the department's clerks `lines`."""
    enqueue("proposals.remind_department", department_id=department_id, lines=lines)


def proposers_tell(*, proposal_id: int) -> None:
    """After the current transaction commits, email the proposers that the replies are sent."""
    enqueue("proposals.proposers_notify", proposal_id=proposal_id)


def department_remind(*, department_id: int, lines: list[str]) -> int:
    """Email a department's clerks (those with an address) the reminders of one run.
    Returns how many addresses were written to."""
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


def proposers_notify(*, proposal_id: int) -> int:
    """Email every proposer who has an address (the lead, confirmed co-signers, and those
    of the proposals merged into it) that the replies to the proposal have been sent.
    The event on the proposal is the notice in the site; this is the optional email.
    Returns how many addresses were written to."""
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
