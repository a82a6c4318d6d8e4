"""Admin for research topics: read-only, scoped to the committee's administrators. Topics,
reports, visits and material are worked in the workspace, through the services and the
workflow (every change on the timeline); files are downloaded from the topic's page."""

from __future__ import annotations

from django.contrib import admin

from xieshang.people.admin import ReadOnlyScopedAdmin
from xieshang.research.models import Instruction, Material, Outcome, Report, Topic


@admin.register(Topic)
class TopicAdmin(ReadOnlyScopedAdmin):
    list_display = ["title", "committee", "year", "is_key", "lead", "joint_with_upper"]
    list_filter = [("committee", admin.RelatedOnlyFieldListFilter), "year", "is_key"]
    search_fields = ["title", "lead"]
    list_select_related = ["committee"]
    exclude = ["members", "activities"]


@admin.register(Report)
class ReportAdmin(ReadOnlyScopedAdmin):
    list_display = ["title", "committee", "status", "adopted_at", "updated_at"]
    list_filter = [("committee", admin.RelatedOnlyFieldListFilter), "status"]
    search_fields = ["title", "topic__title"]
    list_select_related = ["committee"]


@admin.register(Instruction)
class InstructionAdmin(ReadOnlyScopedAdmin):
    committee_lookup = "report__committee"
    list_display = ["leader", "level", "date", "report"]
    list_filter = ["level"]
    search_fields = ["leader", "report__title"]
    list_select_related = ["report"]


@admin.register(Material)
class MaterialAdmin(ReadOnlyScopedAdmin):
    committee_lookup = "topic__committee"
    list_display = ["title", "topic", "activity", "created_by", "created_at"]
    search_fields = ["title", "topic__title"]
    list_select_related = ["topic", "activity", "created_by"]


@admin.register(Outcome)
class OutcomeAdmin(ReadOnlyScopedAdmin):
    committee_lookup = "topic__committee"
    list_display = ["text", "kind", "date", "topic"]
    list_filter = ["kind"]
    search_fields = ["text", "topic__title"]
    list_select_related = ["topic"]
