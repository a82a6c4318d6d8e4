"""The three rates by which citizen-service hotlines are judged (Beijing's 12345 publishes
them monthly), for the suggestions a committee refers to departments:

- 响应率 (response): referrals signed for by the end of the next working day, of the
  referrals sent;
- 解决率 (resolution): replies saying the matter is resolved, of the referrals replied
  to (a reply awaiting approval counts: the department has answered);
- 满意率 (satisfaction): answers the citizen rated satisfied or fairly satisfied, of the
  rated ones — a suggestion referred to two departments counts for both.

Each rate is counted for every department, workroom, street (a community counts for its
street) and committee, then ranked by the mean of the rates it has. A referral belongs to
the month it was sent in. Definitions live here and in docs/figures.md."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from xieshang.core.models import Committee
from xieshang.core.periods import Period
from xieshang.core.selectors import committee_tree_ids
from xieshang.core.workdays import Calendar, add_working_days
from xieshang.figures.selectors import Number, ratio
from xieshang.suggestions.models import AreaKind, Rating, ReferralStatus, ReplyResult
from xieshang.suggestions.selectors import referrals_for_rates

SIGN_WITHIN_WORKING_DAYS = 1
REPLIED = {ReferralStatus.REPLIED, ReferralStatus.APPROVED}
SATISFIED = {Rating.SATISFIED, Rating.FAIRLY}


@dataclass
class Tally:
    name: str
    sent: int = 0
    signed_in_time: int = 0
    replied: int = 0
    resolved: int = 0
    rated: int = 0
    satisfied: int = 0
    rank: int = 0

    @property
    def response(self) -> Number:
        return ratio(self.signed_in_time, self.sent)

    @property
    def resolution(self) -> Number:
        return ratio(self.resolved, self.replied)

    @property
    def satisfaction(self) -> Number:
        return ratio(self.satisfied, self.rated)

    @property
    def score(self) -> Number:
        rates = [r for r in (self.response, self.resolution, self.satisfaction) if r is not None]
        return round(sum(rates) / len(rates), 1) if rates else None


@dataclass
class Ranking:
    key: str  # "department", "committee", "workroom", "street"
    label: str
    tallies: list[Tally]


@dataclass
class Rates:
    period: Period
    total: Tally
    rankings: list[Ranking] = field(default_factory=list)

    def of(self, key: str) -> list[Tally]:
        return next((r.tallies for r in self.rankings if r.key == key), [])


def _street(row: dict[str, Any]) -> str | None:
    name = row["suggestion__area__name"]
    if row["suggestion__area__kind"] == AreaKind.COMMUNITY:
        name = row["suggestion__area__parent__name"]
    return str(name) if name else None


def _ranked(tallies: Iterable[Tally]) -> list[Tally]:
    ordered = sorted(tallies, key=lambda t: (t.score is None, -(t.score or 0), -t.sent, t.name))
    for place, tally in enumerate(ordered, start=1):
        tally.rank = place
    return ordered


def hotline_rates(committee: Committee, period: Period) -> Rates:
    """The three rates of the committee and those below it for the period, ranked."""
    start, end = period.bounds()
    rows = referrals_for_rates(committee_tree_ids(committee.pk), start, end)
    calendar = Calendar()
    total = Tally(name=str(committee.short_name))
    groupings: list[tuple[str, str, Callable[[dict[str, Any]], str | None]]] = [
        ("department", _("Departments"), lambda r: r["department__name"]),
        ("committee", _("Committees"), lambda r: r["committee__short_name"]),
        ("workroom", _("Workrooms"), lambda r: r["suggestion__workroom__name"]),
        ("street", _("Streets and towns"), _street),
    ]
    groups: list[dict[str, Tally]] = [{} for _g in groupings]
    for row in rows:
        signed_by = add_working_days(row["created_at"], SIGN_WITHIN_WORKING_DAYS, calendar=calendar)
        in_time = row["signed_at"] is not None and row["signed_at"] <= signed_by
        replied = row["status"] in REPLIED
        resolved = replied and row["reply_result"] == ReplyResult.RESOLVED
        rated = bool(row["suggestion__rating"])
        satisfied = row["suggestion__rating"] in SATISFIED
        targets = [total]
        for (_key, _label, name_of), found in zip(groupings, groups, strict=True):
            name = name_of(row)
            if name:
                targets.append(found.setdefault(name, Tally(name=name)))
        for tally in targets:
            tally.sent += 1
            tally.signed_in_time += in_time
            tally.replied += replied
            tally.resolved += resolved
            tally.rated += rated
            tally.satisfied += satisfied
    rates = Rates(period=period, total=total)
    for (key, label, _name_of), found in zip(groupings, groups, strict=True):
        if found:
            rates.rankings.append(Ranking(key, label, _ranked(found.values())))
    return rates
