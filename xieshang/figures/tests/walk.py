"""The figures' samples for the URL walk (xieshang/core/tests/test_url_walk.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from xieshang.conftest import Cast

SAMPLES: dict[str, Callable[[Cast], dict[str, Any]]] = {
    "figures:public": lambda c: {"code": c.tianhe.code},
    "figures:public_workroom": lambda c: {"code": c.workroom.code},
    "figures:screen": lambda c: {"code": c.tianhe.code},
    "figures:screen_workroom": lambda c: {"code": c.workroom.code},
}
