"""Consultations (协商议事): topics scoped by committee (joint ones seen upstairs), events,
numbered opinions, opinions sent to departments through the handling workflow, the
suggestion disposition that makes a topic, and the citizen's tracking page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xieshang.conftest import Cast
from xieshang.consultations.models import (
    Adoption,
    Meeting,
    Opinion,
    Sending,
    SendingStatus,
    Topic,
    TopicKind,
    TopicStatus,
)
from xieshang.consultations.selectors import consultation_figures, topic_list
from xieshang.consultations.services import (
    MeetingInput,
    OpinionInput,
    TopicInput,
    meeting_record,
    opinion_record,
    opinion_send,
    sending_reply,
    sending_transition,
    topic_create,
    topic_issue,
)
from xieshang.core.errors import DomainError, Forbidden, TransitionNotAllowed
from xieshang.core.models import Event, OutboxJob
from xieshang.core.privacy import encrypt
from xieshang.people.models import Department
from xieshang.suggestions.models import Suggestion
from xieshang.suggestions.services import Intake, suggestion_submit, suggestion_transition


def _topic(cast: Cast, title: str = "龙口东路下水道返臭", **extra: Any) -> Topic:
    committee = extra.pop("committee", cast.tianhe)
    actor = extra.pop("actor", cast.staff)
    return topic_create(
        committee=committee,
        data=TopicInput(
            title=title, kind=TopicKind.GRASSROOTS, year=timezone.localdate().year, **extra
        ),
        actor=actor,
    )


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_staff_see_their_committee_topics_and_joint_ones_upstairs(cast: Cast) -> None:
    own = _topic(cast)
    joint = _topic(cast, "广州塔—琶洲联动协商", is_joint=True)
    assert set(topic_list(user=cast.staff)) == {own, joint}
    assert set(topic_list(user=cast.outsider)) == set()
    assert set(topic_list(user=cast.city_staff)) == {joint}
    # Pages: the district next door gets 404, the upper committee sees the joint topic.
    assert (
        _client(cast.outsider).get(reverse("consultations:detail", args=[own.pk])).status_code
        == 404
    )
    assert (
        _client(cast.city_staff).get(reverse("consultations:detail", args=[own.pk])).status_code
        == 404
    )
    assert (
        _client(cast.city_staff).get(reverse("consultations:detail", args=[joint.pk])).status_code
        == 200
    )
    page = _client(cast.staff).get(reverse("consultations:list")).content.decode()
    assert own.title in page and joint.title in page


@pytest.mark.django_db
def test_only_the_committees_staff_add_topics(cast: Cast) -> None:
    with pytest.raises(Forbidden):
        _topic(cast, actor=cast.outsider)
    with pytest.raises(Forbidden):
        _topic(cast, actor=cast.member)
    assert not Topic.objects.exists()


@pytest.mark.django_db
def test_the_new_topic_form_answers_bad_input_in_chinese_and_keeps_it(cast: Cast) -> None:
    client = _client(cast.staff)
    response = client.post(
        reverse("consultations:new"),
        {
            "committee": cast.tianhe.pk,
            "title": "猎德涌治理协商",
            "kind": "nonsense",
            "year": "二〇二六",
            "organiser_kind": "committee",
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "猎德涌治理协商" in body  # nothing typed is lost
    assert not Topic.objects.exists()
    response = client.post(
        reverse("consultations:new"),
        {
            "committee": cast.tianhe.pk,
            "title": "猎德涌治理协商",
            "kind": "thematic",
            "year": "2026",
            "organiser_kind": "committee",
            "departments": [cast.department.pk],
        },
    )
    topic = Topic.objects.get()
    assert response.status_code == 302 and topic.departments.get() == cast.department


@pytest.mark.django_db
def test_an_event_before_the_topic_is_refused(cast: Cast) -> None:
    topic = _topic(cast)
    with pytest.raises(DomainError):
        meeting_record(
            topic=topic,
            data=MeetingInput(
                kind="meeting", date=timezone.localdate() - timedelta(days=3), place="会议室"
            ),
            actor=cast.staff,
        )
    response = _client(cast.staff).post(
        reverse("consultations:meeting_add", args=[topic.pk]),
        {
            "kind": "meeting",
            "date": (timezone.localdate() - timedelta(days=3)).isoformat(),
            "place": "区政协三楼会议室",
            "participant_count": "5",
        },
    )
    assert response.status_code == 400
    assert "区政协三楼会议室" in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_opinions_are_numbered_sent_and_answered_through_the_workflow(cast: Cast) -> None:
    topic = _topic(cast)
    meeting = meeting_record(
        topic=topic,
        data=MeetingInput(
            kind="site_visit", date=timezone.localdate(), place="龙口东路", participant_count=12
        ),
        actor=cast.staff,
    )
    first = opinion_record(
        topic=topic, data=OpinionInput(text="清淤", meeting=meeting), actor=cast.staff
    )
    second = opinion_record(topic=topic, data=OpinionInput(text="改造管网"), actor=cast.staff)
    assert (first.number, second.number) == (1, 2)

    other = Department.objects.create(committee=cast.haizhu, name="海珠区水务局")
    with pytest.raises(DomainError):
        opinion_send(opinion=first, department=other, actor=cast.staff)
    assert not Sending.objects.exists()

    sending = opinion_send(opinion=first, department=cast.department, actor=cast.staff)
    with pytest.raises(Forbidden):  # staff do not sign for the department
        sending_transition(sending=sending, action="sign", actor=cast.staff, expected_state="sent")
    sending_transition(sending=sending, action="sign", actor=cast.clerk, expected_state="sent")
    with pytest.raises(DomainError):
        sending_reply(
            sending=sending, actor=cast.clerk, adoption="", text="已完成", expected_state="signed"
        )
    sending_reply(
        sending=sending,
        actor=cast.clerk,
        adoption=Adoption.ADOPTED,
        text="已完成清淤",
        expected_state="signed",
    )
    with pytest.raises(Forbidden):
        sending_transition(
            sending=sending, action="approve", actor=cast.clerk, expected_state="replied"
        )
    sending_transition(
        sending=sending, action="approve", actor=cast.staff, expected_state="replied"
    )
    sending.refresh_from_db()
    assert sending.status == SendingStatus.APPROVED and sending.adoption == Adoption.ADOPTED
    assert list(Event.objects.for_object(sending).values_list("action", flat=True)) == [
        "send_opinion",
        "sign",
        "reply",
        "approve",
    ]

    topic_issue(topic=topic, actor=cast.staff, expected_state="planned")
    topic.refresh_from_db()
    assert topic.status == TopicStatus.ISSUED and topic.document_number == 1
    with pytest.raises(TransitionNotAllowed):
        topic_issue(topic=topic, actor=cast.staff)

    figures = consultation_figures(committee_ids=[cast.tianhe.pk])
    assert (figures.topics, figures.meetings, figures.participants) == (1, 1, 12)
    assert (figures.opinions, figures.adopted, figures.done) == (2, 1, 1)


@pytest.mark.django_db
def test_the_clerk_replies_on_the_page_and_bad_input_is_kept(cast: Cast) -> None:
    topic = _topic(cast)
    opinion = opinion_record(topic=topic, data=OpinionInput(text="清淤"), actor=cast.staff)
    sending = opinion_send(opinion=opinion, department=cast.department, actor=cast.staff)
    clerk = _client(cast.clerk)
    url = reverse("consultations:sending_act", args=[sending.pk])
    clerk.post(url, {"action": "sign", "expected_state": "sent"})
    response = clerk.post(
        url, {"action": "reply", "expected_state": "signed", "text": "正在排期施工"}
    )
    assert response.status_code == 400 and "正在排期施工" in response.content.decode()
    clerk.post(
        url,
        {
            "action": "reply",
            "expected_state": "signed",
            "text": "正在排期施工",
            "adoption": "partly",
        },
    )
    sending.refresh_from_db()
    assert sending.status == SendingStatus.REPLIED and sending.adoption == Adoption.PARTLY
    page = (
        _client(cast.staff).get(reverse("consultations:detail", args=[topic.pk])).content.decode()
    )
    assert "正在排期施工" in page


@pytest.mark.django_db
def test_making_a_suggestion_a_topic_creates_or_joins_it_and_the_citizen_sees_it(
    cast: Cast,
) -> None:
    def submit(title: str, key: str) -> Any:
        suggestion, _new = suggestion_submit(
            intake=Intake(
                committee=cast.tianhe,
                title=title,
                content=title + "，请协商。",
                idempotency_key=key,
            )
        )
        suggestion_transition(suggestion=suggestion, action="triage", actor=cast.staff)
        return suggestion

    first = submit("龙口东路下水道返臭", "a")
    suggestion_transition(suggestion=first, action="topic", actor=cast.staff, note="")
    topic = Topic.objects.get()
    assert topic.title == "龙口东路下水道返臭" and list(topic.suggestions.all()) == [first]

    second = submit("龙口东路污水外溢", "b")
    suggestion_transition(
        suggestion=second, action="topic", actor=cast.staff, note="龙口东路下水道返臭"
    )
    assert Topic.objects.count() == 1
    assert set(topic.suggestions.all()) == {first, second}

    page = Client().get(reverse("suggestions:track", args=[second.tracking_code])).content.decode()
    assert "became-topic" in page and "龙口东路下水道返臭" in page
    assert Opinion.objects.count() == 0

    # The citizens are told when the opinions are issued and when a department answers.
    Suggestion.objects.filter(pk=first.pk).update(phone_encrypted=encrypt("13900001111"))
    told = OutboxJob.objects.filter(task="suggestions.notify_citizen")
    before = told.count()
    opinion = opinion_record(topic=topic, data=OpinionInput(text="清淤"), actor=cast.staff)
    topic_issue(topic=topic, actor=cast.staff)
    assert told.count() == before + 1
    sending = opinion_send(opinion=opinion, department=cast.department, actor=cast.staff)
    sending_transition(sending=sending, action="sign", actor=cast.clerk, expected_state="sent")
    sending_reply(
        sending=sending,
        actor=cast.clerk,
        adoption="adopted",
        text="已完成",
        expected_state="signed",
    )
    sending_transition(
        sending=sending, action="approve", actor=cast.staff, expected_state="replied"
    )
    assert told.count() == before + 2
    assert "“龙口东路下水道返臭”" in told.latest("id").kwargs["text"]


@pytest.mark.django_db
def test_the_issued_opinions_read_back_from_the_word_document(cast: Cast) -> None:
    import io

    from docx import Document

    topic = _topic(cast, departments=[cast.department])
    meeting_record(
        topic=topic,
        data=MeetingInput(kind="site_visit", date=timezone.localdate(), place="龙口东路"),
        actor=cast.staff,
    )
    for category, text in [
        ("排水设施", "全面清淤"),
        ("排水设施", "雨污分流"),
        ("长效管理", "建立巡查机制"),
    ]:
        opinion_record(
            topic=topic, data=OpinionInput(text=text, category=category), actor=cast.staff
        )
    topic_issue(topic=topic, actor=cast.staff)
    response = _client(cast.staff).get(reverse("consultations:document", args=[topic.pk]))
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert f"天河区政协协〔{topic.year}〕1号" in text
    assert "一、排水设施" in text and "二、长效管理" in text
    assert "1. 全面清淤" in text and "3. 建立巡查机制" in text
    assert "天河区住房和城乡建设局：" in text
    assert (
        _client(cast.outsider).get(reverse("consultations:document", args=[topic.pk])).status_code
        == 404
    )


@pytest.mark.django_db
def test_the_public_page_shows_issued_opinions_and_approved_replies_only(cast: Cast) -> None:
    topic = _topic(cast)
    _topic(cast, "尚在计划中的议题")
    opinion = opinion_record(
        topic=topic, data=OpinionInput(text="全面清淤", speaker="张委员"), actor=cast.staff
    )
    sending = opinion_send(opinion=opinion, department=cast.department, actor=cast.staff)
    sending_transition(sending=sending, action="sign", actor=cast.clerk, expected_state="sent")
    sending_reply(
        sending=sending,
        actor=cast.clerk,
        adoption="adopted",
        text="已完成",
        expected_state="signed",
    )
    topic_issue(topic=topic, actor=cast.staff)
    url = reverse("consultations:public", args=[cast.tianhe.code])
    page = Client().get(url).content.decode()
    assert "全面清淤" in page and "尚在计划中的议题" not in page
    assert "已完成" not in page and "张委员" not in page  # not approved yet; no speakers
    sending_transition(
        sending=sending, action="approve", actor=cast.staff, expected_state="replied"
    )
    assert "已完成" in Client().get(url).content.decode()


@pytest.mark.django_db
def test_members_sign_in_once_by_the_events_qr_code_on_the_day(cast: Cast) -> None:
    from django.core import signing

    from xieshang.conftest import make_user
    from xieshang.consultations.models import Attendance
    from xieshang.consultations.selectors import sign_in_token
    from xieshang.people.models import Member

    topic = _topic(cast)
    meeting = meeting_record(
        topic=topic,
        data=MeetingInput(kind="meeting", date=timezone.localdate(), place="区政协会议室"),
        actor=cast.staff,
    )
    url = reverse("consultations:sign_in", args=[sign_in_token(meeting=meeting)])
    member = _client(cast.member)
    assert member.get(url).status_code == 200
    assert member.post(url).status_code == 302
    assert Attendance.objects.get().member.user == cast.member
    assert member.post(url).status_code == 409  # a second sign-in
    assert Attendance.objects.count() == 1
    # The staff's page shows who signed in, and the QR code on the day.
    page = _client(cast.staff).get(reverse("consultations:detail", args=[topic.pk])).content
    assert "天河委员" in page.decode() and b"<svg" in page

    haizhu_member = make_user("h.member", "海珠委员")
    Member.objects.create(user=haizhu_member, committee=cast.haizhu)
    assert _client(haizhu_member).post(url).status_code == 403  # another committee's event
    forged = reverse("consultations:sign_in", args=[signing.dumps(meeting.pk, salt="other")])
    assert member.post(forged).status_code == 400
    Meeting.objects.filter(pk=meeting.pk).update(date=timezone.localdate() + timedelta(days=1))
    assert member.post(url).status_code == 400  # not the day: expired
    assert Attendance.objects.count() == 1
