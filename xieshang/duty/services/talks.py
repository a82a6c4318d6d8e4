"""Writes of the member's side of a booked talk: check-in, no-show, and the talk record
that turns what the citizen raised into suggestions (云工作室 → 百姓提案).

Every state change goes through `BOOKING_WORKFLOW.apply`, which locks the booking, checks
the expected state and the actor's role (the member on duty, or staff of the committee),
and appends the event. The time rules are checked on the locked row inside the same
transaction, so a refused request changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cryptography.fernet import InvalidToken
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.errors import Conflict, DomainError
from xieshang.core.models import Event
from xieshang.core.privacy import decrypt
from xieshang.duty.models import Booking, BookingStatus, DutyAction, Talk
from xieshang.duty.workflow import BOOKING_WORKFLOW
from xieshang.suggestions.models import Category, Channel, Suggestion
from xieshang.suggestions.services import Intake, suggestion_submit

CHECK_IN_EARLY = timedelta(minutes=30)
MAX_ISSUES = 5
TITLE_MAX = 60
CONTENT_MAX = 2000
SUMMARY_MAX = 4000


@dataclass(frozen=True)
class RaisedIssue:
    """One issue the citizen raised in the talk, to become one suggestion."""

    title: str
    content: str
    category: Category | None = None


def _at(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def talk_step_refusal(booking: Booking, action: str, now: datetime) -> str:
    """Why `action` (check_in, no_show, record) cannot be taken on `booking` at `now`, in
    words that say when it can; empty when the time is right. The services refuse with it
    and the page shows it in place of the button, so both follow one rule:
    check-in from 30 minutes before the talk until its end; a no-show and the record of
    the talk once it has begun."""
    if action == DutyAction.CHECK_IN:
        opens = booking.starts_at - CHECK_IN_EARLY
        if now < opens:
            return _("Check-in opens 30 minutes before the talk, at %(time)s.") % {
                "time": _at(opens)
            }
        if now > booking.ends_at:
            return _(
                "The talk ended at %(time)s; it can no longer be checked in. Mark it as a no-show."
            ) % {"time": _at(booking.ends_at)}
    elif action == DutyAction.NO_SHOW and now < booking.starts_at:
        return _("The talk has not begun yet; a no-show can be marked from %(time)s.") % {
            "time": _at(booking.starts_at)
        }
    elif action == DutyAction.RECORD and now < booking.starts_at:
        return _("The talk has not begun yet; it can be recorded from %(time)s.") % {
            "time": _at(booking.starts_at)
        }
    return ""


def _refuse_early_or_late(locked: Booking, action: str) -> None:
    refusal = talk_step_refusal(locked, action, timezone.now())
    if refusal:
        raise DomainError(refusal)


def booking_check_in(*, booking: Booking, actor: Any, expected_state: str | None = None) -> Event:
    """The citizen has come (or joined the video room): confirmed → checked in. Allowed
    from 30 minutes before the start until the end of the talk, for the member on duty
    and staff of the committee."""

    return BOOKING_WORKFLOW.apply(
        booking,
        action=DutyAction.CHECK_IN,
        actor=actor,
        expected_state=expected_state,
        on_apply=lambda locked, _t: _refuse_early_or_late(locked, DutyAction.CHECK_IN),
    )


def booking_no_show(*, booking: Booking, actor: Any, expected_state: str | None = None) -> Event:
    """The citizen did not come: confirmed → no-show, only once the talk has begun."""

    return BOOKING_WORKFLOW.apply(
        booking,
        action=DutyAction.NO_SHOW,
        actor=actor,
        expected_state=expected_state,
        on_apply=lambda locked, _t: _refuse_early_or_late(locked, DutyAction.NO_SHOW),
    )


def _clean_issues(
    booking: Booking, issues: Sequence[RaisedIssue], citizen_consented: bool
) -> list[RaisedIssue]:
    if issues and not citizen_consented:
        raise DomainError(
            _(
                "The citizen has not agreed that their issues become suggestions. "
                "Ask for their consent, or record the talk without issues."
            )
        )
    if len(issues) > MAX_ISSUES:
        raise DomainError(_("At most %(n)d issues per talk.") % {"n": MAX_ISSUES})
    cleaned = []
    for issue in issues:
        title, content = issue.title.strip(), issue.content.strip()
        if not title or len(title) > TITLE_MAX or not content or len(content) > CONTENT_MAX:
            raise DomainError(
                _("Each issue needs a title (up to 60 characters) and what was raised.")
            )
        if issue.category is not None and issue.category.committee_id != booking.committee_id:
            raise DomainError(_("Choose a category of this committee."))
        cleaned.append(RaisedIssue(title=title, content=content, category=issue.category))
    return cleaned


def talk_idempotency_key(booking: Booking, index: int) -> str:
    """The key of the suggestion made from the talk's `index`-th issue: the same on a
    retried form, so a second attempt finds the first one's suggestion."""
    return f"talk-{booking.code}-{index}"


def talk_record(
    *,
    booking: Booking,
    actor: Any,
    summary: str,
    citizen_consented: bool,
    issues: Sequence[RaisedIssue] = (),
) -> Talk:
    """Record a talk in one step and one transaction: the `Talk`, the booking moved from
    checked in to completed (the "record" step of the workflow, by the member on duty or
    staff), and — only with the citizen's consent — one suggestion per raised issue
    (source "entered for a citizen", channel cloud workroom, entered by the actor), linked
    to the talk. Any refusal (not checked in, already recorded, not the actor's talk, issues
    without consent, bad input) leaves no talk, no suggestion and the status unchanged.
    """
    summary = summary.strip()
    if not summary:
        raise DomainError(_("Write down what was raised in the talk."))
    if len(summary) > SUMMARY_MAX:
        raise DomainError(_("The summary is too long (at most 4,000 characters)."))
    cleaned = _clean_issues(booking, issues, citizen_consented)
    if booking.status == BookingStatus.COMPLETED or Talk.objects.filter(booking=booking).exists():
        raise Conflict(_("This talk has already been recorded."))
    if booking.status == BookingStatus.CONFIRMED:
        raise DomainError(_("Check the citizen in before recording the talk."))
    if booking.status != BookingStatus.CHECKED_IN:
        raise DomainError(
            _("This booking is “%(state)s”; there is no talk to record.")
            % {"state": booking.get_status_display()}
        )

    seen = booking.status
    try:
        with transaction.atomic():
            # Locks the booking, checks the actor and that it is still checked in.
            BOOKING_WORKFLOW.apply(
                booking,
                action=DutyAction.RECORD,
                actor=actor,
                # No note: the step is public (the citizen's timeline), the summary is not.
                expected_state=BookingStatus.CHECKED_IN,
                on_apply=lambda locked, _t: _refuse_early_or_late(locked, DutyAction.RECORD),
            )
            talk = Talk.objects.create(
                booking=booking,
                recorded_by=actor,
                summary=summary,
                citizen_consented=citizen_consented,
            )
            made: list[Suggestion] = []
            if cleaned:
                try:
                    phone = decrypt(booking.phone_encrypted) if booking.phone_encrypted else ""
                except InvalidToken:
                    raise DomainError(
                        _("The citizen's number cannot be read. Ask an administrator.")
                    ) from None
                workroom = booking.workroom
                for index, issue in enumerate(cleaned, start=1):
                    suggestion, _created = suggestion_submit(
                        intake=Intake(
                            committee=booking.committee,
                            title=issue.title,
                            content=issue.content,
                            category=issue.category,
                            channel=Channel.CLOUD,
                            # A workroom suspended since the talk takes no suggestions; the
                            # talk still happened, so they are kept without it.
                            workroom=workroom if workroom.is_active else None,
                            citizen_name=booking.citizen_name,
                            phone=phone,
                            idempotency_key=talk_idempotency_key(booking, index),
                        ),
                        entered_by=actor,
                    )
                    made.append(suggestion)
                talk.suggestions.set(made)
            return talk
    except BaseException:
        # Rolled back: the caller's copy of the booking keeps the state it had.
        booking.status = seen
        raise
