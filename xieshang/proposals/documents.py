"""Proposals as documents: the Word file of a proposal and of a department's reply letter
(答复函), and the Excel workbooks of the proposal list and of the per-department summary.

Word: A4 with the margins of official documents (GB/T 9704: top 37 mm, bottom 35 mm,
left 28 mm, right 26 mm), 宋体 for the body, 黑体 for the title and headings, 仿宋 for the
particulars. Word picks the typeface of Chinese text from the East Asian slot of a run's
fonts (`w:rFonts/@w:eastAsia`), which python-docx's `font.name` does not set, so every run
and the Normal style get it explicitly (`set_font`).

Excel: text goes through `safe_row`, so a title someone typed as "=HYPERLINK(…)" stays
text and never becomes a formula.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from xieshang.core.documents import (
    BODY_FONT,
    BODY_SIZE,
    DETAIL_FONT,
    HEADING_FONT,
    TITLE_SIZE,
    add_body,
    add_paragraph,
    date_text,
    docx_bytes,
    new_document,
    set_font,
)
from xieshang.core.models import Committee
from xieshang.core.spreadsheets import safe_row
from xieshang.proposals.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Grade,
    Proposal,
    ProposalStatus,
    Reply,
    ReplyStatus,
    Satisfaction,
)
from xieshang.proposals.selectors.documents import (
    ROLE_ORDER,
    DepartmentSummary,
    grade_wordings,
    letter_addressees,
    proposer_names,
)


def proposal_number_text(proposal: Proposal) -> str:
    if proposal.number:
        return _("Proposal No. %(number)s") % {"number": proposal.number}
    if proposal.status == ProposalStatus.NOT_ACCEPTED:
        return _("Not accepted")
    return _("Not yet accepted")


def proposal_docx(proposal: Proposal) -> bytes:
    """The proposal in the official layout: the committee and 提案, the number (or 未立案),
    its particulars (category, kind, session, proposers, date), the subject (案由) as
    title, then the analysis (情况分析) and the suggestions (具体建议) under headings."""
    document = new_document()
    center = WD_ALIGN_PARAGRAPH.CENTER
    add_paragraph(document, proposal.committee.name, font=HEADING_FONT, align=center)
    add_paragraph(
        document, _("Proposal"), font=HEADING_FONT, size=TITLE_SIZE, bold=True, align=center
    )
    add_paragraph(document, proposal_number_text(proposal), font=DETAIL_FONT, align=center)
    particulars = [
        (_("Category"), str(proposal.category)),
        (_("Kind"), proposal.get_kind_display()),
        (_("Session"), str(proposal.session) if proposal.session_id else "—"),
        (_("Proposer(s)"), "、".join(proposer_names(proposal))),
        (_("Submitted"), date_text(proposal.submitted_at) if proposal.submitted_at else "—"),
    ]
    if proposal.from_suggestion_id:
        particulars.append((_("Source"), _("Citizen's proposal (百姓提案)")))
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in particulars:
        cells = table.add_row().cells
        for cell, text, bold in ((cells[0], label, True), (cells[1], value, False)):
            set_font(cell.paragraphs[0].add_run(text), DETAIL_FONT, BODY_SIZE, bold)
    add_paragraph(document, "")
    add_paragraph(document, _("Subject"), font=HEADING_FONT, align=center)
    add_paragraph(document, proposal.title, font=HEADING_FONT, size=TITLE_SIZE, align=center)
    add_paragraph(document, _("Analysis of the situation"), font=HEADING_FONT, bold=True)
    add_body(document, proposal.analysis)
    add_paragraph(document, _("Concrete suggestions"), font=HEADING_FONT, bold=True)
    add_body(document, proposal.recommendations)
    return docx_bytes(document)


def reply_letter_docx(reply: Reply) -> bytes:
    """The department's reply letter (答复函): to the proposers (those of merged proposals
    too), the proposal's number and subject, the reply, its grade in the committee's
    words, the co-handlers, the department and the date it was sent (today for a draft)."""
    assignment = reply.assignment
    proposal = assignment.proposal
    department = assignment.department
    wording = grade_wordings(proposal.committee_id)
    number = proposal.number or "—"
    document = new_document()
    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    add_paragraph(
        document, _("Grade: %(grade)s") % {"grade": reply.grade}, font=HEADING_FONT, align=right
    )
    if reply.status != ReplyStatus.SENT:
        add_paragraph(document, _("Draft, not yet sent"), font=HEADING_FONT, align=right)
    add_paragraph(document, department.name, font=HEADING_FONT, size=TITLE_SIZE, align=center)
    add_paragraph(
        document,
        _("Reply to proposal No. %(number)s of %(committee)s")
        % {"number": number, "committee": proposal.committee.short_name},
        font=HEADING_FONT,
        align=center,
    )
    add_paragraph(document, "")
    add_paragraph(
        document,
        _("Dear %(names)s:") % {"names": "、".join(letter_addressees(proposal))},
        font=BODY_FONT,
    )
    add_paragraph(
        document,
        _("Your proposal “%(title)s” (No. %(number)s) has been received. Our reply follows.")
        % {"title": proposal.title, "number": number},
        indent=True,
    )
    add_body(document, reply.text)
    add_paragraph(
        document,
        _("Grade of this reply: %(grade)s, %(wording)s.")
        % {"grade": reply.grade, "wording": wording.get(reply.grade, "")},
        indent=True,
    )
    co_handlers = [
        str(a.department)
        for a in Assignment.objects.filter(
            proposal=proposal, round=assignment.round, role=AssignmentRole.CO
        )
        .exclude(status=AssignmentStatus.RETURNED)
        .select_related("department")
        .order_by("id")
    ]
    if co_handlers and assignment.role == AssignmentRole.LEAD:
        add_paragraph(
            document,
            _("Co-handled by: %(departments)s") % {"departments": "、".join(co_handlers)},
            indent=True,
        )
    add_paragraph(document, _("Thank you for your concern and support for our work."), indent=True)
    add_paragraph(document, "")
    add_paragraph(document, department.name, align=right)
    add_paragraph(document, date_text(reply.sent_at), align=right)
    add_paragraph(document, "")
    add_paragraph(
        document,
        _("Copy to: the proposal office of %(committee)s")
        % {"committee": proposal.committee.short_name},
        font=DETAIL_FONT,
    )
    return docx_bytes(document)


# --- Excel --------------------------------------------------------------------------------


def _header(sheet: Any, titles: Iterable[str]) -> None:
    bold = Font(bold=True)
    cells = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)


def _naive(value: datetime | None) -> datetime | None:
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _saved_workbook(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _departments(assignments: list[Assignment]) -> str:
    return "；".join(
        f"{a.department}（{a.get_role_display()}·{a.get_status_display()}）"
        for a in sorted(assignments, key=lambda a: (a.round, ROLE_ORDER[a.role]))
        if a.status != AssignmentStatus.RETURNED
    )


def proposals_workbook(rows: Iterable[Proposal]) -> bytes:
    """One row per proposal with its handling status: number, subject, category, kind,
    session, proposers, status, departments with their role and state, the deadline,
    overdue, key proposal, the grades of the sent replies and the proposers' ratings.
    Expects `selectors.documents.proposals_for_export` (prefetched, `overdue` and
    `is_key` annotated)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Proposals"))
    sheet.column_dimensions["B"].width = 40
    sheet.column_dimensions["H"].width = 50
    _header(
        sheet,
        [
            _("Number"),
            _("Subject"),
            _("Category"),
            _("Kind"),
            _("Session"),
            _("Proposer(s)"),
            _("Status"),
            _("Departments"),
            _("Reply due"),
            _("Overdue"),
            _("Key proposal"),
            _("Grades"),
            _("Ratings"),
            _("Submitted"),
        ],
    )
    labels = dict(Satisfaction.choices)
    for p in rows:
        assignments = list(p.assignments.all())
        grades = [
            a.reply.grade
            for a in assignments
            if getattr(a, "reply", None) is not None and a.reply.status == ReplyStatus.SENT
        ]
        ratings = [str(labels[r.value]) for r in p.ratings.all()]
        sheet.append(
            safe_row(
                sheet,
                [
                    p.number or "",
                    p.title,
                    str(p.category),
                    p.get_kind_display(),
                    str(p.session) if p.session_id else "",
                    "、".join(proposer_names(p)),
                    p.get_status_display(),
                    _departments(assignments),
                    _naive(p.deadline),
                    _("yes") if getattr(p, "overdue", False) else "",
                    _("yes") if getattr(p, "is_key", False) else "",
                    " ".join(grades),
                    "、".join(ratings),
                    _naive(p.submitted_at),
                ],
            )
        )
    return _saved_workbook(workbook)


