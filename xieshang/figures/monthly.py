"""每月一题: the month's top hotspots (the largest groups of citizen suggestions about one
issue in the last 30 days, or in a chosen past month), what each became — a consultation
topic, 社情民意 items, proposals — and what came of it: the opinions the consultation
formed and the departments adopted, the suggestions answered and how the citizens rated
the answers. One page, so the loop from what people raised to what was done can be read
at a glance."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xieshang.consultations.selectors import topics_of_suggestions
from xieshang.core.models import Committee
from xieshang.core.periods import Period
from xieshang.core.selectors import committee_tree_ids
from xieshang.insights.selectors import Hotspot, hotspots
from xieshang.opinions.selectors import items_of_suggestions
from xieshang.proposals.selectors.figures import proposals_of_suggestions
from xieshang.suggestions.models import Rating

DAYS = 30
TOP = 3


@dataclass
class Followed:
    hotspot: Hotspot
    topics: list[Any]
    items: list[Any]
    proposals: list[Any]
    answered: int
    rated: int
    satisfied: int

    @property
    def became_something(self) -> bool:
        return bool(self.topics or self.items or self.proposals)


def monthly_topics(
    committee: Committee, *, month: Period | None = None, limit: int = TOP
) -> list[Followed]:
    """The committee's (and those below it) top hotspots of the last 30 days, or of a
    past calendar month (local time), followed to what became of them since."""
    days, until = DAYS, None
    if month is not None:
        _start, until = month.bounds()
        days = (month.end - month.start).days
    found = []
    spots = hotspots(
        committee_ids=committee_tree_ids(committee.pk), days=days, limit=limit, until=until
    )
    for spot in spots:
        ids = [s.pk for s in spot.members]
        found.append(
            Followed(
                hotspot=spot,
                topics=list(topics_of_suggestions(ids)),
                items=list(items_of_suggestions(ids)),
                proposals=list(proposals_of_suggestions(ids)),
                answered=sum(1 for s in spot.members if s.answered_at is not None),
                rated=sum(1 for s in spot.members if s.rating),
                satisfied=sum(
                    1 for s in spot.members if s.rating in (Rating.SATISFIED, Rating.FAIRLY)
                ),
            )
        )
    return found
