from __future__ import annotations

from typing import Any

import pytest

from xieshang.conftest import Cast
from xieshang.suggestions.models import Category


@pytest.fixture
def category(cast: Cast) -> Category:
    return Category.objects.create(committee=cast.tianhe, name="城乡建设")


def suggestion_body(**extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "龙口东路下水道返臭",
        "content": "龙口东路段下水道长期返臭，夏天尤其严重，希望尽快整治。",
        "citizen_name": "陈先生",
        "phone": "138 1234 5678",
        "consent": True,
    }
    body.update(extra)
    return body
