"""Admin for the proposals' reference data: each committee's policy (numbers and
deadlines), grade wordings, sessions and categories, kept by its proposal office and
administrators. Proposals are worked in the workspace through the workflow; the admin
shows them read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from xieshang.people.admin import CommitteeScopedAdmin
from xieshang.people.models import StaffRole
from xieshang.proposals.models import (
    GradeWording,
    Proposal,
    ProposalCategory,
    ProposalPolicy,
    Session,
)

OFFICE = (StaffRole.PROPOSAL_OFFICE, StaffRole.ADMINISTRATOR)


@admin.register(ProposalPolicy)
class ProposalPolicyAdmin(CommitteeScopedAdmin):
    manager_roles = OFFICE
    list_display = [
        "committee",
        "number_format",
        "handling_months",
        "urgent_days",
        "return_days",
        "rehandle_months",
        "cosign_days",
        "reminder_days",
    ]


@admin.register(GradeWording)
class GradeWordingAdmin(CommitteeScopedAdmin):
    manager_roles = OFFICE
    list_display = ["grade", "wording", "committee"]
    list_filter = [("committee", admin.RelatedOnlyFieldListFilter), "grade"]
    ordering = ["committee", "grade"]


@admin.register(Session)
class SessionAdmin(CommitteeScopedAdmin):
    manager_roles = OFFICE
    list_display = ["__str__", "committee", "filing_opens", "plenary_starts", "plenary_ends"]
    list_filter = [("committee", admin.RelatedOnlyFieldListFilter)]


@admin.register(ProposalCategory)
class ProposalCategoryAdmin(CommitteeScopedAdmin):
    manager_roles = OFFICE
    list_display = ["name", "committee", "order", "is_active"]
    list_filter = [("committee", admin.RelatedOnlyFieldListFilter), "is_active"]
    search_fields = ["name"]


@admin.register(Proposal)
class ProposalAdmin(CommitteeScopedAdmin):
    """Read-only: every change to a proposal goes through the workspace and its workflow."""

    manager_roles = OFFICE
    list_display = ["number", "title", "committee", "category", "status", "submitted_at"]
    list_filter = [("committee", admin.RelatedOnlyFieldListFilter), "status", "kind"]
    search_fields = ["number", "title", "lead__user__name"]
    list_select_related = ["committee", "category"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}
