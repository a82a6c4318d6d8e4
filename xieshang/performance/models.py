"""Members' duty record (履职档案) and points (履职积分).

The record of a member's year is built from what is already recorded elsewhere (谁组织谁
记录): proposals, duty shifts and talks, activities, claimed suggestions — read through
each app's selectors by `sources.py` — plus `RecordItem`s staff enter for work outside the
platform, leave and absence. Points are never typed: `PointScheme` + `PointRule` (data,
per committee and year, changed with history) turn the record into `RecordLine`s, each
naming the record that earned it, summed in `MemberYear`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from xieshang.core.models import Committee, EventAction
from xieshang.people.models import Member


class PerformanceAction(EventAction):
    SCHEME_CREATE = "scheme_create", _("Point scheme created")
    RULE_CHANGE = "rule_change", _("Point rule changed")
    BASELINE_CHANGE = "baseline_change", _("Baseline changed")
    ITEM_RECORD = "item_record", _("Record item entered")
    ITEM_REMOVE = "item_remove", _("Record item withdrawn")
    RECOMPUTE = "recompute", _("Points recomputed")
    SCHEME_COMPLETE = "scheme_complete", _("Default rules added for new kinds of record")
    BELOW_BASELINE = "below_baseline", _("Members below the baseline flagged to staff")
    SESSION_CREATE = "session_create", _("Plenary or standing meeting recorded")
    ATTENDANCE_RECORD = "attendance_record", _("Attendance recorded")
    ATTENDANCE_CHANGE = "attendance_change", _("Attendance changed")


class RecordKind(models.TextChoices):
    """Every kind of record a point rule can name."""

    PROPOSAL_LEAD = "proposal_lead", _("Proposal as lead proposer")
    PROPOSAL_COSIGN = "proposal_cosign", _("Proposal co-signed")
    PROPOSAL_ACCEPTED = "proposal_accepted", _("Proposal accepted (立案)")
    PROPOSAL_KEY = "proposal_key", _("Key proposal")
    PROPOSAL_EXCELLENT = "proposal_excellent", _("Excellent proposal")
    SHIFT_SERVED = "shift_served", _("Duty shift served")
    TALK_HELD = "talk_held", _("Talk with a citizen held")
    ACTIVITY = "activity", _("Duty activity attended")
    WORKROOM_ACTIVITY = "workroom_activity", _("Workroom activity attended")
    RESEARCH = "research", _("Research or inspection (调研、视察)")
    CONSULTATION = "consultation", _("Consultation or meeting attended (协商、会议)")
    TRAINING = "training", _("Training attended (培训)")
    SUGGESTION_CLAIMED = "suggestion_claimed", _("Citizen suggestion claimed")
    SUGGESTION_DEVELOPED = "suggestion_developed", _("Suggestion developed into a proposal")
    CONSULTATION_ATTENDED = "consultation_attended", _("Signed in at a consultation event")
    OPINION_WRITTEN = "opinion_written", _("Public-opinion information handed in")
    OPINION_ADOPTED = "opinion_adopted", _("Public-opinion information adopted")
    OPINION_INSTRUCTED = "opinion_instructed", _("Public-opinion information instructed (批示)")
    PLENARY_ATTENDED = "plenary_attended", _("Plenary session attended (全体会议)")
    STANDING_ATTENDED = "standing_attended", _("Standing committee meeting attended (常委会议)")
    CHAIRS_ATTENDED = "chairs_attended", _("Chairs' meeting attended (主席会议)")
    RESEARCH_GROUP = "research_group", _("Member of a research topic's group (课题组)")
    RESEARCH_REPORT = "research_report", _("Research report of one's group approved")
    OUTSIDE_WORK = "outside_work", _("Duty work outside the platform")
    EXCUSED = "excused", _("Excused absence from a meeting (公假)")
    LEAVE = "leave", _("Leave or excused absence")
    ABSENCE = "absence", _("Absence without leave")


# Kinds staff enter by hand (with evidence); every other kind is read from the platform.
ITEM_KINDS = (RecordKind.OUTSIDE_WORK, RecordKind.LEAVE, RecordKind.ABSENCE)
# Kinds whose rule may deduct points.
DEDUCTING_KINDS = (RecordKind.ABSENCE,)


class PointClass(models.TextChoices):
    BASE = "base", _("Base points")
    ADDITIONAL = "additional", _("Additional points")
    REWARD = "reward", _("Reward points")


class RecordItem(models.Model):
    """A record staff enter for what the platform does not know: work outside it (with
    evidence), leave and excused absence (请假), absence without leave."""

    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.PROTECT)
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="record_items"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=RecordKind.choices)
    title = models.CharField(_("what"), max_length=120)
    date = models.DateField(_("date"))
    evidence = models.FileField(_("evidence"), upload_to="performance/%Y/%m/", blank=True)
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered"), auto_now_add=True)

    class Meta:
        verbose_name = _("record item")
        verbose_name_plural = _("record items")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in ITEM_KINDS]),
                name="recorditem_kind_entered",
            ),
            models.UniqueConstraint(
                fields=["member", "kind", "date", "title"], name="recorditem_not_twice"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.title}"


class SessionKind(models.TextChoices):
    PLENARY = "plenary", _("Plenary session (全体会议)")
    STANDING = "standing", _("Standing committee meeting (常委会议)")
    CHAIRS = "chairs", _("Chairs' meeting (主席会议)")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LEAVE = "leave", _("On leave (请假)")
    EXCUSED = "excused", _("Excused absence (公假)")
    ABSENT = "absent", _("Absent without leave")


# What each attendance is in the member's record: attending counts by the kind of meeting.
PRESENT_KINDS: dict[str, str] = {
    SessionKind.PLENARY: RecordKind.PLENARY_ATTENDED,
    SessionKind.STANDING: RecordKind.STANDING_ATTENDED,
    SessionKind.CHAIRS: RecordKind.CHAIRS_ATTENDED,
}
ABSENT_KINDS: dict[str, str] = {
    AttendanceStatus.LEAVE: RecordKind.LEAVE,
    AttendanceStatus.EXCUSED: RecordKind.EXCUSED,
    AttendanceStatus.ABSENT: RecordKind.ABSENCE,
}


class CommitteeSession(models.Model):
    """A plenary session (全体会议), standing committee meeting (常委会议) or chairs'
    meeting (主席会议) of a committee, recorded by its staff (谁组织谁记录) with each
    member's attendance."""

    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.PROTECT)
    kind = models.CharField(_("kind of meeting"), max_length=10, choices=SessionKind.choices)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("plenary or standing meeting")
        verbose_name_plural = _("plenary and standing meetings")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "kind", "date", "title"], name="session_not_twice"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SessionKind.values), name="session_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="session_has_title"),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.title}"


