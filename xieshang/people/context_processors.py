from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from xieshang.people.access import access_for


def site(request: HttpRequest) -> dict[str, Any]:
    access = access_for(getattr(request, "user", None))
    return {
        "SITE_NAME": settings.SITE_NAME,
        "access": access,
        "home_role": access.home_role,
    }
