"""The public REST API under /api/v1/: the same selectors and services as the citizen's
pages (committees, categories, workrooms, submit, track), answers in JSON."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xieshang.api import serializers as s
from xieshang.api.errors import ApiRefusal
from xieshang.api.submission import idempotency_key, submit
from xieshang.core.errors import RateLimited
from xieshang.core.http import client_ip
from xieshang.core.selectors import committee_get_public, committee_list_public
from xieshang.suggestions.models import Suggestion
from xieshang.suggestions.selectors import (
    TRACK_LOOKUPS,
    categories_of,
    intake_setup_public,
    suggestion_get_tracked,
)
from xieshang.suggestions.workflow import SUGGESTION_WORKFLOW
from xieshang.workrooms.selectors import workroom_get_public, workroom_list_public

ERRORS = {400: s.ErrorSerializer, 404: s.ErrorSerializer, 429: s.ErrorSerializer}
SUBMIT_FIELDS = frozenset(s.SubmitSerializer().fields)


class PublicView(APIView):
    """No account, no session: what a citizen's page shows, to anyone."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    parser_classes = (JSONParser,)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # A body the middleware has read as a form already would pass the parser by.
        if request.method == "POST" and request.content_type.split(";")[0] != "application/json":
            raise ApiRefusal(
                415, "unsupported_media_type", _("Send the request body as application/json.")
            )


class CommitteeList(PublicView):
    @extend_schema(
        summary="Committees (政协组织)", responses={200: s.CommitteeSerializer(many=True)}
    )
    def get(self, request: Request) -> Response:
        committees = committee_list_public().order_by("order", "id")
        return Response(s.CommitteeSerializer(committees, many=True).data)


class CategoryList(PublicView):
    @extend_schema(
        summary="A committee's suggestion categories (分类)",
        responses={200: s.CategorySerializer(many=True), **ERRORS},
    )
    def get(self, request: Request, code: str) -> Response:
        committee = committee_get_public(code=code)
        return Response(s.CategorySerializer(categories_of(committee.pk), many=True).data)


class WorkroomList(PublicView):
    @extend_schema(
        summary="A committee's open workrooms (委员工作室)",
        responses={200: s.WorkroomSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request, code: str) -> Response:
        committee = committee_get_public(code=code)
        return Response(
            s.WorkroomSerializer(workroom_list_public(committee=committee), many=True).data
        )


def submitted(suggestion: Suggestion) -> dict[str, str]:
    return {
        "tracking_code": suggestion.tracking_code,
        "status": suggestion.status,
        "track_url": reverse("api:track", args=[suggestion.tracking_code]),
    }


class SuggestionSubmit(PublicView):
    @extend_schema(
        summary="Submit a suggestion (我要提建议)",
        description=(
            "Checked like the public submit page; the same `Idempotency-Key` header gives the "
            "same answer and stores one suggestion. 429 with Retry-After past the hourly limit."
        ),
        request=s.SubmitSerializer,
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)],
        responses={201: s.SubmittedSerializer, **ERRORS},
    )
    def post(self, request: Request, code: str) -> Response:
        setup = intake_setup_public(code=code)
        data = request.data
        if not isinstance(data, dict):
            raise ApiRefusal(400, "malformed", _("The request body must be a JSON object."))
        unknown = sorted(set(data) - SUBMIT_FIELDS)
        if unknown:
            raise ApiRefusal(
                400,
                "invalid",
                _("Some fields are not valid."),
                fields={name: [_("Unknown field.")] for name in unknown},
            )
        nested = sorted(k for k, v in data.items() if isinstance(v, (list, dict)))
        if nested:
            raise ApiRefusal(
                400,
                "invalid",
                _("Some fields are not valid."),
                fields={
                    name: [_("Give a single value: text, a number or true/false.")]
                    for name in nested
                },
            )
        workroom = None
        if data.get("workroom"):
            workroom = workroom_get_public(code=str(data["workroom"]))
        suggestion, created = submit(
            setup=setup,
            data={k: v for k, v in data.items() if k != "workroom"},
            key=idempotency_key(request.headers.get("Idempotency-Key")),
            client_ip=client_ip(request._request),
            workroom=workroom,
        )
        response = Response(submitted(suggestion), status=201)
        if not created:
            response["Idempotent-Replayed"] = "true"
        return response


def tracked(suggestion: Suggestion) -> dict[str, Any]:
    """What the public tracking page shows of a suggestion, and no more."""
    followed = suggestion.merged_into or suggestion
    return {
        "tracking_code": suggestion.tracking_code,
        "committee": suggestion.committee.short_name,
        "title": suggestion.title,
        "content": suggestion.content,
        "category": suggestion.category.name if suggestion.category else None,
        "submitted_at": suggestion.created_at,
        "status": followed.status,
        "status_label": str(followed.get_status_display()),
        "handled_with": followed.tracking_code if followed is not suggestion else None,
        "answer": followed.public_answer or None,
        "answered_at": followed.answered_at if followed.public_answer else None,
        "rating": str(followed.get_rating_display()) if followed.rating else None,
        "timeline": [
            {"at": step.event.created_at, "action": step.action, "to_state": step.to_state}
            for step in SUGGESTION_WORKFLOW.timeline(followed, public_only=True)
        ],
    }


class Track(PublicView):
    @extend_schema(
        summary="Follow a suggestion by its tracking code (查进度)",
        description="Counted against the address like the tracking page: 429 with Retry-After.",
        responses={200: s.TrackSerializer, **ERRORS},
    )
    def get(self, request: Request, code: str) -> Response:
        suggestion = track_lookup(request, code)
        return Response(s.TrackSerializer(tracked(suggestion)).data)


def track_lookup(request: Request, code: str) -> Suggestion:
    """The tracking page's look-up, with its throttle (429 carries the window's rest)."""
    try:
        return suggestion_get_tracked(address=client_ip(request._request), code=code)
    except RateLimited as refusal:
        raise ApiRefusal(
            429,
            "throttled",
            str(refusal.message),
            retry_after=TRACK_LOOKUPS.seconds_left(),
        ) from refusal
