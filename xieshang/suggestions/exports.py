"""Lists as documents: the suggestions inbox as an Excel workbook."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from xieshang.core.spreadsheets import safe_row
from xieshang.suggestions.models import ReferralStatus, Suggestion


def _deadline(suggestion: Suggestion) -> date | None:
    """The earliest deadline of the suggestion's referrals still with a department (the
    one to chase), else of any referral; the rows come with their referrals fetched."""
    referrals = list(suggestion.referrals.all())
    with_department = (ReferralStatus.SENT, ReferralStatus.SIGNED, ReferralStatus.RETURN_REQUESTED)
    open_ones = [r for r in referrals if r.status in with_department] or referrals
    if not open_ones:
        return None
    return timezone.localdate(min(r.deadline for r in open_ones))


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
        _("Disposition"),
        _("Department"),
        _("Deadline"),
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
                    "、".join(str(d.get_kind_display()) for d in s.dispositions.all()),
                    "、".join(r.department.name for r in s.referrals.all()),
                    _deadline(s),
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
