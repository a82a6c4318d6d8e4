"""Admin for the duty record's meetings: read-only, scoped to the committee's
administrators. Meetings and attendance are recorded on the workspace's pages, through the
services (every change on the meeting's timeline, points recomputed)."""

from __future__ import annotations

from django.contrib import admin

from xieshang.people.admin import ReadOnlyScopedAdmin
from xieshang.performance.models import CommitteeSession, SessionAttendance


@admin.register(CommitteeSession)
class CommitteeSessionAdmin(ReadOnlyScopedAdmin):
    list_display = ["title", "committee", "kind", "date"]
    list_filter = [("committee", admin.RelatedOnlyFieldListFilter), "kind", "date"]
    search_fields = ["title"]
    list_select_related = ["committee"]


@admin.register(SessionAttendance)
class SessionAttendanceAdmin(ReadOnlyScopedAdmin):
    committee_lookup = "session__committee"
    list_display = ["member", "session", "status", "reason", "recorded_at"]
    list_filter = ["status", "session__kind"]
    search_fields = ["member__user__name", "session__title"]
    list_select_related = ["member__user", "session"]
