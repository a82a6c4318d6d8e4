"""The talk record: one step that completes the booking and turns what the citizen
raised into suggestions (云工作室 → 百姓提案), or changes nothing at all."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from xieshang.core.errors import Conflict, DomainError, Forbidden
from xieshang.core.models import Event
from xieshang.core.sms import ConsoleBackend
from xieshang.duty.models import Booking, BookingStatus, Talk
from xieshang.duty.services.talks import (
    RaisedIssue,
    booking_check_in,
    talk_idempotency_key,
    talk_record,
)
from xieshang.duty.tests.test_talks import (  # noqa: F401 (fixtures)
    PHONE,
    TALK,
    Talks,
    act,
    frozen,
    login,
    status_of,
    talks,
    url,
)
from xieshang.suggestions.models import Category, Channel, Source, Suggestion, SuggestionStatus
from xieshang.testing import dispatch

ISSUES = [
    RaisedIssue(title="小区加装电梯进展慢", content="小区加装电梯审批时间长，希望简化流程。"),
    RaisedIssue(title="社区停车位不足", content="晚上社区停车位严重不足，建议开放学校操场。"),
]


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    """Messages are matched by their English msgids, whatever the catalogue says."""
    with translation.override("en"):
        yield


@pytest.fixture
def checked_in(talks: Talks, frozen: Any) -> Booking:  # noqa: F811
    frozen.move_to(TALK)
    booking_check_in(booking=talks.booking, actor=talks.cast.member)
    frozen.move_to(TALK + timedelta(minutes=25))
    talks.booking.refresh_from_db()
    return talks.booking


def assert_nothing_recorded(booking: Booking, status: str) -> None:
    assert Suggestion.objects.count() == 0
    assert not Talk.objects.exists()
    assert status_of(booking) == status
    assert not Event.objects.for_object(booking).filter(action="record").exists()


def test_it_records_a_talk_and_makes_a_suggestion_per_issue(
    talks: Talks,  # noqa: F811
    checked_in: Booking,
) -> None:
    category = Category.objects.create(committee=talks.cast.tianhe, name="城乡建设")
    issues = [ISSUES[0], RaisedIssue(ISSUES[1].title, ISSUES[1].content, category)]
    talk = talk_record(
        booking=checked_in,
        actor=talks.cast.member,
        summary="市民反映电梯加装和停车两件事。",
        citizen_consented=True,
        issues=issues,
    )
    assert status_of(checked_in) == BookingStatus.COMPLETED
    assert talk.recorded_by == talks.cast.member and talk.citizen_consented
    made = list(talk.suggestions.order_by("id"))
    assert [s.title for s in made] == [i.title for i in ISSUES]
    for suggestion in made:
        assert suggestion.committee == talks.cast.tianhe
        assert suggestion.channel == Channel.CLOUD
        assert suggestion.source == Source.ON_BEHALF
        assert suggestion.entered_by == talks.cast.member
        assert suggestion.workroom == talks.cast.workroom
        assert suggestion.citizen_name == "陈先生"
        assert suggestion.phone_masked == "138****5678"
        assert suggestion.status == SuggestionStatus.NEW
        assert list(suggestion.talks.all()) == [talk]  # linked both ways
    assert made[0].category is None and made[1].category == category
    assert [s.idempotency_key for s in made] == [
        talk_idempotency_key(checked_in, 1),
        talk_idempotency_key(checked_in, 2),
    ]
    record = Event.objects.for_object(checked_in).get(action="record")
    assert (record.actor, record.to_state) == (talks.cast.member, BookingStatus.COMPLETED)
    submitted = Event.objects.filter(action="submit", actor=talks.cast.member)
    assert submitted.count() == 2


def test_a_talk_without_issues_makes_no_suggestion(
    talks: Talks,  # noqa: F811
    checked_in: Booking,
) -> None:
    talk = talk_record(
        booking=checked_in,
        actor=talks.cast.member,
        summary="市民咨询政策，当场解答。",
        citizen_consented=False,
        issues=[],
    )
    assert talk.suggestions.count() == 0 and Suggestion.objects.count() == 0
    assert status_of(checked_in) == BookingStatus.COMPLETED


def test_staff_may_record_a_talk(talks: Talks, checked_in: Booking) -> None:  # noqa: F811
    talk = talk_record(
        booking=checked_in,
        actor=talks.cast.staff,
        summary="由工作人员代为记录。",
        citizen_consented=True,
        issues=ISSUES[:1],
    )
    assert talk.suggestions.get().entered_by == talks.cast.staff


def test_issues_without_consent_are_refused(
    talks: Talks,  # noqa: F811
    checked_in: Booking,
) -> None:
    with pytest.raises(DomainError, match="not agreed"):
        talk_record(
            booking=checked_in,
            actor=talks.cast.member,
            summary="市民反映问题。",
            citizen_consented=False,
            issues=ISSUES,
        )
    assert_nothing_recorded(checked_in, BookingStatus.CHECKED_IN)


def test_a_booking_not_checked_in_is_refused(talks: Talks) -> None:  # noqa: F811
    with pytest.raises(DomainError, match="Check the citizen in"):
        talk_record(
            booking=talks.booking,
            actor=talks.cast.member,
            summary="市民反映问题。",
            citizen_consented=True,
            issues=ISSUES,
        )
    assert_nothing_recorded(talks.booking, BookingStatus.CONFIRMED)


def test_a_second_record_is_refused(talks: Talks, checked_in: Booking) -> None:  # noqa: F811
    first = talk_record(
        booking=checked_in,
        actor=talks.cast.member,
        summary="第一次记录。",
        citizen_consented=True,
        issues=ISSUES[:1],
    )
    with pytest.raises(Conflict):
        talk_record(
            booking=checked_in,
            actor=talks.cast.member,
            summary="再记一次。",
            citizen_consented=True,
            issues=ISSUES,
        )
    # A stale copy of the booking (another tab still showing "checked in"): refused too.
    stale = Booking.objects.get(pk=checked_in.pk)
    stale.status = BookingStatus.CHECKED_IN
    with pytest.raises(Conflict):
        talk_record(
            booking=stale,
            actor=talks.cast.member,
            summary="再记一次。",
            citizen_consented=True,
            issues=ISSUES,
        )
    assert list(Talk.objects.all()) == [first]
    assert Suggestion.objects.count() == 1
    assert Event.objects.for_object(checked_in).filter(action="record").count() == 1


def test_another_member_may_not_record(talks: Talks, checked_in: Booking) -> None:  # noqa: F811
    with pytest.raises(Forbidden):
        talk_record(
            booking=checked_in,
            actor=talks.other,
            summary="不是我的谈话。",
            citizen_consented=True,
            issues=ISSUES,
        )
    assert_nothing_recorded(checked_in, BookingStatus.CHECKED_IN)


@pytest.mark.parametrize(
    "summary, issues, message",
    [
        ("   ", [], "Write down"),
        ("记录", ISSUES * 3, "At most 5"),
        ("记录", [RaisedIssue(title="", content="内容内容内容内容")], "Each issue"),
        ("记录", [RaisedIssue(title="标" * 61, content="内容内容内容内容")], "Each issue"),
    ],
)
def test_bad_input_is_refused(
    talks: Talks,  # noqa: F811
    checked_in: Booking,
    summary: str,
    issues: list[RaisedIssue],
    message: str,
) -> None:
    with pytest.raises(DomainError, match=message):
        talk_record(
            booking=checked_in,
            actor=talks.cast.member,
            summary=summary,
            citizen_consented=True,
            issues=issues,
        )
    assert_nothing_recorded(checked_in, BookingStatus.CHECKED_IN)


def test_a_category_of_another_committee_is_refused(
    talks: Talks,  # noqa: F811
    checked_in: Booking,
) -> None:
    theirs = Category.objects.create(committee=talks.cast.haizhu, name="城乡建设")
    with pytest.raises(DomainError, match="category of this committee"):
        talk_record(
            booking=checked_in,
            actor=talks.cast.member,
            summary="记录",
            citizen_consented=True,
            issues=[ISSUES[0], RaisedIssue(ISSUES[1].title, ISSUES[1].content, theirs)],
        )
    assert_nothing_recorded(checked_in, BookingStatus.CHECKED_IN)


# --- The page ----------------------------------------------------------------------


def form(
    summary: str = "市民反映两件事。", consent: bool = True, issues: dict[str, str] | None = None
) -> dict[str, str]:
    data = {
        "summary": summary,
        "issue-TOTAL_FORMS": "5",
        "issue-INITIAL_FORMS": "0",
        "issue-MIN_NUM_FORMS": "0",
        "issue-MAX_NUM_FORMS": "5",
    }
    if consent:
        data["citizen_consented"] = "on"
    data.update(issues or {})
    return data


TWO_ISSUES = {
    "issue-0-title": ISSUES[0].title,
    "issue-0-content": ISSUES[0].content,
    "issue-2-title": ISSUES[1].title,  # a blank row in between is skipped
    "issue-2-content": ISSUES[1].content,
}


def test_the_member_records_the_talk_on_the_page(
    talks: Talks,  # noqa: F811
    checked_in: Booking,
    client: Client,
) -> None:
    login(client, talks.cast.member)
    page = client.get(url("appointment", checked_in))
    assert page.context["can_record"] and page.context["actions"] == []
    response = client.post(url("talk_record", checked_in), form(issues=TWO_ISSUES))
    assert response.status_code == 302
    talk = Talk.objects.get(booking=checked_in)
    assert talk.suggestions.count() == 2
    body = client.get(url("appointment", checked_in)).content.decode()
    assert "市民反映两件事。" in body
    for suggestion in talk.suggestions.all():
        assert suggestion.tracking_code in body
        # A member cannot open the staff's suggestion page: no link for them.
        assert f"/work/suggestions/{suggestion.pk}/" not in body
    # Staff follow the links to the suggestions.
    login(client, talks.cast.staff)
    body = client.get(url("appointment", checked_in)).content.decode()
    for suggestion in talk.suggestions.all():
        assert url_of(suggestion) in body


def url_of(suggestion: Suggestion) -> str:
    return reverse("suggestions:detail", args=[suggestion.pk])


def test_the_page_refuses_issues_without_consent(
    talks: Talks,  # noqa: F811
    checked_in: Booking,
    client: Client,
) -> None:
    login(client, talks.cast.member)
    response = client.post(url("talk_record", checked_in), form(consent=False, issues=TWO_ISSUES))
    assert response.status_code == 400
    assert response.context["talk_form"].errors["citizen_consented"]
    assert_nothing_recorded(checked_in, BookingStatus.CHECKED_IN)


def test_the_page_refuses_a_half_filled_issue(
    talks: Talks,  # noqa: F811
    checked_in: Booking,
    client: Client,
) -> None:
    login(client, talks.cast.member)
    response = client.post(
        url("talk_record", checked_in), form(issues={"issue-0-title": "只有标题"})
    )
    assert response.status_code == 400
    assert response.context["issue_forms"].forms[0].errors["content"]
    assert_nothing_recorded(checked_in, BookingStatus.CHECKED_IN)


def test_the_page_refuses_before_check_in_and_for_another_member(
    talks: Talks,  # noqa: F811
    client: Client,
) -> None:
    login(client, talks.cast.member)
    response = client.post(url("talk_record", talks.booking), form(issues=TWO_ISSUES))
    assert response.status_code == 400
    assert_nothing_recorded(talks.booking, BookingStatus.CONFIRMED)
    login(client, talks.other)
    response = client.post(url("talk_record", talks.booking), form(issues=TWO_ISSUES))
    assert response.status_code == 404
    login(client, talks.cast.clerk)
    assert client.post(url("talk_record", talks.booking), form()).status_code == 403
    assert client.get(url("talk_record", talks.booking)).status_code == 405
    assert_nothing_recorded(talks.booking, BookingStatus.CONFIRMED)


def test_a_second_post_of_the_form_gets_409(
    talks: Talks,  # noqa: F811
    checked_in: Booking,
    client: Client,
) -> None:
    login(client, talks.cast.member)
    assert client.post(url("talk_record", checked_in), form(issues=TWO_ISSUES)).status_code == 302
    assert client.post(url("talk_record", checked_in), form(issues=TWO_ISSUES)).status_code == 409
    assert Suggestion.objects.count() == 2 and Talk.objects.count() == 1


# --- The whole step with real transactions (run on SQLite and on PostgreSQL) --------


@pytest.mark.django_db(transaction=True)
def test_the_record_step_commits_or_changes_nothing(
    talks: Talks,  # noqa: F811
    frozen: Any,  # noqa: F811
) -> None:
    frozen.move_to(TALK)
    booking = talks.booking
    booking_check_in(booking=booking, actor=talks.cast.member)
    ConsoleBackend.outbox.clear()

    # Refused half-way, after the booking moved and the talk was written: the citizen's
    # number was encrypted under a key that is gone. Everything is rolled back.
    token = booking.phone_encrypted
    Booking.objects.filter(pk=booking.pk).update(phone_encrypted="not-a-fernet-token")
    booking.refresh_from_db()
    with pytest.raises(DomainError, match="cannot be read"):
        talk_record(
            booking=booking,
            actor=talks.cast.member,
            summary="记录",
            citizen_consented=True,
            issues=ISSUES,
        )
    assert_nothing_recorded(booking, BookingStatus.CHECKED_IN)
    assert ConsoleBackend.outbox == []
    Booking.objects.filter(pk=booking.pk).update(phone_encrypted=token)
    booking.refresh_from_db()

    talk = talk_record(
        booking=booking,
        actor=talks.cast.member,
        summary="市民反映两件事。",
        citizen_consented=True,
        issues=ISSUES,
    )
    assert status_of(booking) == BookingStatus.COMPLETED
    codes = set(talk.suggestions.values_list("tracking_code", flat=True))
    assert len(codes) == 2
    dispatch()  # the beat: each new suggestion's acknowledgement
    # After commit the citizen is told the tracking codes at the booked number.
    texts = [text for phone, text in ConsoleBackend.outbox if phone == PHONE]
    assert {code for code in codes if any(code in text for text in texts)} == codes


def test_a_no_show_has_no_talk_to_record(talks: Talks, frozen: Any) -> None:  # noqa: F811
    frozen.move_to(TALK + timedelta(minutes=5))
    act(login(Client(), talks.cast.member), talks.booking, "no_show")
    talks.booking.refresh_from_db()
    translation.activate("en")  # the request above left its language active
    with pytest.raises(DomainError, match="no talk to record"):
        talk_record(
            booking=talks.booking,
            actor=talks.cast.member,
            summary="记录",
            citizen_consented=True,
            issues=ISSUES,
        )
    assert_nothing_recorded(talks.booking, BookingStatus.NO_SHOW)
