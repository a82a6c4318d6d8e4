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

from xieshang.core.spreadsheets import safe_row
from xieshang.opinions.models import Issue, Item
from xieshang.proposals.documents import (
    DETAIL_FONT,
    HEADING_FONT,
    TITLE_SIZE,
    _body,
    _new_document,
    _paragraph,
    _saved,
)

RED = RGBColor(0xC0, 0x00, 0x00)


def issue_docx(issue: Issue) -> bytes:
    document = _new_document()
    center = WD_ALIGN_PARAGRAPH.CENTER
    masthead = _paragraph(
        document,
        issue.get_series_display().strip("《》"),
        font=HEADING_FONT,
        size=TITLE_SIZE,
        bold=True,
        align=center,
    )
    for run in masthead.runs:
        run.font.color.rgb = RED
    _paragraph(
        document,
        _("%(year)s, issue %(number)s") % {"year": issue.year, "number": issue.number},
        font=DETAIL_FONT,
        align=center,
    )
    _paragraph(document, issue.committee.name, font=DETAIL_FONT, align=center)
    for item in issue.items.select_related("author__user").order_by("id"):
        _paragraph(document, "")
        _paragraph(document, item.title, font=HEADING_FONT, align=center)
        _body(document, item.situation)
        _body(document, item.suggestion)
        _paragraph(document, f"（{item.author_display}）", font=DETAIL_FONT)
    if issue.recipients:
        _paragraph(document, "")
        _paragraph(document, _("Sent to: %(who)s") % {"who": issue.recipients}, font=DETAIL_FONT)
    return _saved(document)


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
