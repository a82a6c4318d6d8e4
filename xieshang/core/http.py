"""Reading a request's parameters and sender, the same way on every page."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.translation import gettext as _

from xieshang.core.errors import DomainError
from xieshang.core.models import Committee
from xieshang.core.uploads import CONTENT_TYPES

# The range of the databases' BIGINT (every id): a number outside it names no record, and
# SQLite cannot even take it as a parameter (OverflowError).
BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1


def int_param(value: str | None) -> int | None:
    """A query parameter as a number; None when absent, not a number or beyond what a
    database integer holds (a filter then simply does not apply, rather than failing)."""
    try:
        number = int(value) if value else None
    except ValueError:
        return None
    if number is None or not BIGINT_MIN <= number <= BIGINT_MAX:
        return None
    return number


def year_param(value: str | None) -> int | None:
    """A query parameter as a year (1-9999, what a date can hold); None otherwise (a year
    filter on a date column with year 0 or -1 fails in Python's datetime)."""
    number = int_param(value)
    return number if number is not None and 1 <= number <= 9999 else None


def date_param(value: str | None) -> date | None:
    """A query parameter as an ISO date (2026-11-28); None when absent or malformed."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The sender's address for rate limits. Behind nginx (BEHIND_PROXY) it is the last
    X-Forwarded-For hop, the one nginx appended; otherwise the header is ignored."""
    remote: str = request.META.get("REMOTE_ADDR", "")
    forwarded: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.BEHIND_PROXY and forwarded:
        return forwarded.split(",")[-1].strip()
    return remote


def image_response(field_file: Any) -> HttpResponseBase:
    """A stored photo, privately cached: photos are never under a public address, and are
    served only after the view checked who asks. With XIESHANG_MEDIA_X_ACCEL (nginx in
    front, the uploads on a path it reads) the answer carries no bytes: an
    X-Accel-Redirect to nginx's internal location sends the file, so a web worker is not
    held while a phone downloads a photo."""
    name = field_file.name or ""
    content_type = "image/png" if name.endswith(".png") else "image/jpeg"
    response: HttpResponseBase
    prefix = settings.XIESHANG_MEDIA_X_ACCEL
    if prefix and isinstance(field_file.storage, FileSystemStorage):
        if not field_file.storage.exists(name):
            raise Http404(_("The file is missing."))
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name.lstrip("/"))
    else:
        response = FileResponse(field_file.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


def file_response(field_file: Any, *, filename: str, as_attachment: bool = True) -> FileResponse:
    """A stored upload (`core.uploads`: a document or a scan), answered only after the view
    checked who asks: privately cached, its type from its extension (judged when it was
    stored), never sniffed by the browser, and a download unless `as_attachment` is off.
    `filename` is the name without its extension."""
    if not field_file:
        raise Http404(_("The file is missing."))
    extension = (field_file.name or "").rsplit(".", 1)[-1].lower()
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing.")) from None
    response = FileResponse(
        handle,
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
        as_attachment=as_attachment,
        filename=f"{filename}.{extension}",
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def committee_from_post(request: HttpRequest, allowed: Sequence[Committee]) -> Committee:
    """The committee a form posted (`committee`), among those the user may act for."""
    chosen = int_param(request.POST.get("committee"))
    if chosen is None:
        raise DomainError(_("Choose a committee. Reload the page and try again."))
    committee = next((c for c in allowed if c.pk == chosen), None)
    if committee is None:
        raise Http404(_("No such committee, or it is not yours to see."))
    return committee


def with_toast(response: HttpResponse, text: str, kind: str = "info") -> HttpResponse:
    """An htmx response that also shows a passing notice (site.js listens for the "toast"
    event the HX-Trigger header raises; templates/components/toasts.html)."""
    response["HX-Trigger"] = json.dumps({"toast": {"text": text, "kind": kind}})
    return response
