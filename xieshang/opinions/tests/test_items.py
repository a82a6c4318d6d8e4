"""社情民意 items: writing, the liaison office's steps and edits, issues, instructions, who
sees what, and the two starts from below (a citizen suggestion, a proposal not accepted)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from xieshang.conftest import Cast, make_staff, make_user
from xieshang.core.errors import Conflict, DomainError, Forbidden
from xieshang.core.models import Event
from xieshang.opinions.models import Issue, Item, ItemStatus, Series
from xieshang.opinions.services import (
    ItemData,
    instruction_add,
    issue_add,
    issue_close,
    issue_create,
    item_create,
    item_transition,
    item_update,
)
from xieshang.opinions.workflow import ITEM_WORKFLOW
from xieshang.people.models import Member, StaffRole
from xieshang.proposals.models import Conversion, NotAcceptedReason, ProposalCategory
from xieshang.proposals.services.office import proposal_reject
from xieshang.proposals.tests.test_office import make_proposal
from xieshang.suggestions.services import Intake, suggestion_submit, suggestion_transition

pytestmark = pytest.mark.django_db
S = ItemStatus


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def data(**kw: str) -> ItemData:
    base = {
        "title": "加快解除番禺广场地铁上盖区域围蔽",
        "situation": "番禺广场地铁上盖区域围蔽多年，市民出行不便。",
        "suggestion": "建议明确时间表，尽快解除围蔽。",
    }
    base.update(kw)
    return ItemData(base["title"], base["situation"], base["suggestion"])


def seat(cast: Cast) -> Member:
    return Member.objects.get(user=cast.member, committee=cast.tianhe)


def written(cast: Cast) -> Item:
    return item_create(actor=cast.member, committee=cast.tianhe, data=data(), author=seat(cast))


def adopted(cast: Cast) -> Item:
    item = written(cast)
    item_transition(actor=cast.member, item=item, action="submit")
    item_transition(actor=cast.staff, item=item, action="adopt", note="采用")
    return item


def test_a_member_writes_and_submits_and_the_office_adopts(cast: Cast) -> None:
    item = written(cast)
    assert item.status == S.DRAFT
    item_transition(actor=cast.member, item=item, action="submit", expected_state=S.DRAFT)
    item_transition(actor=cast.staff, item=item, action="send_back", note="请补充数据")
    assert Item.objects.get(pk=item.pk).status == S.RETURNED
    item_update(
        actor=cast.member,
        item=item,
        data=data(situation="补充：日均客流10万。"),
        expected_state=S.RETURNED,
    )
    item_transition(actor=cast.member, item=item, action="submit")
    item_transition(actor=cast.staff, item=item, action="adopt")
    assert Item.objects.get(pk=item.pk).status == S.ADOPTED
    actions = list(Event.objects.for_object(item).values_list("action", flat=True))
    assert actions == ["create", "submit", "send_back", "edit", "submit", "adopt"]


@pytest.mark.parametrize(
    ("role", "action", "allowed"),
    [
        ("member", "submit", True),
        ("staff", "submit", False),
        ("outsider", "submit", False),
        ("member", "adopt", False),
        ("staff", "adopt", True),
        ("outsider", "adopt", False),
        ("clerk", "adopt", False),
        ("leader", "adopt", False),
    ],
)
def test_workflow_table_per_role(cast: Cast, role: str, action: str, allowed: bool) -> None:
    item = written(cast)
    if action == "adopt":
        item_transition(actor=cast.member, item=item, action="submit")
    actor = getattr(cast, role)
    assert (action in ITEM_WORKFLOW.available_by_action(item, actor)) is allowed
    if not allowed:
        before = item.status
        with pytest.raises(Forbidden):
            item_transition(actor=actor, item=item, action=action)
        assert Item.objects.get(pk=item.pk).status == before


def test_over_long_items_are_refused_in_chinese(cast: Cast) -> None:
    with translation.override("zh-hans"), pytest.raises(DomainError, match="1500"):
        item_create(
            actor=cast.member,
            committee=cast.tianhe,
            data=data(situation="字" * 1000, suggestion="议" * 501),
            author=seat(cast),
        )
    with translation.override("zh-hans"):
        try:
            item_create(
                actor=cast.member,
                committee=cast.tianhe,
                data=data(situation="字" * 1000, suggestion="议" * 501),
                author=seat(cast),
            )
        except DomainError as error:
            assert "字" in str(error.message)
    assert not Item.objects.exists()


def test_the_liaison_office_edits_and_the_history_is_kept(cast: Cast) -> None:
    item = written(cast)
    item_transition(actor=cast.member, item=item, action="submit")
    with pytest.raises(Forbidden):  # the author no longer edits once submitted
        item_update(actor=cast.member, item=item, data=data(title="改"), expected_state=S.SUBMITTED)
    revision = item_update(
        actor=cast.staff,
        item=item,
        data=data(title="关于番禺广场围蔽的建议"),
        expected_state=S.SUBMITTED,
    )
    assert revision is not None
    assert revision.editor == cast.staff
    assert revision.changes == {
        "title": ["加快解除番禺广场地铁上盖区域围蔽", "关于番禺广场围蔽的建议"]
    }


def test_issues_are_numbered_per_committee_series_and_year(cast: Cast) -> None:
    a, b, c = adopted(cast), adopted(cast), adopted(cast)
    first = issue_create(actor=cast.staff, committee=cast.tianhe, items=[a], year=2026)
    second = issue_create(actor=cast.staff, committee=cast.tianhe, items=[b], year=2026)
    bulletin = issue_create(
        actor=cast.staff, committee=cast.tianhe, items=[c], year=2026, series=Series.BULLETIN
    )
    assert [first.number, second.number, bulletin.number] == [1, 2, 1]
    assert Item.objects.get(pk=a.pk).status == S.ISSUED
    assert Item.objects.get(pk=a.pk).issue == first
    # An issued item is no longer edited, and a closed issue takes nothing more.
    with pytest.raises(Forbidden):
        item_update(actor=cast.staff, item=a, data=data(title="改"), expected_state=S.ISSUED)
    issue_close(actor=cast.staff, issue=first)
    d = adopted(cast)
    with pytest.raises(DomainError, match="closed"):
        issue_add(actor=cast.staff, issue=first, item=d)
    assert Item.objects.get(pk=d.pk).status == S.ADOPTED


def test_an_issue_refuses_items_not_adopted_and_other_committees(cast: Cast) -> None:
    draft = written(cast)
    with pytest.raises(Conflict):
        issue_create(actor=cast.staff, committee=cast.tianhe, items=[draft])
    assert not Issue.objects.exists()
    with pytest.raises(Forbidden):
        issue_create(actor=cast.outsider, committee=cast.tianhe, items=[adopted(cast)])


def test_instructions_need_a_leader_and_a_date(cast: Cast) -> None:
    item = adopted(cast)
    with pytest.raises(DomainError, match="leader"):
        instruction_add(
            actor=cast.staff, item=item, level="district", leader="", text="阅", on=None
        )
    with pytest.raises(Forbidden):
        instruction_add(
            actor=cast.member,
            item=item,
            level="district",
            leader="区长",
            text="阅",
            on=date.today(),
        )
    instruction_add(
        actor=cast.staff,
        item=item,
        level="district",
        leader="区长",
        text="请研究",
        on=date(2026, 5, 1),
    )
    assert item.instructions.get().leader == "区长"


def test_who_sees_what(cast: Cast) -> None:
    item = adopted(cast)
    other = make_user("t.member9", "天河另一委员")
    Member.objects.create(user=other, committee=cast.tianhe)
    liaison = make_staff("t.liaison", "天河联络委", cast.tianhe, StaffRole.LIAISON_OFFICE)
    url = reverse("opinions:detail", args=[item.pk])
    for user, status in [
        (cast.member, 200),
        (liaison, 200),
        (other, 404),
        (cast.outsider, 404),
        (cast.clerk, 403),
    ]:
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client = Client()
    client.force_login(cast.outsider)
    assert item.title not in client.get(reverse("opinions:inbox")).content.decode()


def test_pages_write_edit_decide_and_compile(cast: Cast) -> None:
    member, staff = Client(), Client()
    member.force_login(cast.member)
    staff.force_login(cast.staff)
    too_long = {"title": "长", "situation": "字" * 1000, "suggestion": "议" * 600}
    response = member.post(reverse("opinions:new"), too_long)
    assert response.status_code == 200 and "字" * 1000 in response.content.decode()  # kept
    response = member.post(reverse("opinions:new"), {**too_long, "suggestion": "议" * 10})
    item = Item.objects.get()
    assert response.status_code == 302 and item.author == seat(cast)
    member.post(
        reverse("opinions:act", args=[item.pk]), {"action": "submit", "expected_state": "draft"}
    )
    assert staff.get(reverse("opinions:inbox")).content.decode().count(item.title) == 1
    staff.post(
        reverse("opinions:act", args=[item.pk]), {"action": "adopt", "expected_state": "submitted"}
    )
    response = staff.post(
        reverse("opinions:issue_new"),
        {"series": "opinions", "items": [item.pk], "recipients": "区委"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == S.ISSUED and item.issue is not None
    assert staff.get(reverse("opinions:issue", args=[item.issue.pk])).status_code == 200


def test_a_citizen_suggestion_becomes_a_draft_and_the_citizen_sees_it(cast: Cast) -> None:
    suggestion, _ = suggestion_submit(
        intake=Intake(
            committee=cast.tianhe,
            title="海珠涌边步道照明不足",
            content="晚上步道很暗，存在安全隐患。",
            idempotency_key="op-1",
        )
    )
    suggestion_transition(suggestion=suggestion, action="triage", actor=cast.staff)
    other = Member.objects.create(user=make_user("h.m", "海珠委员"), committee=cast.haizhu)
    with pytest.raises(DomainError):
        suggestion_transition(
            suggestion=suggestion, action="opinion", actor=cast.staff, member_id=other.pk
        )
    assert not Item.objects.exists() and not suggestion.dispositions.exists()
    suggestion_transition(
        suggestion=suggestion, action="opinion", actor=cast.staff, member_id=seat(cast).pk
    )
    item = Item.objects.get()
    assert (item.source_suggestion, item.author, item.status) == (suggestion, seat(cast), S.DRAFT)
    assert suggestion.opinion_items.get() == item
    # The member finds the draft among their items.
    client = Client()
    client.force_login(cast.member)
    assert item.title in client.get(reverse("opinions:mine")).content.decode()
    with translation.override("zh-hans"):
        page = Client().get(reverse("suggestions:track", args=[suggestion.tracking_code]))
    assert "已作为社情民意信息报送" in page.content.decode()


def test_a_suggestion_forwarded_for_the_office(cast: Cast) -> None:
    suggestion, _ = suggestion_submit(
        intake=Intake(committee=cast.tianhe, title="题", content="内容", idempotency_key="op-2")
    )
    suggestion_transition(suggestion=suggestion, action="triage", actor=cast.staff)
    suggestion_transition(suggestion=suggestion, action="opinion", actor=cast.staff)
    item = Item.objects.get()
    assert item.author is None and item.author_unit


def test_a_proposal_not_accepted_is_converted_atomically(cast: Cast) -> None:
    category = ProposalCategory.objects.create(committee=cast.tianhe, name="城建")
    office = make_staff("t.office", "天河提案委", cast.tianhe, StaffRole.PROPOSAL_OFFICE)
    p = make_proposal(cast.tianhe, seat(cast), category)
    proposal_reject(
        proposal=p,
        actor=office,
        reason=NotAcceptedReason.VAGUE,
        conversion=Conversion.SOCIAL_OPINION,
    )
    item = Item.objects.get()
    assert (item.source_proposal, item.author, item.title) == (p, p.lead, p.title)
    assert p.opinion_item == item
    # Linked both ways: the proposal's pages show the item to whoever may see it.
    member = Client()
    member.force_login(cast.member)
    page = member.get(reverse("proposals:detail", args=[p.pk])).content.decode()
    assert reverse("opinions:detail", args=[item.pk]) in page
    # A proposal too long for an item still converts: the draft is cut to fit.
    long = make_proposal(cast.tianhe, seat(cast), category, title="长提案")
    type(long).objects.filter(pk=long.pk).update(analysis="析" * 3000, recommendations="建" * 3000)
    long.refresh_from_db()
    proposal_reject(
        proposal=long, actor=office, reason=NotAcceptedReason.VAGUE, conversion="social_opinion"
    )
    cut = Item.objects.get(source_proposal=long)
    assert len(cut.situation) + len(cut.suggestion) <= 1500


def test_a_failing_conversion_leaves_the_proposal_as_it_was(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xieshang.opinions import services

    category = ProposalCategory.objects.create(committee=cast.tianhe, name="城建")
    office = make_staff("t.office", "天河提案委", cast.tianhe, StaffRole.PROPOSAL_OFFICE)
    p = make_proposal(cast.tianhe, seat(cast), category)

    def broken(**_kw: object) -> None:
        raise DomainError("broken")

    monkeypatch.setattr(services, "item_start", broken)
    with pytest.raises(DomainError):
        proposal_reject(
            proposal=p, actor=office, reason=NotAcceptedReason.VAGUE, conversion="social_opinion"
        )
    p.refresh_from_db()
    assert p.status == "submitted" and not Item.objects.exists()


def test_the_suggestion_page_forwards_for_a_chosen_member(cast: Cast) -> None:
    suggestion, _ = suggestion_submit(
        intake=Intake(committee=cast.tianhe, title="题目", content="内容", idempotency_key="op-3")
    )
    suggestion_transition(suggestion=suggestion, action="triage", actor=cast.staff)
    staff = Client()
    staff.force_login(cast.staff)
    page = staff.get(reverse("suggestions:detail", args=[suggestion.pk])).content.decode()
    assert 'name="member"' in page
    response = staff.post(
        reverse("suggestions:act", args=[suggestion.pk]),
        {"action": "opinion", "expected_state": "triage", "member": seat(cast).pk, "note": ""},
    )
    assert response.status_code == 302
    assert Item.objects.get().author == seat(cast)
    page = staff.get(reverse("suggestions:detail", args=[suggestion.pk])).content.decode()
    assert reverse("opinions:detail", args=[Item.objects.get().pk]) in page


def test_an_issue_as_a_word_document_reads_back(cast: Cast) -> None:
    import io

    from docx import Document

    item = adopted(cast)
    issue = issue_create(
        actor=cast.staff, committee=cast.tianhe, items=[item], recipients="区委、区政府"
    )
    staff = Client()
    staff.force_login(cast.staff)
    response = staff.get(reverse("opinions:issue_docx", args=[issue.pk]))
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "社情民意" in text and item.title in text and item.suggestion in text
    assert "区委、区政府" in text


def test_the_inbox_as_excel_holds_only_the_committees_items(cast: Cast) -> None:
    import io

    from openpyxl import load_workbook

    item = adopted(cast)
    staff, outsider = Client(), Client()
    staff.force_login(cast.staff)
    outsider.force_login(cast.outsider)
    book = load_workbook(io.BytesIO(staff.get(reverse("opinions:export")).content))
    assert item.title in [c.value for c in book.active["A"]]
    book = load_workbook(io.BytesIO(outsider.get(reverse("opinions:export")).content))
    assert item.title not in [c.value for c in book.active["A"]]


def test_the_authors_are_told_of_the_decision(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail

    type(cast.member).objects.filter(pk=cast.member.pk).update(email="member@example.cn")
    item = written(cast)
    with django_capture_on_commit_callbacks(execute=True):
        item_transition(actor=cast.member, item=item, action="submit")
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        item_transition(actor=cast.staff, item=item, action="adopt")
    assert [m.to for m in mail.outbox] == [["member@example.cn"]]
    assert item.title in mail.outbox[0].body


def test_an_issue_sent_up_is_taken_up_by_the_upper_committee(cast: Cast) -> None:
    from xieshang.opinions.selectors import items_from_below
    from xieshang.opinions.services import item_take_up

    item = adopted(cast)
    kept = adopted(cast)
    issue_create(actor=cast.staff, committee=cast.tianhe, items=[kept])
    with pytest.raises(DomainError):
        item_take_up(actor=cast.city_staff, item=kept)  # not sent up
    issue_create(actor=cast.staff, committee=cast.tianhe, items=[item], sent_upward=True)
    assert list(items_from_below(user=cast.city_staff)) == [item]
    assert list(items_from_below(user=cast.outsider)) == []
    with pytest.raises(Forbidden):
        item_take_up(actor=cast.outsider, item=item)
    city = Client()
    city.force_login(cast.city_staff)
    response = city.post(reverse("opinions:take_up", args=[item.pk]))
    copy = Item.objects.get(committee=cast.city)
    assert response.status_code == 302
    assert (copy.forwarded_from, copy.status) == (item, S.SUBMITTED)
    with pytest.raises(Conflict):
        item_take_up(actor=cast.city_staff, item=item)
    item_transition(actor=cast.city_staff, item=copy, action="adopt")
    assert list(items_from_below(user=cast.city_staff)) == []
