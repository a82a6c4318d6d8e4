"""Committees (the tree every record hangs from) and the append-only event timeline."""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CommitteeLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    DISTRICT = "district", _("District")


class Committee(models.Model):
    """A CPPCC committee (政协). Every record of the platform belongs to exactly one."""

    name = models.CharField(_("full name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, unique=True)
    code = models.SlugField(
        _("code"), max_length=30, unique=True, help_text=_("Used in public addresses.")
    )
    level = models.CharField(_("level"), max_length=10, choices=CommitteeLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("upper committee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("public phone"), max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(_("display order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="committee_not_own_parent"
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=CommitteeLevel.values), name="committee_level_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.short_name

    @property
    def committee_id(self) -> int:
        """A committee belongs to itself, so scoping predicates treat it like any record."""
        return self.pk


class EventAction(models.TextChoices):
    """What an event records. Each app subclasses this once, with every action its records'
    timelines can hold (its workflows' transitions and the steps that are not transitions);
    `event_record` takes only such members, and the label is what every timeline shows."""


def _app_of(enum: type[EventAction]) -> str:
    # "xieshang.suggestions.models" -> "suggestions"
    return enum.__module__.split(".")[1]


def action_enums() -> list[type[EventAction]]:
    found: list[type[EventAction]] = []
    pending = list(EventAction.__subclasses__())
    while pending:
        enum = pending.pop()
        found.append(enum)
        pending.extend(enum.__subclasses__())
    return found


def action_label(action: str, *, app_label: str = "") -> str:
    """An event's action in words: from the enum of the record's app when it has the
    action, else from any app's (an app may record a step on another app's record)."""
    enums = sorted(action_enums(), key=lambda enum: _app_of(enum) != app_label)
    for enum in enums:
        if action in enum.values:
            return str(enum(action).label)
    return action


class CommitteeOption(models.Model):
    """An entry of one of a committee's own lists — suggestion and proposal categories,
    activity kinds: data each committee keeps (with defaults), not code. Names are unique
    per committee; a retired entry stays (`is_active` off) for the records that name it."""

    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.PROTECT)
    name = models.CharField(_("name"), max_length=30)
    order = models.PositiveSmallIntegerField(_("display order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        abstract = True
        ordering = ["committee", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "name"], name="%(app_label)s_%(class)s_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class CommitteePolicy(models.Model):
    """A committee's settings for one app (deadlines, limits, formats); a committee without
    a row gets the field defaults."""

    committee = models.OneToOneField(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return str(self.committee)

    @classmethod
    def for_committee(cls, committee_id: int) -> Self:
        """The committee's row, or an unsaved one with the defaults."""
        return cls.objects.filter(committee_id=committee_id).first() or cls(  # type: ignore[attr-defined]
            committee_id=committee_id
        )


class ActorKind(models.TextChoices):
    USER = "user", _("User")
    CITIZEN = "citizen", _("Citizen")
    SYSTEM = "system", _("System")


class EventQuerySet(models.QuerySet["Event"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("Events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("Events are append-only")

    def for_object(self, obj: models.Model) -> EventQuerySet:
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).order_by("created_at", "id")


class Event(models.Model):
    """One step in the life of a record: who did what, from which state to which, and why.

    Append-only: the model refuses updates and deletes, and so does the database (triggers
    in migration 0003). The timeline is the audit trail, the citizen's view of progress
    and the source of the figures.
    """

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+"
    )
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("record type"),
        on_delete=models.PROTECT,
        db_index=False,  # the first column of the (content_type, object_id, created_at) index
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # indexed where set: events of citizens and the system have none
    )
    actor_kind = models.CharField(
        _("actor kind"), max_length=10, choices=ActorKind.choices, default=ActorKind.USER
    )
    action = models.CharField(_("action"), max_length=40)
    from_state = models.CharField(_("from state"), max_length=30, blank=True)
    to_state = models.CharField(_("to state"), max_length=30, blank=True)
    note = models.TextField(_("note"), blank=True)
    is_public = models.BooleanField(_("public"), default=False)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "created_at"]),
            models.Index(
                fields=["actor"], name="event_actor", condition=models.Q(actor__isnull=False)
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(actor_kind=ActorKind.USER, actor__isnull=False)
                    | (~models.Q(actor_kind=ActorKind.USER) & models.Q(actor__isnull=True))
                ),
                name="event_actor_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.from_state}→{self.to_state}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise TypeError("Events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("Events are append-only")

    @property
    def action_display(self) -> str:
        return action_label(self.action, app_label=self.content_type.app_label)

    @property
    def actor_display(self) -> str:
        if self.actor_kind == ActorKind.USER and self.actor is not None:
            return str(self.actor)
        return str(self.get_actor_kind_display())


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday")
    WORKDAY = "workday", _("Make-up workday")


class CalendarDay(models.Model):
    """A day that breaks the Monday-to-Friday rule: a public holiday on a weekday
    (法定节假日) or a weekend day worked in exchange (调休上班). The State Council publishes
    the schedule each year; a clerk enters it here, and deadlines count working days by it
    (see `xieshang.core.workdays`)."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = models.CharField(
        _("holiday name"),
        max_length=30,
        blank=True,
        help_text=_("The holiday the day belongs to, e.g. National Day."),
    )

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("working day calendar")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=DayKind.values), name="calendarday_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.name}".rstrip()


class OutboxJob(models.Model):
    """A background job that follows a commit, written in the same transaction as what it
    follows (`core.jobs.enqueue`). Sent to the broker after the commit and then removed; if
    the broker is away, the row stays and the sweep (`core.outbox_flush`) sends it later, so
    a job is never lost — though it may, rarely, run twice (every job is safe to repeat)."""

    task = models.CharField(_("job"), max_length=80)
    kwargs = models.JSONField(_("arguments"), default=dict)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("queued job")
        verbose_name_plural = _("queued jobs")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.task} {self.kwargs}"
