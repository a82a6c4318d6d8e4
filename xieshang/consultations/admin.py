"""Admin for consultations: read-only. Topics, their events and opinions, and the opinions
sent to departments are worked in the workspace, through the services and the workflow."""

from __future__ import annotations

from django.contrib import admin

from xieshang.consultations.models import Invitation, Sending, Topic
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


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyScopedAdmin):
    """Who was invited to which event and what they answered. The link's token and the
    contact details are left out: the link is the invitee's key, the number and address
    are shown masked on the event's page to staff who may see them."""

    list_display = ["name", "kind", "meeting", "status", "answered_at", "send_count"]
    list_filter = [("committee", admin.RelatedOnlyFieldListFilter), "kind", "status"]
    search_fields = ["name", "organisation", "meeting__topic__title"]
    list_select_related = ["meeting__topic"]
    exclude = ["token", "phone_encrypted", "phone_lookup", "email_encrypted", "email_lookup"]
