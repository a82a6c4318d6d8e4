"""What a triage hint says in words, and how department hints are ranked.

* `confidence_level` turns a category model's probability into the word staff read: a
  probability is easily read as a certainty ("交通运输 0.64"). The bands are fixed so that
  each word keeps its meaning on unseen messages: bench/category.py reports how often a
  first guess shown with each word was right (nested cross-validation and the held-out
  split; bench/README.md).
* `department_votes` ranks the departments that handled the most similar earlier
  suggestions, each weighted by the similarity."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from typing import TypeVar

LIKELY = "likely"  # 较可能: right about nine times in ten
POSSIBLE = "possible"  # 可能: right about as often as not
UNCERTAIN = "uncertain"  # 不确定: a guess; never preselected
CONFIDENCE_LEVELS = (LIKELY, POSSIBLE, UNCERTAIN)
LIKELY_FROM = 0.7
POSSIBLE_FROM = 0.4


def confidence_level(confidence: float) -> str:
    """The word for a category model's probability (see the module's docstring)."""
    if confidence >= LIKELY_FROM:
        return LIKELY
    if confidence >= POSSIBLE_FROM:
        return POSSIBLE
    return UNCERTAIN


K = TypeVar("K", bound=Hashable)


def department_votes(
    similar: Iterable[tuple[float, Iterable[tuple[K, str]]]], k: int = 3
) -> list[tuple[K, str, float]]:
    """From (similarity, departments it was referred to) of similar earlier suggestions:
    the k departments with the largest summed similarity, best first (ties: the smaller
    key), each with its share of the total as (key, name, share)."""
    votes: dict[K, float] = defaultdict(float)
    names: dict[K, str] = {}
    for score, departments in similar:
        for key, name in departments:
            votes[key] += score
            names[key] = name
    total = sum(votes.values())
    ranked = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
    return [(key, names[key], weight / total if total else 0.0) for key, weight in ranked]
