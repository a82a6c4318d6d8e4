"""Reads from a PostgreSQL streaming replica, for the pages that only read a lot.

With `DATABASE_REPLICA_URL` set, settings add a `replica` database alias and this router.
Nothing goes to the replica by default: a view opts in with `@replica_reads` (dashboards
and figures, search, exports, public results), and even there a read goes to the primary
("default") when

- it runs inside a transaction (`transaction.atomic`): what a transaction reads, it may
  write back;
- the same request has already written: the request reads its own write;
- the browser wrote a few seconds ago (read-your-writes across requests): a POST that wrote
  pins the browser to the primary for `REPLICA_PIN_SECONDS` by a signed cookie, as a
  replica may be that far behind.

Every write goes to the primary. Without a replica the router is not installed and
nothing changes. Celery jobs, management commands and every other view read the primary.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.core import signing
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    InterfaceError,
    OperationalError,
    connections,
)
from django.http import HttpRequest, HttpResponseBase

logger = logging.getLogger(__name__)

REPLICA = "replica"
PIN_COOKIE = "xieshang_primary"
_PIN_SALT = "xieshang.core.replica.pin"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# Who the visitor is comes from the primary always: a session or a lockout a second old
# may not have reached the replica.
_PRIMARY_APPS = frozenset({"sessions", "axes"})

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class _Request:
    """What the router knows about the request it serves."""

    replica_ok: bool = False  # inside a @replica_reads view, not pinned to the primary
    pinned: bool = False  # the browser wrote within REPLICA_PIN_SECONDS
    wrote: bool = False  # this request has written to the primary
    used_replica: bool = False  # a read of this request was sent to the replica


_state: contextvars.ContextVar[_Request | None] = contextvars.ContextVar(
    "xieshang_replica_state", default=None
)


def replica_enabled() -> bool:
    """Whether reads may go to a replica: one is configured and routing is on."""
    return bool(getattr(settings, "REPLICA_READS", False)) and REPLICA in settings.DATABASES


def pin_seconds() -> int:
    return int(getattr(settings, "REPLICA_PIN_SECONDS", 5))


def _pinned(request: HttpRequest) -> bool:
    try:
        request.get_signed_cookie(PIN_COOKIE, salt=_PIN_SALT, max_age=pin_seconds())
    except (KeyError, signing.BadSignature):
        return False
    return True


class ReplicaRouter:
    """Reads of a `@replica_reads` view to the replica, everything else to the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        state = _state.get()
        if (
            state is not None
            and state.replica_ok
            and not state.wrote
            and model._meta.app_label not in _PRIMARY_APPS
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
            and replica_enabled()
        ):
            state.used_replica = True
            return REPLICA
        # Explicitly the primary: without an answer Django would read related objects from
        # where their instance came from, the replica, after the view has ended.
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: Any, **hints: Any) -> str:
        state = _state.get()
        if state is not None:
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # One database: the replica is a copy of the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA


def replica_reads(view: F) -> F:
    """The view's reads may go to the replica (see the module's docstring). A replica that
    cannot be reached costs one failed attempt: the view runs again on the primary (it has
    written nothing: it only read), and this process leaves the replica alone for
    REPLICA_RETRY_SECONDS."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        state = _state.get()
        token = None
        if state is None:  # called without the middleware (a test calling the view)
            state = _Request(pinned=_pinned(request))
            token = _state.set(state)
        before = state.replica_ok
        state.replica_ok = (
            not state.pinned and request.method in _SAFE_METHODS and not _replica_resting()
        )
        try:
            try:
                return view(request, *args, **kwargs)
            except (OperationalError, InterfaceError):
                if not state.used_replica or state.wrote or not _replica_failed():
                    raise
                logger.warning("replica unreachable: %s read from the primary", request.path)
                state.replica_ok = False
                return view(request, *args, **kwargs)
        finally:
            state.replica_ok = before
            if token is not None:
                _state.reset(token)

    wrapper.xieshang_replica_reads = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


# Until when (time.monotonic()) this process reads nothing from the replica: it failed.
_resting_until = 0.0
REPLICA_RETRY_SECONDS = 10


def _replica_resting() -> bool:
    return time.monotonic() < _resting_until


def _replica_failed() -> bool:
    """Whether the replica's connection is the one that failed; if so it is closed and
    left alone for a while."""
    global _resting_until
    replica = connections[REPLICA]
    if replica.connection is not None and replica.is_usable():
        return False  # the replica answers: the error was the primary's
    with contextlib.suppress(DatabaseError):
        replica.close()
    _resting_until = time.monotonic() + REPLICA_RETRY_SECONDS
    return True


def uses_replica(view: object) -> bool:
    return bool(getattr(view, "xieshang_replica_reads", False))


class ReplicaPinMiddleware:
    """Tracks the request for the router, and after an unsafe request (POST…) that wrote,
    pins the browser to the primary for REPLICA_PIN_SECONDS (a signed cookie). Does
    nothing when no replica is configured."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not replica_enabled():
            return self.get_response(request)
        state = _Request(pinned=_pinned(request))
        token = _state.set(state)
        try:
            response = self.get_response(request)
        finally:
            _state.reset(token)
        if state.wrote and request.method not in _SAFE_METHODS:
            response.set_signed_cookie(
                PIN_COOKIE,
                "1",
                salt=_PIN_SALT,
                max_age=pin_seconds(),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


__all__ = [
    "PIN_COOKIE",
    "REPLICA",
    "ReplicaPinMiddleware",
    "ReplicaRouter",
    "replica_enabled",
    "replica_reads",
    "uses_replica",
]
