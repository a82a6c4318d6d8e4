"""The dashboard, drill-down, Excel and public page: who sees what."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from xieshang.figures.tests.conftest import YEAR, Seeded

pytestmark = pytest.mark.django_db

YEAR_Q = f"period=year&year={YEAR}"


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_city_staff_see_the_districts_side_by_side(seeded: Seeded) -> None:
    cast = seeded.cast
    response = client_for(cast.city_staff).get(f"/work/figures/?committee=gz&{YEAR_Q}")
    assert response.status_code == 200
    body = response.content.decode()
    assert "天河区政协" in body and "海珠区政协" in body
    row = next(r for r in response.context["table"].rows if r.figure.key == "suggestions_received")
    assert row.value == 5
    assert row.columns == [1, 3, 1, 5]  # the city, 天河, 海珠, total
    assert 'id="figures-data"' in body
    assert "echarts.min.js" in body


def test_district_staff_cannot_pick_another_district(seeded: Seeded) -> None:
    client = client_for(seeded.cast.outsider)  # 海珠
    assert client.get(f"/work/figures/?committee=tianhe&{YEAR_Q}").status_code == 404
    assert client.get(f"/work/figures/?committee=gz&{YEAR_Q}").status_code == 404
    mine = client.get(f"/work/figures/?{YEAR_Q}")
    assert mine.context["committee"] == seeded.cast.haizhu


def test_a_leader_sees_the_figures(seeded: Seeded) -> None:
    response = client_for(seeded.cast.leader).get(f"/work/figures/?{YEAR_Q}")
    assert response.status_code == 200
    assert response.context["committee"] == seeded.cast.tianhe


def test_a_member_does_not(seeded: Seeded) -> None:
    assert client_for(seeded.cast.member).get("/work/figures/").status_code == 403


def test_drill_down_lists_the_counted_records(seeded: Seeded) -> None:
    client = client_for(seeded.cast.staff)
    response = client.get(
        f"/work/figures/records/?committee=tianhe&{YEAR_Q}&figure=suggestions_received"
    )
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 3
    body = response.content.decode()
    assert seeded.s_boundary_in.title in body
    assert seeded.s_boundary_out.title not in body
    statuses = {row[-1] for row in response.context["page"].object_list}
    assert "answered" not in statuses and len(statuses) == 3  # in words, not codes
    assert client.get("/work/figures/records/?figure=nope").status_code == 404


def test_export_has_every_figure(seeded: Seeded) -> None:
    response = client_for(seeded.cast.city_staff).get(
        f"/work/figures/export.xlsx?committee=gz&{YEAR_Q}"
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    received = next(r for r in rows if r[1] == "收到百姓提案")
    assert received[2] == 5
    assert list(received[4:8]) == [1, 3, 1, 5]


def test_the_public_page_shows_only_public_figures(seeded: Seeded) -> None:
    response = Client().get(f"/c/tianhe/figures/?year={YEAR}")
    assert response.status_code == 200
    keys = {r.figure.key for r in response.context["table"].rows}
    assert "suggestions_received" in keys
    assert "referrals_sent" not in keys
    body = response.content.decode()
    assert seeded.s_boundary_in.title not in body
    assert Client().get("/c/nowhere/figures/").status_code == 404


def test_a_workroom_has_a_public_figures_page(seeded: Seeded) -> None:
    response = Client().get(f"/w/t-east/figures/?year={YEAR}")
    assert response.status_code == 200
    values = {r.figure.key: r.value for r in response.context["table"].rows}
    assert values["suggestions_received"] == 1
    assert values["activity_citizens_reached"] == 30
    assert "proposals_submitted" not in values  # proposals do not belong to workrooms
    assert Client().get("/w/t-prep/figures/").status_code == 404  # not open
