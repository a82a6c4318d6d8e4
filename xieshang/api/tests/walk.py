"""Samples of the API's routes for the URL walk (xieshang/core/tests/test_url_walk.py)."""

from __future__ import annotations

from typing import Any

from xieshang.conftest import Cast
from xieshang.suggestions.models import Suggestion


def _committee(cast: Cast) -> dict[str, Any]:
    return {"code": cast.tianhe.code}


def _tracking(cast: Cast) -> dict[str, Any]:
    suggestion = Suggestion.objects.get(committee=cast.tianhe, title="猎德大桥桥底积水")
    return {"code": suggestion.tracking_code}


SAMPLES = {
    "api:categories": _committee,
    "api:workrooms": _committee,
    "api:submit": _committee,
    "api:track": _tracking,
}


def _category(cast: Cast) -> dict[str, Any]:
    return {"code": "1"}


SAMPLES.update(
    {
        "api:open311_service": _category,
        "api:open311_request": _tracking,
    }
)
