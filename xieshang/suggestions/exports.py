"""Lists as documents: the suggestions inbox as an Excel workbook."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from xieshang.core.spreadsheets import safe_row
from xieshang.suggestions.models import Suggestion


def suggestions_workbook(rows: Iterable[Suggestion]) -> bytes:
    """One row per suggestion, no personal data (names and numbers stay in the system).
    Text a citizen wrote is written as text (`safe_row`), never as a formula."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Citizen suggestions"))
    sheet.column_dimensions["B"].width = 30
    sheet.column_dimensions["C"].width = 60
    header = [
        _("Tracking code"),
        _("Title"),
        _("Content"),
        _("Committee"),
        _("Category"),
        _("Place"),
        _("Source"),
        _("Channel"),
        _("Status"),
        _("Submitted"),
        _("Overdue"),
        _("Public answer"),
        _("Rating"),
    ]
    bold = Font(bold=True)
    cells = []
    for title in header:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for s in rows:
        sheet.append(
            safe_row(
                sheet,
                [
                    s.tracking_code,
                    s.title,
                    s.content,
                    str(s.committee),
                    str(s.category or ""),
                    f"{s.area or ''} {s.address}".strip(),
                    s.get_source_display(),
                    s.get_channel_display(),
                    s.get_status_display(),
                    timezone.localtime(s.created_at).replace(tzinfo=None),
                    _("yes") if getattr(s, "overdue", False) else "",
                    s.public_answer,
                    s.get_rating_display() if s.rating else "",
                ],
            )
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
