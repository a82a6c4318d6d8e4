"""Consultations (协商议事): a committee's topics for the year, the meetings and site visits
held on them, the numbered consultation opinions (协商意见) they produce, and each opinion
sent to a department with what the department did about it."""

from __future__ import annotations

import secrets
from datetime import datetime, time

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieshang.core.models import Committee, EventAction
from xieshang.people.models import Department, Member
from xieshang.suggestions.models import Suggestion


class TopicKind(models.TextChoices):
    THEMATIC = "thematic", _("Thematic consultation")
    COUNTERPART = "counterpart", _("Counterpart consultation")
    SECTOR = "sector", _("Sector consultation")
    PROPOSAL = "proposal", _("Consultation on proposal handling")
    INSPECTION = "inspection", _("Inspection")
    FORUM = "forum", _("Forum")
    GRASSROOTS = "grassroots", _("Grassroots consultation")
    LINKED = "linked", _("Linked consultation")


class OrganiserKind(models.TextChoices):
    COMMITTEE = "committee", _("The committee")
    SPECIAL_COMMITTEE = "special", _("A special committee")
    WORKROOM = "workroom", _("A workroom")
    LOCAL_GROUP = "local_group", _("A local group")


class TopicStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ISSUED = "issued", _("Opinions issued")
    CLOSED = "closed", _("Closed")


class ConsultationAction(EventAction):
    """Every step a topic's or a sending's timeline records."""

    CREATE = "create_topic", _("Topic created")
    EDIT = "edit_topic", _("Topic changed")
    JOIN = "join_topic", _("Suggestion joined the topic")
    HOLD = "hold_event", _("Meeting recorded")
    SIGN_IN = "sign_in", _("Signed in at an event")
    RECORD = "record_opinion", _("Opinion recorded")
    ISSUE = "issue", _("Issue the opinions")
    CLOSE = "close_topic", _("Close the topic")
    SEND = "send_opinion", _("Sent to a department")
    # An opinion sent to a department: the shape of every department handling.
    SIGN = "sign", _("Sign for it")
    ASK_RETURN = "ask_return", _("Ask to return")
    ACCEPT_RETURN = "accept_return", _("Accept the return")
    REFUSE_RETURN = "refuse_return", _("Refuse the return")
    REPLY = "reply", _("Reply")
    APPROVE = "approve", _("Approve the reply")
    SEND_BACK = "send_back", _("Send the reply back")
    # An event's invitations, their answers and reminders; the event's changes.
    INVITE = "invite", _("Invited")
    RESEND = "resend_invitation", _("Invitation sent again")
    ACCEPT = "accept", _("Accept the invitation")
    DECLINE = "decline", _("Decline the invitation")
    REMIND = "remind", _("Reminded of the event")
    CHANGE_MEETING = "change_meeting", _("Event's time or place changed")
    CANCEL_MEETING = "cancel", _("Cancel the event")


class Topic(models.Model):
    """协商议题: one line of the committee's yearly consultation plan."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=TopicKind.choices)
    organiser_kind = models.CharField(
        _("organiser"),
        max_length=12,
        choices=OrganiserKind.choices,
        default=OrganiserKind.COMMITTEE,
    )
    organiser_name = models.CharField(_("organiser's name"), max_length=80, blank=True)
    departments = models.ManyToManyField(
        Department, verbose_name=_("departments concerned"), blank=True, related_name="+"
    )
    suggestions = models.ManyToManyField(
        Suggestion, verbose_name=_("citizen suggestions"), blank=True, related_name="+"
    )
    other_sources = models.TextField(
        _("other sources"),
        blank=True,
        help_text=_("Hotspots, proposals, members' ideas the topic comes from."),
    )
    is_joint = models.BooleanField(
        _("joint with the upper committee"),
        default=False,
        help_text=_("市区联动: the upper committee's staff see the topic too."),
    )
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=TopicStatus.choices,
        default=TopicStatus.PLANNED,
        editable=False,
    )
    # 协商意见书 number, per committee and year, given when the opinions are issued.
    document_number = models.PositiveIntegerField(
        _("document number"), null=True, blank=True, editable=False
    )
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("consultation topic")
        verbose_name_plural = _("consultation topics")
        ordering = ["-year", "id"]
        indexes = [models.Index(fields=["committee", "year"])]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year", "title"], name="topic_unique_title"
            ),
            models.UniqueConstraint(
                fields=["committee", "year", "document_number"],
                name="topic_unique_document_number",
                condition=models.Q(document_number__isnull=False),
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=TopicKind.values), name="topic_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(organiser_kind__in=OrganiserKind.values),
                name="topic_organiser_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=TopicStatus.values), name="topic_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100), name="topic_year_sensible"
            ),
            models.CheckConstraint(
                condition=models.Q(status=TopicStatus.PLANNED)
                | models.Q(document_number__isnull=False, issued_at__isnull=False),
                name="topic_issued_has_number",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def organiser_display(self) -> str:
        kind = str(self.get_organiser_kind_display())
        return f"{kind} · {self.organiser_name}" if self.organiser_name else kind


class MeetingKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    SITE_VISIT = "site_visit", _("Site visit")
    HEARING = "hearing", _("Hearing")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("event", "Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(models.Model):
    """An event held on a topic: a consultation meeting, a site visit, a hearing."""

    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="meetings"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=MeetingKind.choices)
    date = models.DateField(_("date"))
    time = models.TimeField(_("starts at"), default=time(9, 0))
    place = models.CharField(_("place"), max_length=100)
    agenda = models.TextField(_("agenda"), blank=True)
    participants = models.TextField(
        _("participants"),
        blank=True,
        help_text=_("Members, department officials, citizens and experts, by name."),
    )
    participant_count = models.PositiveSmallIntegerField(_("number of participants"), default=0)
    minutes = models.TextField(_("minutes"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MeetingStatus.choices,
        default=MeetingStatus.SCHEDULED,
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("consultation event")
        verbose_name_plural = _("consultation events")
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=MeetingKind.values), name="meeting_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=MeetingStatus.values), name="meeting_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic} · {self.get_kind_display()} {self.date}"

    @property
    def committee_id(self) -> int:
        """The topic's committee (what the workflow, the rules and the events name)."""
        return int(self.topic.committee_id)

    @property
    def starts_at(self) -> datetime:
        """When the event begins, in the site's time zone: invitations close then."""
        return datetime.combine(self.date, self.time, tzinfo=timezone.get_current_timezone())

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED


