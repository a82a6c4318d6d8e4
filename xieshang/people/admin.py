"""Admin for people and the organisation: scoped to the administrator's committees."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from xieshang.core.admin import CommitteeScopedAdmin, ScopedInline, limit_choices
from xieshang.people.access import access_for
from xieshang.people.models import (
    Department,
    DepartmentClerk,
    LeaderPosition,
    LocalGroup,
    Member,
    Sector,
    SpecialCommittee,
    StaffPosition,
    StaffRole,
    User,
)


def users_for_committees(ids: frozenset[int]) -> QuerySet[User]:
    """Accounts an administrator of `ids` may pick or edit: those holding a position in
    one of them, and new accounts that hold none yet."""
    return User.objects.filter(
        Q(seats__committee__in=ids)
        | Q(staff_positions__committee__in=ids)
        | Q(leader_positions__committee__in=ids)
        | Q(clerkships__department__committee__in=ids)
        | Q(
            seats__isnull=True,
            staff_positions__isnull=True,
            leader_positions__isnull=True,
            clerkships__isnull=True,
            is_superuser=False,
        )
    ).distinct()


class UserPickerMixin:
    """Account drop-downs offer only accounts the administrator may see."""

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        ids = self.managed_committee_ids(request)  # type: ignore[attr-defined]
        if db_field.related_model is User and ids is not None:
            kwargs["queryset"] = users_for_committees(ids)
        else:
            limit_choices(db_field, ids, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


# Access comes from positions in committees, not from permission groups.
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]
    list_display = ["username", "name", "phone", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["username", "name", "phone", "email"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("name", "phone", "email")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "name", "password1", "password2")}),
    )
    readonly_fields = ["last_login", "date_joined"]

    def _ids(self, request: HttpRequest) -> frozenset[int] | None:
        access = access_for(request.user)
        return None if access.is_superuser else access.staff_ids_with(StaffRole.ADMINISTRATOR)

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        ids = self._ids(request)
        qs = super().get_queryset(request)
        return qs if ids is None else qs.filter(pk__in=users_for_committees(ids).values("pk"))

    def _allowed(self, request: HttpRequest) -> bool:
        ids = self._ids(request)
        return ids is None or bool(ids)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access_for(request.user).is_superuser

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if access_for(request.user).is_superuser:
            return self.readonly_fields
        return [*self.readonly_fields, "is_superuser"]


@admin.register(Sector)
class SectorAdmin(CommitteeScopedAdmin):
    list_display = ["name", "committee", "order"]
    list_filter = [("committee", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name"]


@admin.register(SpecialCommittee)
class SpecialCommitteeAdmin(CommitteeScopedAdmin):
    list_display = ["name", "committee", "order"]
    list_filter = [("committee", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name"]


@admin.register(LocalGroup)
class LocalGroupAdmin(CommitteeScopedAdmin):
    list_display = ["name", "area", "committee", "order"]
    list_filter = [("committee", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "area"]


@admin.register(Member)
class MemberAdmin(UserPickerMixin, CommitteeScopedAdmin):
    # The liaison office (联络委) keeps the members' records; workroom staff pick from them.
    manager_roles = (StaffRole.ADMINISTRATOR, StaffRole.LIAISON_OFFICE)
    viewer_roles = (StaffRole.WORKROOM_COORDINATOR,)
    list_display = ["__str__", "role", "sector", "local_group", "employer", "is_active"]
    list_filter = [
        ("committee", admin.RelatedOnlyFieldListFilter),
        "role",
        "is_active",
        ("sector", admin.RelatedOnlyFieldListFilter),
        ("special_committees", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["user__name", "user__username", "employer", "sector__name"]
    list_select_related = ["user", "committee", "sector", "local_group"]
    filter_horizontal = ["special_committees"]


class ClerkInline(UserPickerMixin, ScopedInline):
    model = DepartmentClerk


@admin.register(Department)
class DepartmentAdmin(CommitteeScopedAdmin):
    list_display = ["name", "short_name", "kind", "committee", "phone", "is_active"]
    list_filter = [("committee", admin.RelatedOnlyFieldListFilter), "kind", "is_active"]
    search_fields = ["name", "short_name"]
    inlines = [ClerkInline]


@admin.register(StaffPosition)
class StaffPositionAdmin(UserPickerMixin, CommitteeScopedAdmin):
    list_display = ["user", "committee", "role"]
    list_filter = [("committee", admin.RelatedOnlyFieldListFilter), "role"]
    search_fields = ["user__name", "user__username"]
    list_select_related = ["user", "committee"]


@admin.register(LeaderPosition)
class LeaderPositionAdmin(UserPickerMixin, CommitteeScopedAdmin):
    list_display = ["user", "committee", "title"]
    list_filter = [("committee", admin.RelatedOnlyFieldListFilter), "title"]
    search_fields = ["user__name", "user__username"]
    list_select_related = ["user", "committee"]
