"""Research topics (调研课题) of a committee's year, alone or with the upper committee
(联合调研), and the report each leads to (调研报告) with the leaders' instructions it drew."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xieshang.core.models import Committee, EventAction


class ResearchAction(EventAction):
    CREATE_TOPIC = "create_topic", _("Research topic set")
    WRITE = "write", _("Report drafted")
    SUBMIT = "submit", _("Submit the report")
    SEND_BACK = "send_back", _("Send the report back")
    ADOPT = "adopt", _("Approve the report (chairs' meeting)")
    INSTRUCTION = "instruction", _("Leader's instruction recorded")
    INSTRUCTION_SCAN = "instruction_scan", _("Scan of the instruction attached")
    OUTCOME = "outcome", _("Outcome recorded")
    MATERIAL = "material", _("Material attached")
    VISIT = "visit", _("Visit or meeting recorded")


class Topic(models.Model):
    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=100)
    is_key = models.BooleanField(_("key research topic (重点调研课题)"), default=False)
    lead = models.CharField(_("led by (a chair, a special committee, a workroom)"), max_length=60)
    joint_with_upper = models.BooleanField(
        _("joint research with the upper committee (联合调研)"), default=False
    )
    members = models.ManyToManyField(
        "people.Member", verbose_name=_("group members"), blank=True, related_name="+"
    )
    plan = models.TextField(_("plan, departments to visit and schedule"), blank=True)
    # Its visits and meetings are duty activities (activities app, with their attendance,
    # which counts in the members' duty records), linked here.
    activities = models.ManyToManyField(
        "activities.Activity",
        verbose_name=_("visits and meetings"),
        blank=True,
        related_name="research_topics",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("research topic")
        verbose_name_plural = _("research topics")
        ordering = ["-year", "-is_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year", "title"], name="research_topic_title_once"
            ),
            models.CheckConstraint(condition=~models.Q(title=""), name="research_topic_title"),
            models.CheckConstraint(condition=~models.Q(lead=""), name="research_topic_lead"),
        ]

    def __str__(self) -> str:
        return self.title


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Under review")
    ADOPTED = "adopted", _("Approved by the chairs' meeting")


class Report(models.Model):
    """The topic's research report (调研报告)."""

    topic = models.OneToOneField(
        Topic, verbose_name=_("research topic"), on_delete=models.PROTECT, related_name="report"
    )
    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.PROTECT)
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("report"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReportStatus.choices,
        default=ReportStatus.DRAFT,
        editable=False,
    )
    adopted_at = models.DateTimeField(_("approved"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("research report")
        verbose_name_plural = _("research reports")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ReportStatus.values), name="research_report_status"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ReportStatus.ADOPTED)
                | models.Q(adopted_at__isnull=False),
                name="research_report_adopted_at",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class LeaderLevel(models.TextChoices):
    PROVINCE = "province", _("Provincial leader")
    CITY = "city", _("City leader")
    DISTRICT = "district", _("District leader")


class Instruction(models.Model):
    """A leader's instruction (批示) on a report."""

    report = models.ForeignKey(
        Report,
        verbose_name=_("research report"),
        on_delete=models.CASCADE,
        related_name="instructions",
    )
    level = models.CharField(_("level"), max_length=10, choices=LeaderLevel.choices)
    leader = models.CharField(_("leader"), max_length=60)
    text = models.TextField(_("instruction"))
    date = models.DateField(_("date"))
    # The scan of the instruction: a PDF or an image (core.uploads), served only to who
    # may see the topic.
    scan = models.FileField(_("scan"), upload_to="instructions/%Y/", blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("leader's instruction")
        verbose_name_plural = _("leaders' instructions")
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=LeaderLevel.values), name="research_instruction_level"
            ),
            models.CheckConstraint(
                condition=~models.Q(leader=""), name="research_instruction_has_leader"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.leader} {self.date}"


class OutcomeKind(models.TextChoices):
    PROPOSAL = "proposal", _("A proposal filed from it")
    CONSULTATION = "consultation", _("A recommendation or consultation")
    OPINION = "opinion", _("Public-opinion information")
    POLICY = "policy", _("A policy adopted")
    OTHER = "other", _("Other")


class Outcome(models.Model):
    """What the research led to: a proposal, a 建议书 or consultation, 社情民意 items, a
    policy adopted (free text and date)."""

    topic = models.ForeignKey(
        Topic, verbose_name=_("research topic"), on_delete=models.CASCADE, related_name="outcomes"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=OutcomeKind.choices)
    text = models.CharField(_("what it led to"), max_length=300)
    date = models.DateField(_("date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OutcomeKind.values), name="research_outcome_kind"
            ),
            models.CheckConstraint(condition=~models.Q(text=""), name="research_outcome_text"),
        ]

    def __str__(self) -> str:
        return self.text


class Material(models.Model):
    """Material or a note attached to a topic, or to one of its visits and meetings: a
    document or an image (judged by its content, core.uploads) and/or a note text."""

    topic = models.ForeignKey(
        Topic, verbose_name=_("research topic"), on_delete=models.CASCADE, related_name="materials"
    )
    activity = models.ForeignKey(
        "activities.Activity",
        verbose_name=_("visit or meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=100)
    note = models.TextField(_("note"), blank=True)
    file = models.FileField(_("file"), upload_to="research/%Y/", blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attached by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("attached"), default=timezone.now)

    class Meta:
        verbose_name = _("research material")
        verbose_name_plural = _("research materials")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(title=""), name="research_material_title"),
            models.CheckConstraint(
                condition=~models.Q(file="") | ~models.Q(note=""),
                name="research_material_file_or_note",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def extension(self) -> str:
        return self.file.name.rsplit(".", 1)[-1].lower() if self.file else ""
