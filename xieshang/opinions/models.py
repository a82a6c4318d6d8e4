"""社情民意信息: items written by members (or a sector, a workroom, staff), received and
edited by the liaison office (联络委), adopted or not, and issued in numbered issues of
《社情民意》 or 《情况快报》; the leaders' instructions (批示) they drew."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce, Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xieshang.core.models import Committee, EventAction

# One issue per item, at most 1,500 characters (situation and suggestion together).
ITEM_MAX_CHARS = 1500


class ItemStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the liaison office")
    RETURNED = "returned", _("Sent back")
    ADOPTED = "adopted", _("Adopted")
    NOT_ADOPTED = "not_adopted", _("Not adopted")
    ISSUED = "issued", _("Issued")


class OpinionAction(EventAction):
    CREATE = "create", _("Written")
    FROM_SUGGESTION = "from_suggestion", _("Started from a citizen suggestion")
    FROM_PROPOSAL = "from_proposal", _("Started from a proposal not accepted")
    SUBMIT = "submit", _("Submit")
    SEND_BACK = "send_back", _("Send back")
    ADOPT = "adopt", _("Adopt")
    DECLINE = "decline", _("Do not adopt")
    ISSUE = "issue", _("Include in an issue")
    EDIT = "edit", _("Edited")
    INSTRUCTION = "instruction", _("Leader's instruction recorded")
    INSTRUCTION_SCAN = "instruction_scan", _("Scan of the instruction attached")
    ISSUE_CLOSE = "issue_close", _("Issue closed")
    FROM_BELOW = "from_below", _("Taken up from the committee below")


class Series(models.TextChoices):
    OPINIONS = "opinions", _("《社情民意》")
    BULLETIN = "bulletin", _("《情况快报》")


class Issue(models.Model):
    """A numbered issue of a series (期号 per committee, series and year)."""

    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.PROTECT)
    series = models.CharField(
        _("series"), max_length=10, choices=Series.choices, default=Series.OPINIONS
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("issue number"))
    recipients = models.CharField(_("sent to"), max_length=300, blank=True)
    sent_upward = models.BooleanField(
        _("sent to the upper committee's liaison office"), default=False
    )
    is_closed = models.BooleanField(_("closed"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("compiled by"), on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        ordering = ["-year", "-number", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "series", "year", "number"], name="opinion_issue_number_once"
            ),
            models.CheckConstraint(
                condition=models.Q(series__in=Series.values), name="opinion_issue_series_valid"
            ),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="opinion_issue_number"),
        ]

    def __str__(self) -> str:
        return f"{self.get_series_display()} {self.year}年第{self.number}期"


class Item(models.Model):
    """One 社情民意 item: one issue, the situation and the suggestion."""

    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.PROTECT)
    author = models.ForeignKey(
        "people.Member",
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinion_items",
    )
    author_unit = models.CharField(
        _("written by (sector, workroom, office)"), max_length=60, blank=True
    )
    coauthors = models.ManyToManyField(
        "people.Member", verbose_name=_("co-authors"), blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=100)
    situation = models.TextField(_("the situation"))
    suggestion = models.TextField(_("the suggestion"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ItemStatus.choices,
        default=ItemStatus.DRAFT,
        editable=False,
    )
    decision_note = models.TextField(_("decision"), blank=True, editable=False)
    issue = models.ForeignKey(
        Issue,
        verbose_name=_("issue"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
        editable=False,
    )
    source_suggestion = models.ForeignKey(
        "suggestions.Suggestion",
        verbose_name=_("from the citizen suggestion"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinion_items",
        editable=False,
    )
    forwarded_from = models.OneToOneField(
        "self",
        verbose_name=_("taken up from the committee below"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forwarded_to",
        editable=False,
    )
    source_proposal = models.OneToOneField(
        "proposals.Proposal",
        verbose_name=_("from the proposal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinion_item",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("public-opinion item")
        verbose_name_plural = _("public-opinion items")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ItemStatus.values), name="opinion_item_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(author__isnull=False) | ~models.Q(author_unit=""),
                name="opinion_item_has_author",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(
                    Coalesce(Length("situation"), 0) + Coalesce(Length("suggestion"), 0),
                    ITEM_MAX_CHARS,
                ),
                name="opinion_item_length",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ItemStatus.ISSUED) | models.Q(issue__isnull=False),
                name="opinion_item_issued_in_issue",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def author_display(self) -> str:
        if self.author_id is not None:
            name = str(self.author.user) if self.author else ""
            return f"{name}（{self.author_unit}）" if self.author_unit else name
        return self.author_unit


class Revision(models.Model):
    """One edit of an item: who changed which fields from what to what."""

    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="revisions"
    )
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("edited by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    changes = models.JSONField(_("changes"), default=dict)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return ", ".join(self.changes)


class LeaderLevel(models.TextChoices):
    PROVINCE = "province", _("Provincial leader")
    CITY = "city", _("City leader")
    DISTRICT = "district", _("District leader")


class Instruction(models.Model):
    """A leader's instruction (批示) on an item: who, at which level, when, what."""

    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="instructions"
    )
    level = models.CharField(_("level"), max_length=10, choices=LeaderLevel.choices)
    leader = models.CharField(_("leader"), max_length=60)
    text = models.TextField(_("instruction"))
    date = models.DateField(_("date"))
    # The scan of the instruction as the leader wrote it: a PDF or an image, judged by
    # its content when stored (core.uploads), served only to who may see the item.
    scan = models.FileField(_("scan"), upload_to="instructions/%Y/", blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("leader's instruction")
        verbose_name_plural = _("leaders' instructions")
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=LeaderLevel.values), name="opinion_instruction_level"
            ),
            models.CheckConstraint(
                condition=~models.Q(leader=""), name="opinion_instruction_has_leader"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.leader} {self.date}"
