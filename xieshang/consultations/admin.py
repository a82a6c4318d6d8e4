"""Admin for consultations: read-only. Topics, their events and opinions, and the opinions
sent to departments are worked in the workspace, through the services and the workflow."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from xieshang.consultations.models import Sending, Topic
from xieshang.people.admin import CommitteeScopedAdmin


class ReadOnlyAdmin(CommitteeScopedAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Topic)
class TopicAdmin(ReadOnlyAdmin):
    list_display = ["title", "committee", "year", "kind", "status", "document_number"]
    list_filter = [("committee", admin.RelatedOnlyFieldListFilter), "year", "kind", "status"]
    search_fields = ["title"]
    exclude = ["suggestions"]


@admin.register(Sending)
class SendingAdmin(ReadOnlyAdmin):
    list_display = ["opinion", "department", "status", "adoption", "deadline"]
    list_filter = [("committee", admin.RelatedOnlyFieldListFilter), "status", "adoption"]
    search_fields = ["department__name", "opinion__topic__title"]
    list_select_related = ["opinion", "department"]
