"""Duty rosters, slots, booked talks and their video rooms (云工作室).

A workroom's `DutyPattern` says when it is staffed each week (周三 14:30–17:30) and its
`RotationEntry` rows say in which order its members take turns (每周轮流坐值). Shifts are
generated some weeks ahead from the two, skipping closed dates (public holidays from the
working-day calendar, and `ClosedDate` rows a clerk enters). Each shift is split into
slots a citizen can book; a slot's `booked` count can never exceed its capacity — the
database refuses it (a check constraint, and a conditional UPDATE that only succeeds while
there is room), so two citizens racing for the last place cannot both get it.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieshang.core.models import Committee, EventAction
from xieshang.people.models import Member
from xieshang.workrooms.models import ServicePoint, Workroom

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]

BOOKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
BOOKING_CODE_LENGTH = 8


def new_booking_code() -> str:
    return "".join(secrets.choice(BOOKING_ALPHABET) for _ in range(BOOKING_CODE_LENGTH))


def new_video_room() -> str:
    """An unguessable room name (128 bits) for the Jitsi-compatible video service."""
    return "xieshang-" + secrets.token_hex(16)


class DutyAction(EventAction):
    """Every step the timelines of rosters, shifts, shift changes and bookings record."""

    # Rosters and shifts
    PATTERN_CREATE = "pattern_create", _("Duty pattern created")
    PATTERN_UPDATE = "pattern_update", _("Duty pattern changed")
    ROTATION_SET = "rotation_set", _("Rotation set")
    GENERATE = "generate", _("Shifts generated")
    CLOSE = "close", _("Date closed")
    REOPEN = "reopen", _("Date reopened")
    HAND_OVER = "hand_over", _("Handed over")
    # A shift change (调班/代班)
    REQUEST = "request", _("Asked")
    AGREE = "agree", _("Agree")
    DECLINE = "decline", pgettext_lazy("shift change", "Decline")
    WITHDRAW = "withdraw", _("Withdraw")
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    # A shift, and a booking (预约)
    CANCEL = "cancel", _("Cancel")
    BOOK = "book", _("Booked")
    REMIND = "remind", _("Reminder sent")
    MOVE = "move", _("Move to another time")
    CHECK_IN = "check_in", _("Check in")
    NO_SHOW = "no_show", _("Did not come")
    RECORD = "record", _("Record the talk")


class DutyPattern(models.Model):
    """A workroom's weekly duty: one weekday and time span, split into bookable slots."""

    workroom = models.ForeignKey(
        Workroom,
        verbose_name=_("workroom"),
        on_delete=models.CASCADE,
        related_name="duty_patterns",
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=WEEKDAYS)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    slot_minutes = models.PositiveSmallIntegerField(_("minutes per talk"), default=20)
    slot_capacity = models.PositiveSmallIntegerField(_("citizens per slot"), default=1)
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    members: models.ManyToManyField[Member, RotationEntry] = models.ManyToManyField(
        Member,
        through="RotationEntry",
        verbose_name=_("rotation"),
        related_name="duty_patterns",
        blank=True,
    )

    class Meta:
        verbose_name = _("duty pattern")
        verbose_name_plural = _("duty patterns")
        ordering = ["workroom", "weekday", "start_time"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="dutypattern_weekday_valid"),
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="dutypattern_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=5, slot_minutes__lte=240),
                name="dutypattern_slot_minutes_range",
            ),
            models.CheckConstraint(
                condition=Q(slot_capacity__gte=1, slot_capacity__lte=50),
                name="dutypattern_capacity_range",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="dutypattern_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.workroom} {self.get_weekday_display()} "
            f"{self.start_time:%H:%M}–{self.end_time:%H:%M}"
        )

    @property
    def committee_id(self) -> int:
        return int(self.workroom.committee_id)


