"""Shapes of the API's answers (and of the submit body, for the schema). Input is checked by
the pages' own forms (`suggestions.forms.SuggestionForm`): one set of rules for both."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class ErrorSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    message = serializers.CharField(help_text="提示（中文）")


# A field named `fields` would shadow the serializer's own attribute: declared beside it.
ErrorSerializer._declared_fields["fields"] = serializers.DictField(
    child=serializers.ListField(child=serializers.CharField()),
    help_text="出错的字段及其提示",
)


class CommitteeSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    level = serializers.CharField()
    parent = serializers.CharField(  # type: ignore[assignment]
        source="parent.code", allow_null=True, default=None
    )
    address = serializers.CharField()
    phone = serializers.CharField()


class CategorySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class WorkroomSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    parent = serializers.CharField(  # type: ignore[assignment]
        source="parent.code", allow_null=True, default=None
    )
    venue = serializers.CharField()
    address = serializers.CharField()
    opening_hours = serializers.CharField()


class SubmitSerializer(serializers.Serializer[Any]):
    """The body of POST /api/v1/committees/{code}/suggestions/ (JSON). Checked by the form
    of the public submit page; the `Idempotency-Key` header makes a retry safe."""

    title = serializers.CharField(min_length=4, max_length=60)
    content = serializers.CharField(min_length=10, max_length=2000)
    consent = serializers.BooleanField(help_text="同意隐私说明（必须为 true）")
    category = serializers.IntegerField(required=False, allow_null=True)
    area = serializers.IntegerField(required=False, allow_null=True)
    address = serializers.CharField(required=False, max_length=120)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False)
    citizen_name = serializers.CharField(required=False, max_length=30)
    phone = serializers.CharField(required=False, max_length=20)
    email = serializers.EmailField(required=False, max_length=120)
    show_name = serializers.BooleanField(required=False)
    workroom = serializers.CharField(required=False, help_text="工作室的公开编码")


class SubmittedSerializer(serializers.Serializer[Any]):
    tracking_code = serializers.CharField()
    status = serializers.CharField()
    track_url = serializers.CharField()


class TimelineStepSerializer(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    to_state = serializers.CharField()


class TrackSerializer(serializers.Serializer[Any]):
    tracking_code = serializers.CharField()
    committee = serializers.CharField()
    title = serializers.CharField()
    content = serializers.CharField()
    category = serializers.CharField(allow_null=True)
    submitted_at = serializers.DateTimeField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    handled_with = serializers.CharField(allow_null=True)
    answer = serializers.CharField(allow_null=True)
    answered_at = serializers.DateTimeField(allow_null=True)
    rating = serializers.CharField(allow_null=True)
    timeline = TimelineStepSerializer(many=True)
