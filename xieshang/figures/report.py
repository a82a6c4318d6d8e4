"""The yearly report (年度履职成效报告) as a Word document: for each group of figures a
paragraph written the way the committees' own summaries are ("全年协商活动场次12，比上年
增加3"), a bar chart of the year against the year before, and at the end every figure in
a table; for a committee with committees below, a table of each one side by side.

Built from a `figure_table` (no queries of its own); the charts are PNGs drawn with Pillow
in the bundled Noto Sans SC, so the report reads the same on a machine without Chinese
fonts."""

from __future__ import annotations

import io
from functools import lru_cache

from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm
from PIL import Image, ImageDraw, ImageFont

from xieshang.core.documents import (
    DETAIL_FONT,
    HEADING_FONT,
    TABLE_SIZE,
    TITLE_SIZE,
    add_paragraph,
    add_table,
    date_text,
    docx_bytes,
    new_document,
)
from xieshang.core.posters import FONT_PATH
from xieshang.figures.selectors import Number
from xieshang.figures.views_data import Row, Table

# The header's red for this year, a neutral grey for the year before.
THIS_YEAR = (178, 34, 34)
LAST_YEAR = (170, 170, 170)
INK = (33, 37, 41)
# Drawn at twice the printed size (150 mm wide) so it stays sharp when printed.
WIDTH = 1800
BAR = 26
GAP = 22
LABEL_WIDTH = 560
PADDING = 40


@lru_cache(maxsize=4)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_PATH), size)


def number_text(value: Number, *, ratio: bool = False) -> str:
    if value is None:
        return "—"
    if ratio:
        return f"{value:.1f}%"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"


def change_text(row: Row) -> str:
    """'比上年增加3' / '比上年减少2' / '与上年持平'; nothing when it cannot be said."""
    change = row.change
    if change is None:
        return ""
    if change > 0:
        return _("up %(n)s on the year before") % {"n": number_text(change)}
    if change < 0:
        return _("down %(n)s on the year before") % {"n": number_text(-change)}
    return _("the same as the year before")


def group_paragraph(year: int, group: str, rows: list[Row]) -> str:
    """One paragraph of the year's figures of a group, in the summaries' style."""
    parts = []
    for row in rows:
        if not row.value:  # nothing recorded: the closing table still shows the zero
            continue
        ratio = row.figure.how == "ratio"
        text = f"{row.figure.label}{number_text(row.value, ratio=ratio)}"
        change = "" if ratio else change_text(row)
        parts.append(f"{text}，{change}" if change else text)
    if not parts:
        return ""
    return _("In %(year)s, %(group)s: %(figures)s.") % {
        "year": year,
        "group": group,
        "figures": "；".join(parts),
    }


def bar_chart(rows: list[Row], this_label: str, last_label: str) -> bytes:
    """A horizontal bar chart, this year against the year before, as a PNG."""
    rows = [r for r in rows if r.figure.how != "ratio" and (r.value or r.previous)]
    top = max([int(r.value or 0) for r in rows] + [int(r.previous or 0) for r in rows] + [1])
    height = PADDING * 2 + 60 + len(rows) * (2 * BAR + GAP)
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    label_font, value_font = _font(30), _font(24)
    # The legend.
    x = LABEL_WIDTH
    for colour, text in ((THIS_YEAR, this_label), (LAST_YEAR, last_label)):
        draw.rectangle((x, PADDING, x + 30, PADDING + 24), fill=colour)
        draw.text((x + 40, PADDING - 4), text, font=value_font, fill=INK)
        x += 60 + int(draw.textlength(text, font=value_font)) + 40
    span = WIDTH - LABEL_WIDTH - PADDING - 160
    y = PADDING + 60
    for row in rows:
        label = row.figure.label
        while draw.textlength(label, font=label_font) > LABEL_WIDTH - 30 and len(label) > 2:
            label = label[:-2] + "…"
        draw.text((LABEL_WIDTH - 20, y + BAR), label, font=label_font, fill=INK, anchor="rm")
        for offset, value, colour in ((0, row.value, THIS_YEAR), (BAR, row.previous, LAST_YEAR)):
            length = int(span * int(value or 0) / top)
            box = (LABEL_WIDTH, y + offset, LABEL_WIDTH + max(length, 2), y + offset + BAR - 4)
            draw.rectangle(box, fill=colour)
            draw.text(
                (box[2] + 10, y + offset + BAR // 2 - 2),
                number_text(value),
                font=value_font,
                fill=INK,
                anchor="lm",
            )
        y += 2 * BAR + GAP
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def yearly_report(table: Table) -> bytes:
    """The year's report of a committee or workroom as a .docx."""
    year = table.period.start.year
    this_label = _("Year %(year)s") % {"year": year}
    last_label = _("Year %(year)s") % {"year": table.previous.start.year}
    document = new_document()
    add_paragraph(
        document,
        _("%(name)s: the year %(year)s in figures") % {"name": table.title, "year": year},
        font=HEADING_FONT,
        size=TITLE_SIZE,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    add_paragraph(
        document,
        _("Counted from the records on %(date)s; every figure is defined in docs/figures.md.")
        % {"date": date_text(None)},
        font=DETAIL_FONT,
        size=TABLE_SIZE,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    for number, (group, rows) in enumerate(table.groups(), start=1):
        text = group_paragraph(year, group, rows)
        if not text:
            continue
        add_paragraph(document, f"{_number(number)}、{group}", font=HEADING_FONT)
        add_paragraph(document, text, indent=True)
        if any(r.figure.how != "ratio" and (r.value or r.previous) for r in rows):
            document.add_picture(io.BytesIO(bar_chart(rows, this_label, last_label)), width=Mm(150))
            document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_paragraph(document, _("All figures"), font=HEADING_FONT)
    add_table(
        document,
        [_("Figure"), this_label, last_label, _("Change")],
        [
            [
                row.figure.label,
                number_text(row.value, ratio=row.figure.how == "ratio"),
                number_text(row.previous, ratio=row.figure.how == "ratio"),
                number_text(row.change) if row.change is not None else "",
            ]
            for row in table.rows
        ],
    )
    if table.column_names:
        add_paragraph(document, _("Committee by committee"), font=HEADING_FONT)
        add_table(
            document,
            [_("Figure"), *table.column_names],
            [
                [
                    row.figure.label,
                    *(number_text(value, ratio=row.figure.how == "ratio") for value in row.columns),
                ]
                for row in table.rows
            ],
        )
    return docx_bytes(document)


def _number(n: int) -> str:
    """一, 二, … 十九 for the section headings."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    return ("十" if n < 20 else digits[n // 10] + "十") + (digits[n % 10] if n % 10 else "")
