"""Citizen suggestions (百姓提案): what citizens hand in, and what becomes of it."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xieshang.core.models import Committee, CommitteeOption, CommitteePolicy, EventAction
from xieshang.people.models import Department
from xieshang.workrooms.models import Workroom

# No 0/O, 1/I/L: a code read out over the phone or typed from paper survives.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_LENGTH = 10


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


class Category(CommitteeOption):
    """A committee's list of suggestion categories (data, with the defaults in demo)."""

    class Meta(CommitteeOption.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class AreaKind(models.TextChoices):
    STREET = "street", _("Street")
    TOWN = "town", _("Town")
    COMMUNITY = "community", _("Community or village")


class Area(models.Model):
    """A committee's streets and towns, and the communities inside them."""

    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.PROTECT)
    name = models.CharField(_("name"), max_length=40)
    kind = models.CharField(_("kind"), max_length=10, choices=AreaKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("street or town"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["committee", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "parent", "name"], name="area_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent.name}·{self.name}" if self.parent_id and self.parent else self.name


class Campaign(models.Model):
    """征集活动: a call for suggestions on a theme, open between two dates."""

    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.PROTECT)
    workroom = models.ForeignKey(
        Workroom, verbose_name=_("workroom"), on_delete=models.PROTECT, null=True, blank=True
    )
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    starts_at = models.DateTimeField(_("opens"))
    ends_at = models.DateTimeField(_("closes"))

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="campaign_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self) -> bool:
        return self.starts_at <= timezone.now() < self.ends_at


class Source(models.TextChoices):
    WEB = "web", _("Committee page")
    WORKROOM = "workroom", _("Workroom QR code")
    CAMPAIGN = "campaign", _("Campaign")
    ON_BEHALF = "on_behalf", _("Entered for a citizen")


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    VISIT = "visit", _("Visit")
    PHONE = "phone", _("Phone call")
    FIELD_VISIT = "field_visit", _("Field visit")
    CLOUD = "cloud", _("Cloud workroom")


class SuggestionStatus(models.TextChoices):
    NEW = "new", _("Awaiting triage")
    TRIAGE = "triage", _("In triage")
    HANDLING = "handling", _("Being handled")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Not accepted")
    MERGED = "merged", _("Merged")


OPEN_STATES = (SuggestionStatus.NEW, SuggestionStatus.TRIAGE, SuggestionStatus.HANDLING)


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    FAIRLY = "fairly", _("Fairly satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


class SuggestionAction(EventAction):
    """Every step a suggestion's, referral's or escalation's timeline records."""

    # A suggestion
    SUBMIT = "submit", _("Handed in")
    TRIAGE = "triage", _("Start triage")
    OFFER = "offer", _("Offer to members")
    CLAIM = "claim", _("Claim to develop into a proposal")
    OPINION = "opinion", _("Forward as public-opinion info")
    TOPIC = "topic", _("Make a consultation topic")
    REFER = "refer", _("Refer to a department")
    ESCALATE = "escalate", _("Send to the upper committee")
    UPPER_DECLINED = "upper_declined", _("Declined upstairs")
    UPPER_ANSWERED = "upper_answered", _("Answered upstairs")
    ANSWER = "answer", _("Answer")
    REJECT = "reject", _("Do not accept")
    MERGE = "merge", _("Merge")
    RATE_OK = "rate_ok", _("Rate")
    RATE_BAD = "rate_bad", _("Rate unsatisfied")
    CLOSE = "close", _("Close")
    ADD_INFORMATION = "add_information", _("Information added")
    REVEAL_CONTACT = "reveal_contact", _("Contact details viewed")
    ANSWER_ADDED = "answer_added", _("Answer added")
    CATEGORISE = "categorise", _("Category set")
    FOLLOW = "follow", _("Followed by a citizen")
    # A referral to a department
    SIGN = "sign", _("Sign for it")
    ASK_RETURN = "ask_return", _("Ask to return")
    ACCEPT_RETURN = "accept_return", _("Accept the return")
    REFUSE_RETURN = "refuse_return", _("Refuse the return")
    REPLY = "reply", _("Send the reply")
    APPROVE = "approve", _("Approve the reply")
    SEND_BACK = "send_back", _("Send the reply back")
    # An escalation to the upper committee
    SENT = "sent", _("Sent up")
    ACCEPT = "accept", _("Take it up")
    DECLINE = "decline", _("Decline")


class Suggestion(models.Model):
    """One citizen's suggestion or complaint. Stored before anything else happens."""

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        db_index=False,  # the first column of the (committee, status, -created_at) index
    )
    tracking_code = models.CharField(
        _("tracking code"), max_length=16, default=new_tracking_code, editable=False
    )
    title = models.CharField(_("title"), max_length=60)
    content = models.TextField(_("content"))
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
    )
    address = models.CharField(_("address"), max_length=120, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    channel = models.CharField(
        _("channel"), max_length=12, choices=Channel.choices, default=Channel.ONLINE
    )
    workroom = models.ForeignKey(
        Workroom,
        verbose_name=_("workroom"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    # The citizen. The phone number is stored only encrypted, with a keyed hash to find
    # the same number again; nothing here is shown publicly unless show_name is set.
    citizen_name = models.CharField(_("name"), max_length=30, blank=True)
    phone_encrypted = models.TextField(_("mobile phone (encrypted)"), blank=True, editable=False)
    phone_lookup = models.CharField(max_length=64, blank=True, editable=False)
    phone_masked = models.CharField(_("mobile phone"), max_length=11, blank=True, editable=False)
    email_encrypted = models.TextField(_("email (encrypted)"), blank=True, editable=False)
    show_name = models.BooleanField(_("show my name publicly"), default=False)
    allow_publication = models.BooleanField(_("publish the answer"), default=True)
    consented_at = models.DateTimeField(_("privacy notice accepted"))
    client_lookup = models.CharField(max_length=64, blank=True, editable=False)
    idempotency_key = models.CharField(max_length=64, editable=False)

    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.NEW,
        editable=False,
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
        db_index=False,
    )
    public_answer = models.TextField(_("public answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    rating = models.CharField(_("rating"), max_length=12, choices=Rating.choices, blank=True)
    rating_comment = models.CharField(_("rating comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("submitted"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # When the jobs that follow a submission (search entry, acknowledgement, analysis) were
    # started; empty until then (services.suggestions_dispatch, decision 28).
    dispatched_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the citizen was sent the acknowledgement of receipt (SMS and/or email): empty
    # until then, and for good when they left no contact details. An hourly sweep sends
    # the ones whose job was lost (services.suggestions_acknowledge_missed).
    acknowledged_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("citizen suggestion")
        verbose_name_plural = _("citizen suggestions")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["committee", "status", "-created_at"]),
            # The hourly rate limits look up recent rows per sender.
            models.Index(fields=["phone_lookup", "created_at"], name="suggestion_phone_recent"),
            models.Index(fields=["client_lookup", "created_at"], name="suggestion_client_recent"),
            # The few not yet dispatched, found every second without walking the table.
            models.Index(
                fields=["id"],
                name="suggestion_undispatched",
                condition=models.Q(dispatched_at__isnull=True),
            ),
            # The optional links are empty on most rows (a citizen's own submission has no
            # handler and nobody who entered it, most have no workroom or campaign): indexed
            # only where set, which is all that a look-up by them (and a PROTECT check on
            # deleting the other side) reads, so a submission writes fewer index entries.
            *(
                models.Index(
                    fields=[name],
                    name=f"suggestion_{name}",
                    condition=models.Q(**{f"{name}__isnull": False}),
                )
                for name in (
                    "category",
                    "area",
                    "workroom",
                    "campaign",
                    "entered_by",
                    "handler",
                    "merged_into",
                )
            ),
        ]
        constraints = [
            # As constraints, not unique=True: that would add a second (LIKE) index on
            # PostgreSQL for each, and codes and keys are only ever looked up whole.
            models.UniqueConstraint(fields=["tracking_code"], name="suggestion_tracking_code"),
            models.UniqueConstraint(fields=["idempotency_key"], name="suggestion_idempotency_key"),
            models.CheckConstraint(
                condition=models.Q(status__in=SuggestionStatus.values),
                name="suggestion_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("id")),
                name="suggestion_not_merged_into_itself",
            ),
            models.CheckConstraint(
                condition=models.Q(status=SuggestionStatus.MERGED)
                | models.Q(merged_into__isnull=True),
                name="suggestion_merged_only_when_merged",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    @property
    def public_name(self) -> str:
        return self.citizen_name if self.show_name and self.citizen_name else ""


class Follower(models.Model):
    """A citizen who, about to hand in the same issue, follows an open suggestion instead
    ("已有类似诉求", as FixMyStreet's nearby reports): told of its public steps like its
    own citizen, by SMS or email. Contact details are stored like a citizen's."""

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("suggestion"), on_delete=models.CASCADE, related_name="followers"
    )
    phone_encrypted = models.TextField(_("mobile phone (encrypted)"), blank=True, editable=False)
    phone_lookup = models.CharField(max_length=64, blank=True, editable=False)
    email_encrypted = models.TextField(_("email (encrypted)"), blank=True, editable=False)
    email_lookup = models.CharField(max_length=64, blank=True, editable=False)
    client_lookup = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("followed"), default=timezone.now)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(phone_lookup="", email_lookup=""),
                name="follower_has_contact",
            ),
            models.UniqueConstraint(
                fields=["suggestion", "phone_lookup", "email_lookup"], name="follower_once"
            ),
        ]
        indexes = [models.Index(fields=["client_lookup", "created_at"], name="follower_recent")]

    def __str__(self) -> str:
        return f"follower of {self.suggestion_id}"


class SuggestionPhoto(models.Model):
    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("suggestion"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("photo"), upload_to="suggestions/%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    # The photo at most 480 pixels on its longer side, for the pages that show it small;
    # empty for a photo stored before previews were made until it is first shown.
    preview = models.FileField(upload_to="suggestions/%Y/%m/", blank=True, editable=False)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.image.name)


class DispositionKind(models.TextChoices):
    OFFER_TO_MEMBERS = "offer", _("Offered to members to develop into a proposal")
    MEMBER_CLAIM = "claim", _("Claimed by a member")
    OPINION = "opinion", _("Forwarded as public-opinion information")
    TOPIC = "topic", _("Made a consultation topic")
    REFERRAL = "referral", _("Referred to a department")
    ESCALATION = "escalation", _("Escalated to the upper committee")
    ANSWER = "answer", _("Answered directly")
    MERGE = "merge", _("Merged into another suggestion")
    REJECT = "reject", _("Not accepted")


class Disposition(models.Model):
    """What staff decided to do with a suggestion; a suggestion may have several. These
    rows are what the figures ("82 leads, 7 city and 22 district proposals") count."""

    suggestion = models.ForeignKey(
        Suggestion,
        verbose_name=_("suggestion"),
        on_delete=models.CASCADE,
        related_name="dispositions",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=DispositionKind.choices)
    note = models.TextField(_("note"), blank=True)
    member = models.ForeignKey(
        "people.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    # A claim (认领) is released when the member withdraws the draft it made: the suggestion
    # is then offered again. At most one claim of a suggestion is active (not released).
    released_at = models.DateTimeField(_("released"), null=True, blank=True)

    class Meta:
        verbose_name = _("disposition")
        verbose_name_plural = _("dispositions")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion"],
                condition=models.Q(kind="claim", released_at__isnull=True),
                name="disposition_one_active_claim",
            ),
            models.CheckConstraint(
                condition=models.Q(released_at__isnull=True) | models.Q(kind="claim"),
                name="disposition_only_a_claim_is_released",
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())


class RejectReason(models.TextChoices):
    OUT_OF_SCOPE = "out_of_scope", _("Outside the committee's remit")
    DUPLICATE = "duplicate", _("Already raised and being handled")
    LITIGATION = "litigation", _("In litigation, arbitration or petition procedures")
    PERSONAL = "personal", _("A private dispute")
    UNCLEAR = "unclear", _("Too vague to act on")
    INAPPROPRIATE = "inappropriate", _("Inappropriate content")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Awaiting signature")
    SIGNED = "signed", _("Being handled")
    RETURN_REQUESTED = "return_requested", _("Return requested")
    RETURNED = "returned", _("Returned")
    REPLIED = "replied", _("Reply awaiting approval")
    APPROVED = "approved", _("Reply approved")


class ReplyResult(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    IN_PROGRESS = "in_progress", _("Being resolved")
    NOT_POSSIBLE = "not_possible", _("Cannot be resolved for now")


class Referral(models.Model):
    """交办: a suggestion handed to a department, with instructions and a deadline."""

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("suggestion"), on_delete=models.PROTECT, related_name="referrals"
    )
    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.PROTECT)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    instructions = models.TextField(_("instructions"), blank=True)
    deadline = models.DateTimeField(_("deadline"))
    share_contact = models.BooleanField(_("share the citizen's contact details"), default=False)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ReferralStatus.choices,
        default=ReferralStatus.SENT,
        editable=False,
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    reply_text = models.TextField(_("reply"), blank=True)
    reply_result = models.CharField(
        _("result"), max_length=12, choices=ReplyResult.choices, blank=True
    )
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("referred by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("referred"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["department", "status", "deadline"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ReferralStatus.values),
                name="referral_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.suggestion.tracking_code} → {self.department}"

    @property
    def is_overdue(self) -> bool:
        return (
            self.status
            in (
                ReferralStatus.SENT,
                ReferralStatus.SIGNED,
                ReferralStatus.RETURN_REQUESTED,
            )
            and timezone.now() > self.deadline
        )


class Policy(CommitteePolicy):
    """A committee's numbers for suggestions; a committee without a row gets the defaults."""

    referral_working_days = models.PositiveSmallIntegerField(
        _("referral deadline in working days"), default=15
    )
    hourly_limit = models.PositiveSmallIntegerField(
        _("submissions per hour from one phone or address"), default=10
    )

    class Meta:
        verbose_name = _("suggestion policy")
        verbose_name_plural = _("suggestion policies")


class EscalationStatus(models.TextChoices):
    SENT = "sent", _("Awaiting the upper committee")
    ACCEPTED = "accepted", _("Taken up by the upper committee")
    DECLINED = "declined", _("Declined by the upper committee")
    ANSWERED = "answered", _("Answered by the upper committee")


class Escalation(models.Model):
    """市区联动: a district sends a suggestion up to its upper committee, whose staff decide
    and answer; the answer flows back to the district's suggestion and its citizen.

    The row belongs to the upper committee (`committee`), whose staff work it; the
    district keeps the suggestion."""

    suggestion = models.ForeignKey(
        Suggestion,
        verbose_name=_("suggestion"),
        on_delete=models.PROTECT,
        related_name="escalations",
    )
    committee = models.ForeignKey(
        Committee, verbose_name=_("upper committee"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("the district's note"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EscalationStatus.choices,
        default=EscalationStatus.SENT,
        editable=False,
    )
    answer = models.TextField(_("answer"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["-created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=EscalationStatus.values),
                name="escalation_status_valid",
            ),
            models.UniqueConstraint(
                fields=["suggestion"],
                condition=models.Q(status__in=["sent", "accepted"]),
                name="escalation_one_open_per_suggestion",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.suggestion.tracking_code} → {self.committee}"
