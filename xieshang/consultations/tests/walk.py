"""The consultations app's samples for the URL walk (xieshang/core/tests/test_url_walk.py):
a 天河 topic with an event, an opinion and the opinion sent to 天河's department."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from xieshang.conftest import Cast
from xieshang.consultations.models import (
    Invitation,
    InviteeKind,
    Meeting,
    Opinion,
    Sending,
    Topic,
    TopicKind,
)
from xieshang.consultations.selectors import sign_in_token
from xieshang.consultations.services import (
    InviteeInput,
    MeetingInput,
    OpinionInput,
    TopicInput,
    invitation_create,
    meeting_record,
    opinion_record,
    opinion_send,
    topic_create,
)
from xieshang.people.models import Member

TITLE = "龙口东路下水道返臭专题协商"


def _topic(cast: Cast) -> Topic:
    return Topic.objects.get(committee=cast.tianhe, title=TITLE)


def _opinion(cast: Cast) -> Opinion:
    return Opinion.objects.get(topic=_topic(cast), number=1)


def _sending(cast: Cast) -> Sending:
    return Sending.objects.get(opinion=_opinion(cast))


def _upcoming(cast: Cast) -> Meeting:
    return Meeting.objects.get(topic=_topic(cast), date__gt=timezone.localdate())


def _invitation(cast: Cast) -> Invitation:
    return Invitation.objects.get(meeting=_upcoming(cast), kind=InviteeKind.EXPERT)


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
        "token": sign_in_token(
            meeting=Meeting.objects.get(topic=_topic(c), date=timezone.localdate())
        )
    },
    "consultations:meeting": lambda c: {"pk": _upcoming(c).pk},
    "consultations:invite": lambda c: {"pk": _upcoming(c).pk},
    "consultations:meeting_change": lambda c: {"pk": _upcoming(c).pk},
    "consultations:meeting_cancel": lambda c: {"pk": _upcoming(c).pk},
    "consultations:invitation_resend": lambda c: {"pk": _invitation(c).pk},
    "consultations:invitation_answer": lambda c: {"pk": _invitation(c).pk},
    "consultations:invitation": lambda c: {"token": _invitation(c).token},
}
POST_ONLY = {
    "consultations:meeting_add",
    "consultations:opinion_add",
    "consultations:act",
    "consultations:opinion_send",
    "consultations:sending_act",
    "consultations:invite",
    "consultations:meeting_change",
    "consultations:meeting_cancel",
    "consultations:invitation_resend",
    "consultations:invitation_answer",
}
INSIDER: dict[str, str] = {"consultations:sign_in": "member"}
SENTINELS = (TITLE, "管网清淤改造", "排水专家钟工")


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
    upcoming = meeting_record(
        topic=topic,
        data=MeetingInput(
            kind="meeting",
            date=timezone.localdate() + timedelta(days=3),
            place="天河南街党群服务中心",
        ),
        actor=cast.staff,
    )
    invitation_create(
        meeting=upcoming,
        data=InviteeInput(kind=InviteeKind.EXPERT, name="排水专家钟工", phone="13800138000"),
        actor=cast.staff,
    )
    invitation_create(
        meeting=upcoming,
        data=InviteeInput(kind=InviteeKind.MEMBER, member=Member.objects.get(user=cast.member)),
        actor=cast.staff,
    )
