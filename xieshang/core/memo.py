"""Values that are read on every request of a busy public page and change rarely (a
committee's categories and areas, its hourly limit), kept in the worker process for a few
seconds instead of being read from the database each time.

A change reaches every process within `seconds`; nothing that must be exact (a state, a
count, a permission) belongs here. Tests start every test with empty memos.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import ClassVar, Generic, TypeVar

T = TypeVar("T")

clock = time.monotonic  # tests move it


class ProcessMemo(Generic[T]):
    """A small per-process cache with a time to live. `get(key, load)` returns the value
    stored less than `seconds` ago, or calls `load()` and keeps what it returns; an
    exception from `load` (a 404, say) is raised and nothing is kept."""

    _all: ClassVar[list[ProcessMemo[object]]] = []

    def __init__(self, *, seconds: float, max_entries: int = 1000) -> None:
        self.seconds = seconds
        self.max_entries = max_entries
        self._values: dict[Hashable, tuple[float, T]] = {}
        ProcessMemo._all.append(self)  # type: ignore[arg-type]

    def get(self, key: Hashable, load: Callable[[], T]) -> T:
        now = clock()
        hit = self._values.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        value = load()
        if len(self._values) >= self.max_entries:
            self._values.clear()
        self._values[key] = (now + self.seconds, value)
        return value

    def forget(self, key: Hashable) -> None:
        self._values.pop(key, None)

    def clear(self) -> None:
        self._values.clear()

    @classmethod
    def clear_all(cls) -> None:
        for memo in cls._all:
            memo.clear()
