"""Hooks: how a lower app lets higher apps join in without importing them.

Apps are layered (docs/architecture.md, the import-linter contract in pyproject.toml): an
app imports only from below. When a lower app's page or service must show or do something
that belongs to a higher app — the tracking page of a suggestion shows the consultation it
became; a suggestion's disposition creates a 社情民意 draft; a proposal's change updates
the search index — the lower app declares a `Hook` in its `hooks.py` and calls it; the
higher app registers a receiver in its `AppConfig.ready()`. Receivers run in the order
they were registered (the order of INSTALLED_APPS), in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class Hook(Generic[P, R]):
    """A named point receivers join: calling the hook calls each receiver with the same
    arguments and returns their results (None results left out)."""

    def __init__(self, name: str, doc: str = "") -> None:
        self.name = name
        self.doc = doc
        self._receivers: list[Callable[P, R | None]] = []

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._receivers)} receivers>"

    def register(self, receiver: Callable[P, R | None]) -> Callable[P, R | None]:
        """Add `receiver` (idempotent: registering it twice keeps one). Usable as a
        decorator."""
        if receiver not in self._receivers:
            self._receivers.append(receiver)
        return receiver

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> list[R]:
        results = []
        for receiver in self._receivers:
            result = receiver(*args, **kwargs)
            if result is not None:
                results.append(result)
        return results

    @property
    def receivers(self) -> list[Callable[P, R | None]]:
        return list(self._receivers)


@dataclass(frozen=True)
class Section:
    """A piece of a page contributed by another app: a template and its context, shown in
    `order`."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100
