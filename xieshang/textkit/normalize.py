"""One spelling for text before it is indexed or compared: half-width letters and digits,
simplified characters, lower case, single spaces.

Traditional characters are converted with OpenCC's `t2s` table (pure Python), so a
citizen typing 電梯 finds 电梯. The conversion is character for character, which keeps
positions in a normalised text those of the original for snippets (see `same_length`).

OpenCC's pure-Python conversion costs about half a millisecond per text, and nearly every
text citizens send is already simplified: a text with no character that the table could
change is returned as it is without running it (`_changeable`), the same result faster.
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache

import opencc

_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


_T2S_DICTIONARIES = ("TSPhrases.txt", "TSCharacters.txt")  # the chain of t2s.json


@lru_cache(maxsize=1)
def _changeable() -> frozenset[str]:
    """Every character that `t2s` could change: those the character table maps to
    something else, and those of phrases it rewrites whose characters are all outside
    that set (沈默 → 沉默). A text with none of them comes out of `t2s` unchanged."""
    folder = os.path.join(os.path.dirname(opencc.__file__), "dictionary")

    def entries(name: str) -> list[tuple[str, list[str]]]:
        with open(os.path.join(folder, name), encoding="utf-8") as lines:
            pairs = (line.rstrip("\n").partition("\t") for line in lines if line.strip())
            return [(key, value.split()) for key, _tab, value in pairs]

    def rewrites(key: str, values: list[str]) -> bool:
        return not values or any(value != key for value in values)

    phrases, characters = (entries(name) for name in _T2S_DICTIONARIES)
    changed = {key for key, values in characters if rewrites(key, values)}
    for key, values in phrases:
        if rewrites(key, values) and changed.isdisjoint(key):
            changed.update(key)
    return frozenset(changed)


@lru_cache(maxsize=1024)
def fold(text: str) -> str:
    """Width, script and case folded, one character for one character when it can be.
    Remembered for the last texts: one suggestion's title and body are folded by the
    index, the signature and the classifier alike."""
    text = unicodedata.normalize("NFKC", text)
    if not _changeable().isdisjoint(text):
        text = _t2s().convert(text)
    return text.lower()


def normalize(text: str) -> str:
    """`fold`, then runs of white space as one space, trimmed."""
    return _SPACE.sub(" ", fold(text)).strip()


def same_length(text: str) -> str | None:
    """`fold(text)` when it keeps every character's position, else None."""
    folded = fold(text)
    return folded if len(folded) == len(text) else None
