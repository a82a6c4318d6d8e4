"""A search box's text as a query: terms that must all occur (AND), quoted phrases kept
whole, compiled for SQLite FTS5 and for PostgreSQL's tsquery.

Each term matches where its text occurs as a substring — as the character pairs of the
term, in order (see `segment.grams`) — or where it stands as a word. A term of one Han
character looks in the characters. Nothing the user types reaches either engine's query
syntax: terms are made only of Han characters, letters and digits, and each is quoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from xieshang.textkit.normalize import normalize
from xieshang.textkit.segment import Segmenter, grams, pieces

MAX_QUERY_CHARS = 100
MAX_TERMS = 12
_QUOTED = re.compile(r"[\"“”「」『』](.*?)[\"“”「」『』]")
_QUOTES = re.compile(r"[\"“”「」『』]")


class QueryError(ValueError):
    """A query that cannot be searched for; the message says why, for the user."""


@dataclass(frozen=True)
class Term:
    """A unit of the query: its text and the Han/letter-digit pieces it is made of."""

    text: str
    phrase: bool = False  # typed in quotes

    @property
    def pieces(self) -> list[str]:
        return list(pieces(self.text))


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...]
    truncated: bool = False

    @property
    def highlights(self) -> list[str]:
        """The strings to mark in a snippet: each piece of each term."""
        return [p for t in self.terms for p in t.pieces]


def parse_query(text: str, segmenter: Segmenter) -> Query:
    """Split a search box's text into terms: quoted parts as phrases, the rest cut into
    words by the segmenter (a stop word alone is kept rather than dropping the query).
    Raises QueryError when nothing searchable remains."""
    text = normalize(text or "")
    truncated = len(text) > MAX_QUERY_CHARS
    text = text[:MAX_QUERY_CHARS]
    terms: list[Term] = []
    for phrase in _QUOTED.findall(text):
        joined = "".join(pieces(phrase)) if _only_han(phrase) else " ".join(pieces(phrase))
        if joined:
            terms.append(Term(joined, phrase=True))
    rest = _QUOTES.sub(" ", _QUOTED.sub(" ", text))
    words = segmenter.words(rest, for_search=False)
    if not words and not terms:
        words = list(pieces(rest))  # only stop words: search for them anyway
    for word in words:
        if not any(word in t.text for t in terms if t.phrase):  # “老旧小区” covers 小区
            terms.append(Term(word))
    terms = _dedupe(terms)[:MAX_TERMS]
    if not terms:
        raise QueryError("empty")
    return Query(tuple(terms), truncated=truncated)


def _only_han(text: str) -> bool:
    return all(not p[0].isascii() for p in pieces(text))


def _dedupe(terms: list[Term]) -> list[Term]:
    seen: set[str] = set()
    out = []
    for term in terms:
        if term.text not in seen:
            seen.add(term.text)
            out.append(term)
    return out


def fts5_match(query: Query) -> str:
    """An FTS5 MATCH expression over the columns words, grams and chars."""
    clauses = []
    for term in query.terms:
        parts = []
        for piece in term.pieces:
            if len(piece) == 1 and not piece.isascii():
                parts.append(f'chars:"{piece}"')
            else:
                parts.append("grams:" + _fts_phrase(grams(piece)))
        substring = " AND ".join(parts)
        if len(term.pieces) == 1 and len(term.text) > 1:
            clauses.append(f'(words:"{term.text}" OR {substring})')
        else:
            clauses.append(f"({substring})")
    return " AND ".join(clauses)


def _fts_phrase(tokens: list[str]) -> str:
    return '"' + " ".join(tokens) + '"'


def pg_tsquery(query: Query) -> str:
    """A `to_tsquery('simple', …)` text over the vector of words (weight A), grams (B) and
    chars (C). Positions of the three parts are kept apart by the vector's layout, so a
    phrase of pairs matches pairs that follow each other in the text."""
    clauses = []
    for term in query.terms:
        parts = []
        for piece in term.pieces:
            if len(piece) == 1 and not piece.isascii():
                parts.append(f"'{piece}':C")
            else:
                parts.append("(" + " <-> ".join(f"'{g}':B" for g in grams(piece)) + ")")
        substring = " & ".join(parts)
        if len(term.pieces) == 1 and len(term.text) > 1:
            clauses.append(f"('{term.text}':A | {substring})")
        else:
            clauses.append(f"({substring})")
    return " & ".join(clauses)
