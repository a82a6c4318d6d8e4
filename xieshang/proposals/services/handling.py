"""Writes of the department's side of a proposal: sign-for (签收) or asking to return it,
progress notes and contacts with the proposer, the co-handlers' opinions (会签), the reply
drafted by the lead (or a split handler) and approved by the department head, and the
proposers' ratings.

Every state change goes through `ASSIGNMENT_WORKFLOW.apply` (or `PROPOSAL_WORKFLOW.apply`
for the steps that follow from it, taken by SYSTEM in the same transaction): the row is
locked, the state and the actor's role are checked, and the event is appended. The rules
of each step are checked on the locked row, so a refused request changes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.errors import Conflict, DomainError
from xieshang.core.models import ActorKind, Event
from xieshang.core.rules import require
from xieshang.core.services import event_record
from xieshang.core.uploads import DOCUMENT_KINDS, CleanFile, file_clean
from xieshang.core.workflow import Transition
from xieshang.proposals.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    ContactStage,
    CoOpinion,
    Grade,
    ProgressNote,
    Proposal,
    ProposalAction,
    ProposalRating,
    ProposalStatus,
    Reply,
    Satisfaction,
)
from xieshang.proposals.notifications import proposers_tell
from xieshang.proposals.selectors.handling import RATEABLE_STATES, proposer_seats, rating_round
from xieshang.proposals.workflow import ASSIGNMENT_WORKFLOW, PROPOSAL_WORKFLOW

A = AssignmentStatus
# The roles that write a reply of their own; co-handlers give an opinion instead.
REPLYING_ROLES = (AssignmentRole.LEAD, AssignmentRole.SPLIT)
# A department notes its work once it has signed for the proposal, and after its reply
# (办后沟通) too.
NOTE_STATES = (A.SIGNED, A.REPLY_DRAFTED, A.REPLIED)

NOTE_MAX = 4000
OPINION_MAX = 4000
REPLY_MAX = 20000
COMMENT_MAX = 2000
REASON_MAX = 2000
MAX_LETTER_BYTES = 10 * 1024 * 1024


def _when(moment: Any) -> str:
    return str(timezone.localtime(moment).strftime("%Y-%m-%d %H:%M"))


# --- The reply letter (答复函) ----------------------------------------------------------


def letter_clean(upload: UploadedFile) -> CleanFile:
    """The uploaded reply letter, judged by its content (`core.uploads`): a PDF, a Word
    document (.docx or .doc) or a scanned image (JPG, PNG), at most 10 MB. Raises
    `DomainError` otherwise."""
    return file_clean(
        upload,
        kinds=DOCUMENT_KINDS,
        max_bytes=MAX_LETTER_BYTES,
        too_large=_("The reply letter may not be larger than %(mb)d MB.")
        % {"mb": MAX_LETTER_BYTES // (1024 * 1024)},
        empty=_("The reply letter is empty."),
        wrong_kind=_(
            "The reply letter must be a PDF, a Word document or a scanned image (JPG, PNG)."
        ),
    )


# --- Sign-for and return ----------------------------------------------------------------


def _round_assignments(assignment: Assignment) -> Any:
    return Assignment.objects.filter(
        proposal_id=assignment.proposal_id, round=assignment.round
    ).exclude(status=A.RETURNED)


def assignment_sign(
    *, assignment: Assignment, actor: Any, expected_state: str | None = None
) -> Event:
    """签收: the department takes the proposal on. When the lead (or the first split
    handler) signs for it, the proposal is being handled: SYSTEM moves it "start" in the
    same transaction. A re-handled proposal stays "being handled again"."""

    def signed(locked: Assignment, _t: Transition) -> None:
        locked.signed_at = timezone.now()

    with transaction.atomic():
        event = ASSIGNMENT_WORKFLOW.apply(
            assignment,
            action=ProposalAction.SIGN,
            actor=actor,
            expected_state=expected_state,
            on_apply=signed,
        )
        if assignment.role in REPLYING_ROLES:
            proposal = Proposal.objects.select_for_update().get(pk=assignment.proposal_id)
            if proposal.status == ProposalStatus.ASSIGNED:
                PROPOSAL_WORKFLOW.apply(
                    proposal,
                    action=ProposalAction.START,
                    actor=ActorKind.SYSTEM,
                    expected_state=ProposalStatus.ASSIGNED,
                )
    assignment.refresh_from_db()
    return event


def assignment_ask_return(
    *, assignment: Assignment, actor: Any, reason: str, expected_state: str | None = None
) -> Event:
    """Ask the proposal office to take the proposal back, with a reason, before
    `return_by` (the committee's `return_days` after assignment). The office then takes
    it back and gives it to another department, or refuses."""
    reason = reason.strip()
    if len(reason) > REASON_MAX:
        raise DomainError(_("The reason is too long (at most 2,000 characters)."))

    def within_window(locked: Assignment, _t: Transition) -> None:
        if timezone.now() > locked.return_by:
            raise DomainError(
                _(
                    "A return could be asked for until %(time)s. Sign for the proposal, or "
                    "contact the proposal office."
                )
                % {"time": _when(locked.return_by)}
            )
        locked.return_reason = reason

    event = ASSIGNMENT_WORKFLOW.apply(
        assignment,
        action=ProposalAction.ASK_RETURN,
        actor=actor,
        note=reason,
        expected_state=expected_state,
        on_apply=within_window,
    )
    assignment.refresh_from_db()
    return event


# --- Progress and contacts with the proposer ---------------------------------------------


def progress_note_add(
    *,
    assignment: Assignment,
    actor: Any,
    stage: str,
    text: str,
    happened_on: date | None = None,
) -> ProgressNote:
    """Record what the department did, or a talk with the proposer before, while or after
    handling (办前/办中/办后沟通). Only the department's clerks, once signed for; the date
    may not lie in the future. Appends a "note" event to the assignment's timeline."""
    text = text.strip()
    if stage not in ContactStage.values:
        raise DomainError(_("Choose what kind of note this is."))
    if not text:
        raise DomainError(_("Write down what was done."))
    if len(text) > NOTE_MAX:
        raise DomainError(_("The note is too long (at most 4,000 characters)."))
    today = timezone.localdate()
    happened_on = happened_on or today
    if happened_on > today:
        raise DomainError(_("The date of a note may not lie in the future."))
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        require(actor, "proposals.note_assignment", locked)
        if locked.status not in NOTE_STATES:
            raise Conflict(
                _("Sign for the proposal before noting progress; it is now “%(state)s”.")
                % {"state": locked.get_status_display()}
            )
        note = ProgressNote.objects.create(
            assignment=locked, stage=stage, text=text, happened_on=happened_on, created_by=actor
        )
        event_record(
            obj=locked,
            committee_id=locked.committee_id,
            actor=actor,
            action=ProposalAction.NOTE,
            note=f"{ContactStage(stage).label} {happened_on.isoformat()}：{text}",
        )
    return note


# --- 会签: the co-handlers' opinions -------------------------------------------------------


def coopinion_give(
    *, assignment: Assignment, actor: Any, text: str, expected_state: str | None = None
) -> CoOpinion:
    """A co-handler (会办) gives its opinion, which the lead's reply takes in. This ends
    the co-handler's part ("give_opinion": signed → replied)."""
    text = text.strip()
    if not text:
        raise DomainError(_("Write down the opinion."))
    if len(text) > OPINION_MAX:
        raise DomainError(_("The opinion is too long (at most 4,000 characters)."))

    def only_co_handlers(locked: Assignment, _t: Transition) -> None:
        if locked.role != AssignmentRole.CO:
            raise DomainError(
                _("Only co-handlers give an opinion; the lead department drafts the reply.")
            )

    with transaction.atomic():
        ASSIGNMENT_WORKFLOW.apply(
            assignment,
            action=ProposalAction.GIVE_OPINION,
            actor=actor,
            expected_state=expected_state,
            on_apply=only_co_handlers,
        )
        opinion = CoOpinion.objects.create(assignment=assignment, text=text, created_by=actor)
    assignment.refresh_from_db()
    return opinion


def coopinion_waive(
    *, assignment: Assignment, actor: Any, reason: str, expected_state: str | None = None
) -> Event:
    """The office records that a co-handler's overdue opinion is waived (with a reason):
    the co-handler's part ends without an opinion, and the lead's reply is no longer
    held up by it. Refused for a lead or split handler and before the opinion is due."""
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Please give a reason."))

    def only_overdue_co_handlers(locked: Assignment, _t: Transition) -> None:
        if locked.role != AssignmentRole.CO:
            raise DomainError(_("Only a co-handler's opinion can be waived."))
        due = locked.opinion_due  # the workflow checked the state it leaves
        if due is None or due >= timezone.now():
            raise DomainError(
                _("The opinion is due on %(date)s; it can be waived only after that.")
                % {"date": timezone.localtime(due).date().isoformat() if due else ""}
            )

    with transaction.atomic():
        event = ASSIGNMENT_WORKFLOW.apply(
            assignment,
            action=ProposalAction.WAIVE_OPINION,
            actor=actor,
            note=reason,
            expected_state=expected_state,
            on_apply=only_overdue_co_handlers,
        )
    assignment.refresh_from_db()
    return event


# --- The reply ---------------------------------------------------------------------------


def pending_co_handlers(assignment: Assignment) -> list[Assignment]:
    """The co-handlers of the lead's round that have not given their opinion yet."""
    return list(
        _round_assignments(assignment)
        .filter(role=AssignmentRole.CO)
        .exclude(status=A.REPLIED)
        .select_related("department")
    )


def reply_draft(
    *,
    assignment: Assignment,
    actor: Any,
    text: str,
    grade: str,
    letter: UploadedFile | None = None,
    expected_state: str | None = None,
) -> Reply:
    """The lead (or a split handler) submits its reply for the head's approval: the text,
    the grade (A–D) and the reply letter (答复函; required the first time, kept when a draft
    sent back is resubmitted without a new one). Refused before sign-for (the workflow),
    for a co-handler, and for the lead while a co-handler of the round has not given its
    opinion."""
    text = text.strip()
    if not text:
        raise DomainError(_("Write the reply."))
    if len(text) > REPLY_MAX:
        raise DomainError(_("The reply is too long (at most 20,000 characters)."))
    if grade not in Grade.values:
        raise DomainError(_("Choose the grade of the reply (A–D)."))
    clean = letter_clean(letter) if letter is not None else None

    def check(locked: Assignment, _t: Transition) -> None:
        if locked.role not in REPLYING_ROLES:
            raise DomainError(
                _("A co-handler gives its opinion; the lead department drafts the reply.")
            )
        if locked.role == AssignmentRole.LEAD:
            waiting = pending_co_handlers(locked)
            if waiting:
                raise DomainError(
                    _("Co-handlers have not given their opinion yet: %(names)s.")
                    % {"names": "、".join(a.department.name for a in waiting)}
                )
        existing = Reply.objects.filter(assignment=locked).first()
        if clean is None and (existing is None or not existing.letter):
            raise DomainError(_("Attach the reply letter (答复函)."))

    with transaction.atomic():
        ASSIGNMENT_WORKFLOW.apply(
            assignment,
            action=ProposalAction.DRAFT_REPLY,
            actor=actor,
            note=_("Grade %(grade)s") % {"grade": grade},
            expected_state=expected_state,
            on_apply=check,
        )
        reply = Reply.objects.select_for_update().filter(assignment=assignment).first()
        if reply is None:
            reply = Reply(assignment=assignment)
        reply.text = text
        reply.grade = grade
        reply.drafted_by = actor
        if clean is not None:
            reply.letter.save(clean.name, ContentFile(clean.content), save=False)
        reply.save()
    assignment.refresh_from_db()
    return reply


def reply_approve(
    *, assignment: Assignment, actor: Any, expected_state: str | None = None
) -> Reply:
    """The department head approves the reply and it is sent (assignment "approve_reply",
    the reply's `sent_at` and `approved_by`). When every lead and split reply of the round
    has been sent, SYSTEM moves the proposal "replied" and every proposer is told: the
    event on the proposal (and on each proposal merged into it), and an email to those
    who have an address."""
    now = timezone.now()
    with transaction.atomic():
        ASSIGNMENT_WORKFLOW.apply(
            assignment,
            action=ProposalAction.APPROVE_REPLY,
            actor=actor,
            expected_state=expected_state,
        )
        reply = Reply.objects.select_for_update().get(assignment=assignment)
        reply.sent_at = now
        reply.approved_by = actor
        reply.save(update_fields=["sent_at", "approved_by"])
        proposal = Proposal.objects.select_for_update().get(pk=assignment.proposal_id)
        owing = (
            _round_assignments(assignment)
            .filter(role__in=REPLYING_ROLES)
            .exclude(status=A.REPLIED)
            .exists()
        )
        if not owing and proposal.status in (ProposalStatus.HANDLING, ProposalStatus.REHANDLING):
            PROPOSAL_WORKFLOW.apply(
                proposal,
                action=ProposalAction.REPLIED,
                actor=ActorKind.SYSTEM,
                expected_state=proposal.status,
            )
            for merged in Proposal.objects.filter(merged_into=proposal):
                event_record(
                    obj=merged,
                    committee_id=merged.committee_id,
                    actor=ActorKind.SYSTEM,
                    action=ProposalAction.REPLIED,
                    note=_("Handled together with %(proposal)s: the reply has been sent.")
                    % {"proposal": proposal},
                    is_public=True,
                )
            proposers_tell(proposal_id=proposal.pk)
    assignment.refresh_from_db()
    return reply


def reply_return(
    *, assignment: Assignment, actor: Any, reason: str, expected_state: str | None = None
) -> Event:
    """The department head sends the draft back with a reason; the clerk revises and
    submits it again."""
    reason = reason.strip()
    if len(reason) > REASON_MAX:
        raise DomainError(_("The reason is too long (at most 2,000 characters)."))
    event = ASSIGNMENT_WORKFLOW.apply(
        assignment,
        action=ProposalAction.RETURN_REPLY,
        actor=actor,
        note=reason,
        expected_state=expected_state,
    )
    assignment.refresh_from_db()
    return event


# --- Ratings -----------------------------------------------------------------------------


def proposal_rate(
    *, proposal: Proposal, actor: Any, value: str, comment: str = ""
) -> ProposalRating:
    """A proposer rates the round's replies 满意 / 基本满意 / 不满意 with a comment (required
    for 不满意, so the office knows what to re-handle). Once per member and round (also
    enforced by the database); only once the proposal is replied. A 不满意 is flagged to
    the proposal office, which may order re-handling (重办)."""
    comment = comment.strip()
    if value not in Satisfaction.values:
        raise DomainError(_("Choose satisfied, basically satisfied or dissatisfied."))
    if len(comment) > COMMENT_MAX:
        raise DomainError(_("The comment is too long (at most 2,000 characters)."))
    if value == Satisfaction.DISSATISFIED and not comment:
        raise DomainError(_("Say why you are dissatisfied, so the reply can be improved."))
    user_id = getattr(actor, "pk", None)
    try:
        with transaction.atomic():
            locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
            require(actor, "proposals.rate_proposal", locked)
            seat = proposer_seats(locked).filter(user_id=user_id).first()
            if locked.status not in RATEABLE_STATES:
                raise Conflict(
                    _("The reply can be rated once it has been sent; the proposal is “%(state)s”.")
                    % {"state": locked.get_status_display()}
                )
            round_ = rating_round(locked)
            if ProposalRating.objects.filter(proposal=locked, member=seat, round=round_).exists():
                raise Conflict(_("You have already rated this reply."))
            rating = ProposalRating.objects.create(
                proposal=locked, member=seat, round=round_, value=value, comment=comment
            )
            label = Satisfaction(value).label
            event_record(
                obj=locked,
                committee_id=locked.committee_id,
                actor=actor,
                action=ProposalAction.RATE,
                note=f"{label}：{comment}" if comment else str(label),
            )
    except IntegrityError:
        # Two submissions at once: the unique constraint keeps one.
        raise Conflict(_("You have already rated this reply.")) from None
    return rating
