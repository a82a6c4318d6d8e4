"""Markers the URL-walking permission test reads.

Every view is either `@public` (anyone, no account) or checks access itself; the test
walks every URL pattern and fails for a non-public view that lets an anonymous user or
a user of another committee through.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _

F = TypeVar("F", bound=Callable[..., object])
View = Callable[..., HttpResponseBase]


def public(view: F) -> F:
    view.xieshang_public = True  # type: ignore[attr-defined]
    return view


def is_public(view: object) -> bool:
    return bool(getattr(view, "xieshang_public", False))


def workspace_required(perm: str) -> Callable[[View], View]:
    """Logged in and holding `perm` (checked without a record; views check the record)."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.has_perm(perm):
                raise PermissionDenied(_("You do not have permission to see this page."))
            return view(request, *args, **kwargs)

        wrapper.xieshang_perm = perm  # type: ignore[attr-defined]
        return wrapper

    return decorator


def required_perm(view: object) -> str:
    """The permission a workspace page asks for ("" for none)."""
    return str(getattr(view, "xieshang_perm", ""))
