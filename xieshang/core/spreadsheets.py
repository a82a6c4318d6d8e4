"""Cells for the Excel exports that never turn text into a formula.

openpyxl stores any string beginning with "=" as a formula, so a title a citizen typed as
`=HYPERLINK("http://…","点此")` would arrive in staff's workbook as a live formula. Text
goes through `text_cell`: the cell is written as a string (`data_type` "s"), and text
beginning with a character a spreadsheet reads as the start of a formula (= + - @, a tab or
a carriage return) also gets Excel's quote prefix, so editing the cell in Excel or
LibreOffice keeps it text. The value itself is unchanged: no apostrophe is added.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def text_cell(sheet: Any, value: str) -> WriteOnlyCell:
    """A write-only cell holding `value` as plain text, whatever it begins with."""
    cell = WriteOnlyCell(sheet, value=value)
    # The setter has classified the value (a formula for "=…", an error for "#N/A");
    # the value is kept as given, only its type is overridden.
    cell.data_type = "s"
    if value.startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True
    return cell


def safe_row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """The row with every string made a `text_cell`; numbers, dates and cells as given."""
    return [text_cell(sheet, v) if isinstance(v, str) else v for v in values]
