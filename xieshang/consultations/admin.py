"""Admin for consultations: read-only. Topics, their events and opinions, and the opinions
sent to departments are worked in the workspace, through the services and the workflow."""

from __future__ import annotations

from django.contrib import admin

from xieshang.consultations.models import Sending, Topic
from xieshang.people.admin import ReadOnlyScopedAdmin


@admin.register(Topic)
class TopicAdmin(ReadOnlyScopedAdmin):
    list_display = ["title", "committee", "year", "kind", "status", "document_number"]
    list_filter = [("committee", admin.RelatedOnlyFieldListFilter), "year", "kind", "status"]
    search_fields = ["title"]
    exclude = ["suggestions"]


@admin.register(Sending)
class SendingAdmin(ReadOnlyScopedAdmin):
    list_display = ["opinion", "department", "status", "adoption", "deadline"]
    list_filter = [("committee", admin.RelatedOnlyFieldListFilter), "status", "adoption"]
    search_fields = ["department__name", "opinion__topic__title"]
    list_select_related = ["opinion", "department"]
