"""Admin for activity kinds, scoped to the committee's administrators."""

from __future__ import annotations

from django.contrib import admin

from xieshang.activities.models import ActivityKind
from xieshang.people.admin import CommitteeScopedAdmin
from xieshang.people.models import StaffRole

MANAGERS = (StaffRole.ADMINISTRATOR, StaffRole.WORKROOM_COORDINATOR)


@admin.register(ActivityKind)
class ActivityKindAdmin(CommitteeScopedAdmin):
    manager_roles = MANAGERS
    list_display = ["name", "committee", "order", "is_active"]
    list_filter = [("committee", admin.RelatedOnlyFieldListFilter), "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name"]
