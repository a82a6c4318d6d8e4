"""Formal proposals (提案): drafting, review, assignment to departments, replies, ratings,
key proposals under supervision, and excellent proposals.

Every list and number the rules name is per-committee data (`ProposalPolicy`,
`ProposalCategory`, `GradeWording`), with the defaults of the public CPPCC proposal rules.
Numbers are given by `ProposalNumberCounter` under a row lock and are unique per committee
in the database: two clerks accepting at once get two numbers, and a number is never given
twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieshang.core.models import Committee, CommitteeOption, CommitteePolicy, EventAction
from xieshang.people.models import Department, LeaderPosition, Member, Sector, SpecialCommittee

DEFAULT_CATEGORIES = ("经济建设", "城市建设管理", "教科文卫体", "社会事务")


class ProposalPolicy(CommitteePolicy):
    """A committee's numbers for proposals; a committee without a row gets the defaults."""

    number_format = models.CharField(
        _("number format"),
        max_length=40,
        default="{year}{seq:03d}",
        help_text=_("{year} and {seq} are replaced, e.g. {year}{seq:03d} gives 2026001."),
    )
    handling_months = models.PositiveSmallIntegerField(_("months to reply"), default=3)
    urgent_days = models.PositiveSmallIntegerField(_("days to reply when urgent"), default=30)
    return_days = models.PositiveSmallIntegerField(
        _("days a department may ask to return it"), default=10
    )
    rehandle_months = models.PositiveSmallIntegerField(_("months to re-handle"), default=3)
    cosign_days = models.PositiveSmallIntegerField(_("days co-signers have to confirm"), default=7)
    reminder_days = models.PositiveSmallIntegerField(
        _("days before the deadline to remind"), default=7
    )

    class Meta:
        verbose_name = _("proposal policy")
        verbose_name_plural = _("proposal policies")


class Grade(models.TextChoices):
    A = "A", _("A: solved or basically solved")
    B = "B", _("B: being solved or planned")
    C = "C", _("C: to be solved when conditions allow")
    D = "D", _("D: kept for reference")


class GradeWording(models.Model):
    """A committee's own words for a grade (the letters stay A–D)."""

    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.CASCADE)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    wording = models.CharField(_("wording"), max_length=60)

    class Meta:
        verbose_name = _("grade wording")
        verbose_name_plural = _("grade wordings")
        constraints = [
            models.UniqueConstraint(fields=["committee", "grade"], name="gradewording_once")
        ]

    def __str__(self) -> str:
        return f"{self.grade} {self.wording}"


class Session(models.Model):
    """届 and 次会议: e.g. 第十五届第五次会议. Proposals filed from `filing_opens` to the end
    of the plenary are 大会提案; the others are 平时提案."""

    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.PROTECT)
    term = models.PositiveSmallIntegerField(_("term (届)"))
    meeting = models.PositiveSmallIntegerField(_("meeting (次会议)"))
    filing_opens = models.DateField(_("filing opens"))
    plenary_starts = models.DateField(_("plenary starts"))
    plenary_ends = models.DateField(_("plenary ends"))

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["committee", "-term", "-meeting"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "term", "meeting"], name="session_once"),
            models.CheckConstraint(
                condition=Q(filing_opens__lte=F("plenary_starts"))
                & Q(plenary_starts__lte=F("plenary_ends")),
                name="session_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return str(
            _("Term %(term)d, meeting %(meeting)d") % {"term": self.term, "meeting": self.meeting}
        )


class ProposalCategory(CommitteeOption):
    """A committee's list of proposal categories (经济建设, 城市建设管理, 教科文卫体, 社会事务 by
    default)."""

    class Meta(CommitteeOption.Meta):
        verbose_name = _("proposal category")
        verbose_name_plural = _("proposal categories")


class ProposalKind(models.TextChoices):
    SESSION = "session", _("Session proposal (大会提案)")
    INTERIM = "interim", _("Interim proposal (平时提案)")


