"""An issue of 《社情民意》 / 《情况快报》 as a Word document in the official layout: the
series' masthead in red, the committee and the issue number, then each item — its title,
the situation and the suggestion, its author — and the recipients at the foot. The page,
fonts and spacing are those of the proposals' documents."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import RGBColor
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from xieshang.core.documents import (
    DETAIL_FONT,
    HEADING_FONT,
    add_body,
    add_masthead,
    add_paragraph,
    docx_bytes,
    new_document,
)
from xieshang.core.spreadsheets import safe_row
from xieshang.opinions.models import Issue, Item

RED = RGBColor(0xC0, 0x00, 0x00)


def issue_docx(issue: Issue) -> bytes:
    document = new_document()
    center = WD_ALIGN_PARAGRAPH.CENTER
    add_masthead(
        document,
        lines=[],
        title=issue.get_series_display().strip("《》"),
        number=_("%(year)s, issue %(number)s") % {"year": issue.year, "number": issue.number},
        color=RED,
    )
    add_paragraph(document, issue.committee.name, font=DETAIL_FONT, align=center)
    for item in issue.items.select_related("author__user").order_by("id"):
        add_paragraph(document, "")
        add_paragraph(document, item.title, font=HEADING_FONT, align=center)
        add_body(document, item.situation)
        add_body(document, item.suggestion)
        add_paragraph(document, f"（{item.author_display}）", font=DETAIL_FONT)
    if issue.recipients:
        add_paragraph(document, "")
        add_paragraph(document, _("Sent to: %(who)s") % {"who": issue.recipients}, font=DETAIL_FONT)
    return docx_bytes(document)


def items_workbook(rows: Iterable[Item]) -> bytes:
    """One row per item: title, author, committee, state, issue, instructions. Text is
    written as text (`safe_row`), never as a formula."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Public-opinion information"))
    header = [
        _("Title"),
        _("Author"),
        _("Committee"),
        _("Status"),
        _("Bulletin issue"),
        _("Leaders' instructions"),
        _("Written"),
    ]
    bold = Font(bold=True)
    cells = []
    for title in header:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for item in rows:
        sheet.append(
            safe_row(
                sheet,
                [
                    item.title,
                    item.author_display,
                    str(item.committee),
                    item.get_status_display(),
                    str(item.issue or ""),
                    "；".join(f"{x.leader}：{x.text}" for x in item.instructions.all()),
                    timezone.localtime(item.created_at).replace(tzinfo=None),
                ],
            )
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
