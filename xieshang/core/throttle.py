"""Counting what one address does in a fixed window, in the cache (Redis in production).

A throttle counts events per client address (hashed: no address is kept in clear) and
says when the address has reached its limit for the current window. The cache being away
must not take the page down with it: a throttle that cannot count lets the request through
(and logs it), as a limit is a brake, not a lock.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from django.core.cache import cache

from xieshang.core.privacy import lookup_hash

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AddressThrottle:
    """At most `limit` events of `scope` per address in each window of `window` seconds."""

    scope: str
    limit: int
    window: int

    def _key(self, address: str, now: float | None = None) -> str:
        bucket = int((time.time() if now is None else now) // self.window)
        return f"throttle:{self.scope}:{lookup_hash('ip:' + (address or '-'))}:{bucket}"

    def reached(self, address: str) -> bool:
        """Whether the address has used up this window's events."""
        try:
            count = cache.get(self._key(address))
        except Exception:  # the cache is away: let the request through
            logger.warning("throttle %s: the cache cannot be read", self.scope, exc_info=True)
            return False
        return int(count or 0) >= self.limit

    def count(self, address: str) -> int:
        """Count one event of the address; returns its count in this window (0 when the
        cache cannot count)."""
        key = self._key(address)
        try:
            cache.add(key, 0, timeout=self.window + 5)
            return int(cache.incr(key))
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=self.window + 5)
            return 1
        except Exception:
            logger.warning("throttle %s: the cache cannot count", self.scope, exc_info=True)
            return 0

    def seconds_left(self, now: float | None = None) -> int:
        """Seconds until the current window ends."""
        moment = time.time() if now is None else now
        return max(1, int(self.window - moment % self.window))