class ProposerKind(models.TextChoices):
    MEMBER = "member", _("Member (alone or jointly)")
    SECTOR = "sector", _("Sector")
    SPECIAL_COMMITTEE = "special_committee", _("Special committee")
    PARTY_GROUP = "party_group", _("Party or group")


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting review")
    ACCEPTED = "accepted", _("Accepted (立案), awaiting assignment")
    NOT_ACCEPTED = "not_accepted", _("Not accepted (不立案)")
    MERGED = "merged", _("Merged (并案)")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ASSIGNED = "assigned", _("Assigned, awaiting sign-for")
    HANDLING = "handling", _("Being handled")
    REPLIED = "replied", _("Replied")
    REHANDLING = "rehandling", _("Being handled again (重办)")
    CLOSED = "closed", _("Closed (办结)")


class NotAcceptedReason(models.TextChoices):
    SECRETS = "secrets", _("Concerns Party or state secrets")
    PROHIBITED = "prohibited", _("Expressly prohibited by the state")
    INTERNAL = "internal", _("Internal affairs of the Party or a democratic party")
    LITIGATION = "litigation", _("In litigation, arbitration or a similar procedure")
    ACADEMIC = "academic", _("An academic discussion")
    PRIVATE = "private", _("A private matter of the proposer or relatives")
    ADVERTISING = "advertising", _("Promotes a specific work or product")
    ACCUSATION = "accusation", _("Names and accuses a person")
    VAGUE = "vague", _("Vague, without a concrete suggestion")


class Conversion(models.TextChoices):
    NONE = "", _("Not converted")
    OPINION = "opinion", _("Converted to an opinion and suggestion (意见建议)")
    SOCIAL_OPINION = "social_opinion", _("Converted to public-opinion information (社情民意)")


class ProposalAction(EventAction):
    """Every step a proposal's, assignment's, co-signer's or key proposal's timeline
    records."""

    # A proposal
    CREATE = "create", _("Drafted")
    EDIT = "edit", _("Edited")
    INVITE = "invite", _("Co-signers invited")
    SUBMIT = "submit", _("Submit")
    WITHDRAW = "withdraw", _("Withdraw")
    ACCEPT = "accept", _("Accept (立案)")
    REJECT = "reject", _("Do not accept (不立案)")
    MERGE = "merge", _("Merge (并案)")
    ASSIGN = "assign", _("Assign (交办)")
    START = "start", _("Signed for")
    REPLIED = "replied", _("Replied")
    REHANDLE = "rehandle", _("Order re-handling (重办)")
    CLOSE = "close", _("Close (办结)")
    RATE = "rate", _("Rated")
    NOMINATE_KEY = "nominate_key", _("Nominated as a key proposal")
    KEY_DECIDED = "key_decided", _("Key proposal decided")
    SUPERVISE = "supervise", _("Supervision recorded")
    EXCELLENT = "excellent", _("Selected as an excellent proposal")
    REASSIGN = "reassign", _("Given to another department")
    # A co-signer's invitation (also noted on the proposal)
    COSIGN = "cosign", _("Co-signed")
    COSIGN_DECLINE = "cosign_decline", _("Co-signing declined")
    # An assignment to a department
    SIGN = "sign", _("Sign for (签收)")
    ASK_RETURN = "ask_return", _("Ask to return it")
    ACCEPT_RETURN = "accept_return", _("Take it back")
    REFUSE_RETURN = "refuse_return", _("Refuse the return")
    DRAFT_REPLY = "draft_reply", _("Submit the reply")
    APPROVE_REPLY = "approve_reply", _("Approve and send")
    RETURN_REPLY = "return_reply", _("Send the draft back")
    GIVE_OPINION = "give_opinion", _("Give the opinion (会签)")
    WAIVE_OPINION = "waive_opinion", _("Waive the overdue opinion (会签)")
    NOTE = "note", _("Progress noted")
    REMIND = "remind", _("Reminder sent")
    # A key proposal's decision
    CHOOSE = "choose", _("Choose as a key proposal")
    DECLINE = "decline", _("Do not choose")


