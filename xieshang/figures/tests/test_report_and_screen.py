"""The yearly report (Word, charts as pictures) and the wall screen (数据大屏)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from docx import Document
from PIL import Image

from xieshang.figures.tests.conftest import YEAR, Seeded
from xieshang.figures.tests.test_pages import client_for

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def document_text(document: Any) -> str:
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_yearly_report_writes_each_group_with_its_chart(seeded: Seeded) -> None:
    response = client_for(seeded.cast.staff).get(f"/work/figures/report.docx?year={YEAR}")
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert f"figures-tianhe-{YEAR}.docx" in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    text = document_text(document)
    assert f"{YEAR}年" in text
    # The paragraph says the figure and how it moved against the year before.
    assert "收到百姓提案3" in text
    assert "活动场次" in text or "开展履职活动" in text
    pictures = document.inline_shapes
    assert len(pictures) >= 2
    blob = document.part.related_parts[
        pictures[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    ].blob
    chart = Image.open(io.BytesIO(blob))
    assert chart.format == "PNG" and chart.width == 1800
    # Every figure in the closing table, this year and last.
    table = document.tables[0]
    labels = [row.cells[0].text for row in table.rows[1:]]
    assert "收到百姓提案" in labels


def test_the_city_report_has_a_column_per_district(seeded: Seeded) -> None:
    response = client_for(seeded.cast.city_staff).get(
        f"/work/figures/report.docx?committee=gz&year={YEAR}"
    )
    document = Document(io.BytesIO(response.content))
    header = [c.text for c in document.tables[-1].rows[0].cells]
    assert "天河区政协" in header and "海珠区政协" in header


def test_the_report_is_staff_and_leaders_only(seeded: Seeded) -> None:
    cast = seeded.cast
    assert client_for(cast.member).get("/work/figures/report.docx").status_code == 403
    assert Client().get("/work/figures/report.docx").status_code == 302  # to sign in
    forged = client_for(cast.outsider).get("/work/figures/report.docx?committee=tianhe")
    assert forged.status_code == 404  # 海珠's staff cannot read 天河's


def test_the_wall_screen_shows_the_public_figures_and_refreshes(seeded: Seeded) -> None:
    response = Client().get(f"/c/tianhe/figures/screen/?year={YEAR}")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<meta http-equiv="refresh" content="300">' in body
    keys = {r.figure.key for r in response.context["table"].rows}
    assert "suggestions_received" in keys and "referrals_sent" not in keys
    assert seeded.s_boundary_in.title not in body  # no records, only counts
    assert "/work/figures/records/" not in body
    assert 'data-theme="dark"' in body
    assert Client().get("/w/t-east/figures/screen/").status_code == 200
    assert Client().get("/w/t-prep/figures/screen/").status_code == 404
    assert Client().get("/c/nowhere/figures/screen/").status_code == 404
