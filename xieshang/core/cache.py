"""The cache without which the site still works.

Redis holds the cache (counters, hotspot groups, the search dictionaries' version) and the
broker. When Redis refuses or does not answer, `ResilientRedisCache` answers as an empty
cache that keeps nothing — reads miss, writes are dropped, a counter counts from one — and
logs it (once a minute per process), so no page answers 500 because of it: the pages
recompute what they would have read, and the per-address counters in the cache let the
request through while the per-number limits, kept in the database, still hold. Short socket
timeouts (settings) make a Redis that hangs cost half a second, not a worker.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])
_last_warning = 0.0


def _warn(error: Exception) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning > 60:
        _last_warning = now
        logger.warning("Cache unavailable, answering without it: %s", error)


def _or(fallback: Callable[..., Any]) -> Callable[[F], F]:
    def decorator(method: F) -> F:
        @wraps(method)
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                _warn(error)
                return fallback(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


def _default(key: Any, default: Any = None, *args: Any, **kwargs: Any) -> Any:
    return default


def _computed(key: Any, default: Any, *args: Any, **kwargs: Any) -> Any:
    return default() if callable(default) else default


def _delta(key: Any, delta: int = 1, *args: Any, **kwargs: Any) -> int:
    return delta


class ResilientRedisCache(RedisCache):
    get = _or(_default)(RedisCache.get)
    get_or_set = _or(_computed)(RedisCache.get_or_set)
    get_many = _or(lambda keys, *a, **k: {})(RedisCache.get_many)
    has_key = _or(lambda key, *a, **k: False)(RedisCache.has_key)
    set = _or(lambda *a, **k: None)(RedisCache.set)
    set_many = _or(lambda data, *a, **k: list(data))(RedisCache.set_many)
    add = _or(lambda *a, **k: False)(RedisCache.add)
    touch = _or(lambda *a, **k: False)(RedisCache.touch)
    delete = _or(lambda *a, **k: False)(RedisCache.delete)
    delete_many = _or(lambda *a, **k: None)(RedisCache.delete_many)
    incr = _or(_delta)(RedisCache.incr)
    decr = _or(lambda key, delta=1, *a, **k: -delta)(RedisCache.decr)
    clear = _or(lambda *a, **k: None)(RedisCache.clear)
