"""Drafting: categories and sessions, a member's draft from writing to submission or
withdrawal, who may do what (lead, co-signer, another member, staff, another committee),
and co-signers with their deadline."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation

from xieshang.conftest import Cast, make_user
from xieshang.core.errors import Conflict, DomainError, Forbidden
from xieshang.core.models import Event
from xieshang.people.models import Member, SpecialCommittee
from xieshang.proposals.models import (
    DEFAULT_CATEGORIES,
    CoSigner,
    CoSignerStatus,
    Proposal,
    ProposalCategory,
    ProposalKind,
    ProposalPolicy,
    ProposalStatus,
    ProposerKind,
    Session,
)
from xieshang.proposals.services import drafting as services
from xieshang.proposals.services.drafting import ProposalData
from xieshang.proposals.workflow import PROPOSAL_WORKFLOW

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@dataclass
class People:
    cast: Cast
    lead: Member
    other: Member  # another member of 天河
    haizhu: Member  # a member of 海珠
    category: ProposalCategory


@pytest.fixture
def people(cast: Cast) -> People:
    services.category_install_defaults(committee=cast.tianhe)
    services.category_install_defaults(committee=cast.haizhu)
    other = seat("t.other", "天河另一委员", cast.tianhe)
    haizhu = seat("h.member", "海珠委员", cast.haizhu)
    return People(
        cast=cast,
        lead=Member.objects.get(user=cast.member, committee=cast.tianhe),
        other=other,
        haizhu=haizhu,
        category=ProposalCategory.objects.get(committee=cast.tianhe, name="城市建设管理"),
    )


def seat(username: str, name: str, committee: Any) -> Member:
    return Member.objects.create(user=make_user(username, name), committee=committee)


def data(people: People, **extra: Any) -> ProposalData:
    fields: dict[str, Any] = {
        "title": "关于加快老旧小区加装电梯的建议",
        "analysis": "天河区老旧小区多，老年人上下楼困难，加装电梯进度慢。",
        "recommendations": "一、简化审批；二、加大财政补贴；三、建立协商机制。",
        "category": people.category,
    }
    fields.update(extra)
    return ProposalData(**fields)


def draft(people: People, **extra: Any) -> Proposal:
    return services.proposal_create(
        lead=people.lead, data=data(people, **extra), actor=people.cast.member
    )


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(people: People, **extra: Any) -> dict[str, Any]:
    d = data(people)
    fields = {
        "title": d.title,
        "analysis": d.analysis,
        "recommendations": d.recommendations,
        "category": people.category.pk,
        "proposer_kind": ProposerKind.MEMBER,
    }
    fields.update(extra)
    return fields


def actions(proposal: Proposal) -> list[str]:
    return list(Event.objects.for_object(proposal).values_list("action", flat=True))


# --- Categories and sessions ------------------------------------------------------------


def test_it_installs_the_default_categories_once(cast: Cast) -> None:
    created = services.category_install_defaults(committee=cast.tianhe)
    assert [c.name for c in created] == list(DEFAULT_CATEGORIES)
    assert services.category_install_defaults(committee=cast.tianhe) == []
    names = ProposalCategory.objects.filter(committee=cast.tianhe).values_list("name", flat=True)
    assert list(names) == list(DEFAULT_CATEGORIES)


def test_the_kind_and_session_follow_the_filing_window(cast: Cast) -> None:
    fourth = Session.objects.create(
        committee=cast.tianhe,
        term=15,
        meeting=4,
        filing_opens=date(2025, 12, 1),
        plenary_starts=date(2026, 1, 10),
        plenary_ends=date(2026, 1, 13),
    )
    fifth = Session.objects.create(
        committee=cast.tianhe,
        term=15,
        meeting=5,
        filing_opens=date(2026, 12, 1),
        plenary_starts=date(2027, 1, 10),
        plenary_ends=date(2027, 1, 13),
    )
    assert services.kind_for(cast.tianhe, date(2025, 11, 30)) == ProposalKind.INTERIM
    assert services.session_current(cast.tianhe, date(2025, 11, 30)) is None
    assert services.kind_for(cast.tianhe, date(2025, 12, 1)) == ProposalKind.SESSION
    assert services.kind_for(cast.tianhe, date(2026, 1, 13)) == ProposalKind.SESSION
    assert services.session_current(cast.tianhe, date(2026, 1, 13)) == fourth
    # Between two plenaries: an interim proposal of the last session.
    assert services.kind_for(cast.tianhe, date(2026, 6, 1)) == ProposalKind.INTERIM
    assert services.session_current(cast.tianhe, date(2026, 6, 1)) == fourth
    assert services.session_current(cast.tianhe, date(2026, 12, 2)) == fifth
    # Another committee's sessions do not count.
    assert services.kind_for(cast.haizhu, date(2026, 1, 11)) == ProposalKind.INTERIM


# --- Writing ----------------------------------------------------------------------------


def test_a_member_writes_a_draft_on_the_page(people: People) -> None:
    client = client_for(people.cast.member)
    response = client.post(reverse("proposals:new"), form_data(people))
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("proposals:detail", args=[proposal.pk])
    assert (proposal.status, proposal.lead, proposal.committee) == (
        ProposalStatus.DRAFT,
        people.lead,
        people.cast.tianhe,
    )
    assert proposal.created_by == people.cast.member
    assert actions(proposal) == ["create"]
    page = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    assert proposal.title in page and 'id="submit"' in page


def test_the_new_page_refuses_bad_input_and_saves_nothing(people: People) -> None:
    client = client_for(people.cast.member)
    assert client.get(reverse("proposals:new")).status_code == 200
    response = client.post(reverse("proposals:new"), form_data(people, recommendations=""))
    assert response.status_code == 400
    other_category = ProposalCategory.objects.filter(committee=people.cast.haizhu).first()
    assert other_category is not None
    response = client.post(reverse("proposals:new"), form_data(people, category=other_category.pk))
    assert response.status_code == 400
    assert not Proposal.objects.exists()


def test_only_members_may_write(people: People) -> None:
    for user in (people.cast.staff, people.cast.clerk, people.cast.leader):
        assert client_for(user).get(reverse("proposals:new")).status_code == 403
    with pytest.raises(Forbidden):
        services.proposal_create(lead=people.lead, data=data(people), actor=people.cast.staff)
    assert not Proposal.objects.exists()


def test_the_page_installs_default_categories_for_a_committee_without_any(cast: Cast) -> None:
    assert client_for(cast.member).get(reverse("proposals:new")).status_code == 200
    assert ProposalCategory.objects.filter(committee=cast.tianhe).count() == 4


def test_a_member_of_two_committees_chooses_one(people: People) -> None:
    Member.objects.create(user=people.cast.member, committee=people.cast.city)
    client = client_for(people.cast.member)
    page = client.get(reverse("proposals:new"))
    assert "proposals/drafting/choose_committee.html" in [t.name for t in page.templates]
    url = reverse("proposals:new") + f"?committee={people.cast.city.pk}"
    assert client.get(url).status_code == 200
    city_category = ProposalCategory.objects.get(committee=people.cast.city, name="社会事务")
    response = client.post(
        url, form_data(people, category=city_category.pk, committee=people.cast.city.pk)
    )
    assert response.status_code == 302
    assert Proposal.objects.get().committee == people.cast.city


def test_proposer_kinds(people: People, cast: Cast) -> None:
    sector = draft(people, proposer_kind=ProposerKind.SECTOR)
    assert sector.sector == people.lead.sector
    special = SpecialCommittee.objects.create(committee=cast.tianhe, name="经济科技委员会")
    with pytest.raises(DomainError):
        draft(people, proposer_kind=ProposerKind.SPECIAL_COMMITTEE, special_committee=special)
    people.lead.special_committees.add(special)
    filed = draft(people, proposer_kind=ProposerKind.SPECIAL_COMMITTEE, special_committee=special)
    assert (filed.special_committee, filed.sector) == (special, None)
    with pytest.raises(DomainError):
        draft(people, proposer_kind=ProposerKind.PARTY_GROUP, party_group="  ")
    group = draft(
        people, proposer_kind=ProposerKind.PARTY_GROUP, party_group="民盟天河区基层委员会"
    )
    assert group.party_group == "民盟天河区基层委员会"
    # A member without a sector cannot file for one.
    with pytest.raises(DomainError):
        services.proposal_create(
            lead=people.other,
            data=data(people, proposer_kind=ProposerKind.SECTOR),
            actor=people.other.user,
        )
    assert Proposal.objects.count() == 3


def test_a_category_of_another_committee_is_refused(people: People) -> None:
    haizhu_category = ProposalCategory.objects.filter(committee=people.cast.haizhu).first()
    with pytest.raises(DomainError):
        draft(people, category=haizhu_category)
    assert not Proposal.objects.exists()


def test_the_lead_edits_the_draft(people: People) -> None:
    proposal = draft(people)
    client = client_for(people.cast.member)
    url = reverse("proposals:edit", args=[proposal.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(people, title="关于老旧小区加装电梯的建议（修改）"))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "关于老旧小区加装电梯的建议（修改）"
    assert actions(proposal) == ["create", "edit"]


def test_editing_after_submission_is_refused(people: People) -> None:
    proposal = draft(people)
    services.proposal_submit(proposal=proposal, actor=people.cast.member)
    with pytest.raises(Conflict) as refused:
        services.proposal_update(
            proposal=proposal, data=data(people, title="改过的案由"), actor=people.cast.member
        )
    assert "can no longer be edited" in str(refused.value)
    client = client_for(people.cast.member)
    url = reverse("proposals:edit", args=[proposal.pk])
    response = client.post(url, form_data(people, title="改过的案由"))
    assert response.status_code == 409
    assert "不能再修改" in response.content.decode()
    assert client.get(url).status_code == 302  # back to the proposal, with the message
    proposal.refresh_from_db()
    assert proposal.title == data(people).title
    assert "edit" not in actions(proposal)


def test_who_may_see_and_edit_a_draft(people: People) -> None:
    proposal = draft(people)
    services.cosigners_invite(proposal=proposal, members=[people.other], actor=people.cast.member)
    detail = reverse("proposals:detail", args=[proposal.pk])
    edit = reverse("proposals:edit", args=[proposal.pk])
    # The lead and the invited co-signer see it; the co-signer may not edit it.
    assert client_for(people.cast.member).get(detail).status_code == 200
    cosigner = client_for(people.other.user)
    assert cosigner.get(detail).status_code == 200
    assert cosigner.get(edit).status_code == 403
    assert cosigner.post(edit, form_data(people, title="别人改的")).status_code == 403
    with pytest.raises(Forbidden):
        services.proposal_update(
            proposal=proposal, data=data(people, title="别人改的"), actor=people.other.user
        )
    # Another member of 天河, staff (they use the office's pages), 海珠: as if it did not exist.
    third = seat("t.third", "天河第三委员", people.cast.tianhe)
    for user in (third.user, people.cast.staff, people.haizhu.user, people.cast.outsider):
        client = client_for(user)
        assert client.get(detail).status_code in (403, 404)
        assert client.get(edit).status_code in (403, 404)
    for user in (third.user, people.haizhu.user):
        assert client_for(user).get(detail).status_code == 404
    assert client_for(people.cast.superuser).get(detail).status_code == 200
    proposal.refresh_from_db()
    assert proposal.title == data(people).title


# --- Submitting and withdrawing -------------------------------------------------------------


def test_submitting_sets_the_kind_session_and_time(people: People, cast: Cast) -> None:
    session = Session.objects.create(
        committee=cast.tianhe,
        term=15,
        meeting=5,
        filing_opens=date(2026, 12, 1),
        plenary_starts=date(2027, 1, 10),
        plenary_ends=date(2027, 1, 13),
    )
    proposal = draft(people)
    with time_machine.travel(datetime(2026, 12, 20, 10, 0, tzinfo=SHANGHAI), tick=False):
        client = client_for(cast.member)
        response = client.post(
            reverse("proposals:act", args=[proposal.pk]),
            {"action": "submit", "expected_state": ProposalStatus.DRAFT},
        )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    assert (proposal.kind, proposal.session) == (ProposalKind.SESSION, session)
    assert proposal.submitted_at == datetime(2026, 12, 20, 10, 0, tzinfo=SHANGHAI)
    later = draft(people)
    with time_machine.travel(datetime(2027, 3, 2, 10, 0, tzinfo=SHANGHAI)):
        services.proposal_submit(proposal=later, actor=cast.member)
    assert (later.kind, later.session) == (ProposalKind.INTERIM, session)


def test_a_second_click_on_submit_is_a_conflict(people: People) -> None:
    proposal = draft(people)
    services.proposal_submit(proposal=proposal, actor=people.cast.member)
    response = client_for(people.cast.member).post(
        reverse("proposals:act", args=[proposal.pk]),
        {"action": "submit", "expected_state": ProposalStatus.DRAFT},
    )
    assert response.status_code == 409
    assert actions(proposal).count("submit") == 1


def test_only_the_lead_submits_or_withdraws(people: People) -> None:
    proposal = draft(people)
    services.cosigners_invite(proposal=proposal, members=[people.other], actor=people.cast.member)
    for user in (people.other.user, people.cast.staff):
        for action in ("submit", "withdraw"):
            with pytest.raises(Forbidden):
                PROPOSAL_WORKFLOW.apply(proposal, action=action, actor=user)
    response = client_for(people.other.user).post(
        reverse("proposals:act", args=[proposal.pk]),
        {"action": "submit", "expected_state": ProposalStatus.DRAFT},
    )
    assert response.status_code == 403
    response = client_for(people.haizhu.user).post(
        reverse("proposals:act", args=[proposal.pk]),
        {"action": "submit", "expected_state": ProposalStatus.DRAFT},
    )
    assert response.status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT


def test_an_incomplete_draft_cannot_be_submitted(people: People) -> None:
    proposal = draft(people)
    Proposal.objects.filter(pk=proposal.pk).update(recommendations="")
    proposal.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        services.proposal_submit(proposal=proposal, actor=people.cast.member)
    assert "concrete suggestions" in str(refused.value)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.submitted_at) == (ProposalStatus.DRAFT, None)


def test_withdraw_before_review_only(people: People) -> None:
    a_draft = draft(people)
    services.proposal_withdraw(proposal=a_draft, actor=people.cast.member)
    assert a_draft.status == ProposalStatus.WITHDRAWN
    submitted = draft(people)
    services.proposal_submit(proposal=submitted, actor=people.cast.member)
    response = client_for(people.cast.member).post(
        reverse("proposals:act", args=[submitted.pk]),
        {"action": "withdraw", "expected_state": ProposalStatus.SUBMITTED, "note": "另行提交"},
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ProposalStatus.WITHDRAWN
    reviewed = draft(people)
    services.proposal_submit(proposal=reviewed, actor=people.cast.member)
    PROPOSAL_WORKFLOW.apply(reviewed, action="accept", actor=people.cast.staff)
    with pytest.raises(Conflict):
        services.proposal_withdraw(proposal=reviewed, actor=people.cast.member)
    reviewed.refresh_from_db()
    assert reviewed.status == ProposalStatus.ACCEPTED


def test_a_stray_action_on_the_page_is_refused(people: People) -> None:
    proposal = draft(people)
    response = client_for(people.cast.member).post(
        reverse("proposals:act", args=[proposal.pk]),
        {"action": "accept", "expected_state": ProposalStatus.DRAFT},
    )
    assert response.status_code == 400
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT


# --- Co-signers -----------------------------------------------------------------------------


def test_the_lead_invites_co_signers_with_a_deadline(people: People, cast: Cast) -> None:
    ProposalPolicy.objects.create(committee=cast.tianhe, cosign_days=5)
    now = datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)
    with time_machine.travel(now, tick=False):
        proposal = draft(people)
        response = client_for(cast.member).post(
            reverse("proposals:invite", args=[proposal.pk]), {"members": [people.other.pk]}
        )
    assert response.status_code == 302
    row = CoSigner.objects.get()
    assert (row.member, row.status) == (people.other, CoSignerStatus.INVITED)
    assert row.deadline == now + timedelta(days=5)
    assert actions(proposal) == ["create", "invite"]
    assert people.other.user.name in Event.objects.get(action="invite").note


def test_bad_invitations_are_refused(people: People, cast: Cast) -> None:
    proposal = draft(people)
    with pytest.raises(DomainError):
        services.cosigners_invite(proposal=proposal, members=[people.haizhu], actor=cast.member)
    with pytest.raises(DomainError):
        services.cosigners_invite(proposal=proposal, members=[people.lead], actor=cast.member)
    with pytest.raises(DomainError):
        services.cosigners_invite(proposal=proposal, members=[], actor=cast.member)
    with pytest.raises(Forbidden):
        services.cosigners_invite(
            proposal=proposal, members=[people.other], actor=people.other.user
        )
    services.cosigners_invite(proposal=proposal, members=[people.other], actor=cast.member)
    with pytest.raises(DomainError):
        services.cosigners_invite(proposal=proposal, members=[people.other], actor=cast.member)
    client = client_for(cast.member)
    url = reverse("proposals:invite", args=[proposal.pk])
    assert client.post(url, {"members": [people.haizhu.pk]}).status_code == 400
    assert client.post(url, {}).status_code == 400
    assert (
        client_for(people.haizhu.user).post(url, {"members": [people.haizhu.pk]}).status_code == 404
    )
    assert CoSigner.objects.count() == 1
    # Not after review.
    services.proposal_submit(proposal=proposal, actor=cast.member)
    third = seat("t.third", "天河第三委员", cast.tianhe)
    services.cosigners_invite(proposal=proposal, members=[third], actor=cast.member)
    PROPOSAL_WORKFLOW.apply(proposal, action="accept", actor=cast.staff)
    fourth = seat("t.fourth", "天河第四委员", cast.tianhe)
    with pytest.raises(Conflict):
        services.cosigners_invite(proposal=proposal, members=[fourth], actor=cast.member)
    assert CoSigner.objects.count() == 2


def test_an_invited_member_confirms_or_declines(people: People, cast: Cast) -> None:
    proposal = draft(people)
    third = seat("t.third", "天河第三委员", cast.tianhe)
    services.cosigners_invite(proposal=proposal, members=[people.other, third], actor=cast.member)
    other_row = CoSigner.objects.get(member=people.other)
    third_row = CoSigner.objects.get(member=third)
    # Someone else cannot answer for them.
    url = reverse("proposals:cosign_answer", args=[other_row.pk])
    assert client_for(third.user).post(url, {"answer": "confirm"}).status_code == 404
    assert client_for(cast.member).post(url, {"answer": "confirm"}).status_code == 404
    with pytest.raises(Forbidden):
        services.cosigner_answer(cosigner=other_row, confirm=True, actor=cast.member)
    response = client_for(people.other.user).post(url, {"answer": "confirm"})
    assert response.status_code == 302
    response = client_for(third.user).post(
        reverse("proposals:cosign_answer", args=[third_row.pk]), {"answer": "decline"}
    )
    assert response.status_code == 302
    other_row.refresh_from_db()
    third_row.refresh_from_db()
    assert (other_row.status, third_row.status) == (
        CoSignerStatus.CONFIRMED,
        CoSignerStatus.DECLINED,
    )
    assert other_row.responded_at is not None
    assert actions(proposal) == ["create", "invite", "cosign", "cosign_decline"]
    # Answering again changes nothing.
    assert client_for(people.other.user).post(url, {"answer": "decline"}).status_code == 409
    other_row.refresh_from_db()
    assert other_row.status == CoSignerStatus.CONFIRMED


def test_a_confirmation_after_the_deadline_is_refused(people: People, cast: Cast) -> None:
    proposal = draft(people)
    start = datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)
    with time_machine.travel(start, tick=False):
        services.cosigners_invite(proposal=proposal, members=[people.other], actor=cast.member)
    row = CoSigner.objects.get()
    client = client_for(people.other.user)
    url = reverse("proposals:cosign_answer", args=[row.pk])
    with time_machine.travel(start + timedelta(days=7, seconds=1), tick=False):
        assert not client.get(reverse("proposals:mine")).context["mine"].invitations
        response = client.post(url, {"answer": "confirm"})
    assert response.status_code == 400
    assert "现已过期" in response.content.decode()
    row.refresh_from_db()
    assert (row.status, row.responded_at) == (CoSignerStatus.INVITED, None)
    assert "cosign" not in actions(proposal)
    with time_machine.travel(start + timedelta(days=7), tick=False):
        assert client.post(url, {"answer": "confirm"}).status_code == 302
    row.refresh_from_db()
    assert row.status == CoSignerStatus.CONFIRMED


def test_no_answer_once_the_proposal_left_its_proposers(people: People, cast: Cast) -> None:
    proposal = draft(people)
    services.cosigners_invite(proposal=proposal, members=[people.other], actor=cast.member)
    services.proposal_withdraw(proposal=proposal, actor=cast.member)
    row = CoSigner.objects.get()
    with pytest.raises(Conflict):
        services.cosigner_answer(cosigner=row, confirm=True, actor=people.other.user)
    row.refresh_from_db()
    assert row.status == CoSignerStatus.INVITED


# --- My proposals -----------------------------------------------------------------------------


def test_my_proposals_lists_led_co_signed_and_invitations(people: People, cast: Cast) -> None:
    mine = draft(people, title="我写的提案：关于地铁接驳")
    theirs = services.proposal_create(
        lead=people.other,
        data=data(people, title="别人的提案：公园"),
        actor=people.other.user,
    )
    invited = services.proposal_create(
        lead=people.other,
        data=data(people, title="邀请我的：垃圾分类"),
        actor=people.other.user,
    )
    hidden = services.proposal_create(
        lead=people.other, data=data(people, title="与我无关的提案"), actor=people.other.user
    )
    services.cosigners_invite(proposal=theirs, members=[people.lead], actor=people.other.user)
    services.cosigners_invite(proposal=invited, members=[people.lead], actor=people.other.user)
    services.cosigner_answer(
        cosigner=CoSigner.objects.get(proposal=theirs), confirm=True, actor=cast.member
    )
    page = client_for(cast.member).get(reverse("proposals:mine"))
    assert page.status_code == 200
    listed = page.context["mine"]
    assert listed.led == [mine]
    assert [c.proposal for c in listed.cosigned] == [theirs]
    assert [c.proposal for c in listed.invitations] == [invited]
    html = page.content.decode()
    assert mine.title in html and theirs.title in html and invited.title in html
    assert hidden.title not in html
    # The invitation's page offers the answer.
    detail = client_for(cast.member).get(reverse("proposals:detail", args=[invited.pk]))
    assert detail.context["invitation"] is not None
    assert 'id="invitation"' in detail.content.decode()


def test_every_drafting_page_refuses_anonymous_users_and_outsiders(people: People) -> None:
    proposal = draft(people)
    services.cosigners_invite(proposal=proposal, members=[people.other], actor=people.cast.member)
    row = CoSigner.objects.get()
    urls = {
        reverse("proposals:mine"): False,
        reverse("proposals:new"): False,
        reverse("proposals:detail", args=[proposal.pk]): False,
        reverse("proposals:edit", args=[proposal.pk]): False,
        reverse("proposals:act", args=[proposal.pk]): True,
        reverse("proposals:invite", args=[proposal.pk]): True,
        reverse("proposals:cosign_answer", args=[row.pk]): True,
    }
    anonymous = Client()
    outsider = client_for(people.cast.outsider)
    haizhu_member = client_for(people.haizhu.user)
    for url, post_only in urls.items():
        response = anonymous.get(url)
        assert response.status_code == (405 if post_only else 302), url
        assert anonymous.post(url, {"action": "submit", "answer": "confirm"}).status_code == 302
        for client in (outsider, haizhu_member):
            for method in ("get", "post"):
                response = getattr(client, method)(
                    url, {"action": "submit", "expected_state": "draft", "answer": "confirm"}
                )
                body = response.content.decode()
                assert response.status_code != 500, url
                assert proposal.title not in body and "天河委员" not in body, url
    proposal.refresh_from_db()
    row.refresh_from_db()
    assert (proposal.status, row.status) == (ProposalStatus.DRAFT, CoSignerStatus.INVITED)
    # The haizhu member's own "new" page offers 海珠's categories only.
    page = haizhu_member.get(reverse("proposals:new"))
    assert page.status_code == 200
    assert set(page.context["form"].fields["category"].queryset) == set(
        ProposalCategory.objects.filter(committee=people.cast.haizhu)
    )
