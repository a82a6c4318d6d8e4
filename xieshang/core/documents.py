"""Word documents in the official layout (党政机关公文格式, GB/T 9704): A4, its margins,
宋体 三号 body on a fixed 28 pt line, 黑体 headings, 仿宋 details, East Asian fonts set on
every run (Word otherwise shows Chinese in the Latin font's fallback). Proposals, reply
letters, 协商意见书, 《社情民意》 issues and 履职档案 are all made with these."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.styles.style import BaseStyle

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
DETAIL_FONT = "仿宋"
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
TABLE_SIZE = Pt(12)  # 小四
LINE = Pt(28)  # fixed line spacing of official documents


def set_font(target: Any, name: str, size: Pt | None = None, bold: bool | None = None) -> None:
    """Set the typeface of a run or a style for Latin *and* East Asian text."""
    font = target.font
    font.name = name
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    element = target.element if isinstance(target, BaseStyle) else target._element
    element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def new_document() -> Any:
    """An empty A4 document with the official margins and body style."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    set_font(normal, BODY_FONT, BODY_SIZE)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = LINE
    normal.paragraph_format.space_after = Pt(0)
    return document


def add_paragraph(
    document: Any,
    text: str,
    *,
    font: str = BODY_FONT,
    size: Pt = BODY_SIZE,
    bold: bool = False,
    align: Any = None,
    indent: bool = False,
) -> Any:
    """One paragraph of one run; `indent` indents the first line by two characters."""
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size.pt * 2)
    set_font(paragraph.add_run(text), font, size, bold)
    return paragraph


def add_body(document: Any, text: str) -> None:
    """Text as paragraphs, one per line, indented by two characters."""
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.strip():
            add_paragraph(document, line.strip(), indent=True)


def add_table(document: Any, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A gridded table: 黑体 header, 仿宋 cells, 小四."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        set_font(cell.paragraphs[0].add_run(text), HEADING_FONT, TABLE_SIZE, True)
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            set_font(cell.paragraphs[0].add_run(text), DETAIL_FONT, TABLE_SIZE)


def add_masthead(
    document: Any, *, lines: Sequence[str], title: str, number: str = "", color: Any = None
) -> None:
    """The head of a document: `lines` above (the committee, 黑体), the `title` (黑体 二号,
    bold, in `color` when given, e.g. the red of a bulletin's masthead), the number line
    below (仿宋), all centred."""
    center = WD_ALIGN_PARAGRAPH.CENTER
    for line in lines:
        add_paragraph(document, line, font=HEADING_FONT, align=center)
    head = add_paragraph(
        document, title, font=HEADING_FONT, size=TITLE_SIZE, bold=True, align=center
    )
    if color is not None:
        for run in head.runs:
            run.font.color.rgb = color
    if number:
        add_paragraph(document, number, font=DETAIL_FONT, align=center)


def add_signature(document: Any, name: str, when: datetime | None) -> None:
    """The foot of a document: who issues it and the date (2026年6月3日), right-aligned
    after an empty line."""
    right = WD_ALIGN_PARAGRAPH.RIGHT
    add_paragraph(document, "")
    add_paragraph(document, name, align=right)
    add_paragraph(document, date_text(when), align=right)


def date_text(value: datetime | None) -> str:
    """A date as documents write it (2026年6月3日); today when none is given."""
    return date_format(timezone.localtime(value) if value else timezone.localdate(), "DATE_FORMAT")


def docx_bytes(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
