"""百姓提案: a member's claim of a citizen suggestion creates the proposal draft, and the
citizen's tracking page shows that it became a proposal once it is submitted."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from xieshang.conftest import Cast, make_user
from xieshang.core.errors import DomainError
from xieshang.people.models import Member
from xieshang.proposals.models import Proposal, ProposalCategory, ProposalStatus
from xieshang.proposals.services import drafting
from xieshang.proposals.workflow import PROPOSAL_WORKFLOW
from xieshang.suggestions import services as suggestion_services
from xieshang.suggestions.models import DispositionKind, Suggestion
from xieshang.suggestions.services import Intake, suggestion_submit


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def offered(cast: Cast) -> Suggestion:
    suggestion, _created = suggestion_submit(
        intake=Intake(
            committee=cast.tianhe,
            title="港海社区三线下地",
            content="港海社区电线杂乱，存在安全隐患，建议三线下地。",
            idempotency_key=uuid.uuid4().hex,
            phone="13812345678",
            citizen_name="李女士",
        )
    )
    for action in ("triage", "offer"):
        suggestion_services.suggestion_transition(
            suggestion=suggestion, action=action, actor=cast.staff
        )
    return suggestion


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_a_claim_creates_the_draft(cast: Cast) -> None:
    suggestion = offered(cast)
    client = client_for(cast.member)
    response = client.post(reverse("proposals:claim", args=[suggestion.pk]))
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("proposals:edit", args=[proposal.pk])
    seat = Member.objects.get(user=cast.member)
    assert (proposal.lead, proposal.status, proposal.from_suggestion) == (
        seat,
        ProposalStatus.DRAFT,
        suggestion,
    )
    assert (proposal.title, proposal.analysis) == (suggestion.title, suggestion.content)
    assert list(suggestion.proposals.all()) == [proposal]  # the link the other way
    # The committee had no categories: it got the defaults, and the draft the first one.
    assert proposal.category == ProposalCategory.objects.get(committee=cast.tianhe, order=1)
    # The member's pages show the 百姓提案 mark.
    assert "百姓提案" in client.get(reverse("proposals:edit", args=[proposal.pk])).content.decode()
    assert "百姓提案" in client.get(reverse("proposals:mine")).content.decode()
    # A second claim is refused and creates no second draft.
    assert client.post(reverse("proposals:claim", args=[suggestion.pk])).status_code == 400
    assert Proposal.objects.count() == 1


def test_a_failed_draft_undoes_the_claim(cast: Cast) -> None:
    suggestion = offered(cast)
    ProposalCategory.objects.create(committee=cast.tianhe, name="停用类别", is_active=False)
    for name in ("经济建设", "城市建设管理", "教科文卫体", "社会事务"):
        ProposalCategory.objects.create(committee=cast.tianhe, name=name, is_active=False)
    with pytest.raises(DomainError):
        drafting.proposal_claim(
            suggestion=suggestion, member=Member.objects.get(user=cast.member), actor=cast.member
        )
    assert not suggestion.dispositions.filter(kind=DispositionKind.MEMBER_CLAIM).exists()
    assert not Proposal.objects.exists()


def test_a_draft_from_a_suggestion_needs_a_member_of_its_committee(cast: Cast) -> None:
    suggestion = offered(cast)
    haizhu = Member.objects.create(user=make_user("h.member", "海珠委员"), committee=cast.haizhu)
    with pytest.raises(DomainError):
        drafting.proposal_draft_from_suggestion(
            suggestion=suggestion, member=haizhu, actor=haizhu.user
        )
    with pytest.raises(DomainError):
        drafting.proposal_draft_from_suggestion(
            suggestion=suggestion, member=Member.objects.get(user=cast.member), actor=cast.staff
        )
    assert not Proposal.objects.exists()


def test_the_tracking_page_shows_the_proposal_once_submitted(cast: Cast) -> None:
    suggestion = offered(cast)
    client_for(cast.member).post(reverse("proposals:claim", args=[suggestion.pk]))
    proposal = Proposal.objects.get()
    track = reverse("suggestions:track", args=[suggestion.tracking_code])
    citizen = Client()
    assert 'id="became-proposal"' not in citizen.get(track).content.decode()  # a draft
    Proposal.objects.filter(pk=proposal.pk).update(
        title="关于港海社区三线下地的建议", recommendations="统筹电力、通信三线下地改造。"
    )
    proposal.refresh_from_db()
    drafting.proposal_submit(proposal=proposal, actor=cast.member)
    page = citizen.get(track).content.decode()
    assert 'id="became-proposal"' in page
    assert "关于港海社区三线下地的建议" in page
    assert cast.member.name not in page  # no personal data of the proposer
    PROPOSAL_WORKFLOW.apply(proposal, action="accept", actor=cast.staff)
    proposal.refresh_from_db()
    # The number, once the office gives one (the office's part does; set here directly).
    Proposal.objects.filter(pk=proposal.pk).update(number="2026001", year=2026, sequence=1)
    assert "2026001" in citizen.get(track).content.decode()


def test_a_withdrawn_proposal_is_not_shown_to_the_citizen(cast: Cast) -> None:
    suggestion = offered(cast)
    client_for(cast.member).post(reverse("proposals:claim", args=[suggestion.pk]))
    proposal = Proposal.objects.get()
    drafting.proposal_withdraw(proposal=proposal, actor=cast.member)
    page = Client().get(reverse("suggestions:track", args=[suggestion.tracking_code]))
    assert 'id="became-proposal"' not in page.content.decode()


def test_one_member_at_a_time_may_claim_a_suggestion(cast: Cast) -> None:
    suggestion = offered(cast)
    other = Member.objects.create(user=make_user("t.member2", "天河委员二"), committee=cast.tianhe)
    client_for(cast.member).post(reverse("proposals:claim", args=[suggestion.pk]))
    # Claimed: no longer offered to anyone, no 认领 button.
    offered_page = client_for(other.user).get(reverse("suggestions:offered")).content.decode()
    assert suggestion.title not in offered_page
    # A second member's claim gets a clear message and makes no second draft.
    with translation.override("zh-hans"), pytest.raises(DomainError, match="已由其他委员认领"):
        drafting.proposal_claim(suggestion=suggestion, member=other, actor=other.user)
    assert Proposal.objects.count() == 1
    assert suggestion.dispositions.filter(kind=DispositionKind.MEMBER_CLAIM).count() == 1


def test_the_database_holds_one_active_claim_per_suggestion(cast: Cast) -> None:
    from django.db import IntegrityError, transaction

    from xieshang.suggestions.models import Disposition

    suggestion = offered(cast)
    other = Member.objects.create(user=make_user("t.member2", "天河委员二"), committee=cast.tianhe)
    seat = Member.objects.get(user=cast.member)
    Disposition.objects.create(
        suggestion=suggestion, kind=DispositionKind.MEMBER_CLAIM, member=seat,
        created_by=cast.member,
    )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Disposition.objects.create(
            suggestion=suggestion, kind=DispositionKind.MEMBER_CLAIM, member=other,
            created_by=other.user,
        )  # fmt: skip


def test_a_withdrawn_draft_frees_the_suggestion_for_another_claim(cast: Cast) -> None:
    suggestion = offered(cast)
    other = Member.objects.create(user=make_user("t.member2", "天河委员二"), committee=cast.tianhe)
    client_for(cast.member).post(reverse("proposals:claim", args=[suggestion.pk]))
    drafting.proposal_withdraw(proposal=Proposal.objects.get(), actor=cast.member)
    assert (
        suggestion.title
        in client_for(other.user).get(reverse("suggestions:offered")).content.decode()
    )
    draft = drafting.proposal_claim(suggestion=suggestion, member=other, actor=other.user)
    assert draft.lead == other
