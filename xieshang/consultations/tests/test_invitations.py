"""Invitations to consultation events: sent by SMS and/or email through the outbox with a
link to answer; answered by the link, in a member's workspace or by staff; the staff's
page per event; a change of time or place and a cancellation told to whoever is still
coming; the reminder the day before, once. Bad input is refused in Chinese with nothing
changed."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xieshang.conftest import Cast
from xieshang.consultations.models import (
    ConsultationAction,
    Invitation,
    InvitationStatus,
    InviteeKind,
    Meeting,
    MeetingStatus,
    Topic,
    TopicKind,
)
from xieshang.consultations.services import (
    InviteeInput,
    MeetingInput,
    TopicInput,
    invitation_answer,
    invitation_create,
    invitations_remind_due,
    meeting_cancel,
    meeting_change,
    meeting_record,
    members_invite,
    topic_create,
)
from xieshang.core.errors import Conflict, DomainError, Forbidden
from xieshang.core.models import ActorKind, Event
from xieshang.core.sms import ConsoleBackend
from xieshang.people.models import Member

pytestmark = pytest.mark.django_db

A = ConsultationAction
COUNTS = ("invited", "accepted", "declined", "unanswered")
LINK = re.compile(r"/invitation/([A-Za-z0-9_-]{16,32})/")


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _meeting(cast: Cast, days: int = 3, **extra: Any) -> Meeting:
    topic = Topic.objects.filter(committee=cast.tianhe).first() or topic_create(
        committee=cast.tianhe,
        data=TopicInput(
            title="龙口东路下水道返臭", kind=TopicKind.GRASSROOTS, year=timezone.localdate().year
        ),
        actor=cast.staff,
    )
    return meeting_record(
        topic=topic,
        data=MeetingInput(
            kind="meeting",
            date=timezone.localdate() + timedelta(days=days),
            time=time(14, 30),
            place="天河南街党群服务中心",
            **extra,
        ),
        actor=cast.staff,
    )


def _expert(meeting: Meeting, cast: Cast, **extra: Any) -> Invitation:
    data = {"kind": InviteeKind.EXPERT, "name": "钟工", "phone": "138 0013 8000", **extra}
    return invitation_create(
        meeting=meeting, data=InviteeInput(**data), actor=cast.staff, link_base="http://t"
    )


def _seat(cast: Cast) -> Member:
    return Member.objects.get(user=cast.member, committee=cast.tianhe)


def _state(invitation: Invitation) -> tuple[str, str, int]:
    invitation.refresh_from_db()
    return invitation.status, invitation.reason, Event.objects.count()


@pytest.fixture
def sms() -> list[tuple[str, str]]:
    ConsoleBackend.outbox.clear()
    return ConsoleBackend.outbox


def test_an_invitation_goes_out_by_sms_and_email_with_a_link_to_answer(
    cast: Cast, sms: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = _meeting(cast)
    with django_capture_on_commit_callbacks(execute=True):
        expert = _expert(meeting, cast, email="Zhong@Example.com")
    ((to, text),), (mail,) = sms, mailoutbox
    assert to == "13800138000"
    assert "钟工" in text and "龙口东路下水道返臭" in text and "14:30" in text
    assert LINK.search(text).group(1) == expert.token  # type: ignore[union-attr]
    assert mail.to == ["zhong@example.com"] and expert.token in mail.body
    # Contact encrypted at rest; the invitation on its timeline.
    expert.refresh_from_db()
    assert "13800138000" not in expert.phone_encrypted and expert.send_count == 1
    assert Event.objects.for_object(expert).get().action == A.INVITE

    # A member is reached at their account's mobile; a member without one only in the
    # workspace (no message, nothing claimed as sent).
    cast.member.phone = "13900001234"
    cast.member.save()
    with django_capture_on_commit_callbacks(execute=True):
        member = invitation_create(
            meeting=meeting,
            data=InviteeInput(kind=InviteeKind.MEMBER, member=_seat(cast)),
            actor=cast.staff,
        )
    assert sms[-1][0] == "13900001234" and member.name == cast.member.name
    assert len(sms) == 2


def test_the_invitee_accepts_declines_with_a_reason_and_changes_their_mind_by_the_link(
    cast: Cast,
) -> None:
    invitation = _expert(_meeting(cast), cast)
    url = reverse("consultations:invitation", args=[invitation.token])
    page = _client().get(url)
    assert page.status_code == 200 and "天河南街党群服务中心" in page.content.decode()

    response = _client().post(url, {"action": "accept"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED and invitation.answered_at
    event = Event.objects.for_object(invitation).last()
    assert event is not None and event.action == A.ACCEPT
    assert event.actor_kind == ActorKind.CITIZEN

    _client().post(url, {"action": "decline", "reason": "当天出差"})
    invitation.refresh_from_db()
    assert (invitation.status, invitation.reason) == (InvitationStatus.DECLINED, "当天出差")
    # A second "decline" is refused in Chinese, nothing changed.
    before = _state(invitation)
    response = _client().post(url, {"action": "decline", "reason": "改个理由"})
    assert response.status_code == 409 and "您已经谢绝" in response.content.decode()
    assert _state(invitation) == before


def test_a_forged_or_foreign_token_is_refused_in_chinese_and_changes_nothing(cast: Cast) -> None:
    invitation = _expert(_meeting(cast), cast)
    before = _state(invitation)
    altered = invitation.token[:-1] + ("B" if invitation.token[-1] == "A" else "A")
    for token in ("x" * 22, altered, "a", invitation.token + "x" * 20):
        response = _client().post(f"/invitation/{token}/", {"action": "accept"})
        assert response.status_code == 404, token
        assert "邀请链接无效" in response.content.decode()
    # Another record's signed token (the event's sign-in code) is no invitation either.
    from xieshang.consultations.selectors import sign_in_token

    foreign = sign_in_token(meeting=invitation.meeting)
    assert _client().post(f"/invitation/{foreign}/", {"action": "accept"}).status_code == 404
    assert _state(invitation) == before


def test_after_the_event_begins_the_link_has_expired_and_nothing_changes(cast: Cast) -> None:
    meeting = _meeting(cast)
    accepted = _expert(meeting, cast)
    invitation_answer(invitation=accepted, action=A.ACCEPT)
    silent = _expert(meeting, cast, name="李工", phone="13800138001")
    # The event began an hour ago.
    started = timezone.localtime() - timedelta(hours=1)
    Meeting.objects.filter(pk=meeting.pk).update(date=started.date(), time=started.time())
    for invitation, action in ((silent, "accept"), (accepted, "decline")):
        before = _state(invitation)
        url = reverse("consultations:invitation", args=[invitation.token])
        page = _client().get(url).content.decode()
        assert "邀请已过期" in page and 'id="accept"' not in page
        response = _client().post(url, {"action": action})
        assert response.status_code == 400 and "邀请已过期" in response.content.decode()
        assert _state(invitation) == before
    # Nor may staff invite anyone any more.
    with pytest.raises(DomainError, match="活动已开始"):
        _expert(meeting, cast, name="王工", phone="13800138002")


def test_a_cancelled_event_tells_those_still_coming_and_refuses_answers_and_invitations(
    cast: Cast, sms: Any, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = _meeting(cast)
    coming = _expert(meeting, cast)
    declined = _expert(meeting, cast, name="李工", phone="13800138001")
    invitation_answer(invitation=declined, action=A.DECLINE)
    sms.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(cast.staff).post(
            reverse("consultations:meeting_cancel", args=[meeting.pk]),
            {"note": "台风", "expected_state": "scheduled"},
        )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert [to for to, _t in sms] == ["13800138000"] and "取消" in sms[0][1]
    assert Event.objects.for_object(meeting.topic).filter(action=A.CANCEL_MEETING).exists()

    before = _state(coming)
    response = _client().post(
        reverse("consultations:invitation", args=[coming.token]), {"action": "decline"}
    )
    assert response.status_code == 400 and "活动已取消" in response.content.decode()
    assert _state(coming) == before
    with pytest.raises(DomainError, match="活动已取消"):
        _expert(meeting, cast, name="王工", phone="13800138002")
    with pytest.raises(DomainError):
        meeting_cancel(meeting=meeting, actor=cast.staff)


def test_a_member_answers_in_the_workspace_and_cannot_answer_anothers(cast: Cast) -> None:
    meeting = _meeting(cast)
    mine = invitation_create(
        meeting=meeting,
        data=InviteeInput(kind=InviteeKind.MEMBER, member=_seat(cast)),
        actor=cast.staff,
    )
    expert = _expert(meeting, cast)
    member = _client(cast.member)
    home = member.get(reverse("workspace:home")).content.decode()
    assert "1 项待回复" in home or "1 to answer" in home
    page = member.get(reverse("consultations:my_invitations")).content.decode()
    assert "龙口东路下水道返臭" in page and "钟工" not in page

    response = member.post(
        reverse("consultations:invitation_answer", args=[mine.pk]),
        {"action": "decline", "reason": "外出调研", "expected_state": "invited"},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.status, mine.reason) == (InvitationStatus.DECLINED, "外出调研")
    assert Event.objects.for_object(mine).last().actor == cast.member  # type: ignore[union-attr]

    # Someone else's invitation: not found, nothing changed; nor by the service.
    before = _state(expert)
    response = member.post(
        reverse("consultations:invitation_answer", args=[expert.pk]), {"action": "accept"}
    )
    assert response.status_code == 404
    with pytest.raises(Forbidden):
        invitation_answer(invitation=expert, action=A.ACCEPT, actor=cast.member)
    assert _state(expert) == before


def test_staff_see_who_answered_resend_and_record_an_answer_given_by_phone(
    cast: Cast, sms: Any, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = _meeting(cast)
    accepted = _expert(meeting, cast)
    invitation_answer(invitation=accepted, action=A.ACCEPT)
    declined = _expert(meeting, cast, name="李工", phone="13800138001")
    invitation_answer(invitation=declined, action=A.DECLINE, reason="身体不适")
    silent = _expert(meeting, cast, name="王工", email="wang@example.com", phone="")
    url = reverse("consultations:meeting", args=[meeting.pk])

    page = _client(cast.staff).get(url).content.decode()
    found = {k: re.search(rf'id="count-{k}">(\d+)<', page) for k in COUNTS}
    counts = {k: m.group(1) for k, m in found.items() if m is not None}
    assert counts == {"invited": "3", "accepted": "1", "declined": "1", "unanswered": "1"}
    assert "身体不适" in page and "138****8000" in page and "w***@example.com" in page
    assert "钟工（通过链接）" in page  # the answer by the link, named in the history
    assert "13800138000" not in page

    sms.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(cast.staff).post(
            reverse("consultations:invitation_resend", args=[declined.pk])
        )
    assert response.status_code == 302 and sms[-1][0] == "13800138001"
    declined.refresh_from_db()
    assert declined.send_count == 2
    assert Event.objects.for_object(declined).filter(action=A.RESEND).exists()

    _client(cast.staff).post(
        reverse("consultations:invitation_answer", args=[silent.pk]),
        {"action": "accept", "back": "meeting", "expected_state": "invited"},
    )
    silent.refresh_from_db()
    assert silent.status == InvitationStatus.ACCEPTED

    # Another district's staff: not found, nothing changed.
    before = _state(accepted)
    assert _client(cast.outsider).get(url).status_code == 404
    response = _client(cast.outsider).post(
        reverse("consultations:invitation_answer", args=[accepted.pk]), {"action": "decline"}
    )
    assert response.status_code == 404
    assert _state(accepted) == before


def test_bad_invitations_are_refused_in_chinese(cast: Cast) -> None:
    meeting = _meeting(cast)
    _expert(meeting, cast)
    count = Invitation.objects.count()
    with pytest.raises(Conflict, match="已邀请"):
        _expert(meeting, cast, name="钟工（重复）", phone="+86 13800138000")
    with pytest.raises(DomainError, match="手机号"):
        _expert(meeting, cast, name="赵工", phone="12345")
    with pytest.raises(DomainError, match="手机号码或电子邮箱"):
        _expert(meeting, cast, name="赵工", phone="")
    with pytest.raises(Forbidden):
        invitation_create(
            meeting=meeting,
            data=InviteeInput(kind=InviteeKind.CITIZEN, name="赵", phone="13800138009"),
            actor=cast.outsider,
        )
    haizhu_member = Member.objects.filter(committee=cast.haizhu).first()
    if haizhu_member is not None:
        with pytest.raises(DomainError):
            invitation_create(
                meeting=meeting,
                data=InviteeInput(kind=InviteeKind.MEMBER, member=haizhu_member),
                actor=cast.staff,
            )
    assert Invitation.objects.count() == count
    # The form says so too, and keeps what was typed.
    response = _client(cast.staff).post(
        reverse("consultations:invite", args=[meeting.pk]),
        {"form": "person", "kind": "citizen", "name": "赵先生", "phone": "", "email": ""},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "手机号码或电子邮箱" in body and "赵先生" in body
    assert Invitation.objects.count() == count


def test_a_change_of_time_or_place_is_told_to_those_still_coming(
    cast: Cast, sms: Any, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = _meeting(cast)
    _expert(meeting, cast)
    declined = _expert(meeting, cast, name="李工", phone="13800138001")
    invitation_answer(invitation=declined, action=A.DECLINE)
    sms.clear()
    new_day = meeting.date + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(cast.staff).post(
            reverse("consultations:meeting_change", args=[meeting.pk]),
            {"date": new_day.isoformat(), "time": "09:30", "place": "区政协会议室"},
        )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.date, meeting.time, meeting.place) == (new_day, time(9, 30), "区政协会议室")
    assert [to for to, _t in sms] == ["13800138000"]
    assert "区政协会议室" in sms[0][1] and "09:30" in sms[0][1]
    assert Event.objects.for_object(meeting.topic).filter(action=A.CHANGE_MEETING).exists()
    # To a time that has passed, or nothing new: refused, nothing changed.
    with pytest.raises(DomainError, match="尚未过去的时间"):
        meeting_change(
            meeting=meeting,
            day=timezone.localdate(),
            at=time(8),
            place="x",
            actor=cast.staff,
            now=datetime.combine(
                timezone.localdate(), time(9), tzinfo=timezone.get_current_timezone()
            ),
        )
    with pytest.raises(DomainError):
        meeting_change(
            meeting=meeting, day=new_day, at=time(9, 30), place="区政协会议室", actor=cast.staff
        )
    meeting.refresh_from_db()
    assert meeting.place == "区政协会议室"


def test_the_day_before_those_still_coming_are_reminded_once(
    cast: Cast, sms: Any, django_capture_on_commit_callbacks: Any
) -> None:
    tomorrow = _meeting(cast, days=1)
    later = _meeting(cast, days=5)
    accepted = _expert(tomorrow, cast)
    invitation_answer(invitation=accepted, action=A.ACCEPT)
    silent = _expert(tomorrow, cast, name="李工", phone="13800138001")
    declined = _expert(tomorrow, cast, name="王工", phone="13800138002")
    invitation_answer(invitation=declined, action=A.DECLINE)
    _expert(later, cast, name="赵工", phone="13800138003")
    cancelled = _meeting(cast, days=1)
    _expert(cancelled, cast, name="孙工", phone="13800138004")
    meeting_cancel(meeting=cancelled, actor=cast.staff)
    sms.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert invitations_remind_due() == 2
    assert sorted(to for to, _t in sms) == ["13800138000", "13800138001"]
    assert all("明天" in text for _to, text in sms)
    for invitation in (accepted, silent):
        invitation.refresh_from_db()
        assert invitation.reminded_at is not None
        event = Event.objects.for_object(invitation).last()
        assert event is not None and event.action == A.REMIND
        assert event.actor_kind == ActorKind.SYSTEM
    # Run again (the next hour, or two beats at once): nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        assert invitations_remind_due() == 0
    assert len(sms) == 2
    # Nor after the event moves within tomorrow: the change is its own notice.
    meeting_change(
        meeting=tomorrow, day=tomorrow.date, at=time(16), place="新地点", actor=cast.staff
    )
    assert invitations_remind_due() == 0


def test_the_periodic_job_is_on_the_beat_and_runs_the_service(cast: Cast) -> None:
    from django.conf import settings

    from xieshang.consultations import tasks

    entry = settings.CELERY_BEAT_SCHEDULE["consultations-remind-invitees"]
    assert entry["task"] == "consultations.remind_invitees"
    _expert(_meeting(cast, days=1), cast)
    assert tasks.remind_invitees() == 1
    assert tasks.remind_invitees() == 0


def test_services_take_the_clock_they_are_given(cast: Cast) -> None:
    meeting = _meeting(cast, days=10)
    invitation = _expert(meeting, cast)
    late = datetime.combine(meeting.date, time(15), tzinfo=timezone.get_current_timezone())
    before = _state(invitation)
    with pytest.raises(DomainError, match="邀请已过期"):
        invitation_answer(invitation=invitation, action=A.ACCEPT, now=late)
    assert _state(invitation) == before


def test_a_cancelled_event_was_not_held_for_the_figures_nor_the_public_page(cast: Cast) -> None:
    from xieshang.consultations.selectors import consultation_figures, meetings_of_committees

    held = _meeting(cast, days=2)
    cancelled = _meeting(cast, days=3)
    meeting_cancel(meeting=cancelled, actor=cast.staff)
    assert list(meetings_of_committees([cast.tianhe.pk])) == [held]
    assert consultation_figures(committee_ids=[cast.tianhe.pk]).meetings == 1


def test_members_are_invited_all_at_once_or_not_at_all(cast: Cast) -> None:
    from xieshang.conftest import make_user

    meeting = _meeting(cast)
    other = Member.objects.create(committee=cast.tianhe, user=make_user("t.m3", "天河委员丙"))
    response = _client(cast.staff).post(
        reverse("consultations:invite", args=[meeting.pk]),
        {"form": "members", "members": [_seat(cast).pk, other.pk]},
    )
    assert response.status_code == 302
    assert set(meeting.invitations.values_list("member_id", flat=True)) == {
        _seat(cast).pk,
        other.pk,
    }
    # One of them invited already: refused, and the new one is not invited either.
    third = Member.objects.create(committee=cast.tianhe, user=make_user("t.m4", "天河委员丁"))
    with pytest.raises(Conflict):
        members_invite(meeting=meeting, members=[third, other], actor=cast.staff)
    assert not meeting.invitations.filter(member=third).exists()
    # A member of another district is not offered by the form.
    haizhu = Member.objects.create(committee=cast.haizhu, user=make_user("h.m9", "海珠委员"))
    response = _client(cast.staff).post(
        reverse("consultations:invite", args=[meeting.pk]),
        {"form": "members", "members": [haizhu.pk]},
    )
    assert response.status_code == 400
    assert not meeting.invitations.filter(member=haizhu).exists()
