"""Middleware of our own: Chinese first, crafted input refused at the edge, a refused
request (DomainError) turned into a clear page with the right status code, and the
Content-Security-Policy header."""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Callable
from functools import lru_cache

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.db import InterfaceError, OperationalError, connections
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from xieshang.core.errors import DomainError
from xieshang.core.http import BIGINT_MAX, BIGINT_MIN

logger = logging.getLogger(__name__)


class ChineseFirstMiddleware:
    """Chinese is the interface language: the browser's Accept-Language is not consulted,
    so an English-language phone still gets Chinese. English is a choice made with the
    switch in the header (the language cookie), which LocaleMiddleware reads."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class DomainErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        template = "error_fragment.html" if getattr(request, "htmx", False) else "error.html"
        return render(
            request,
            template,
            {"status": exception.status, "message": exception.message},
            status=exception.status,
        )


# Characters no form of ours takes: NUL and the other C0 controls but tab and line breaks,
# DEL and the C1 controls, and U+FFFD, which is what bytes that are not UTF-8 become when
# Django decodes them (errors="replace"): PostgreSQL refuses NUL in text (a 500), and the
# rest would be stored and shown as they are.
_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")
# Bidirectional formatting characters (U+202E RIGHT-TO-LEFT OVERRIDE and its kin) make a
# text display as something else than it is ("gpj.exe"); Chinese text never needs them, and
# text pasted from elsewhere may carry the invisible marks. Taken out, silently.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_INTEGER = re.compile(r"\s*[+-]?\d{19,}\s*")
_UTF8 = codecs.lookup("utf-8").name


class BadInput(DomainError):
    """Input refused at the edge: nothing reached a view or the database."""


def _check_text(value: str) -> None:
    if _REFUSED.search(value):
        raise BadInput(
            _(
                "The request contains characters that cannot be accepted (control characters "
                "or bytes that are not UTF-8 text). Remove them and try again."
            )
        )
    if _INTEGER.fullmatch(value):
        try:
            number = int(value)
        except ValueError:  # more digits than Python converts (4,300)
            number = BIGINT_MAX + 1
        if not BIGINT_MIN <= number <= BIGINT_MAX:
            raise BadInput(_("A number in the request is too large."))


def _cleaned(query: QueryDict) -> QueryDict | None:
    """`query` without bidirectional formatting characters, or None when it has none;
    raises BadInput for a key or value that cannot be accepted."""
    changed = False
    items: list[tuple[str, list[str]]] = []
    for key, values in query.lists():
        _check_text(key)
        kept = []
        for value in values:
            _check_text(value)
            if _BIDI.search(value):
                value = _BIDI.sub("", value)
                changed = True
            kept.append(value)
        if _BIDI.search(key):
            key = _BIDI.sub("", key)
            changed = True
        items.append((key, kept))
    if not changed:
        return None
    cleaned = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in items:
        cleaned.setlist(key, values)
    cleaned._mutable = False
    return cleaned


class CleanInputMiddleware:
    """Refuses crafted input before any view, form or query sees it (issue 20): a NUL byte
    or another control character in the path, the query, a form field or a cookie; bytes
    that are not UTF-8; a body declared in another charset (utf-16, gbk: every page of ours
    is UTF-8); a number too large for any database column. Each is a 400 with a Chinese
    message, never a 500. Bidirectional formatting characters are removed from the query
    and the form fields."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            self._check(request)
        except BadInput as refusal:
            return _refusal_page(request, refusal)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        if _REFUSED.search(request.path_info) or _BIDI.search(request.path_info):
            raise BadInput(_("The address contains characters that cannot be accepted."))
        for name, value in request.META.items():
            if name.startswith("HTTP_") and isinstance(value, str) and "\x00" in value:
                raise BadInput(_("The request contains characters that cannot be accepted."))
        charset = request.content_params.get("charset") if request.content_params else None
        if charset:
            try:
                declared = codecs.lookup(charset).name
            except LookupError:
                declared = ""
            if declared not in (_UTF8, "ascii"):
                raise BadInput(
                    _("The form must be sent as UTF-8 text. Reload the page and try again.")
                )
        cleaned = _cleaned(request.GET)
        if cleaned is not None:
            request.GET = cleaned  # type: ignore[assignment]  # immutable, as Django's
        if request.method == "POST":
            cleaned = _cleaned(request.POST)
            if cleaned is not None:
                request.POST = cleaned  # type: ignore[assignment]


