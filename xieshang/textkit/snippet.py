"""A short piece of a text around the first match, with the matches marked.

It returns pieces, not HTML: a template escapes each piece and wraps the marked ones in
<mark>, so a script tag in a citizen's text stays text."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from xieshang.textkit.normalize import same_length


@dataclass(frozen=True)
class Piece:
    text: str
    marked: bool = False


def snippet(text: str, needles: Iterable[str], *, width: int = 80) -> list[Piece]:
    """About `width` characters of `text` around the earliest of the needles (normalised
    strings), each needle marked; the start of the text when none occurs."""
    text = " ".join(text.split())
    folded = same_length(text) or text  # positions of the original, when they can be
    spans = _spans(folded, [n for n in needles if n])
    if not spans:
        cut = text[:width]
        return [Piece(cut + ("…" if len(text) > width else ""))]
    start = max(0, spans[0][0] - width // 4)
    end = min(len(text), start + width)
    pieces: list[Piece] = [Piece("…")] if start else []
    at = start
    for s, e in spans:
        if s >= end:
            break
        s, e = max(s, at), min(e, end)
        if s > at:
            pieces.append(Piece(text[at:s]))
        if e > s:
            pieces.append(Piece(text[s:e], marked=True))
        at = max(at, e)
    if at < end:
        pieces.append(Piece(text[at:end]))
    if end < len(text):
        pieces.append(Piece("…"))
    return pieces


def _spans(text: str, needles: list[str]) -> list[tuple[int, int]]:
    """Where the needles occur, merged where they overlap, in order."""
    found: list[tuple[int, int]] = []
    for needle in needles:
        i = text.find(needle)
        while i != -1:
            found.append((i, i + len(needle)))
            i = text.find(needle, i + 1)
    found.sort()
    merged: list[tuple[int, int]] = []
    for s, e in found:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged
