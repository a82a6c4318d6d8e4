"""Admin for workrooms, service points, the standard's items and the activity kinds.
A workroom's status changes go through the workflow: the status field is read-only here
and the actions below call the one service."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieshang.core.errors import DomainError
from xieshang.people.admin import CommitteeScopedAdmin, ScopedInline
from xieshang.people.models import StaffRole
from xieshang.workrooms.models import (
    ChecklistItem,
    ServicePoint,
    Workroom,
    WorkroomMembership,
)
from xieshang.workrooms.services import workroom_transition

MANAGERS = (StaffRole.ADMINISTRATOR, StaffRole.WORKROOM_COORDINATOR)


class MembershipInline(ScopedInline):
    model = WorkroomMembership
    autocomplete_fields = ["member"]


def _run(action: str, modeladmin: Any, request: HttpRequest, queryset: QuerySet[Workroom]) -> None:
    done = 0
    for workroom in queryset:
        try:
            workroom_transition(
                workroom=workroom,
                action=action,
                actor=request.user,
                note=_("Changed in the admin"),
                expected_state=None,
            )
            done += 1
        except DomainError as error:
            modeladmin.message_user(request, f"{workroom}: {error.message}", messages.WARNING)
    if done:
        modeladmin.message_user(request, _("%(n)d workrooms changed.") % {"n": done})


@admin.action(description=gettext_lazy("Activate the selected workrooms"))
def activate(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Workroom]) -> None:
    _run("activate", modeladmin, request, queryset)


@admin.action(description=gettext_lazy("Resume the selected workrooms"))
def resume(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Workroom]) -> None:
    _run("resume", modeladmin, request, queryset)


@admin.register(Workroom)
class WorkroomAdmin(CommitteeScopedAdmin):
    manager_roles = MANAGERS
    list_display = ["name", "kind", "status", "committee", "parent", "address"]
    list_filter = [
        ("committee", admin.RelatedOnlyFieldListFilter),
        "kind",
        "status",
        ("guiding_special_committee", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "address", "venue", "code"]
    list_select_related = ["committee", "parent"]
    readonly_fields = ["status", "created_at", "updated_at"]
    inlines = [MembershipInline]
    actions = [activate, resume]


@admin.register(ServicePoint)
class ServicePointAdmin(CommitteeScopedAdmin):
    manager_roles = MANAGERS
    list_display = ["name", "address", "opening_hours", "committee", "is_active"]
    list_filter = [("committee", admin.RelatedOnlyFieldListFilter), "is_active"]
    search_fields = ["name", "address"]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(CommitteeScopedAdmin):
    """A committee's workroom standard (default: 白云's 五有); evidence is recorded and
    confirmed in the workspace."""

    manager_roles = MANAGERS
    list_display = ["name", "committee", "order", "is_active", "description"]
    list_filter = [("committee", admin.RelatedOnlyFieldListFilter), "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name"]