class SessionAttendance(models.Model):
    """One member's attendance at a session: present, on leave (with the reason), excused
    or absent. One row per member and session."""

    session = models.ForeignKey(
        CommitteeSession,
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("attendance"), max_length=8, choices=AttendanceStatus.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["session", "member__user__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="session_attendance_once"),
            models.CheckConstraint(
                condition=Q(status__in=AttendanceStatus.values),
                name="session_attendance_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status=AttendanceStatus.LEAVE) | ~Q(reason=""),
                name="session_attendance_leave_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} {self.member}: {self.status}"

    @property
    def record_kind(self) -> str:
        if self.status == AttendanceStatus.PRESENT:
            return PRESENT_KINDS[self.session.kind]
        return ABSENT_KINDS[self.status]


class BaselineReminder(models.Model):
    """Staff were told, at a checkpoint of the year, which members were below the
    pro-rata baseline: one row per scheme and checkpoint, so a reminder goes out once."""

    scheme = models.ForeignKey(
        "PointScheme",
        verbose_name=_("point scheme"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    checkpoint = models.DateField(_("checkpoint"))
    due = models.PositiveIntegerField(_("pro-rata baseline"))
    members = models.JSONField(_("members below it"), default=list)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("baseline reminder")
        verbose_name_plural = _("baseline reminders")
        ordering = ["-checkpoint", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "checkpoint"], name="baseline_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.checkpoint.isoformat()}"


class PointScheme(models.Model):
    """A committee's point rules for one year, and the baseline below which members are
    flagged to staff."""

    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    baseline = models.PositiveIntegerField(_("baseline points"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("point scheme")
        verbose_name_plural = _("point schemes")
        ordering = ["committee", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="pointscheme_once_a_year"),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="pointscheme_year_sane"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.year}"


class PointRule(models.Model):
    """Points for one kind of record; at most `cap` points a year from it (None: no cap)."""

    scheme = models.ForeignKey(
        PointScheme, verbose_name=_("point scheme"), on_delete=models.CASCADE, related_name="rules"
    )
    kind = models.CharField(_("kind of record"), max_length=24, choices=RecordKind.choices)
    points = models.IntegerField(_("points each"))
    cap = models.PositiveIntegerField(_("cap per year"), null=True, blank=True)
    point_class = models.CharField(
        _("class"), max_length=12, choices=PointClass.choices, default=PointClass.BASE
    )

    class Meta:
        verbose_name = _("point rule")
        verbose_name_plural = _("point rules")
        ordering = ["scheme", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "kind"], name="pointrule_one_per_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=RecordKind.values), name="pointrule_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(point_class__in=PointClass.values), name="pointrule_class_valid"
            ),
            models.CheckConstraint(
                condition=Q(points__gte=0) | Q(kind__in=[k.value for k in DEDUCTING_KINDS]),
                name="pointrule_deducts_only_absence",
            ),
            models.CheckConstraint(
                condition=Q(points__gte=-100, points__lte=100), name="pointrule_points_sane"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.points}"


class PointRuleChange(models.Model):
    """History of a scheme's rules: each change with what it was and what it became."""

    scheme = models.ForeignKey(
        PointScheme,
        verbose_name=_("point scheme"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    kind = models.CharField(_("kind of record"), max_length=24, choices=RecordKind.choices)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)

    class Meta:
        verbose_name = _("point rule change")
        verbose_name_plural = _("point rule changes")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.scheme} {self.kind}"


class MemberYear(models.Model):
    """A member's points for one year: computed by `points_recompute`, never typed."""

    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.PROTECT)
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="years"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    base = models.IntegerField(_("base points"), default=0)
    additional = models.IntegerField(_("additional points"), default=0)
    reward = models.IntegerField(_("reward points"), default=0)
    total = models.IntegerField(_("total points"), default=0)
    records = models.PositiveIntegerField(_("records"), default=0)
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        verbose_name = _("member's year")
        verbose_name_plural = _("members' years")
        ordering = ["committee", "-year", "-total", "id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="memberyear_once"),
            models.CheckConstraint(
                condition=Q(total=F("base") + F("additional") + F("reward")),
                name="memberyear_total_adds_up",
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="memberyear_total_not_negative"),
        ]
        indexes = [models.Index(fields=["committee", "year", "total"])]

    def __str__(self) -> str:
        return f"{self.member} {self.year}: {self.total}"


class RecordLine(models.Model):
    """One record of a member's year and the points it earned under the year's rules.
    `source` names the record ("proposal:12", "shift:40", "item:3"): each line says which
    record earned it, and no record counts twice."""

    member_year = models.ForeignKey(
        MemberYear, verbose_name=_("member's year"), on_delete=models.CASCADE, related_name="lines"
    )
    kind = models.CharField(_("kind of record"), max_length=24, choices=RecordKind.choices)
    source = models.CharField(_("record"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    points = models.IntegerField(_("points"), default=0)
    point_class = models.CharField(
        _("class"), max_length=12, choices=PointClass.choices, default=PointClass.BASE
    )
    capped = models.BooleanField(_("over the cap"), default=False)

    class Meta:
        verbose_name = _("record line")
        verbose_name_plural = _("record lines")
        ordering = ["member_year", "date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member_year", "kind", "source"], name="recordline_once_per_record"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=RecordKind.values), name="recordline_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(capped=False) | Q(points=0), name="recordline_capped_earns_nothing"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}: {self.points}"


# --- Livelihood results (民生实事) and 三个一 ----------------------------------------------


class ResultAction(EventAction):
    RESULT_CREATE = "result_create", _("Livelihood result recorded")
    RESULT_STATUS = "result_status", _("Livelihood result status changed")
    RESULT_LINK = "result_link", _("Cause linked to a livelihood result")
    PLAN_SET = "plan_set", _("三个一 plan set")
    PLAN_FULFIL = "plan_fulfil", _("三个一 fulfilled")


class ResultStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDER_WAY = "under_way", _("Under way")
    DONE = "done", _("Done")


class LivelihoodResult(models.Model):
    """民生实事: what was fixed or built, and the records that led to it (suggestions,
    proposals) — their citizens are told when it is done."""

    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.PROTECT)
    workroom = models.ForeignKey(
        "workrooms.Workroom",
        verbose_name=_("workroom"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="livelihood_results",
    )
    title = models.CharField(_("what was fixed or built"), max_length=100)
    place = models.CharField(_("place"), max_length=100, blank=True)
    department = models.CharField(_("department"), max_length=80, blank=True)
    figures = models.CharField(_("figures"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ResultStatus.choices,
        default=ResultStatus.PLANNED,
        editable=False,
    )
    done_on = models.DateField(_("done on"), null=True, blank=True, editable=False)
    suggestions = models.ManyToManyField(
        "suggestions.Suggestion",
        verbose_name=_("suggestions behind it"),
        blank=True,
        related_name="livelihood_results",
    )
    proposals = models.ManyToManyField(
        "proposals.Proposal",
        verbose_name=_("proposals behind it"),
        blank=True,
        related_name="livelihood_results",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("livelihood result")
        verbose_name_plural = _("livelihood results")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ResultStatus.values), name="result_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="done", done_on__isnull=False) | ~Q(status="done"),
                name="result_done_has_date",
            ),
            models.UniqueConstraint(fields=["committee", "title"], name="result_unique_title"),
        ]

    def __str__(self) -> str:
        return self.title


class WorkroomPlan(models.Model):
    """三个一 of a workroom for a year: 一个调研、一件提案、一项实事 — what each will be,
    and the record that fulfils it."""

    workroom = models.ForeignKey(
        "workrooms.Workroom",
        verbose_name=_("workroom"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    research = models.CharField(_("research topic planned"), max_length=120)
    proposal_topic = models.CharField(_("proposal planned"), max_length=120)
    livelihood_topic = models.CharField(_("livelihood result planned"), max_length=120)
    research_activity = models.ForeignKey(
        "activities.Activity",
        verbose_name=_("research done"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    proposal = models.ForeignKey(
        "proposals.Proposal",
        verbose_name=_("proposal filed"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    livelihood = models.ForeignKey(
        LivelihoodResult,
        verbose_name=_("livelihood result"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("三个一 plan")
        verbose_name_plural = _("三个一 plans")
        ordering = ["committee", "-year", "workroom"]
        constraints = [
            models.UniqueConstraint(fields=["workroom", "year"], name="plan_once_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.workroom} {self.year}"

    @property
    def fulfilled(self) -> int:
        return sum(
            x is not None for x in (self.research_activity_id, self.proposal_id, self.livelihood_id)
        )
