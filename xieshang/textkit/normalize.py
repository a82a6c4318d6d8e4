"""One spelling for text before it is indexed or compared: half-width letters and digits,
simplified characters, lower case, single spaces.

Traditional characters are converted with OpenCC's `t2s` table (pure Python), so a
citizen typing 電梯 finds 电梯. The conversion is character for character, which keeps
positions in a normalised text those of the original for snippets (see `same_length`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """Width, script and case folded, one character for one character when it can be."""
    text = unicodedata.normalize("NFKC", text)
    converted: str = _t2s().convert(text)
    return converted.lower()


def normalize(text: str) -> str:
    """`fold`, then runs of white space as one space, trimmed."""
    return _SPACE.sub(" ", fold(text)).strip()


def same_length(text: str) -> str | None:
    """`fold(text)` when it keeps every character's position, else None."""
    folded = fold(text)
    return folded if len(folded) == len(text) else None
