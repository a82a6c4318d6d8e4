"""Duty activities as an Excel workbook: the filtered list, and the totals per kind."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from xieshang.activities.models import Activity
from xieshang.activities.selectors import KindTotal
from xieshang.core.spreadsheets import safe_row


def _header(sheet: object, titles: Sequence[str]) -> list[WriteOnlyCell]:
    bold = Font(bold=True)
    cells = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        cells.append(cell)
    return cells


def activities_workbook(rows: Iterable[Activity], totals: Sequence[KindTotal]) -> bytes:
    """Every text is written as text (`safe_row`), never as a formula.
    Sheet 1: one row per activity (members named, suggestions by tracking code).
    Sheet 2: per kind, the activities, member participations (人次), citizens reached and
    issues collected, with a total line."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Duty activities"))
    sheet.column_dimensions["D"].width = 36
    sheet.append(
        _header(
            sheet,
            [
                _("Date"),
                _("Committee"),
                _("Kind"),
                _("Title"),
                _("Workroom"),
                _("Members who took part"),
                _("Participations"),
                _("Citizens reached"),
                _("Issues collected"),
                _("Suggestions collected"),
                _("Note"),
                _("Recorded by"),
            ],
        )
    )
    for a in rows:
        members = [str(m.user) for m in a.members.all()]
        sheet.append(
            safe_row(
                sheet,
                [
                    a.date,
                    str(a.committee),
                    a.kind.name,
                    a.title,
                    a.workroom.name if a.workroom else "",
                    "、".join(members),
                    len(members),
                    a.citizens_reached,
                    a.issues_collected,
                    " ".join(s.tracking_code for s in a.suggestions.all()),
                    a.note,
                    str(a.recorded_by),
                ],
            )
        )
    summary = workbook.create_sheet(_("Totals"))
    summary.append(
        _header(
            summary,
            [
                _("Kind"),
                _("Activities"),
                _("Participations"),
                _("Citizens reached"),
                _("Issues collected"),
            ],
        )
    )
    for t in totals:
        summary.append(
            safe_row(summary, [t.kind, t.activities, t.participations, t.citizens, t.issues])
        )
    summary.append(
        [
            _("Total"),
            sum(t.activities for t in totals),
            sum(t.participations for t in totals),
            sum(t.citizens for t in totals),
            sum(t.issues for t in totals),
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
