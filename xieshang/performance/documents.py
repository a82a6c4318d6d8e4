"""The duty record as documents: the Word 履职档案 of a member's year, in the layout of
official documents (as proposals/documents.py: A4, GB/T 9704 margins, 宋体 body, 黑体
title, East Asian fonts set on every run), and the Excel workbook of a ranking (text
through `safe_row`, never a formula)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from xieshang.core.documents import (
    BODY_SIZE,
    DETAIL_FONT,
    HEADING_FONT,
    TABLE_SIZE,
    TITLE_SIZE,
    add_paragraph,
    add_table,
    docx_bytes,
    new_document,
)
from xieshang.core.spreadsheets import safe_row
from xieshang.performance.models import MemberYear, PointClass, RecordLine
from xieshang.performance.selectors import RankGroup


def member_year_docx(my: MemberYear, lines: Sequence[RecordLine], baseline: int | None) -> bytes:
    """The 履职档案 of a member's year: particulars, the list of records with the points
    each earned, and the points table."""
    document = new_document()

    member = my.member
    add_paragraph(
        document,
        str(my.committee),
        font=HEADING_FONT,
        size=BODY_SIZE,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    add_paragraph(
        document,
        _("Members' duty record, %(year)s") % {"year": my.year},
        font=HEADING_FONT,
        size=TITLE_SIZE,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    particulars = [
        (_("Name"), str(member.user)),
        (_("Role"), member.get_role_display()),
        (_("Sector"), member.sector.name if member.sector else "—"),
        (_("Local group"), member.local_group.name if member.local_group else "—"),
        (_("Work unit and position"), member.employer or "—"),
    ]
    for label, value in particulars:
        add_paragraph(document, f"{label}：{value}", font=DETAIL_FONT)

    add_paragraph(document, _("Records"), font=HEADING_FONT)
    add_table(
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
    add_paragraph(document, _("Points"), font=HEADING_FONT)
    add_table(
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
        add_paragraph(
            document,
            _("Baseline of the year: %(points)s points.") % {"points": baseline},
            font=DETAIL_FONT,
        )
    stamp = timezone.localtime(my.computed_at).strftime("%Y-%m-%d %H:%M")
    add_paragraph(
        document, _("Computed %(when)s.") % {"when": stamp}, font=DETAIL_FONT, size=TABLE_SIZE
    )
    return docx_bytes(document)


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
