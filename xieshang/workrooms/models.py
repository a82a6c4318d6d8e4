"""Workrooms (履职平台) and service points (政务晓屋)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xieshang.core.models import Committee, EventAction
from xieshang.people.models import LocalGroup, Member, SpecialCommittee


class WorkroomAction(EventAction):
    """Every step the timelines of workrooms, their standard and activities record."""

    ACTIVATE = "activate", _("Activate")
    SUSPEND = "suspend", _("Suspend")
    RESUME = "resume", _("Resume")
    CHECKLIST_INSTALL = "checklist_install", _("Standard set up")
    EVIDENCE_RECORD = "evidence_record", _("Evidence recorded")
    EVIDENCE_CONFIRM = "evidence_confirm", _("Evidence confirmed")


class WorkroomKind(models.TextChoices):
    MEMBERS_HOME = "members_home", _("Members' home")
    STREET = "street", _("Street/town workroom")
    PARK = "park", _("Park/building workroom")
    SECTOR = "sector", _("Sector workroom")
    INDUSTRY = "industry", _("Industry workroom")
    PERSONAL = "personal", _("Personal workroom")
    CLOUD = "cloud", _("Cloud workroom")
    DEMONSTRATION = "demonstration", _("Grassroots consultation demonstration site")


class WorkroomStatus(models.TextChoices):
    PREPARING = "preparing", _("Preparing")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")


class Workroom(models.Model):
    """A place (or an online room) where members meet citizens and do their duties."""

    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.PROTECT)
    name = models.CharField(_("name"), max_length=80)
    code = models.SlugField(
        _("code"), max_length=40, unique=True, help_text=_("Used in public addresses and QR codes.")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=WorkroomKind.choices)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=WorkroomStatus.choices,
        default=WorkroomStatus.PREPARING,
        editable=False,
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent workroom"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    guiding_special_committee = models.ForeignKey(
        SpecialCommittee,
        verbose_name=_("guiding special committee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    guiding_local_group = models.ForeignKey(
        LocalGroup,
        verbose_name=_("guiding local group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    venue = models.CharField(_("venue"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    members: models.ManyToManyField[Member, WorkroomMembership] = models.ManyToManyField(
        Member,
        through="WorkroomMembership",
        verbose_name=_("members"),
        related_name="workrooms",
        blank=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("workroom")
        verbose_name_plural = _("workrooms")
        ordering = ["committee", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="workroom_unique_name"),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="workroom_not_own_parent"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=WorkroomKind.values), name="workroom_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=WorkroomStatus.values),
                name="workroom_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["committee", "status"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == WorkroomStatus.ACTIVE


class WorkroomRole(models.TextChoices):
    CONVENOR = "convenor", _("Convenor")
    MEMBER = "member", _("Member")


class WorkroomMembership(models.Model):
    workroom = models.ForeignKey(
        Workroom, verbose_name=_("workroom"), on_delete=models.CASCADE, related_name="memberships"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(
        _("role"), max_length=10, choices=WorkroomRole.choices, default=WorkroomRole.MEMBER
    )

    class Meta:
        verbose_name = _("workroom member")
        verbose_name_plural = _("workroom members")
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["workroom", "member"], name="workroom_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member.user} · {self.get_role_display()}"


class ServicePoint(models.Model):
    """政务晓屋: a kiosk near citizens from which they join a video talk with a member."""

    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.PROTECT)
    name = models.CharField(_("name"), max_length=80)
    address = models.CharField(_("address"), max_length=200)
    opening_hours = models.CharField(_("opening hours"), max_length=120, blank=True)
    is_active = models.BooleanField(_("in service"), default=True)

    class Meta:
        verbose_name = _("service point")
        verbose_name_plural = _("service points")
        ordering = ["committee", "id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="servicepoint_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


# The committee's standard a workroom is held to; 白云's 五有 is the default list.
DEFAULT_CHECKLIST = ("有组织架构", "有委员队伍", "有统一标识", "有固定场所", "有履职安排")

# The kinds of duty activity members record; a committee edits its own list.


class ChecklistItem(models.Model):
    """One point of a committee's workroom standard (e.g. 有固定场所)."""

    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=40)
    description = models.CharField(_("what counts as evidence"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("display order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("standard item")
        verbose_name_plural = _("workroom standard")
        ordering = ["committee", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="checklistitem_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class ChecklistEvidence(models.Model):
    """A workroom's evidence for one standard item. The item counts as met once staff
    have confirmed the evidence; new evidence clears the confirmation."""

    workroom = models.ForeignKey(
        Workroom, verbose_name=_("workroom"), on_delete=models.CASCADE, related_name="evidence"
    )
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("standard item"), on_delete=models.CASCADE
    )
    text = models.TextField(_("evidence"))
    photo = models.ImageField(_("photo"), upload_to="evidence/%Y/%m/", blank=True)
    recorded_by = models.ForeignKey(
        "people.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)
    confirmed_by = models.ForeignKey(
        "people.User",
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("standard evidence")
        verbose_name_plural = _("standard evidence")
        ordering = ["workroom", "item__order"]
        constraints = [
            models.UniqueConstraint(fields=["workroom", "item"], name="evidence_once_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.workroom} · {self.item}"

    @property
    def committee_id(self) -> int:
        return int(self.workroom.committee_id)

    @property
    def is_met(self) -> bool:
        return self.confirmed_at is not None
