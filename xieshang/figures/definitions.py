"""Every figure, in one place: the sources' declarations, loaded in order.

`FIGURES` (key → Figure) and `BASES` (key → Base) are what the pages, the export, the
public page and docs/figures.md read. To add a figure, declare it in its app's source
module (`xieshang/figures/sources/<app>.py`) and test it."""

from __future__ import annotations

import importlib

from xieshang.figures.registry import BASES, FIGURES, Base, Figure
from xieshang.figures.sources import SOURCES

for _name in SOURCES:
    importlib.import_module(f"xieshang.figures.sources.{_name}")


def groups() -> dict[str, list[Figure]]:
    """The figures by group, in declaration order."""
    found: dict[str, list[Figure]] = {}
    for fig in FIGURES.values():
        found.setdefault(fig.group, []).append(fig)
    return found


__all__ = ["BASES", "FIGURES", "Base", "Figure", "groups"]
