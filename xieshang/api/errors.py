"""One shape for every refusal of the API: `{"code", "message", "fields"}`, the message in
the language of the request (Chinese first), never a 500 for bad input.

Installed as REST framework's EXCEPTION_HANDLER. The domain's own refusals (`DomainError`:
a committee's choice from another committee, a closed campaign, a rate limit) keep their
status and their message, the same as on the pages.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response

from xieshang.core.errors import DomainError

# A refused submission from an address or a phone number over its hourly limit: the
# service counts the last hour, so a client may try again within it.
RATE_LIMIT_RETRY_SECONDS = 3600


class ApiRefusal(exceptions.APIException):
    """A refusal with our own code and message, and the fields at fault."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: dict[str, list[str]] | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(detail=message, code=code)
        self.status_code = status
        self.code = code
        self.message = message
        self.fields = fields or {}
        self.retry_after = retry_after


def body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "fields": fields or {}}


def _flatten(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {
            str(name): [str(m) for m in (v if isinstance(v, list) else [v])]
            for name, v in detail.items()
        }
    return {
        "non_field_errors": [str(m) for m in (detail if isinstance(detail, list) else [detail])]
    }


def refusal_of(exc: Exception) -> ApiRefusal | None:
    """The refusal an exception stands for; None for a fault of ours (a 500)."""
    if isinstance(exc, ApiRefusal):
        return exc
    if isinstance(exc, DomainError):
        retry = RATE_LIMIT_RETRY_SECONDS if exc.status == 429 else None
        code = {403: "forbidden", 409: "conflict", 429: "throttled"}.get(exc.status, "refused")
        return ApiRefusal(exc.status, code, str(exc.message), retry_after=retry)
    if isinstance(exc, Http404):
        return ApiRefusal(404, "not_found", str(exc) or _("Not found."))
    if isinstance(exc, (PermissionDenied, exceptions.PermissionDenied)):
        return ApiRefusal(403, "forbidden", _("You do not have permission to do this."))
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        return ApiRefusal(401, "not_authenticated", _("Sign in or give a valid token."))
    if isinstance(exc, RequestDataTooBig):
        return ApiRefusal(413, "too_large", _("The request is too large."))
    if isinstance(exc, exceptions.ParseError):
        return ApiRefusal(400, "malformed", _("The request body is not valid JSON."))
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return ApiRefusal(
            415, "unsupported_media_type", _("Send the request body as application/json.")
        )
    if isinstance(exc, exceptions.MethodNotAllowed):
        return ApiRefusal(405, "method_not_allowed", _("This method is not allowed here."))
    if isinstance(exc, exceptions.NotAcceptable):
        return ApiRefusal(406, "not_acceptable", _("This format cannot be answered."))
    if isinstance(exc, exceptions.Throttled):
        return ApiRefusal(
            429,
            "throttled",
            _("Too many requests. Please try later."),
            retry_after=getattr(exc, "wait", None) or 1,
        )
    if isinstance(exc, exceptions.ValidationError):
        return ApiRefusal(
            400, "invalid", _("Some fields are not valid."), fields=_flatten(exc.detail)
        )
    if isinstance(exc, exceptions.APIException):
        return ApiRefusal(exc.status_code, "refused", _("The request could not be carried out."))
    return None


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    refusal = refusal_of(exc)
    if refusal is None:
        return None
    response = Response(
        body(refusal.code, refusal.message, refusal.fields), status=refusal.status_code
    )
    if refusal.retry_after is not None:
        response["Retry-After"] = str(max(1, int(refusal.retry_after)))
    return response
