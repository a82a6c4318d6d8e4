"""Pages of the core app: the health checks and the answer to an expired form."""

from __future__ import annotations

import sys

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache

from xieshang.core.decorators import public
from xieshang.core.jobs import outbox_pending
from xieshang.core.middleware import database_unavailable, unavailable_response


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return "error"
    return "ok"


def _broker() -> str:
    if not settings.REDIS_URL:
        return "none"  # jobs run in-process (make run)
    try:
        redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5
        ).ping()
    except redis.RedisError:
        return "unreachable"
    return "ok"


@public
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness, and what each part says: the database, the broker (Redis, which is also
    the cache) and the jobs waiting in the outbox for it. Answers 200 while the process can
    answer at all; /readyz says whether it should get requests."""
    database = _database()
    parts: dict[str, object] = {"database": database, "broker": _broker()}
    if database == "ok":
        parts["outbox"] = outbox_pending()
    degraded = database != "ok" or parts["broker"] == "unreachable"
    return JsonResponse({"status": "degraded" if degraded else "ok", **parts})


@public
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: 503 when the database does not answer (nothing can be stored); a broker
    that is away does not stop the site (jobs wait in the outbox)."""
    database = _database()
    return JsonResponse(
        {"status": "ok" if database == "ok" else "unavailable", "database": database},
        status=200 if database == "ok" else 503,
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(
        request,
        "error.html",
        {
            "status": 403,
            "message": _(
                "The form has expired or was sent from elsewhere. Reload the page and try again."
            ),
        },
        status=403,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500 page, or the 503 page when the database is away (an error raised
    outside a view, e.g. while a middleware read the session)."""
    if database_unavailable(sys.exc_info()[1]):
        return unavailable_response(request)
    return defaults.server_error(request)
