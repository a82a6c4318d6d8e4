"""Admin for committees, the timeline, people and the organisation, and the scoping every
admin page shares: a committee's administrators see and edit only their committees' rows."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from xieshang.core.models import CalendarDay, Committee, Event
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


def limit_choices(field: Any, ids: frozenset[int] | None, kwargs: dict[str, Any]) -> None:
    """Offer only records of the committees `ids` (all when None) in a drop-down."""
    if ids is None:
        return
    related = field.related_model
    if related is Committee:
        kwargs["queryset"] = Committee.objects.filter(pk__in=ids)
    elif related is not None and any(f.name == "committee" for f in related._meta.fields):
        kwargs["queryset"] = related._default_manager.filter(committee_id__in=ids)


class CommitteeScopedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """An admin page for records of a committee: a committee's administrators (and the
    roles in `manager_roles`) see and edit only their committees' rows, and choose only
    their committees' records in every drop-down. Superusers see everything."""

    committee_lookup = "committee"
    manager_roles: tuple[str, ...] = (StaffRole.ADMINISTRATOR,)
    # Roles that may look (and pick these records in other forms) but not change them.
    viewer_roles: tuple[str, ...] = ()

    def managed_committee_ids(self, request: HttpRequest) -> frozenset[int] | None:
        access = access_for(request.user)
        if access.is_superuser:
            return None
        return access.staff_ids_with(*self.manager_roles)

    def viewable_committee_ids(self, request: HttpRequest) -> frozenset[int] | None:
        access = access_for(request.user)
        if access.is_superuser:
            return None
        return access.staff_ids_with(*self.manager_roles, *self.viewer_roles)

    def committee_id_of(self, obj: Any) -> int | None:
        value: Any = obj
        for part in self.committee_lookup.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return None
        return int(value.pk)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        ids = self.viewable_committee_ids(request)
        return qs if ids is None else qs.filter(**{f"{self.committee_lookup}__in": ids})

    def _allowed(self, request: HttpRequest, obj: Any = None, *, view: bool = False) -> bool:
        ids = self.viewable_committee_ids(request) if view else self.managed_committee_ids(request)
        if ids is None:
            return True
        if not ids:
            return False
        return obj is None or self.committee_id_of(obj) in ids

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request, view=True)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, obj, view=True)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        limit_choices(db_field, self.managed_committee_ids(request), kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        limit_choices(db_field, self.managed_committee_ids(request), kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(
        self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool
    ) -> None:
        if not self._allowed(request, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)


class ReadOnlyScopedAdmin(CommitteeScopedAdmin):
    """A committee's records shown, never changed, in the admin: they are worked in the
    workspace through their services and workflow (every change on the timeline)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}


class ScopedInline(admin.TabularInline):  # type: ignore[type-arg]
    """An inline whose drop-downs offer only the parent's committee's records."""

    extra = 0

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        limit_choices(db_field, self.managed_committee_ids(request), kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def managed_committee_ids(self, request: HttpRequest) -> frozenset[int] | None:
        access = access_for(request.user)
        if access.is_superuser:
            return None
        return access.staff_ids_with(StaffRole.ADMINISTRATOR, StaffRole.WORKROOM_COORDINATOR)


@admin.register(Committee)
class CommitteeAdmin(CommitteeScopedAdmin):
    committee_lookup = "pk"
    list_display = ["short_name", "name", "level", "parent", "code", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name", "short_name", "code"]
    ordering = ["order", "id"]

    def committee_id_of(self, obj: Any) -> int | None:
        return int(obj.pk) if obj is not None and obj.pk else None

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = admin.ModelAdmin.get_queryset(self, request)
        ids = self.managed_committee_ids(request)
        return qs if ids is None else qs.filter(pk__in=ids)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return access_for(request.user).is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access_for(request.user).is_superuser

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if access_for(request.user).is_superuser:
            return ()
        return ("level", "parent", "code", "is_active")


@admin.register(Event)
class EventAdmin(CommitteeScopedAdmin):
    """The audit trail: readable, never editable."""

    list_display = ["created_at", "committee", "content_type", "object_id", "action", "actor"]
    list_filter = [
        ("committee", admin.RelatedOnlyFieldListFilter),
        ("content_type", admin.RelatedOnlyFieldListFilter),
        "action",
        "is_public",
    ]
    search_fields = ["note", "action", "actor__name", "actor__username"]
    date_hierarchy = "created_at"
    list_select_related = ["committee", "content_type", "actor"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The working-day calendar is national data, the same for every committee: only
    superusers enter it. Every staff user reads it, from the list, which shows all of a
    day's fields; a day's own page (and its history) is left to the superusers, so no
    committee's staff open a record that is not their committee's."""

    list_display = ["date", "weekday", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name"]
    ordering = ["date"]

    @admin.display(description=_("weekday"), ordering="date")
    def weekday(self, obj: CalendarDay) -> str:
        return str(WEEKDAYS[obj.date.weekday()])

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if access_for(request.user).is_superuser:
            return True
        return obj is None and self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return access_for(request.user).is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access_for(request.user).is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access_for(request.user).is_superuser

    def get_list_display_links(self, request: HttpRequest, list_display: Any) -> Any:
        if access_for(request.user).is_superuser:
            return super().get_list_display_links(request, list_display)
        return None


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
