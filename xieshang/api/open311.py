"""Open311 GeoReport v2 under /open311/v2/ (JSON): a committee is a jurisdiction
(`jurisdiction_id` = its code), its suggestion categories are the services, a service
request is a suggestion and its tracking code the `service_request_id`.

Requests are handed in through the public submit page's form and service
(`submission.submit`), like the REST API's. POST needs an `api_key` of the committee
(setting OPEN311_API_KEYS, "code:key,code:key"); a key holder's requests are limited per
phone number, not per address (a hotline system sends for many citizens). Errors are
arrays of `{code, description}` as the standard has them.
"""

from __future__ import annotations

import hmac
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xieshang.api.errors import ApiRefusal
from xieshang.api.submission import idempotency_key, submit
from xieshang.api.views import track_lookup
from xieshang.core.models import Committee
from xieshang.core.selectors import committee_get_public
from xieshang.suggestions.models import Category, Suggestion
from xieshang.suggestions.selectors import categories_of, intake_setup_public

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-05T00:00:00Z"
# Form fields of the submit page, by the standard's names, for the error descriptions.
STANDARD_NAMES = {
    "title": "description",
    "content": "description",
    "latitude": "lat",
    "longitude": "long",
    "address": "address_string",
    "citizen_name": "first_name",
    "category": "service_code",
}
SIX_PLACES = Decimal("0.000001")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def api_keys() -> dict[str, str]:
    """Committee code of each API key, from OPEN311_API_KEYS."""
    keys: dict[str, str] = {}
    for pair in str(getattr(settings, "OPEN311_API_KEYS", "")).split(","):
        code, _sep, key = pair.strip().partition(":")
        if code and key:
            keys[key.strip()] = code.strip()
    return keys


def key_allows(key: str, committee: Committee) -> bool:
    return bool(key) and any(
        hmac.compare_digest(key, known) and code == committee.code
        for known, code in api_keys().items()
    )


@extend_schema(exclude=True)
class Open311View(APIView):
    authentication_classes = ()
    permission_classes = (AllowAny,)
    parser_classes = (FormParser, MultiPartParser)

    def handle_exception(self, exc: Exception) -> Response:
        response = super().handle_exception(exc)
        data = response.data
        if isinstance(data, dict) and "message" in data:
            fields = data.get("fields") or {}
            errors = [
                {"code": response.status_code, "description": f"{name}: {message}"}
                for name, messages in fields.items()
                for message in messages
            ]
            response.data = errors or [
                {"code": response.status_code, "description": data["message"]}
            ]
        return response


def jurisdiction(request: Request, *, required: bool = True) -> Committee | None:
    code = str(
        request.query_params.get("jurisdiction_id") or request.data.get("jurisdiction_id") or ""
    )
    if not code:
        if not required:
            return None
        raise ApiRefusal(400, "invalid", _("jurisdiction_id is required: the committee's code."))
    return committee_get_public(code=code)


def service_of(committee: Committee, code: str) -> Category:
    category = categories_of(committee.pk).filter(pk=int(code)).first() if code.isdigit() else None
    if category is None:
        raise ApiRefusal(404, "not_found", _("No such service in this jurisdiction."))
    return category


def service(category: Category) -> dict[str, Any]:
    return {
        "service_code": str(category.pk),
        "service_name": category.name,
        "description": None,
        "metadata": False,
        "type": "batch",
        "keywords": None,
        "group": None,
    }


def service_request(suggestion: Suggestion) -> dict[str, Any]:
    """What the public tracking page shows, in the standard's words."""
    followed = suggestion.merged_into or suggestion
    category = suggestion.category
    return {
        "service_request_id": suggestion.tracking_code,
        "status": "open" if followed.is_open else "closed",
        "status_notes": followed.public_answer or str(followed.get_status_display()),
        "service_name": category.name if category else None,
        "service_code": str(category.pk) if category else "",
        "description": suggestion.content,
        "agency_responsible": suggestion.committee.name,
        "service_notice": None,
        "requested_datetime": suggestion.created_at.isoformat(),
        "updated_datetime": followed.updated_at.isoformat(),
        "expected_datetime": None,
        "address": suggestion.address or None,
        "address_id": None,
        "zipcode": None,
        "lat": float(suggestion.latitude) if suggestion.latitude is not None else None,
        "long": float(suggestion.longitude) if suggestion.longitude is not None else None,
        "media_url": None,
    }


class Discovery(Open311View):
    def get(self, request: Request) -> Response:
        return Response(
            {
                "changeset": CHANGESET,
                "contact": _("The general office of the committee."),
                "key_service": _("Ask the committee's general office for an API key."),
                "endpoints": [
                    {
                        "specification": SPECIFICATION,
                        "url": request.build_absolute_uri("/open311/v2/"),
                        "changeset": CHANGESET,
                        "type": "production",
                        "formats": ["application/json"],
                    }
                ],
            }
        )


class Services(Open311View):
    def get(self, request: Request) -> Response:
        committee = jurisdiction(request)
        assert committee is not None
        return Response([service(c) for c in categories_of(committee.pk)])


class ServiceDefinition(Open311View):
    def get(self, request: Request, code: str) -> Response:
        committee = jurisdiction(request)
        assert committee is not None
        category = service_of(committee, code)
        return Response({"service_code": str(category.pk), "attributes": []})


def _six_places(value: str) -> str:
    try:
        return str(Decimal(value).quantize(SIX_PLACES)) if value else ""
    except InvalidOperation:
        return value  # the form refuses it, by name


class Requests(Open311View):
    def post(self, request: Request) -> Response:
        if request.content_type.split(";")[0] not in FORM_TYPES:
            raise ApiRefusal(
                415,
                "unsupported_media_type",
                _("Send the request form-encoded (application/x-www-form-urlencoded)."),
            )
        committee = jurisdiction(request)
        assert committee is not None
        if not key_allows(str(request.data.get("api_key", "")), committee):
            raise ApiRefusal(
                403, "forbidden", _("A valid api_key of this jurisdiction is required.")
            )
        data = request.data
        category = service_of(committee, str(data.get("service_code", "")))
        lat, long = str(data.get("lat", "")).strip(), str(data.get("long", "")).strip()
        address = str(data.get("address_string", "")).strip()
        if not (lat and long) and not address:
            raise ApiRefusal(
                400, "invalid", _("Give the location: lat and long, or address_string.")
            )
        description = str(data.get("description", "")).strip()
        name = (str(data.get("last_name", "")) + str(data.get("first_name", ""))).strip()
        suggestion, _created = submit(
            setup=intake_setup_public(code=committee.code),
            data={
                "title": f"{category.name}：{description}"[:60],
                "content": description,
                "category": category.pk,
                "latitude": _six_places(lat),
                "longitude": _six_places(long),
                "address": address,
                "citizen_name": name[:30],
                "phone": str(data.get("phone", "")),
                "email": str(data.get("email", "")),
                # The key holder has the citizen's consent (the terms of the key).
                "consent": True,
            },
            key=idempotency_key(request.headers.get("Idempotency-Key")),
            client_ip="",
        )
        return Response(
            [
                {
                    "service_request_id": suggestion.tracking_code,
                    "service_notice": _("Received; follow it with the tracking code."),
                    "account_id": None,
                }
            ]
        )


class RequestDetail(Open311View):
    def get(self, request: Request, code: str) -> Response:
        suggestion = track_lookup(request, code)
        committee = jurisdiction(request, required=False)
        if committee is not None and committee.pk != suggestion.committee_id:
            raise ApiRefusal(404, "not_found", _("No suggestion has this tracking code."))
        return Response([service_request(suggestion)])
