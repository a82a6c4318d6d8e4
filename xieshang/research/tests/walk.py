"""The URL walk's samples for the research app (see core/tests/test_url_walk.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from xieshang.conftest import Cast
from xieshang.research.models import Topic
from xieshang.research.services import (
    TopicData,
    instruction_add,
    report_save,
    report_transition,
    topic_create,
)

TITLE = "天河元宇宙产业发展调研"


def _topic(cast: Cast) -> dict[str, int]:
    return {"pk": Topic.objects.get(title=TITLE).pk}


SAMPLES: dict[str, Any] = {
    "research:topic": _topic,
    "research:report_save": _topic,
    "research:report_act": _topic,
    "research:instruct": _topic,
    "research:outcome": _topic,
}
POST_ONLY = {
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
    report = report_save(actor=cast.staff, topic=topic, title=TITLE + "报告", text="报告正文。")
    report_transition(actor=cast.staff, report=report, action="submit")
    report_transition(actor=cast.staff, report=report, action="adopt")
    instruction_add(
        actor=cast.staff, report=report, level="district", leader="区长", text="阅", on=date.today()
    )
