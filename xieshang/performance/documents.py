"""The duty record as documents: the Word 履职档案 of a member's year, in the layout of
official documents (as proposals/documents.py: A4, GB/T 9704 margins, 宋体 body, 黑体
title, East Asian fonts set on every run), and the Excel workbook of a ranking (text
through `safe_row`, never a formula)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.styles.style import BaseStyle
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from xieshang.core.spreadsheets import safe_row
from xieshang.performance.models import MemberYear, PointClass, RecordLine
from xieshang.performance.selectors import RankGroup

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
TABLE_FONT = "仿宋"
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
TABLE_SIZE = Pt(12)  # 小四


def _set_font(target: Any, name: str, size: Pt | None = None, bold: bool | None = None) -> None:
    font = target.font
    font.name = name
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    element = target.element if isinstance(target, BaseStyle) else target._element
    element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _paragraph(document: Any, text: str, *, font: str = BODY_FONT, size: Pt = BODY_SIZE,
               bold: bool = False, center: bool = False) -> None:  # fmt: skip
    paragraph = document.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(paragraph.add_run(text), font, size, bold)


def _table(document: Any, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        _set_font(cell.paragraphs[0].add_run(text), HEADING_FONT, TABLE_SIZE, True)
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            _set_font(cell.paragraphs[0].add_run(text), TABLE_FONT, TABLE_SIZE)


def member_year_docx(my: MemberYear, lines: Sequence[RecordLine], baseline: int | None) -> bytes:
    """The 履职档案 of a member's year: particulars, the list of records with the points
    each earned, and the points table."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    _set_font(normal, BODY_FONT, BODY_SIZE)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)

    member = my.member
    _paragraph(document, str(my.committee), font=HEADING_FONT, size=BODY_SIZE, center=True)
    _paragraph(
        document,
        _("Members' duty record, %(year)s") % {"year": my.year},
        font=HEADING_FONT,
        size=TITLE_SIZE,
        center=True,
    )
    particulars = [
        (_("Name"), str(member.user)),
        (_("Role"), member.get_role_display()),
        (_("Sector"), member.sector.name if member.sector else "—"),
        (_("Local group"), member.local_group.name if member.local_group else "—"),
        (_("Work unit and position"), member.employer or "—"),
    ]
    for label, value in particulars:
        _paragraph(document, f"{label}：{value}", font=TABLE_FONT)

    _paragraph(document, _("Records"), font=HEADING_FONT)
    _table(
        document,
        [_("Date"), _("Kind"), _("Record"), _("Points")],
        [
            (
                line.date.isoformat(),
                line.get_kind_display(),
                line.title,
                f"{line.points}" + ("（" + _("over the cap") + "）" if line.capped else ""),
            )
            for line in lines
        ]
        or [("—", "—", _("No records this year."), "0")],
    )
    _paragraph(document, _("Points"), font=HEADING_FONT)
    _table(
        document,
        [
            str(PointClass.BASE.label),
            str(PointClass.ADDITIONAL.label),
            str(PointClass.REWARD.label),
            _("Total"),
        ],
        [(str(my.base), str(my.additional), str(my.reward), str(my.total))],
    )
    if baseline is not None:
        _paragraph(
            document,
            _("Baseline of the year: %(points)s points.") % {"points": baseline},
            font=TABLE_FONT,
        )
    stamp = timezone.localtime(my.computed_at).strftime("%Y-%m-%d %H:%M")
    _paragraph(
        document, _("Computed %(when)s.") % {"when": stamp}, font=TABLE_FONT, size=TABLE_SIZE
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def ranking_workbook(groups: Sequence[RankGroup], *, year: int, baseline: int) -> bytes:
    """One row per member and group: group, rank, name, sector, points by class, total,
    below the baseline."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Points ranking %(year)s") % {"year": year})
    bold = Font(bold=True)
    header = []
    for title in (
        _("Group"),
        _("Rank"),
        _("Member"),
        _("Sector"),
        PointClass.BASE.label,
        PointClass.ADDITIONAL.label,
        PointClass.REWARD.label,
        _("Total"),
        _("Records"),
        _("Below the baseline (%(points)s)") % {"points": baseline},
    ):
        cell = WriteOnlyCell(sheet, value=str(title))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for group in groups:
        for row in group.rows:
            my = row.year
            sheet.append(
                safe_row(
                    sheet,
                    [
                        group.name,
                        row.rank,
                        str(my.member.user),
                        my.member.sector.name if my.member.sector else "",
                        my.base,
                        my.additional,
                        my.reward,
                        my.total,
                        my.records,
                        _("yes") if row.below else "",
                    ],
                )
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
