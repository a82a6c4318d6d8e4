"""Admin for committees and the timeline, and the scoping every admin page shares."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from xieshang.core.models import CalendarDay, Committee, Event
from xieshang.people.access import access_for
from xieshang.people.models import StaffRole


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
