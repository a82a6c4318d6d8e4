"""The staff side: triage, dispositions, referral to a department, the department's
reply, approval, and the citizen's rating — each step through the workflow."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from xieshang.conftest import Cast, make_staff, make_user
from xieshang.core.errors import DomainError, Forbidden, TransitionNotAllowed
from xieshang.core.models import Event
from xieshang.people.models import Department, DepartmentClerk, Member, StaffRole
from xieshang.suggestions import services
from xieshang.suggestions.models import (
    DispositionKind,
    Rating,
    ReferralStatus,
    SuggestionStatus,
)
from xieshang.suggestions.tests.conftest import submit

SHANGHAI = ZoneInfo("Asia/Shanghai")


def act(client: Client, suggestion, **data):
    data.setdefault("expected_state", suggestion.status)
    return client.post(reverse("suggestions:act", args=[suggestion.pk]), data)


@pytest.fixture
def staff_client(cast: Cast, client: Client) -> Client:
    client.force_login(cast.staff)
    return client


def test_the_inbox_shows_only_the_staffs_committee(cast, places, client) -> None:
    mine = submit(cast)
    theirs = submit(cast, committee=cast.haizhu, title="海珠的诉求标题")
    client.force_login(cast.staff)
    body = client.get(reverse("suggestions:inbox")).content.decode()
    assert mine.title in body and theirs.title not in body
    assert client.get(reverse("suggestions:detail", args=[theirs.pk])).status_code == 404
    client.force_login(cast.member)
    assert client.get(reverse("suggestions:inbox")).status_code == 403


def test_the_inbox_filters(cast, places, staff_client) -> None:
    first = submit(cast, category=places["category"], area=places["community"])
    second = submit(cast, title="另一条诉求标题")
    url = reverse("suggestions:inbox")
    body = staff_client.get(url, {"category": places["category"].pk}).content.decode()
    assert first.title in body and second.title not in body
    body = staff_client.get(url, {"area": places["street"].pk}).content.decode()
    assert first.title in body and second.title not in body
    body = staff_client.get(url, {"q": second.tracking_code}).content.decode()
    assert second.title in body and first.title not in body
    assert staff_client.get(url, {"since": "not-a-date", "sort": "drop table"}).status_code == 200


def test_triage_then_offer_then_a_member_claims(cast, places, staff_client) -> None:
    suggestion = submit(cast)
    act(staff_client, suggestion, action="triage")
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.handler) == (SuggestionStatus.TRIAGE, cast.staff)
    act(staff_client, suggestion, action="offer", note="适合培育成提案")
    member_client = Client()
    member_client.force_login(cast.member)
    assert suggestion.title in member_client.get(reverse("suggestions:offered")).content.decode()
    response = member_client.post(reverse("proposals:claim", args=[suggestion.pk]))
    assert response.status_code == 302
    claim = suggestion.dispositions.get(kind=DispositionKind.MEMBER_CLAIM)
    assert claim.member == Member.objects.get(user=cast.member)
    response = member_client.post(reverse("proposals:claim", args=[suggestion.pk]))
    assert response.status_code == 400  # already claimed
    assert suggestion.dispositions.filter(kind=DispositionKind.MEMBER_CLAIM).count() == 1


def test_a_member_cannot_claim_what_was_not_offered(cast, places) -> None:
    suggestion = submit(cast)
    services.suggestion_transition(suggestion=suggestion, action="triage", actor=cast.staff)
    with pytest.raises(DomainError):
        services.suggestion_claim(
            suggestion=suggestion, member=cast.member.seats.get(), actor=cast.member
        )


def test_the_whole_referral_loop(cast, places, staff_client, time_machine) -> None:
    time_machine.move_to(datetime(2026, 11, 27, 18, 0, tzinfo=SHANGHAI))  # a Friday evening
    suggestion = submit(cast)
    act(staff_client, suggestion, action="triage")
    suggestion.refresh_from_db()
    response = act(
        staff_client,
        suggestion,
        action="refer",
        department=cast.department.pk,
        note="请核查并整治",
        share_contact="on",
    )
    assert response.status_code == 302
    referral = suggestion.referrals.get()
    # 15 working days after Friday 27 November 2026: Friday 18 December, end of day.
    assert referral.deadline.astimezone(SHANGHAI).date().isoformat() == "2026-12-18"
    assert referral.deadline.astimezone(SHANGHAI).hour == 23

    clerk = Client()
    clerk.force_login(cast.clerk)
    assert suggestion.title in clerk.get(reverse("suggestions:referrals")).content.decode()
    detail = clerk.get(reverse("suggestions:referral", args=[referral.pk])).content.decode()
    assert "138****5678" in detail  # shared for this referral
    url = reverse("suggestions:referral_act", args=[referral.pk])
    clerk.post(url, {"action": "sign", "expected_state": "sent"})
    clerk.post(
        url,
        {
            "action": "reply",
            "expected_state": "signed",
            "result": "resolved",
            "note": "已完成管道清疏，并加装防臭设施。",
        },
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REPLIED
    suggestion.refresh_from_db()
    assert suggestion.public_answer == ""  # not before staff approve it

    staff_client.post(url, {"action": "approve", "expected_state": "replied"})
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ANSWERED
    assert "已完成管道清疏" in suggestion.public_answer

    citizen = Client()
    page = f"/t/{suggestion.tracking_code}/"
    assert "已完成管道清疏" in citizen.get(page).content.decode()
    citizen.post(
        page,
        {
            "form": "rate",
            "rating": "unsatisfied",
            "comment": "还是臭",
            "expected_state": "answered",
        },
    )
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.rating) == (SuggestionStatus.TRIAGE, Rating.UNSATISFIED)
    actions = list(Event.objects.for_object(suggestion).values_list("action", flat=True))
    assert actions == ["submit", "triage", "refer", "answer", "rate_bad"]


def test_a_clerk_of_another_department_sees_nothing(cast, places) -> None:
    suggestion = submit(cast)
    services.suggestion_transition(suggestion=suggestion, action="triage", actor=cast.staff)
    referral = services.referral_create(
        suggestion=suggestion, department=cast.department, instructions="", actor=cast.staff
    )
    other = Department.objects.create(committee=cast.tianhe, name="天河区水务局")
    clerk = make_user("t.water", "水务承办人")
    DepartmentClerk.objects.create(user=clerk, department=other)
    client = Client()
    client.force_login(clerk)
    assert client.get(reverse("suggestions:referral", args=[referral.pk])).status_code == 404
    with pytest.raises(Forbidden):
        services.referral_transition(
            referral=referral, action="sign", actor=clerk, expected_state=None
        )
    detail = Client()
    detail.force_login(cast.clerk)
    body = detail.get(reverse("suggestions:referral", args=[referral.pk])).content.decode()
    assert "138****5678" not in body  # not shared


def test_a_department_may_ask_to_return_it_with_a_reason(cast, places) -> None:
    suggestion = submit(cast)
    services.suggestion_transition(suggestion=suggestion, action="triage", actor=cast.staff)
    referral = services.referral_create(
        suggestion=suggestion, department=cast.department, instructions="", actor=cast.staff
    )
    with pytest.raises(TransitionNotAllowed):
        services.referral_transition(
            referral=referral, action="ask_return", actor=cast.clerk, expected_state=None
        )
    services.referral_transition(
        referral=referral,
        action="ask_return",
        actor=cast.clerk,
        note="不属于本单位职责",
        expected_state="sent",
    )
    services.referral_transition(
        referral=referral, action="accept_return", actor=cast.staff, expected_state=None
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RETURNED


def test_staff_answer_directly_reject_with_a_reason_and_merge(cast, places, staff_client) -> None:
    main, duplicate, rejected = submit(cast), submit(cast), submit(cast)
    act(staff_client, main, action="triage")
    main.refresh_from_db()
    act(staff_client, main, action="answer", note="已转交相关部门研究。")
    main.refresh_from_db()
    assert main.status == SuggestionStatus.ANSWERED and main.public_answer

    assert act(staff_client, rejected, action="reject", note="").status_code == 400
    act(staff_client, rejected, action="reject", reason="litigation", note="已进入诉讼程序")
    rejected.refresh_from_db()
    assert rejected.status == SuggestionStatus.REJECTED

    act(staff_client, duplicate, action="merge", into=main.tracking_code)
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == (SuggestionStatus.MERGED, main)
    page = Client().get(f"/t/{duplicate.tracking_code}/").content.decode()
    assert main.tracking_code in page and "已转交相关部门研究" in page


def test_a_stale_form_answers_409(cast, places, staff_client) -> None:
    suggestion = submit(cast)
    act(staff_client, suggestion, action="triage", expected_state="new")
    response = act(staff_client, suggestion, action="triage", expected_state="new")
    assert response.status_code == 409
    assert Event.objects.for_object(suggestion).filter(action="triage").count() == 1


def test_revealing_the_phone_number_is_a_permission_and_is_logged(cast, places, client) -> None:
    suggestion = submit(cast)
    url = reverse("suggestions:reveal_contact", args=[suggestion.pk])
    client.force_login(cast.staff)
    response = client.post(url)
    assert "13812345678" in response.content.decode()
    # A passing notice says it is on the record (htmx raises "toast" from the header).
    toast = json.loads(response["HX-Trigger"])["toast"]
    assert toast["text"] == "查看号码已记入履历。"
    event = Event.objects.for_object(suggestion).get(action="reveal_contact")
    assert (event.actor, event.is_public) == (cast.staff, False)
    coordinator = make_staff("t.c", "统筹", cast.tianhe, StaffRole.WORKROOM_COORDINATOR)
    client.force_login(coordinator)
    assert client.post(url).status_code == 403
    assert Event.objects.for_object(suggestion).filter(action="reveal_contact").count() == 1


def test_the_public_results_show_answered_suggestions_without_personal_data(
    cast, places, client
) -> None:
    answered, pending = submit(cast, title="已答复的诉求"), submit(cast, title="未答复的诉求")
    services.suggestion_transition(suggestion=answered, action="triage", actor=cast.staff)
    services.suggestion_answer(suggestion=answered, actor=cast.staff, answer="已经修好。")
    body = client.get(reverse("suggestions:results", args=["tianhe"])).content.decode()
    assert answered.title in body and "已经修好" in body
    assert pending.title not in body
    assert "李女士" not in body and "13812345678" not in body and "****5678" not in body


def test_a_department_sees_the_number_only_when_shared_and_each_look_is_logged(
    cast, places
) -> None:
    shared, private = submit(cast), submit(cast)
    referrals = {}
    for suggestion, share in ((shared, True), (private, False)):
        services.suggestion_transition(suggestion=suggestion, action="triage", actor=cast.staff)
        referrals[share] = services.referral_create(
            suggestion=suggestion,
            department=cast.department,
            instructions="",
            actor=cast.staff,
            share_contact=share,
        )
    clerk = Client()
    clerk.force_login(cast.clerk)
    response = clerk.post(reverse("suggestions:referral_contact", args=[referrals[True].pk]))
    assert "13812345678" in response.content.decode()
    event = Event.objects.for_object(shared).get(action="reveal_contact")
    assert event.actor == cast.clerk
    response = clerk.post(reverse("suggestions:referral_contact", args=[referrals[False].pk]))
    assert response.status_code == 403
    assert not Event.objects.for_object(private).filter(action="reveal_contact").exists()


def test_a_second_departments_reply_joins_the_answer(cast, places) -> None:
    suggestion = submit(cast)
    services.suggestion_transition(suggestion=suggestion, action="triage", actor=cast.staff)
    water = Department.objects.create(committee=cast.tianhe, name="天河区水务局")
    clerk = make_user("t.water", "水务承办人")
    DepartmentClerk.objects.create(user=clerk, department=water)
    replies = {cast.department: (cast.clerk, "已清疏管道。"), water: (clerk, "已改造排水口。")}
    referrals = {
        department: services.referral_create(
            suggestion=suggestion, department=department, instructions="", actor=cast.staff
        )
        for department in replies
    }
    for department, (who, text) in replies.items():
        referral = referrals[department]
        services.referral_transition(
            referral=referral, action="sign", actor=who, expected_state=None
        )
        services.referral_reply(
            referral=referral, actor=who, text=text, result="resolved", expected_state=None
        )
        services.referral_approve(referral=referral, actor=cast.staff, expected_state=None)
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ANSWERED
    assert "已清疏管道" in suggestion.public_answer and "已改造排水口" in suggestion.public_answer
    assert Event.objects.for_object(suggestion).filter(action="answer_added").count() == 1
    # The departments answered, not staff: the dispositions are the two referrals, no
    # 直接答复 (which the figures count apart).
    kinds = sorted(suggestion.dispositions.values_list("kind", flat=True))
    assert kinds == [DispositionKind.REFERRAL, DispositionKind.REFERRAL]
