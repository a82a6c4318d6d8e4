"""Admin for 社情民意: read-only, scoped to the committee's liaison office and
administrators. Items and issues are worked in the workspace, through the services and
the workflow (every change on the timeline); scans are downloaded from the item's page."""

from __future__ import annotations

from django.contrib import admin

from xieshang.opinions.models import Instruction, Issue, Item
from xieshang.people.admin import ReadOnlyScopedAdmin
from xieshang.people.models import StaffRole

OFFICE = (StaffRole.LIAISON_OFFICE, StaffRole.ADMINISTRATOR)


@admin.register(Item)
class ItemAdmin(ReadOnlyScopedAdmin):
    manager_roles = OFFICE
    list_display = ["title", "committee", "author_display", "status", "issue", "created_at"]
    list_filter = [("committee", admin.RelatedOnlyFieldListFilter), "status"]
    search_fields = ["title", "author__user__name", "author_unit"]
    list_select_related = ["committee", "author__user", "issue"]
    exclude = ["coauthors"]
    date_hierarchy = "created_at"


@admin.register(Issue)
class IssueAdmin(ReadOnlyScopedAdmin):
    manager_roles = OFFICE
    list_display = ["__str__", "committee", "series", "year", "number", "is_closed"]
    list_filter = [("committee", admin.RelatedOnlyFieldListFilter), "series", "year"]
    list_select_related = ["committee"]


@admin.register(Instruction)
class InstructionAdmin(ReadOnlyScopedAdmin):
    manager_roles = OFFICE
    committee_lookup = "item__committee"
    list_display = ["leader", "level", "date", "item"]
    list_filter = ["level"]
    search_fields = ["leader", "item__title"]
    list_select_related = ["item"]
