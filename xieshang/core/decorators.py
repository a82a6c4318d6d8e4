"""Markers the URL-walking permission test reads.

Every view is either `@public` (anyone, no account) or checks access itself; the test
walks every URL pattern and fails for a non-public view that lets an anonymous user or
a user of another committee through.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable[..., object])


def public(view: F) -> F:
    view.xieshang_public = True  # type: ignore[attr-defined]
    return view


def is_public(view: object) -> bool:
    return bool(getattr(view, "xieshang_public", False))
