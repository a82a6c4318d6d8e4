"""The figures as an Excel workbook: one sheet with every figure for the period and the
same period a year earlier, and, for a committee with committees below, one column each."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from xieshang.core.spreadsheets import safe_row
from xieshang.figures.views_data import Table


def _bold(sheet: object, values: Sequence[str]) -> list[WriteOnlyCell]:
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def figures_workbook(table: Table) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Figures"))
    sheet.column_dimensions["B"].width = 28
    sheet.append(safe_row(sheet, [table.title, str(table.period)]))
    header = [_("Group"), _("Figure"), str(table.period), str(table.previous)]
    header += list(table.column_names)
    sheet.append(_bold(sheet, header))
    for row in table.rows:
        values: list[object] = [row.figure.group, row.figure.label, row.value, row.previous]
        values += list(row.columns)
        sheet.append(safe_row(sheet, ["" if v is None else v for v in values]))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
