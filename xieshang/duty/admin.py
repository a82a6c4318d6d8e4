"""Admin for duty rosters. Closed dates are added and removed through the services (which
cancel the day's shifts, or refuse while talks are booked); shifts and shift changes are
read-only here: their status moves only through the services and the workflow."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieshang.core.admin import CommitteeScopedAdmin, ScopedInline
from xieshang.core.errors import DomainError
from xieshang.core.services import event_record
from xieshang.duty.models import ClosedDate, DutyPattern, RotationEntry, Shift, ShiftChange
from xieshang.duty.services.roster import (
    closed_date_add,
    closed_date_remove,
    shift_cancel,
    shifts_generate,
)
from xieshang.people.models import StaffRole

MANAGERS = (StaffRole.ADMINISTRATOR, StaffRole.WORKROOM_COORDINATOR)


class RotationInline(ScopedInline):
    model = RotationEntry
    autocomplete_fields = ["member"]
    ordering = ["position"]


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
    inlines = [RotationInline]
    actions = [generate_eight_weeks]

    def save_model(
        self, request: HttpRequest, obj: DutyPattern, form: ModelForm[Any], change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        event_record(
            obj=obj,
            committee_id=obj.workroom.committee_id,
            actor=request.user,
            action="pattern_update" if change else "pattern_create",
            note=_("Changed in the admin"),
        )

    def save_related(
        self, request: HttpRequest, form: ModelForm[Any], formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        if any(f.has_changed() for f in formsets):
            pattern = form.instance
            names = [str(e.member.user) for e in pattern.rotation.select_related("member__user")]
            event_record(
                obj=pattern,
                committee_id=pattern.workroom.committee_id,
                actor=request.user,
                action="rotation_set",
                note="、".join(names),
            )


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
