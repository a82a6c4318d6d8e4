"""A sector, special committee or local group as the scope of the figures: its members'
activities, shifts and proposals; the figures that are not of members do not apply."""

from __future__ import annotations

import pytest

from xieshang.core.periods import Period
from xieshang.figures.selectors import Scope, compute, figure_group_get, figure_records
from xieshang.figures.tests.conftest import YEAR, Seeded
from xieshang.figures.tests.test_cube import proposals
from xieshang.figures.tests.test_pages import YEAR_Q, client_for
from xieshang.people.models import LocalGroup, Member, Sector, SpecialCommittee

pytestmark = pytest.mark.django_db


def test_a_groups_members_figures(seeded: Seeded) -> None:
    cast = seeded.cast
    proposals(seeded)  # 天河's member leads them
    seat = Member.objects.get(user=cast.member)
    lawyers = Sector.objects.create(committee=cast.tianhe, name="统计测试界")
    seat.sector = lawyers
    seat.save(update_fields=["sector"])
    city_sector = Sector.objects.create(committee=cast.city, name="统计测试经济界")
    seeded.city_member.sector = city_sector
    seeded.city_member.save(update_fields=["sector"])
    special = SpecialCommittee.objects.create(committee=cast.city, name="统计测试专委会")
    seeded.city_member.special_committees.add(special)
    empty = LocalGroup.objects.create(committee=cast.tianhe, name="统计测试小组")

    period = Period.year(YEAR)
    group = figure_group_get(committee=cast.tianhe, value=f"sector:{lawyers.pk}")
    assert group.member_ids == (seat.pk,)
    values = compute(Scope.of(cast.tianhe, group), period).values
    # Both of the year's activities had 天河's member and the city member: each counts
    # once for the group, with its citizens; the attendance is the member's own.
    assert values["activities_held"] == 2
    assert values["activity_citizens_reached"] == 50
    assert values["activity_attendance"] == 2
    assert values["proposals_submitted"] == 3
    assert values["replies_grade_a"] == 1
    assert values["members_in_workrooms_district"] == 1
    assert values["members_in_workrooms_city"] == 0
    assert values["suggestions_received"] is None  # not members' records
    assert values["suggestions_satisfaction_rate"] is None
    attendance = figure_records("activity_attendance", Scope.of(cast.tianhe, group), period)
    assert {r.member_id for r in attendance} == {seat.pk}

    # The city's special committee: its member's activities recorded by 天河 count too.
    group = figure_group_get(committee=cast.city, value=f"special:{special.pk}")
    values = compute(Scope.of(cast.city, group), period).values
    assert values["activity_attendance"] == 2
    assert values["proposals_submitted"] == 0
    assert values["members_in_workrooms_city"] == 1

    group = figure_group_get(committee=cast.tianhe, value=f"local:{empty.pk}")
    values = compute(Scope.of(cast.tianhe, group), Period.year(YEAR)).values
    assert values["activities_held"] == 0 and values["proposals_submitted"] == 0

    # The dashboard: a group of the committee or below it; not another committee's.
    staff = client_for(cast.staff)
    page = staff.get(f"/work/figures/?committee=tianhe&group=sector:{lawyers.pk}&{YEAR_Q}")
    assert page.status_code == 200
    table = page.context["table"]
    assert table.title == "统计测试界" and not table.column_names
    row = next(r for r in table.rows if r.figure.key == "activity_attendance")
    assert row.value == 2
    body = page.content.decode()
    assert f'value="sector:{lawyers.pk}" selected' in body
    assert f"group=sector%3A{lawyers.pk}" in body  # the drill-down keeps the group
    drill = staff.get(
        f"/work/figures/records/?committee=tianhe&group=sector:{lawyers.pk}&{YEAR_Q}"
        "&figure=activity_attendance"
    )
    assert drill.status_code == 200 and drill.context["page"].paginator.count == 2
    assert (
        staff.get(f"/work/figures/?committee=tianhe&group=sector:{city_sector.pk}").status_code
        == 404
    )
    assert staff.get("/work/figures/?committee=tianhe&group=nonsense").status_code == 404
    city = client_for(cast.city_staff)
    assert (
        city.get(f"/work/figures/?committee=gz&group=sector:{lawyers.pk}&{YEAR_Q}").status_code
        == 200
    )
    # The Excel export of a group's figures works too.
    export = staff.get(f"/work/figures/export.xlsx?committee=tianhe&group=sector:{lawyers.pk}")
    assert export.status_code == 200
