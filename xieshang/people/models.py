"""People and the organisation around a committee: members, staff, departments, leaders."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from xieshang.core.models import Committee


class User(AbstractUser):
    """An account. Citizens have none; members, staff, clerks and leaders do."""

    name = models.CharField(_("name"), max_length=50, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.name or self.username


class CommitteeOwned(models.Model):
    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.PROTECT)

    class Meta:
        abstract = True


class Sector(CommitteeOwned):
    """界别: the constituency a member represents, e.g. 律师界."""

    name = models.CharField(_("name"), max_length=50)
    order = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["committee", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="sector_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class SpecialCommittee(CommitteeOwned):
    """专门委员会, e.g. 经济科技委员会; guides workrooms and key proposals."""

    name = models.CharField(_("name"), max_length=60)
    order = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        verbose_name = _("special committee")
        verbose_name_plural = _("special committees")
        ordering = ["committee", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "name"], name="specialcommittee_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class LocalGroup(CommitteeOwned):
    """镇街地方组: the members living or working in one town or street."""

    name = models.CharField(_("name"), max_length=60)
    area = models.CharField(_("town or street"), max_length=40)
    order = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        verbose_name = _("local group")
        verbose_name_plural = _("local groups")
        ordering = ["committee", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="localgroup_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice chair")
    STANDING = "standing", _("Standing committee member")
    MEMBER = "member", _("Member")
    ADVISER = "adviser", _("Adviser")


class Member(CommitteeOwned):
    """A person's seat in one committee (委员). A city member who also serves in a district
    has two rows, one per committee; the level is the committee's."""

    user = models.ForeignKey(
        "people.User", verbose_name=_("account"), on_delete=models.PROTECT, related_name="seats"
    )
    role = models.CharField(
        _("role"), max_length=12, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, null=True, blank=True
    )
    special_committees = models.ManyToManyField(
        SpecialCommittee, verbose_name=_("special committees"), blank=True
    )
    local_group = models.ForeignKey(
        LocalGroup, verbose_name=_("local group"), on_delete=models.PROTECT, null=True, blank=True
    )
    employer = models.CharField(_("work unit and position"), max_length=120, blank=True)
    is_active = models.BooleanField(_("serving"), default=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["committee", "user__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "committee"], name="member_one_seat_each"),
            models.CheckConstraint(
                condition=models.Q(role__in=MemberRole.values), name="member_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.committee})"

    @property
    def level(self) -> str:
        return self.committee.level

    def clean(self) -> None:
        for field in ("sector", "local_group"):
            related = getattr(self, field)
            if related is not None and related.committee_id != self.committee_id:
                raise ValidationError({field: _("It belongs to another committee.")})


class DepartmentKind(models.TextChoices):
    BUREAU = "bureau", _("Government department")
    STREET = "street", _("Street office")
    TOWN = "town", _("Town government")
    OTHER = "other", _("Other unit")


class Department(CommitteeOwned):
    """承办单位: a government unit that handles what the committee assigns to it."""

    name = models.CharField(_("name"), max_length=80)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=DepartmentKind.choices, default=DepartmentKind.BUREAU
    )
    phone = models.CharField(_("office phone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["committee", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="department_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class DepartmentClerk(models.Model):
    """A user who works on a department's inbox (承办人)."""

    user = models.ForeignKey(
        User, verbose_name=_("account"), on_delete=models.PROTECT, related_name="clerkships"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="clerks"
    )
    is_head = models.BooleanField(
        _("head of the department"),
        default=False,
        help_text=_("Approves the department's replies to proposals before they are sent."),
    )

    class Meta:
        verbose_name = _("department clerk")
        verbose_name_plural = _("department clerks")
        constraints = [models.UniqueConstraint(fields=["user", "department"], name="clerk_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.department}"


class StaffRole(models.TextChoices):
    PROPOSAL_OFFICE = "proposal_office", _("Proposal office")
    LIAISON_OFFICE = "liaison_office", _("Liaison office")
    WORKROOM_COORDINATOR = "workroom_coordinator", _("Workroom coordinator")
    ADMINISTRATOR = "administrator", _("Administrator")


class StaffPosition(CommitteeOwned):
    """A user working for a committee's office (政协机关) in one of its roles."""

    user = models.ForeignKey(
        User, verbose_name=_("account"), on_delete=models.PROTECT, related_name="staff_positions"
    )
    role = models.CharField(_("role"), max_length=24, choices=StaffRole.choices)

    class Meta:
        verbose_name = _("staff position")
        verbose_name_plural = _("staff positions")
        constraints = [
            models.UniqueConstraint(fields=["user", "committee", "role"], name="staff_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=StaffRole.values), name="staff_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.committee} · {self.get_role_display()}"


class LeaderTitle(models.TextChoices):
    CPPCC_CHAIR = "cppcc_chair", _("CPPCC chair")
    CHAIRS_MEETING = "chairs_meeting", _("Chairs' meeting")
    PARTY_SECRETARY = "party_secretary", _("Party secretary")
    GOVERNMENT_HEAD = "government_head", _("Head of government")


class LeaderPosition(CommitteeOwned):
    """A leader who supervises key proposals (督办) and reads the dashboards."""

    user = models.ForeignKey(
        User, verbose_name=_("account"), on_delete=models.PROTECT, related_name="leader_positions"
    )
    title = models.CharField(_("title"), max_length=20, choices=LeaderTitle.choices)

    class Meta:
        verbose_name = _("leader")
        verbose_name_plural = _("leaders")
        constraints = [
            models.UniqueConstraint(fields=["user", "committee", "title"], name="leader_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.committee} · {self.get_title_display()}"
