"""The URL walk's samples for the research app (see core/tests/test_url_walk.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from xieshang.activities.models import ActivityKind
from xieshang.activities.services import ActivityInput
from xieshang.conftest import Cast
from xieshang.core.uploads import file_clean
from xieshang.people.models import Member
from xieshang.research.models import Instruction, Material, Topic
from xieshang.research.services import (
    TopicData,
    instruction_add,
    material_add,
    outcome_add,
    report_save,
    report_transition,
    topic_create,
    visit_record,
)

TITLE = "天河元宇宙产业发展调研"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _topic(cast: Cast) -> dict[str, int]:
    return {"pk": Topic.objects.get(title=TITLE).pk}


SAMPLES: dict[str, Any] = {
    "research:topic": _topic,
    "research:report_save": _topic,
    "research:report_act": _topic,
    "research:instruct": _topic,
    "research:outcome": _topic,
    "research:material_add": _topic,
    "research:visit_add": _topic,
    "research:report_docx": _topic,
    "research:material_file": lambda c: {"pk": Material.objects.get(topic__title=TITLE).pk},
    "research:instruction_scan_attach": lambda c: {
        "pk": Instruction.objects.get(report__topic__title=TITLE).pk
    },
    "research:instruction_scan": lambda c: {
        "pk": Instruction.objects.get(report__topic__title=TITLE).pk
    },
}
POST_ONLY = {
    "research:instruction_scan_attach",
    "research:material_add",
    "research:visit_add",
    "research:report_save",
    "research:report_act",
    "research:instruct",
    "research:outcome",
}
SENTINELS = (TITLE,)


def prepare(cast: Cast) -> None:
    topic = topic_create(
        actor=cast.staff,
        committee=cast.tianhe,
        data=TopicData(title=TITLE, lead="经济科技委员会", year=2026, is_key=True),
    )
    seat = Member.objects.get(user=cast.member, committee=cast.tianhe)
    visit = visit_record(
        actor=cast.staff,
        topic=topic,
        data=ActivityInput(
            kind=ActivityKind.objects.filter(committee=cast.tianhe).first(),  # type: ignore[arg-type]
            title="走访区科工信局",
            date=date.today(),
            members=[seat],
        ),
    )
    material_add(
        actor=cast.staff,
        topic=topic,
        title="座谈会记录",
        note="企业提出的意见。",
        file=file_clean(SimpleUploadedFile("x.pdf", PDF)),
        activity=visit,
    )
    report = report_save(actor=cast.staff, topic=topic, title=TITLE + "报告", text="报告正文。")
    report_transition(actor=cast.staff, report=report, action="submit")
    report_transition(actor=cast.staff, report=report, action="adopt")
    instruction_add(
        actor=cast.staff,
        report=report,
        level="district",
        leader="区长",
        text="阅",
        on=date.today(),
        scan=file_clean(SimpleUploadedFile("scan.pdf", PDF)),
    )
    outcome_add(
        actor=cast.staff, topic=topic, kind="policy", text="区政府出台扶持措施", on=date.today()
    )
