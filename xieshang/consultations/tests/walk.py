"""The consultations app's samples for the URL walk (xieshang/core/tests/test_url_walk.py):
a 天河 topic with an event, an opinion and the opinion sent to 天河's department."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from xieshang.conftest import Cast
from xieshang.consultations.models import Meeting, Opinion, Sending, Topic, TopicKind
from xieshang.consultations.selectors import sign_in_token
from xieshang.consultations.services import (
    MeetingInput,
    OpinionInput,
    TopicInput,
    meeting_record,
    opinion_record,
    opinion_send,
    topic_create,
)

TITLE = "龙口东路下水道返臭专题协商"


def _topic(cast: Cast) -> Topic:
    return Topic.objects.get(committee=cast.tianhe, title=TITLE)


def _opinion(cast: Cast) -> Opinion:
    return Opinion.objects.get(topic=_topic(cast), number=1)


def _sending(cast: Cast) -> Sending:
    return Sending.objects.get(opinion=_opinion(cast))


SAMPLES: dict[str, Callable[[Cast], dict[str, Any]]] = {
    "consultations:public": lambda c: {"code": c.tianhe.code},
    "consultations:detail": lambda c: {"pk": _topic(c).pk},
    "consultations:edit": lambda c: {"pk": _topic(c).pk},
    "consultations:meeting_add": lambda c: {"pk": _topic(c).pk},
    "consultations:opinion_add": lambda c: {"pk": _topic(c).pk},
    "consultations:act": lambda c: {"pk": _topic(c).pk},
    "consultations:document": lambda c: {"pk": _topic(c).pk},
    "consultations:opinion_send": lambda c: {"pk": _opinion(c).pk},
    "consultations:sending": lambda c: {"pk": _sending(c).pk},
    "consultations:sending_act": lambda c: {"pk": _sending(c).pk},
    "consultations:sign_in": lambda c: {
        "token": sign_in_token(meeting=Meeting.objects.get(topic=_topic(c)))
    },
}
POST_ONLY = {
    "consultations:meeting_add",
    "consultations:opinion_add",
    "consultations:act",
    "consultations:opinion_send",
    "consultations:sending_act",
}
INSIDER: dict[str, str] = {"consultations:sign_in": "member"}
SENTINELS = (TITLE, "管网清淤改造")


def prepare(cast: Cast) -> None:
    topic = topic_create(
        committee=cast.tianhe,
        data=TopicInput(
            title=TITLE,
            kind=TopicKind.GRASSROOTS,
            year=timezone.localdate().year,
            departments=[cast.department],
        ),
        actor=cast.staff,
    )
    meeting = meeting_record(
        topic=topic,
        data=MeetingInput(kind="site_visit", date=timezone.localdate(), place="龙口东路"),
        actor=cast.staff,
    )
    opinion = opinion_record(
        topic=topic,
        data=OpinionInput(text="尽快开展管网清淤改造", meeting=meeting),
        actor=cast.staff,
    )
    opinion_send(opinion=opinion, department=cast.department, actor=cast.staff)