class Proposal(models.Model):
    """One proposal: one issue (一事一案)."""

    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.PROTECT)
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.PROTECT, null=True, blank=True
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=ProposalKind.choices, default=ProposalKind.INTERIM
    )
    title = models.CharField(_("subject (案由)"), max_length=100)
    analysis = models.TextField(_("analysis of the situation"))
    recommendations = models.TextField(_("concrete suggestions"))
    category = models.ForeignKey(
        ProposalCategory, verbose_name=_("category"), on_delete=models.PROTECT
    )
    proposer_kind = models.CharField(
        _("proposed by"), max_length=20, choices=ProposerKind.choices, default=ProposerKind.MEMBER
    )
    # The member who wrote it (or who files it as convenor for a sector, special
    # committee or party group).
    lead = models.ForeignKey(
        Member, verbose_name=_("lead proposer"), on_delete=models.PROTECT, related_name="proposals"
    )
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, null=True, blank=True
    )
    special_committee = models.ForeignKey(
        SpecialCommittee,
        verbose_name=_("special committee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    party_group = models.CharField(_("party or group"), max_length=60, blank=True)
    status = models.CharField(
        _("status"),
        max_length=14,
        choices=ProposalStatus.choices,
        default=ProposalStatus.DRAFT,
        editable=False,
    )
    # 立案: the number and its parts, given once and never again.
    number = models.CharField(_("number"), max_length=40, null=True, blank=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, editable=False)
    sequence = models.PositiveIntegerField(_("sequence"), null=True, blank=True, editable=False)
    not_accepted_reason = models.CharField(
        _("reason not accepted"),
        max_length=12,
        choices=NotAcceptedReason.choices,
        blank=True,
        editable=False,
    )
    conversion = models.CharField(
        _("converted to"), max_length=16, choices=Conversion.choices, blank=True, editable=False
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
        editable=False,
    )
    is_urgent = models.BooleanField(_("urgent"), default=False)
    deadline = models.DateTimeField(_("reply due"), null=True, blank=True, editable=False)
    # 百姓提案: the citizen suggestion a member claimed and developed into this proposal.
    from_suggestion = models.ForeignKey(
        "suggestions.Suggestion",
        verbose_name=_("developed from the citizen suggestion"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
    )
    publish_reply = models.BooleanField(_("publish the reply"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "number"],
                condition=Q(number__isnull=False),
                name="proposal_number_once",
            ),
            models.UniqueConstraint(
                fields=["committee", "year", "sequence"],
                condition=Q(sequence__isnull=False),
                name="proposal_sequence_once",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values), name="proposal_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ProposalKind.values), name="proposal_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True)
                | (Q(year__isnull=False) & Q(sequence__isnull=False)),
                name="proposal_number_has_parts",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=F("id")), name="proposal_not_merged_into_itself"
            ),
        ]
        indexes = [
            models.Index(fields=["committee", "status"]),
            models.Index(fields=["committee", "deadline"]),
        ]

    def __str__(self) -> str:
        return f"{self.number or '—'} {self.title}"

    @property
    def is_overdue(self) -> bool:
        return (
            self.deadline is not None
            and self.status
            in (ProposalStatus.ASSIGNED, ProposalStatus.HANDLING, ProposalStatus.REHANDLING)
            and self.deadline < timezone.now()
        )


