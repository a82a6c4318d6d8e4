"""An issue of 《社情民意》 / 《情况快报》 as a Word document in the official layout: the
series' masthead in red, the committee and the issue number, then each item — its title,
the situation and the suggestion, its author — and the recipients at the foot. The page,
fonts and spacing are those of the proposals' documents."""

from __future__ import annotations

from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import RGBColor

from xieshang.opinions.models import Issue
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
