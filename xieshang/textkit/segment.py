"""Segmentation with rjieba, a user dictionary and stop words.

Search needs two views of a text:

* **words** — what jieba cuts (search mode: 天河区 also gives 天河), with the committee's
  own words (road, estate and community names) kept whole, stop words dropped. They rank
  a document where a query word stands as a word above one where the same characters
  only happen to meet ("小区" in 大小区别).
* **grams** — every run of Chinese characters as overlapping character pairs, in order
  (龙口东路 → 龙口 口东 东路), and every run of letters or digits as one token. A query
  term matched as a phrase of its pairs finds exactly the texts that contain it, as a
  substring search would: a fragment of a place name (口东), a term jieba never cut the
  same way. Single characters are kept too (a one-character query).

Both are plain strings of space-separated tokens, which SQLite FTS5's `unicode61`
tokenizer and PostgreSQL's `to_tsvector('simple', …)` split back into the same tokens.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import rjieba

from xieshang.textkit.normalize import normalize

# Han ideographs (CJK Unified, Extension A, Compatibility) — what gets character pairs.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_PIECE = re.compile(rf"[{HAN}]+|[a-z0-9]+")
_HAN_RUN = re.compile(rf"[{HAN}]+")
_WORDISH = re.compile(rf"^[{HAN}a-z0-9]+$")

# Function words and fillers common in citizens' messages; committees add their own.
_STOP_TEXT = """的 了 和 是 在 就 都 而 及 与 着 或 一个 没有 我们 你们 他们 她们 它们 这个 那个
这些 那些 这样 那样 这里 那里 自己 什么 怎么 为什么 因为 所以 但是 如果 然后 还是
已经 可以 可能 应该 希望 请问 您好 你好 谢谢 感谢 麻烦 一下 一些 有些 非常 比较
很 也 又 还 吧 呢 吗 啊 呀 哦 嗯 把 被 让 给 对 向 从 到 为 以 于 之 其 此 该 等
请 将 由 并 且 则 即 再 才 只 各 每 个 这 那 有 无 不 没 能 会 要 想 说 做 去 来"""
DEFAULT_STOP_WORDS = frozenset(_STOP_TEXT.split())


@dataclass
class Segmenter:
    """A jieba dictionary with the given user words added, and a set of stop words.

    Building one costs about 0.2 s (jieba's dictionary); keep it and reuse it."""

    user_words: Iterable[str] = ()
    stop_words: frozenset[str] = DEFAULT_STOP_WORDS
    _jieba: rjieba.Jieba = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._jieba = rjieba.Jieba()
        words = sorted({normalize(w) for w in self.user_words if normalize(w)})
        self.user_words = tuple(words)
        for word in words:
            # A high frequency, so the user's word wins over jieba's own cut.
            self._jieba.add_word(word, 100_000, None)

    def words(self, text: str, *, for_search: bool = True) -> list[str]:
        """The words of a normalised text, stop words and punctuation dropped."""
        cut = self._jieba.cut_for_search if for_search else self._jieba.cut
        out = []
        for piece in cut(normalize(text), True):
            piece = piece.strip()
            if piece and piece not in self.stop_words and _WORDISH.match(piece):
                out.append(piece)
        return out


@lru_cache(maxsize=8)
def segmenter_for(user_words: tuple[str, ...], stop_words: frozenset[str]) -> Segmenter:
    """The segmenter of these words, built once per process: a new dictionary version with
    the same words (a word added and taken out again, another test's identical list) costs
    nothing. A `Segmenter` is not changed after it is built, so sharing one is safe."""
    return Segmenter(user_words=user_words, stop_words=stop_words)


def grams(text: str) -> list[str]:
    """The character pairs of every Han run in order and each letter or digit run whole;
    a Han run of one character is that character."""
    out: list[str] = []
    for match in _PIECE.finditer(normalize(text)):
        piece = match.group()
        if piece[0].isascii() or len(piece) == 1:
            out.append(piece)
        else:
            out.extend(piece[i : i + 2] for i in range(len(piece) - 1))
    return out


def chars(text: str) -> list[str]:
    """Every Han character alone, in order (what a one-character query looks for)."""
    return [c for run in _HAN_RUN.findall(normalize(text)) for c in run]


@dataclass(frozen=True)
class DocumentTerms:
    """What the index stores for one text: three strings of space-separated tokens."""

    words: str
    grams: str
    chars: str


def document_terms(segmenter: Segmenter, *parts: str) -> DocumentTerms:
    """The index's view of a document made of parts (title, body, …)."""
    text_parts = [p for p in parts if p]
    return DocumentTerms(
        words=" ".join(w for p in text_parts for w in segmenter.words(p)),
        grams=" ".join(g for p in text_parts for g in grams(p)),
        chars=" ".join(c for p in text_parts for c in chars(p)),
    )


def pieces(term: str) -> Iterator[str]:
    """The Han runs and letter-or-digit runs of a normalised term."""
    for match in _PIECE.finditer(term):
        yield match.group()