class ProposalNumberCounter(models.Model):
    """The last sequence given in a committee's year. Taken under a row lock in the
    transaction that accepts a proposal, so numbers go up without gaps or repeats."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("proposal number counter")
        verbose_name_plural = _("proposal number counters")
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="numbercounter_once")
        ]

    def __str__(self) -> str:
        return f"{self.committee_id} {self.year}: {self.last}"


class CoSignerStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")


class CoSigner(models.Model):
    """A member invited to sign a proposal jointly (联名); counts once they confirm, before
    the deadline."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="cosigners"
    )
    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.PROTECT)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CoSignerStatus.choices,
        default=CoSignerStatus.INVITED,
        editable=False,
    )
    deadline = models.DateTimeField(_("confirm by"))
    invited_at = models.DateTimeField(_("invited"), auto_now_add=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("co-signer")
        verbose_name_plural = _("co-signers")
        ordering = ["proposal", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "member"], name="cosigner_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_status_display()}"

    @property
    def committee_id(self) -> int:
        return int(self.proposal.committee_id)


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead (主办)")
    CO = "co", _("Co-handler (会办)")
    SPLIT = "split", _("Split (分办): replies on its own")


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Awaiting sign-for")
    SIGNED = "signed", _("Signed for")
    RETURN_REQUESTED = "return_requested", _("Asks to return it")
    RETURNED = "returned", _("Returned")
    REPLY_DRAFTED = "reply_drafted", _("Reply awaiting the head's approval")
    REPLIED = "replied", _("Replied")


class Assignment(models.Model):
    """交办: a proposal given to a department, as lead, co-handler or split handler."""

    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.PROTECT)
    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="assignments"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT
    )
    role = models.CharField(_("role"), max_length=6, choices=AssignmentRole.choices)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    status = models.CharField(
        _("status"),
        max_length=18,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.ASSIGNED,
        editable=False,
    )
    deadline = models.DateTimeField(_("reply due"))
    return_by = models.DateTimeField(_("may ask to return until"))
    assigned_at = models.DateTimeField(_("assigned"), default=timezone.now)
    signed_at = models.DateTimeField(_("signed for"), null=True, blank=True, editable=False)
    return_reason = models.TextField(_("reason to return"), blank=True, editable=False)
    # 交办意见: what the office asks of the department. Internal: never on the public page.
    instructions = models.TextField(_("instructions (交办意见)"), blank=True, editable=False)
    reminded_before_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_due_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["proposal", "round", "role", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=AssignmentRole.values), name="assignment_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=AssignmentStatus.values), name="assignment_status_valid"
            ),
            # A department holds a proposal once per round (a returned one may be given
            # to another department; the returned row stays as history).
            models.UniqueConstraint(
                fields=["proposal", "department", "round"],
                condition=~Q(status="returned"),
                name="assignment_department_once_per_round",
            ),
            # One lead per proposal and round.
            models.UniqueConstraint(
                fields=["proposal", "round"],
                condition=Q(role="lead") & ~Q(status="returned"),
                name="assignment_one_lead_per_round",
            ),
        ]
        indexes = [models.Index(fields=["department", "status"])]

    def __str__(self) -> str:
        return f"{self.proposal} → {self.department} ({self.get_role_display()})"

    @property
    def is_overdue(self) -> bool:
        return (
            self.status
            in (
                AssignmentStatus.ASSIGNED,
                AssignmentStatus.SIGNED,
                AssignmentStatus.REPLY_DRAFTED,
            )
            and self.deadline < timezone.now()
        )

    @property
    def opinion_due(self) -> datetime | None:
        """When a co-handler's opinion (会签) is due: `OPINION_DAYS` after the assignment,
        and never after the reply itself. None for a lead or split handler."""
        if self.role != AssignmentRole.CO:
            return None
        return min(self.deadline, self.assigned_at + timedelta(days=OPINION_DAYS))

    @property
    def is_opinion_overdue(self) -> bool:
        """A co-handler that has not given its opinion by its due time: it is flagged, and
        the office may record that it was waived so that the lead's reply goes on."""
        due = self.opinion_due
        return (
            due is not None
            and self.status in (AssignmentStatus.ASSIGNED, AssignmentStatus.SIGNED)
            and due < timezone.now()
        )


# A co-handler gives its opinion (会签) within this many days of the assignment.
OPINION_DAYS = 15


class ContactStage(models.TextChoices):
    PROGRESS = "progress", _("Progress")
    BEFORE = "before", _("Talk with the proposer before handling (办前沟通)")
    DURING = "during", _("Talk with the proposer while handling (办中沟通)")
    AFTER = "after", _("Talk with the proposer after handling (办后沟通)")


