"""Login throttling (django-axes) for a site behind a proxy (issue 20).

Failures are counted by the address the application derives from the request
(`core.http.client_ip`: the address nginx appended to X-Forwarded-For when BEHIND_PROXY,
else REMOTE_ADDR), never by the proxy's own address. Two limits within the cool-off
(AXES_COOLOFF_TIME):

- a username from one address: AXES_FAILURE_LIMIT failures lock that pair only, so
  someone guessing a staff member's password from elsewhere cannot lock them out;
- one address across usernames: AXES_ADDRESS_FAILURE_LIMIT failures lock the address, so
  guesses spread over many usernames are limited too.
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


class LoginLockoutHandler(AxesDatabaseHandler):
    """axes' database handler, with the address-wide limit added to its (username,
    address) one."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        failures: int = super().get_failures(request, credentials)
        address = getattr(request, "axes_ip_address", "")
        if not address:
            return failures
        recent = AccessAttempt.objects.filter(
            ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
        ).aggregate(total=Sum("failures_since_start"))["total"]
        if (recent or 0) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            # The lockout page says which limit was reached.
            request.axes_address_locked = True  # type: ignore[attr-defined]
            return max(failures, int(get_failure_limit(request, credentials)))
        return failures