def _refusal_page(request: HttpRequest, refusal: DomainError) -> HttpResponse:
    htmx = request.headers.get("HX-Request") == "true"
    return render(
        request,
        "error_fragment.html" if htmx else "error.html",
        {"status": refusal.status, "message": refusal.message},
        status=refusal.status,
    )


_NONCE_MARK = "__CSP_NONCE__"
# What django-csp's view decorators set on a response: a policy of the view's own.
_PER_VIEW = tuple(
    f"_csp_{part}{suffix}" for part in ("config", "update", "replace") for suffix in ("", "_ro")
)


@lru_cache(maxsize=8)
def _policy(report_only: bool, with_nonce: bool) -> str:
    return build_policy(nonce=_NONCE_MARK if with_nonce else None, report_only=report_only)


@receiver(setting_changed)
def _policy_settings_changed(*, setting: str, **kwargs: object) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _policy.cache_clear()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with the policy built once per process (and the request's
    nonce put into it), instead of from the settings on every response: 60 µs of every
    request, the public submission's included. A response a view gave a policy of its own
    (django-csp's decorators) is handled by django-csp as before."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if any(getattr(response, name, None) is not None for name in _PER_VIEW) or (
            settings.DEBUG and response.status_code in (404, 500)
        ):
            return super().process_response(request, response)
        nonce = getattr(request, "_csp_nonce", None)
        for header, report_only, exempt in (
            (HEADER, False, "_csp_exempt"),
            (HEADER_REPORT_ONLY, True, "_csp_exempt_ro"),
        ):
            policy = _policy(report_only, nonce is not None)
            config = getattr(
                settings,
                "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY",
                None,
            )
            prefixes = tuple((config or {}).get("EXCLUDE_URL_PREFIXES") or ())
            if (
                policy
                and header not in response
                and not getattr(response, exempt, False)
                and not (prefixes and request.path_info.startswith(prefixes))
            ):
                response[header] = policy.replace(_NONCE_MARK, nonce) if nonce else policy
        if nonce is None:
            # As django-csp: a nonce asked for after the header was written is an error.
            request.csp_nonce = CheckableLazyObject(  # type: ignore[attr-defined]
                self._csp_nonce_post_response
            )
        return response


# --- The database away ----------------------------------------------------------------

# Seconds a client is asked to wait after a 503: a primary restarting or a replica being
# promoted takes about this long.
UNAVAILABLE_RETRY_SECONDS = 30


def database_unavailable(exception: BaseException | None) -> bool:
    """Whether an exception means the database cannot be reached (or was lost mid-way):
    a connection refused or timed out, a server shutting down, a connection closed."""
    return isinstance(exception, (OperationalError, InterfaceError))


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: the API's error shape for /api/, a plain page otherwise (it
    needs no database: no user, no committee)."""
    if request.path_info.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {
                "code": "unavailable",
                "message": _(
                    "The service is busy. Nothing was stored; send the request again later."
                ),
                "fields": {},
            },
            status=503,
        )
    else:
        response = HttpResponse(
            render_to_string("503.html", {"retry_after": UNAVAILABLE_RETRY_SECONDS}),
            status=503,
        )
    response["Retry-After"] = str(UNAVAILABLE_RETRY_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """The primary database away (stopped, failing over, a network cut) is a 503 with a
    clear page and Retry-After, not a 500. What was being submitted was one transaction
    (every service is atomic), so nothing of it is stored; the same submission sent again
    carries its idempotency key and is stored once. Errors outside the view (the session
    read by a middleware) reach `core.views.server_error`, which answers the same."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not database_unavailable(exception):
            return None
        logger.warning("database unavailable: %s %s", request.method, request.path_info)
        _discard_broken_connections()
        return unavailable_response(request)


def _discard_broken_connections() -> None:
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None and not connection.is_usable():
            connection.close()