class InviteeKind(models.TextChoices):
    MEMBER = "member", _("Member")
    OFFICIAL = "official", _("Department official")
    CITIZEN = "citizen", _("Citizen")
    EXPERT = "expert", _("Expert")


class InvitationStatus(models.TextChoices):
    INVITED = "invited", _("Not answered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


def new_invitation_token() -> str:
    """The invitee's link: 128 random bits, not derived from anything."""
    return secrets.token_urlsafe(16)


class Invitation(models.Model):
    """An invitation to an event: a member, a department official, a citizen or an expert,
    by name, reached by SMS and/or email with a link (the token) to accept or decline."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("event"), on_delete=models.CASCADE, related_name="invitations"
    )
    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("invitee"), max_length=10, choices=InviteeKind.choices)
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=50)
    organisation = models.CharField(_("unit and position"), max_length=80, blank=True)
    # Contact, encrypted at rest (core.privacy); the look-ups keep one invitation per
    # number and per address for an event.
    phone_encrypted = models.TextField(blank=True, editable=False)
    phone_lookup = models.CharField(max_length=64, blank=True, editable=False)
    email_encrypted = models.TextField(blank=True, editable=False)
    email_lookup = models.CharField(max_length=64, blank=True, editable=False)
    token = models.CharField(
        max_length=32, unique=True, default=new_invitation_token, editable=False
    )
    status = models.CharField(
        _("answer"),
        max_length=10,
        choices=InvitationStatus.choices,
        default=InvitationStatus.INVITED,
        editable=False,
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, editable=False)
    send_count = models.PositiveSmallIntegerField(_("times sent"), default=0, editable=False)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("invited"), default=timezone.now)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["meeting", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                name="invitation_member_once",
                condition=models.Q(member__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["meeting", "phone_lookup"],
                name="invitation_phone_once",
                condition=~models.Q(phone_lookup=""),
            ),
            models.UniqueConstraint(
                fields=["meeting", "email_lookup"],
                name="invitation_email_once",
                condition=~models.Q(email_lookup=""),
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=InviteeKind.values), name="invitation_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=InvitationStatus.values),
                name="invitation_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=InviteeKind.MEMBER, member__isnull=False)
                | (~models.Q(kind=InviteeKind.MEMBER) & models.Q(member__isnull=True)),
                name="invitation_member_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} @ {self.meeting}"


class Attendance(models.Model):
    """A member's sign-in at an event, by the event's QR code: a record of attendance."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("event"), on_delete=models.CASCADE, related_name="attendances"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed in"), default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["meeting", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member} @ {self.meeting}"


class Opinion(models.Model):
    """协商意见: one numbered opinion of a topic, consolidated from what was said."""

    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="opinions"
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("event"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opinions",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    category = models.CharField(_("category"), max_length=40, blank=True)
    text = models.TextField(_("opinion"))
    speaker = models.CharField(_("who gave it"), max_length=80, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("consultation opinion")
        verbose_name_plural = _("consultation opinions")
        ordering = ["topic", "number"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "number"], name="opinion_unique_number"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="opinion_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:30]}"


class SendingStatus(models.TextChoices):
    SENT = "sent", _("Awaiting signature")
    SIGNED = "signed", _("Being carried out")
    RETURN_REQUESTED = "return_requested", _("Return requested")
    RETURNED = "returned", _("Returned")
    REPLIED = "replied", _("Reply awaiting approval")
    APPROVED = "approved", _("Reply approved")


class Adoption(models.TextChoices):
    ADOPTED = "adopted", _("Adopted and carried out")
    PARTLY = "partly", _("Being carried out")
    NOT_ADOPTED = "not_adopted", _("Not possible for now")


class Sending(models.Model):
    """An opinion sent to a department (落实): its handling item, and the reply with what
    was done."""

    opinion = models.ForeignKey(
        Opinion, verbose_name=_("opinion"), on_delete=models.PROTECT, related_name="sendings"
    )
    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateTimeField(_("deadline"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SendingStatus.choices,
        default=SendingStatus.SENT,
        editable=False,
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    adoption = models.CharField(_("result"), max_length=12, choices=Adoption.choices, blank=True)
    reply_text = models.TextField(_("what was done"), blank=True)
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("opinion sent to a department")
        verbose_name_plural = _("opinions sent to departments")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["department", "status", "deadline"])]
        constraints = [
            models.UniqueConstraint(
                fields=["opinion", "department"], name="sending_unique_department"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=SendingStatus.values), name="sending_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(adoption="") | models.Q(adoption__in=Adoption.values),
                name="sending_adoption_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=[SendingStatus.REPLIED, SendingStatus.APPROVED])
                | (~models.Q(adoption="") & models.Q(replied_at__isnull=False)),
                name="sending_reply_has_result",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.opinion} → {self.department}"

    @property
    def is_overdue(self) -> bool:
        return (
            self.status
            in (SendingStatus.SENT, SendingStatus.SIGNED, SendingStatus.RETURN_REQUESTED)
            and timezone.now() > self.deadline
        )