class RotationEntry(models.Model):
    """A member's place in a pattern's rotation; shifts go round in `position` order."""

    pattern = models.ForeignKey(
        DutyPattern,
        verbose_name=_("duty pattern"),
        on_delete=models.CASCADE,
        related_name="rotation",
    )
    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        verbose_name = _("rotation place")
        verbose_name_plural = _("rotation")
        ordering = ["pattern", "position"]
        constraints = [
            models.UniqueConstraint(fields=["pattern", "position"], name="rotation_position_once"),
            models.UniqueConstraint(fields=["pattern", "member"], name="rotation_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.member.user}"


class ClosedDate(models.Model):
    """A day a committee's workrooms (or one workroom) take no duty, beyond the public
    holidays of the working-day calendar."""

    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.CASCADE)
    workroom = models.ForeignKey(
        Workroom,
        verbose_name=_("workroom"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("Leave empty to close every workroom of the committee."),
    )
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=60)

    class Meta:
        verbose_name = _("closed date")
        verbose_name_plural = _("closed dates")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "workroom", "date"], name="closeddate_once"
            ),
            models.UniqueConstraint(
                fields=["committee", "date"],
                condition=Q(workroom__isnull=True),
                name="closeddate_committee_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.reason}"


class ShiftStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class Shift(models.Model):
    """One member on duty in one workroom for one span of time."""

    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.PROTECT)
    workroom = models.ForeignKey(
        Workroom, verbose_name=_("workroom"), on_delete=models.PROTECT, related_name="shifts"
    )
    pattern = models.ForeignKey(
        DutyPattern,
        verbose_name=_("duty pattern"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shifts",
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member on duty"), on_delete=models.PROTECT, related_name="shifts"
    )
    date = models.DateField(_("date"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ShiftStatus.choices,
        default=ShiftStatus.SCHEDULED,
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pattern", "date"],
                condition=Q(pattern__isnull=False),
                name="shift_once_per_pattern_day",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="shift_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ShiftStatus.values), name="shift_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["workroom", "date"]),
            models.Index(fields=["member", "date"]),
            # The figures: a committee's shifts of a period, answered from the index.
            models.Index(
                fields=["committee", "date"],
                include=["status", "ends_at", "member"],
                name="shift_committee_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.workroom} {self.date.isoformat()} {self.member.user}"


class ShiftChangeKind(models.TextChoices):
    SWAP = "swap", _("Swap shifts")
    COVER = "cover", _("Cover my shift")


class ShiftChangeStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting the colleague")
    AGREED = "agreed", _("Awaiting staff approval")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined by the colleague")
    REJECTED = "rejected", _("Rejected by staff")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ShiftChange(models.Model):
    """A member asks a colleague to swap shifts or to cover one (调班/代班); the colleague
    agrees, staff approve, and only then do the shifts change hands."""

    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.PROTECT)
    kind = models.CharField(_("kind"), max_length=8, choices=ShiftChangeKind.choices)
    shift = models.ForeignKey(
        Shift, verbose_name=_("shift"), on_delete=models.CASCADE, related_name="changes"
    )
    requested_by = models.ForeignKey(
        Member, verbose_name=_("asked by"), on_delete=models.PROTECT, related_name="+"
    )
    colleague = models.ForeignKey(
        Member, verbose_name=_("colleague"), on_delete=models.PROTECT, related_name="+"
    )
    other_shift = models.ForeignKey(
        Shift,
        verbose_name=_("colleague's shift"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For a swap: the colleague's shift the asker takes in exchange."),
    )
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ShiftChangeStatus.choices,
        default=ShiftChangeStatus.REQUESTED,
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("shift change")
        verbose_name_plural = _("shift changes")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ShiftChangeKind.values), name="shiftchange_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ShiftChangeStatus.values), name="shiftchange_status_valid"
            ),
            models.CheckConstraint(
                condition=(Q(kind=ShiftChangeKind.SWAP) & Q(other_shift__isnull=False))
                | (Q(kind=ShiftChangeKind.COVER) & Q(other_shift__isnull=True)),
                name="shiftchange_swap_has_other_shift",
            ),
            models.CheckConstraint(
                condition=~Q(requested_by=F("colleague")), name="shiftchange_not_self"
            ),
            # One open request per shift at a time.
            models.UniqueConstraint(
                fields=["shift"],
                condition=Q(status__in=["requested", "agreed"]),
                name="shiftchange_one_open_per_shift",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.shift}"


class Slot(models.Model):
    """A bookable part of a shift. `booked` counts the confirmed bookings; the database
    keeps it between 0 and `capacity`."""

    shift = models.ForeignKey(
        Shift, verbose_name=_("shift"), on_delete=models.CASCADE, related_name="slots"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=1)
    booked = models.PositiveSmallIntegerField(_("booked"), default=0, editable=False)

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "starts_at"], name="slot_once_per_time"),
            models.CheckConstraint(
                condition=Q(booked__gte=0) & Q(booked__lte=F("capacity")),
                name="slot_never_overbooked",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{local:%Y-%m-%d %H:%M} ({self.booked}/{self.capacity})"

    @property
    def is_full(self) -> bool:
        return self.booked >= self.capacity


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person at the workroom")
    SERVICE_POINT = "service_point", _("By video from a service point")
    OWN_PHONE = "own_phone", _("By video from my own phone")


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")
    CHECKED_IN = "checked_in", _("Checked in")
    COMPLETED = "completed", _("Talk recorded")
    NO_SHOW = "no_show", _("Did not come")


ACTIVE_BOOKING_STATES = (BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN)


class Booking(models.Model):
    """A citizen's booked talk with the member on duty."""

    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.PROTECT)
    code = models.CharField(
        _("booking code"), max_length=12, unique=True, default=new_booking_code, editable=False
    )
    slot = models.ForeignKey(
        Slot, verbose_name=_("slot"), on_delete=models.PROTECT, related_name="bookings"
    )
    workroom = models.ForeignKey(Workroom, verbose_name=_("workroom"), on_delete=models.PROTECT)
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="bookings"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    mode = models.CharField(_("how to meet"), max_length=16, choices=MeetingMode.choices)
    service_point = models.ForeignKey(
        ServicePoint,
        verbose_name=_("service point"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    citizen_name = models.CharField(_("name"), max_length=40)
    phone_encrypted = models.TextField(_("mobile number (encrypted)"), editable=False)
    phone_lookup = models.CharField(
        _("mobile number look-up"), max_length=64, editable=False, db_index=True
    )
    phone_masked = models.CharField(_("mobile number"), max_length=16, editable=False)
    topic = models.CharField(_("topic"), max_length=200)
    video_room = models.CharField(
        _("video room"), max_length=60, unique=True, default=new_video_room, editable=False
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=BookingStatus.choices,
        default=BookingStatus.CONFIRMED,
        editable=False,
    )
    idempotency_key = models.CharField(max_length=64, unique=True, editable=False)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("booked"), auto_now_add=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(mode__in=MeetingMode.values), name="booking_mode_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=BookingStatus.values), name="booking_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(mode="service_point", service_point__isnull=False)
                | (~Q(mode="service_point") & Q(service_point__isnull=True)),
                name="booking_service_point_iff_mode",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="booking_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["phone_lookup", "starts_at"]),
            models.Index(fields=["member", "starts_at"]),
            models.Index(fields=["status", "starts_at"]),
            # The figures: a committee's bookings of a period, answered from the index.
            models.Index(
                fields=["committee", "starts_at"],
                include=["status"],
                name="booking_committee_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.citizen_name}"

    @property
    def is_video(self) -> bool:
        return self.mode != MeetingMode.IN_PERSON

    @property
    def video_url(self) -> str:
        return settings.VIDEO_ROOM_BASE_URL.rstrip("/") + "/" + self.video_room

    def video_open(self, now: datetime | None = None) -> bool:
        """The room is shown from 15 minutes before the talk until 30 minutes after it."""
        moment = now or timezone.now()
        return (
            self.is_video
            and self.status in ACTIVE_BOOKING_STATES
            and self.starts_at - timedelta(minutes=15)
            <= moment
            <= self.ends_at + timedelta(minutes=30)
        )


class PhoneVerification(models.Model):
    """A 6-digit code sent to a mobile number before it may book. Five wrong tries lock the
    number for 15 minutes. Only a hash of the code is kept."""

    phone_lookup = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("phone verification")
        verbose_name_plural = _("phone verifications")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.phone_lookup[:8]}… {self.created_at:%Y-%m-%d %H:%M}"


class Talk(models.Model):
    """The member's record of a talk: what was raised, and the suggestions it became."""

    booking = models.OneToOneField(
        Booking, verbose_name=_("booking"), on_delete=models.PROTECT, related_name="talk"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT
    )
    summary = models.TextField(_("what was raised"))
    citizen_consented = models.BooleanField(
        _("the citizen agreed that their issues become suggestions"), default=False
    )
    suggestions = models.ManyToManyField(
        "suggestions.Suggestion", verbose_name=_("suggestions"), blank=True, related_name="talks"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("talk record")
        verbose_name_plural = _("talk records")

    def __str__(self) -> str:
        return str(self.booking)

    @property
    def committee_id(self) -> int:
        return int(self.booking.committee_id)
