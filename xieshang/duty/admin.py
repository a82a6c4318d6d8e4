"""Admin for duty rosters. Patterns are saved through the roster services (the same
checks and events as the roster page); their rotation is shown read-only, and edited on
the roster page. Closed dates are added and removed through the services (which
cancel the day's shifts, or refuse while talks are booked); shifts and shift changes are
read-only here: their status moves only through the services and the workflow."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieshang.core.errors import DomainError
from xieshang.duty.models import ClosedDate, DutyPattern, RotationEntry, Shift, ShiftChange
from xieshang.duty.services.roster import (
    PatternData,
    _check_pattern,
    closed_date_add,
    closed_date_remove,
    pattern_create,
    pattern_update,
    shift_cancel,
    shifts_generate,
)
from xieshang.people.admin import CommitteeScopedAdmin, ScopedInline
from xieshang.people.models import StaffRole

MANAGERS = (StaffRole.ADMINISTRATOR, StaffRole.WORKROOM_COORDINATOR)


class RotationInline(ScopedInline):
    """The rotation, read-only: it is edited on the roster page, whose service checks
    that each member serves in the committee and renumbers the places in one go (row by
    row, swapping two places would collide on the unique position)."""

    model = RotationEntry
    fields = ["position", "member", "serving"]
    readonly_fields = ["position", "member", "serving"]
    ordering = ["position"]
    can_delete = False
    max_num = 0
    verbose_name_plural = gettext_lazy("Rotation (read-only here: edit it on the roster page)")

    @admin.display(description=gettext_lazy("serving"), boolean=True)
    def serving(self, obj: RotationEntry) -> bool:
        return bool(obj.member.is_active)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # `obj` is the pattern: shown to whoever manages its committee's rosters.
        ids = self.managed_committee_ids(request)
        if ids is None:
            return True
        return bool(ids) and (obj is None or obj.workroom.committee_id in ids)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DutyPatternAdminForm(ModelForm):  # type: ignore[type-arg]
    """Runs the roster's pattern checks, so the admin accepts no pattern the roster page
    would refuse (a duty shorter than one talk, say), with the same message."""

    class Meta:
        model = DutyPattern
        # Not `members`: the rotation is edited on the roster page.
        fields = [
            "workroom",
            "weekday",
            "start_time",
            "end_time",
            "slot_minutes",
            "slot_capacity",
            "valid_from",
            "valid_until",
            "is_active",
        ]

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        needed = ("weekday", "start_time", "end_time", "slot_minutes", "slot_capacity")
        if any(data.get(name) is None for name in needed):
            return data  # a field's own error is shown already
        try:
            _check_pattern(pattern_data(data))
        except DomainError as error:
            raise ValidationError(str(error.message)) from None
        return data


def pattern_data(data: dict[str, Any]) -> PatternData:
    return PatternData(
        weekday=data["weekday"],
        start_time=data["start_time"],
        end_time=data["end_time"],
        slot_minutes=data["slot_minutes"],
        slot_capacity=data["slot_capacity"],
        valid_from=data.get("valid_from"),
        valid_until=data.get("valid_until"),
        is_active=bool(data.get("is_active")),
    )


@admin.action(description=gettext_lazy("Generate 8 weeks of shifts"))
def generate_eight_weeks(
    modeladmin: Any, request: HttpRequest, queryset: QuerySet[DutyPattern]
) -> None:
    total = 0
    for pattern in queryset.select_related("workroom"):
        try:
            total += len(shifts_generate(pattern=pattern, weeks=8, actor=request.user))
        except DomainError as error:
            modeladmin.message_user(request, f"{pattern}: {error.message}", messages.WARNING)
    modeladmin.message_user(request, _("%(n)d shifts were generated.") % {"n": total})


@admin.register(DutyPattern)
class DutyPatternAdmin(CommitteeScopedAdmin):
    committee_lookup = "workroom__committee"
    manager_roles = MANAGERS
    list_display = [
        "workroom",
        "weekday",
        "start_time",
        "end_time",
        "slot_minutes",
        "slot_capacity",
        "is_active",
    ]
    list_filter = [
        ("workroom__committee", admin.RelatedOnlyFieldListFilter),
        "weekday",
        "is_active",
    ]
    search_fields = ["workroom__name"]
    list_select_related = ["workroom"]
    form = DutyPatternAdminForm
    inlines = [RotationInline]
    actions = [generate_eight_weeks]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A pattern stays with its workroom; its shifts and rotation belong there.
        return ["workroom", "roster_page"] if obj is not None else []

    @admin.display(description=gettext_lazy("rotation"))
    def roster_page(self, obj: DutyPattern) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("duty:roster", args=[obj.workroom_id]),
            _("Edit the rotation on the roster page"),
        )

    def save_model(
        self, request: HttpRequest, obj: DutyPattern, form: ModelForm[Any], change: bool
    ) -> None:
        """Through the roster services: the same checks, the same events."""
        if not self._allowed(request, obj):
            raise PermissionDenied
        data = pattern_data(form.cleaned_data)
        if change:
            saved = pattern_update(pattern=obj, data=data, actor=request.user)
        else:
            saved = pattern_create(workroom=obj.workroom, data=data, actor=request.user)
        obj.pk = saved.pk
        obj.valid_from = saved.valid_from


@admin.register(ClosedDate)
class ClosedDateAdmin(CommitteeScopedAdmin):
    manager_roles = MANAGERS
    list_display = ["date", "committee", "workroom", "reason"]
    list_filter = [("committee", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "date"
    search_fields = ["reason", "workroom__name"]
    list_select_related = ["committee", "workroom"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # add or remove a day; its shifts were cancelled when it was added

    def save_model(
        self, request: HttpRequest, obj: ClosedDate, form: ModelForm[Any], change: bool
    ) -> None:
        if not self._allowed(request, obj):
            raise PermissionDenied
        created, _cancelled = closed_date_add(
            committee=obj.committee,
            workroom=obj.workroom,
            day=obj.date,
            reason=obj.reason,
            actor=request.user,
        )
        obj.pk = created.pk

    def delete_model(self, request: HttpRequest, obj: ClosedDate) -> None:
        closed_date_remove(closed_date=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ClosedDate]) -> None:
        for obj in queryset:
            closed_date_remove(closed_date=obj, actor=request.user)


@admin.action(description=gettext_lazy("Cancel the selected shifts"))
def cancel_shifts(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Shift]) -> None:
    done = 0
    for shift in queryset:
        try:
            shift_cancel(shift=shift, actor=request.user, note=_("Cancelled in the admin"))
            done += 1
        except DomainError as error:
            modeladmin.message_user(request, f"{shift}: {error.message}", messages.WARNING)
    if done:
        modeladmin.message_user(request, _("%(n)d shifts were cancelled.") % {"n": done})


@admin.register(Shift)
class ShiftAdmin(CommitteeScopedAdmin):
    manager_roles = MANAGERS
    list_display = ["date", "starts_at", "ends_at", "workroom", "member", "status"]
    list_filter = [("committee", admin.RelatedOnlyFieldListFilter), "status"]
    date_hierarchy = "date"
    search_fields = ["workroom__name", "member__user__name"]
    list_select_related = ["workroom", "member__user"]
    readonly_fields = [
        "committee",
        "workroom",
        "pattern",
        "member",
        "date",
        "starts_at",
        "ends_at",
        "status",
        "created_at",
    ]
    actions = [cancel_shifts]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ShiftChange)
class ShiftChangeAdmin(CommitteeScopedAdmin):
    manager_roles = MANAGERS
    list_display = ["created_at", "kind", "shift", "requested_by", "colleague", "status"]
    list_filter = [("committee", admin.RelatedOnlyFieldListFilter), "kind", "status"]
    list_select_related = ["shift__workroom", "shift__member__user", "requested_by__user"]
    search_fields = ["requested_by__user__name", "colleague__user__name", "reason"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
