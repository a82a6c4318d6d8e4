"""Duty activities (履职活动): what members did, recorded by whoever organised it
(谁组织谁记录), with the citizens reached and the suggestions collected. The tables keep
the names they had when activities were part of the workrooms app (migration 0001)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xieshang.core.models import Committee, CommitteeOption, EventAction
from xieshang.people.models import Member
from xieshang.workrooms.models import Workroom

DEFAULT_ACTIVITY_KINDS = (
    "进社区",
    "接待来访",
    "走访慰问",
    "视察",
    "调研",
    "座谈/协商",
    "会议",
    "培训",
    "宣讲",
)


class ActivityAction(EventAction):
    """Every step an activity's timeline records."""

    ACTIVITY_RECORD = "activity_record", _("Activity recorded")
    ACTIVITY_EDIT = "activity_edit", _("Activity corrected")


class ActivityKind(CommitteeOption):
    """A committee's list of activity kinds (进社区, 接待来访… by default)."""

    class Meta(CommitteeOption.Meta):
        db_table = "workrooms_activitykind"
        verbose_name = _("activity kind")
        verbose_name_plural = _("activity kinds")


class Activity(models.Model):
    """A duty activity (履职活动), recorded by whoever organised it (谁组织谁记录). The
    committee's figures (进社区 514 人次, 接待来访群众 398 人, 收集问题 271 个) are counted
    from these rows."""

    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.PROTECT)
    kind = models.ForeignKey(ActivityKind, verbose_name=_("kind"), on_delete=models.PROTECT)
    title = models.CharField(_("title"), max_length=100)
    date = models.DateField(_("date"))
    workroom = models.ForeignKey(
        Workroom,
        verbose_name=_("workroom"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    members = models.ManyToManyField(
        Member, verbose_name=_("members who took part"), related_name="activities"
    )
    citizens_reached = models.PositiveIntegerField(_("citizens reached"), default=0)
    issues_collected = models.PositiveIntegerField(_("issues collected"), default=0)
    suggestions = models.ManyToManyField(
        "suggestions.Suggestion",
        verbose_name=_("suggestions collected"),
        blank=True,
        related_name="activities",
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        "people.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        db_table = "workrooms_activity"
        verbose_name = _("duty activity")
        verbose_name_plural = _("duty activities")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["committee", "date"])]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.title}"


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to="activities/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "workrooms_activityphoto"
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.image.name)
