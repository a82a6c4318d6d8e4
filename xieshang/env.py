"""Typed readers for environment variables that fail loudly.

Settings differ between environments only by these variables; a value that cannot be
read is a configuration error, raised at start-up rather than discovered later.
"""

from __future__ import annotations

import base64
import os
import re

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    """A string; unset and empty are the same (so `DATABASE_URL=` means the default)."""
    value = os.environ.get(name)
    if not value:
        if default is None:
            raise ImproperlyConfigured(f"Environment variable {name} is required")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use 1/0, true/false)")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# Words of the values people copy from examples and templates ("change-me-to-…",
# "django-insecure-…", "your-secret-key"): a secret containing one is a placeholder.
_PLACEHOLDER = re.compile(
    r"change.?me|replace.?me|placeholder|your.?secret|insecure|example|dummy|not.?secret"
    r"|0123456789|(.)\1{7}",
    re.IGNORECASE,
)


def is_placeholder_secret(value: str) -> bool:
    """Whether a secret is a known placeholder or plainly not random (few distinct
    characters, a run of one character, a counting sequence)."""
    return bool(_PLACEHOLDER.search(value)) or len(set(value)) < 12


def is_placeholder_fernet_key(key: str, *, dev_key: str = "") -> bool:
    """Whether a Fernet key (already known to be well-formed) is the development key or a
    made-up one: 32 random bytes are never all printable characters (the development
    key spells a sentence) nor only a handful of distinct values."""
    if key == dev_key:
        return True
    raw = base64.urlsafe_b64decode(key)
    return all(32 <= byte < 127 for byte in raw) or len(set(raw)) < 12
