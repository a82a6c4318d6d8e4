"""The research report (调研报告) as a Word document in the official layout of the other
documents (core.documents: A4, GB/T 9704 margins, 宋体 body, 黑体 headings, 仿宋 details):
the committee and the kind of document at the head, the report's title, the topic, who led
it and the group, the text, the chairs' meeting's decision, and the committee and date at
the foot."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH

from xieshang.core.documents import (
    DETAIL_FONT,
    HEADING_FONT,
    TITLE_SIZE,
    add_body,
    add_masthead,
    add_paragraph,
    add_signature,
    docx_bytes,
    new_document,
)
from xieshang.research.models import Report, ReportStatus


def report_docx(report: Report, *, members: list[str], decision: str = "") -> bytes:
    """`members` are the group's names; `decision` the note the chairs' meeting's approval
    was recorded with."""
    topic = report.topic
    document = new_document()
    kind = _("Key research topic") if topic.is_key else _("Research topic")
    add_masthead(
        document,
        lines=[report.committee.name],
        title=_("Research report"),
        number=f"{topic.year}年 {kind}",
    )
    add_paragraph(document, "")
    add_paragraph(
        document, report.title, font=HEADING_FONT, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    if report.title != topic.title:
        add_paragraph(
            document,
            _("Research topic: %(title)s") % {"title": topic.title},
            font=DETAIL_FONT,
            align=WD_ALIGN_PARAGRAPH.CENTER,
        )
    add_paragraph(document, _("Led by: %(lead)s") % {"lead": topic.lead}, font=DETAIL_FONT)
    if members:
        add_paragraph(
            document,
            _("Group members: %(names)s") % {"names": "、".join(members)},
            font=DETAIL_FONT,
        )
    if topic.joint_with_upper and topic.committee.parent is not None:
        add_paragraph(
            document,
            _("Joint research with %(upper)s") % {"upper": topic.committee.parent.name},
            font=DETAIL_FONT,
        )
    add_paragraph(document, "")
    add_body(document, report.text)
    add_paragraph(document, "")
    if report.status == ReportStatus.ADOPTED and report.adopted_at is not None:
        day = timezone.localtime(report.adopted_at).date()
        approved = _("Approved by the chairs' meeting on %(date)s.") % {
            "date": f"{day.year}年{day.month}月{day.day}日"
        }
        add_paragraph(document, approved + (f"{decision}" if decision else ""), indent=True)
    else:
        add_paragraph(
            document,
            _("Draft: not yet approved by the chairs' meeting (%(state)s).")
            % {"state": report.get_status_display()},
            font=DETAIL_FONT,
            indent=True,
        )
    add_signature(document, report.committee.name, report.adopted_at)
    return docx_bytes(document)