class ProgressNote(models.Model):
    """What a department did on its assignment, including its contacts with the proposer."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="notes"
    )
    stage = models.CharField(_("kind"), max_length=10, choices=ContactStage.choices)
    text = models.TextField(_("what was done"))
    happened_on = models.DateField(_("date"), default=timezone.localdate)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["assignment", "happened_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.happened_on}"


class ReplyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting the head's approval")
    SENT = "sent", _("Sent")


REPLY_STATUS_OF: dict[str, str] = {
    AssignmentStatus.REPLY_DRAFTED: ReplyStatus.AWAITING_APPROVAL,
    AssignmentStatus.REPLIED: ReplyStatus.SENT,
}


class ReplyQuerySet(models.QuerySet["Reply"]):
    def sent(self) -> ReplyQuerySet:
        """Replies the department head approved and sent."""
        return self.filter(assignment__status=AssignmentStatus.REPLIED)


class Reply(models.Model):
    """The reply of the lead (or a split handler) to a proposal, with its grade and the reply
    letter (答复函). Co-handlers' opinions (会签) are attached before it is sent."""

    assignment = models.OneToOneField(
        Assignment, verbose_name=_("assignment"), on_delete=models.PROTECT, related_name="reply"
    )
    text = models.TextField(_("reply"))
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    letter = models.FileField(_("reply letter"), upload_to="replies/%Y/", blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, editable=False)

    objects = ReplyQuerySet.as_manager()

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        constraints = [
            models.CheckConstraint(condition=Q(grade__in=Grade.values), name="reply_grade_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.grade}"

    @property
    def committee_id(self) -> int:
        return int(self.assignment.committee_id)

    @property
    def status(self) -> str:
        """Where the reply stands follows from its assignment's state, which only the
        workflow moves: sent once approved, awaiting approval once submitted, else a draft
        (sent back by the head)."""
        return REPLY_STATUS_OF.get(self.assignment.status, str(ReplyStatus.DRAFT))

    def get_status_display(self) -> str:
        return str(ReplyStatus(self.status).label)


class CoOpinion(models.Model):
    """A co-handler's opinion on the proposal (会签), which the lead's reply takes in."""

    assignment = models.OneToOneField(
        Assignment, verbose_name=_("assignment"), on_delete=models.PROTECT, related_name="opinion"
    )
    text = models.TextField(_("opinion"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("co-handler's opinion")
        verbose_name_plural = _("co-handlers' opinions")

    def __str__(self) -> str:
        return str(self.assignment)


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class ProposalRating(models.Model):
    """Each proposer's (the lead's and every confirmed co-signer's) rating of a round's
    replies."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="ratings"
    )
    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.PROTECT)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    value = models.CharField(_("rating"), max_length=12, choices=Satisfaction.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("rated"), auto_now_add=True)

    class Meta:
        verbose_name = _("proposal rating")
        verbose_name_plural = _("proposal ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "member", "round"], name="proposalrating_once"
            ),
            models.CheckConstraint(
                condition=Q(value__in=Satisfaction.values), name="proposalrating_value_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_value_display()}"


class KeyStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    CHOSEN = "chosen", _("Chosen as a key proposal")
    DECLINED = "declined", _("Not chosen")


class KeyProposal(models.Model):
    """重点提案: nominated by staff, decided by the chairs' meeting, supervised (督办) by
    named leaders."""

    proposal = models.OneToOneField(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="key"
    )
    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.PROTECT)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=KeyStatus.choices,
        default=KeyStatus.NOMINATED,
        editable=False,
    )
    reason = models.TextField(_("why it matters"))
    supervisors = models.ManyToManyField(
        LeaderPosition, verbose_name=_("supervising leaders"), blank=True
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    nominated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("key proposal")
        verbose_name_plural = _("key proposals")

    def __str__(self) -> str:
        return str(self.proposal)


class SupervisionKind(models.TextChoices):
    VISIT = "visit", pgettext_lazy("supervision", "Visit")
    SYMPOSIUM = "symposium", _("Symposium")
    INSPECTION = "inspection", _("Inspection")


class SupervisionActivity(models.Model):
    key = models.ForeignKey(
        KeyProposal,
        verbose_name=_("key proposal"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SupervisionKind.choices)
    happened_on = models.DateField(_("date"))
    participants = models.CharField(_("who took part"), max_length=200)
    agreed = models.TextField(_("what was agreed"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("supervision activity")
        verbose_name_plural = _("supervision activities")
        ordering = ["key", "happened_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.happened_on}"


class ExcellentProposal(models.Model):
    """优秀提案: the year's selection, with the reasons."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.PROTECT, related_name="awards"
    )
    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    reason = models.TextField(_("reasons"))
    selected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    selected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("excellent proposal")
        verbose_name_plural = _("excellent proposals")
        ordering = ["-year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "year"], name="excellent_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.proposal}"
