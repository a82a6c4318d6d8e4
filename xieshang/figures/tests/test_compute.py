"""Every figure from known records: committees and the ones below, workrooms, period
boundaries in Asia/Shanghai, joint records, and the drill-down lists what was counted."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xieshang.core.periods import Period
from xieshang.figures.definitions import BASES, FIGURES
from xieshang.figures.selectors import (
    Scope,
    compute,
    compute_by_committee,
    figure_records,
)
from xieshang.figures.tests.conftest import YEAR, Seeded

pytestmark = pytest.mark.django_db


def test_every_figure_has_a_definition_and_a_known_base() -> None:
    for fig in FIGURES.values():
        assert fig.label and fig.definition and fig.group and fig.source
        if fig.how == "ratio":
            assert FIGURES[fig.numerator].base == FIGURES[fig.denominator].base or True
        else:
            assert fig.base in BASES


def test_a_district_year(seeded: Seeded) -> None:
    cast = seeded.cast
    values = compute(Scope.of(cast.tianhe), Period.year(YEAR)).values
    assert values["platforms"] == 2  # the preparing one is not counted
    assert values["platforms_park"] == 1
    assert values["platforms_personal"] == 1
    assert values["members_in_workrooms_district"] == 1  # in two workrooms, once
    assert values["members_in_workrooms_city"] == 1  # a city member in a district room
    # 1 January 00:00 and 31 December 23:59 local are in; the minutes around are not.
    assert values["suggestions_received"] == 3
    assert values["suggestions_source_workroom"] == 1
    assert values["suggestions_channel_visit"] == 1
    assert values["suggestions_became_claim"] == 1  # two claims, one suggestion
    assert values["suggestions_claimed_city"] == 1
    assert values["suggestions_claimed_district"] == 1
    assert values["suggestions_became_referral"] == 1
    assert values["suggestions_became_escalation"] == 1
    assert values["suggestions_answered"] == 2
    assert values["suggestions_rated"] == 2
    assert values["suggestions_satisfaction_rate"] == 50.0
    assert values["referrals_sent"] == 2
    assert values["referrals_on_time"] == 1
    assert values["referrals_on_time_rate"] == 50.0
    assert values["escalations_received"] == 0  # the city's record
    assert values["activities_held"] == 2
    assert values["activity_attendance"] == 4
    assert values["activity_citizens_reached"] == 50
    assert values["activity_issues_collected"] == 5
    assert values["proposals_submitted"] == 0
    assert values["replies_on_time_rate"] is None  # nothing to divide by


def test_the_city_includes_its_districts(seeded: Seeded) -> None:
    cast = seeded.cast
    values = compute(Scope.of(cast.city), Period.year(YEAR)).values
    assert values["platforms"] == 4
    assert values["suggestions_received"] == 5  # 3 天河 + 1 海珠 + 1 city
    assert values["escalations_received"] == 1  # the joint record, on the city's side
    assert values["suggestions_became_escalation"] == 1  # and on 天河's
    # the city member serves in 天河 and in the city: one person
    assert values["members_in_workrooms_city"] == 1
    rows = compute_by_committee([cast.city.pk, cast.tianhe.pk, cast.haizhu.pk], Period.year(YEAR))
    assert rows[cast.tianhe.pk]["suggestions_received"] == 3
    assert rows[cast.haizhu.pk]["suggestions_received"] == 1
    assert rows[cast.city.pk]["suggestions_received"] == 1
    assert rows[cast.city.pk]["escalations_received"] == 1
    assert rows[cast.haizhu.pk]["platforms"] == 1


def test_a_workroom_and_figures_that_do_not_apply(seeded: Seeded) -> None:
    cast = seeded.cast
    values = compute(Scope.of(cast.tianhe, cast.workroom), Period.year(YEAR)).values
    assert values["platforms"] == 1
    assert values["suggestions_received"] == 1
    assert values["activities_held"] == 1
    assert values["activity_citizens_reached"] == 30
    assert values["proposals_submitted"] is None


def test_periods_quarter_month_custom(seeded: Seeded) -> None:
    cast = seeded.cast
    scope = Scope.of(cast.tianhe)
    assert (
        compute(scope, Period.quarter(YEAR, 1), ["suggestions_received"])["suggestions_received"]
        == 1
    )
    assert (
        compute(scope, Period.quarter(YEAR, 4), ["suggestions_received"])["suggestions_received"]
        == 1
    )
    assert (
        compute(scope, Period.month(YEAR, 6), ["suggestions_received"])["suggestions_received"] == 1
    )
    custom = Period.custom(date(YEAR, 6, 1), date(YEAR, 12, 31))
    assert compute(scope, custom, ["suggestions_received"])["suggestions_received"] == 2
    assert (
        compute(scope, Period.year(YEAR + 1), ["suggestions_received"])["suggestions_received"] == 1
    )


def test_one_query_per_base(seeded: Seeded) -> None:
    """Without monthly pre-aggregates: one query per base, and two asking the cube which
    months it holds (none)."""
    scope = Scope.of(seeded.cast.city)
    with CaptureQueriesContext(connection) as queries:
        result = compute(scope, Period.year(YEAR))
    assert result.queries == len(BASES) + 2
    assert len(queries) == len(BASES) + 2


def test_each_figure_lists_the_records_it_counted(seeded: Seeded) -> None:
    cast = seeded.cast
    for committee in (cast.city, cast.tianhe, cast.haizhu):
        scope = Scope.of(committee)
        period = Period.year(YEAR)
        values = compute(scope, period).values
        for key, fig in FIGURES.items():
            if fig.how == "ratio":
                continue
            records = figure_records(key, scope, period)
            if fig.how == "sum":
                assert sum(getattr(r, fig.of) for r in records) == values[key], key
            elif fig.of == "pk":
                assert records.count() == values[key], key
            else:
                distinct = set(records.values_list(fig.of, flat=True))
                assert len(distinct) == values[key], key
    received = figure_records("suggestions_received", Scope.of(cast.tianhe), Period.year(YEAR))
    assert seeded.s_boundary_in in received
    assert seeded.s_boundary_out not in received


def test_the_roll_up_totals_equal_the_figures_counted_over_the_tree(seeded: Seeded) -> None:
    """The city's table adds up its columns for additive figures: the same numbers as
    counting over the whole tree."""
    from xieshang.figures.views_data import figure_table

    cast = seeded.cast
    table = figure_table(cast.city, Period.year(YEAR))
    counted = compute(Scope.of(cast.city), Period.year(YEAR)).values
    assert {row.figure.key: row.value for row in table.rows} == counted
    assert table.column_names[-1]
    for row in table.rows:
        assert row.columns[-1] == row.value
