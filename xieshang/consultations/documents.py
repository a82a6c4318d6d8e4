"""The topic's consultation opinions as one Word document (协商意见书 / 建议书), in the
official layout the proposals' documents use (proposals/documents.py: A4, GB/T 9704
margins, 宋体 body, 黑体 headings, East Asian fonts set on every run): the committee, the
title and the number per committee and year, the topic, how it was consulted, the opinions
numbered under their categories (一、二、…), the departments it goes to, and the date."""

from __future__ import annotations

from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH

from xieshang.consultations.models import Topic
from xieshang.consultations.selectors import topic_departments, topic_meetings, topic_opinions
from xieshang.core.documents import (
    DETAIL_FONT,
    HEADING_FONT,
    TITLE_SIZE,
    add_paragraph,
    date_text,
    docx_bytes,
    new_document,
)

CHINESE_NUMERALS = "一二三四五六七八九十"


def _chinese_number(n: int) -> str:
    if n <= 10:
        return CHINESE_NUMERALS[n - 1]
    if n < 20:
        return "十" + CHINESE_NUMERALS[n - 11]
    return str(n)


def document_number_text(topic: Topic) -> str:
    if topic.document_number is None:
        return _("Draft, not yet issued")
    return f"{topic.committee.short_name}协〔{topic.year}〕{topic.document_number}号"


def opinions_docx(topic: Topic) -> bytes:
    document = new_document()
    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    add_paragraph(document, topic.committee.name, font=HEADING_FONT, align=center)
    add_paragraph(
        document,
        _("Letter of consultation opinions"),
        font=HEADING_FONT,
        size=TITLE_SIZE,
        bold=True,
        align=center,
    )
    add_paragraph(document, document_number_text(topic), font=DETAIL_FONT, align=center)
    add_paragraph(document, "")
    add_paragraph(document, topic.title, font=HEADING_FONT, size=TITLE_SIZE, align=center)
    departments = list(topic_departments(topic=topic))
    if departments:
        add_paragraph(document, "、".join(d.name for d in departments) + "：")
    meetings = list(topic_meetings(topic=topic))
    held = "；".join(
        f"{m.date.year}年{m.date.month}月{m.date.day}日在{m.place}{m.get_kind_display()}"
        for m in meetings
    )
    intro = _(
        "On %(title)s (%(kind)s, organised by %(organiser)s), the committee consulted "
        "members, departments and citizens%(held)s. The opinions are as follows."
    ) % {
        "title": topic.title,
        "kind": topic.get_kind_display(),
        "organiser": topic.organiser_name or topic.get_organiser_kind_display(),
        "held": f"（{held}）" if held else "",
    }
    add_paragraph(document, intro, indent=True)
    if topic.summary:
        add_paragraph(document, topic.summary, indent=True)
    groups: dict[str, list[str]] = {}
    for opinion in topic_opinions(topic=topic):
        groups.setdefault(opinion.category or _("Other"), []).append(opinion.text)
    number = 0
    for i, (category, texts) in enumerate(groups.items(), start=1):
        add_paragraph(document, f"{_chinese_number(i)}、{category}", font=HEADING_FONT, bold=True)
        for text in texts:
            number += 1
            add_paragraph(document, f"{number}. {text}", indent=True)
    add_paragraph(document, "")
    add_paragraph(document, topic.committee.name, align=right)
    add_paragraph(document, date_text(topic.issued_at), align=right)
    return docx_bytes(document)