COUNTS = (
    "assigned",
    "signed",
    "replied",
    "replied_on_time",
    "replied_late",
    "overdue",
    "returned",
)


def department_summary_workbook(
    *, committee: Committee, year: int, rows: Iterable[DepartmentSummary]
) -> bytes:
    """The per-department summary (`selectors.documents.department_summary`) of a
    committee's year, with a total row."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Departments"))
    sheet.column_dimensions["A"].width = 32
    sheet.append(
        safe_row(
            sheet,
            [
                _("%(committee)s: proposals assigned in %(year)s")
                % {"committee": committee.short_name, "year": year}
            ],
        )
    )
    grades = [g.value for g in Grade]
    satisfaction = list(Satisfaction.choices)
    _header(
        sheet,
        [
            _("Department"),
            _("Assigned"),
            _("Signed for"),
            _("Replied"),
            _("Replied on time"),
            _("Replied late"),
            _("Overdue"),
            _("Returned"),
            *[_("Grade %(grade)s") % {"grade": g} for g in grades],
            *[str(label) for _value, label in satisfaction],
        ],
    )
    rows = list(rows)
    totals = DepartmentSummary(department=_("Total"))
    for row in rows:
        for name in COUNTS:
            setattr(totals, name, getattr(totals, name) + getattr(row, name))
        totals.grades.update(row.grades)
        totals.satisfaction.update(row.satisfaction)
    for row in [*rows, totals]:
        sheet.append(
            safe_row(
                sheet,
                [
                    row.department,
                    *[getattr(row, name) for name in COUNTS],
                    *[row.grades[g] for g in grades],
                    *[row.satisfaction[value] for value, _label in satisfaction],
                ],
            )
        )
    return _saved_workbook(workbook)
