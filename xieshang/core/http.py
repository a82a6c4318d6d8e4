"""Reading a request's parameters and sender, the same way on every page."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.http import HttpRequest


def int_param(value: str | None) -> int | None:
    """A query parameter as a number; None when absent or not a number (a filter then
    simply does not apply, rather than failing)."""
    try:
        return int(value) if value else None
    except ValueError:
        return None


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
