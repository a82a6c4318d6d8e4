"""Admin for the suggestions' reference data (categories, areas, campaigns, policy).
Suggestions and referrals themselves are worked in the workspace, through the workflow;
the admin shows them read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from xieshang.people.admin import CommitteeScopedAdmin
from xieshang.people.models import StaffRole
from xieshang.suggestions.models import Area, Campaign, Category, Policy, Referral, Suggestion

OFFICES = (StaffRole.ADMINISTRATOR, StaffRole.PROPOSAL_OFFICE, StaffRole.LIAISON_OFFICE)


@admin.register(Category)
class CategoryAdmin(CommitteeScopedAdmin):
    manager_roles = OFFICES
    list_display = ["name", "committee", "order", "is_active"]
    list_filter = [("committee", admin.RelatedOnlyFieldListFilter), "is_active"]
    search_fields = ["name"]


@admin.register(Area)
class AreaAdmin(CommitteeScopedAdmin):
    manager_roles = OFFICES
    list_display = ["name", "kind", "parent", "committee"]
    list_filter = [("committee", admin.RelatedOnlyFieldListFilter), "kind"]
    search_fields = ["name", "parent__name"]
    list_select_related = ["parent", "committee"]


@admin.register(Campaign)
class CampaignAdmin(CommitteeScopedAdmin):
    manager_roles = (*OFFICES, StaffRole.WORKROOM_COORDINATOR)
    list_display = ["title", "committee", "workroom", "starts_at", "ends_at", "code"]
    list_filter = [("committee", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "code"]
    date_hierarchy = "starts_at"


@admin.register(Policy)
class PolicyAdmin(CommitteeScopedAdmin):
    list_display = ["committee", "referral_working_days", "hourly_limit"]


class ReadOnlyAdmin(CommitteeScopedAdmin):
    manager_roles = OFFICES

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Suggestion)
class SuggestionAdmin(ReadOnlyAdmin):
    list_display = ["tracking_code", "title", "committee", "status", "source", "created_at"]
    list_filter = [("committee", admin.RelatedOnlyFieldListFilter), "status", "source"]
    search_fields = ["tracking_code", "title"]
    exclude = ["phone_encrypted", "phone_lookup", "client_lookup", "idempotency_key"]
    date_hierarchy = "created_at"


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ["suggestion", "department", "status", "deadline"]
    list_filter = [("committee", admin.RelatedOnlyFieldListFilter), "status"]
    search_fields = ["suggestion__tracking_code", "department__name"]
    list_select_related = ["suggestion", "department"]
