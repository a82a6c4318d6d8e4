"""Leaders (主席, 副主席) read what their committee's staff read: the suggestions inbox and
a suggestion, the proposals staff list and a proposal — of their committee only, and
without acting on them."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from xieshang.conftest import Cast
from xieshang.core.models import Committee
from xieshang.figures.tests.conftest import local, suggestion
from xieshang.people.models import LeaderPosition, LeaderTitle, Member
from xieshang.proposals.models import Proposal, ProposalCategory, ProposalStatus
from xieshang.proposals.selectors.office import proposal_list_for_readers
from xieshang.suggestions.models import Suggestion
from xieshang.suggestions.selectors import suggestion_reading_list

pytestmark = pytest.mark.django_db


def proposal(committee: Committee, lead: Member, title: str) -> Proposal:
    category, _ = ProposalCategory.objects.get_or_create(committee=committee, name="城建")
    return Proposal.objects.create(
        committee=committee,
        category=category,
        title=title,
        analysis="分析",
        recommendations="建议",
        lead=lead,
        status=ProposalStatus.SUBMITTED,
        submitted_at=local(date(2025, 3, 1)),
        created_by=lead.user,
    )


@pytest.fixture
def records(cast: Cast) -> tuple[Suggestion, Suggestion, Proposal, Proposal]:
    when = local(date(2025, 3, 1))
    mine = suggestion(cast.tianhe, when, "lead-t", title="天河路面塌陷")
    other = suggestion(cast.haizhu, when, "lead-h", title="海珠路灯不亮")
    seat = Member.objects.get(user=cast.member)
    haizhu_seat = Member.objects.create(committee=cast.haizhu, user=cast.outsider)
    return (
        mine,
        other,
        proposal(cast.tianhe, seat, "关于天河绿道的提案"),
        proposal(cast.haizhu, haizhu_seat, "关于海珠湿地的提案"),
    )


def test_a_leader_reads_the_inbox_and_a_suggestion_of_their_committee(
    cast: Cast, records: tuple[Suggestion, Suggestion, Proposal, Proposal]
) -> None:
    mine, other, _p, _q = records
    client = Client()
    client.force_login(cast.leader)
    inbox = client.get("/work/suggestions/")
    assert inbox.status_code == 200
    body = inbox.content.decode()
    assert mine.title in body and other.title not in body
    assert client.get(f"/work/suggestions/{mine.pk}/").status_code == 200
    assert client.get(f"/work/suggestions/{other.pk}/").status_code == 404
    assert list(suggestion_reading_list(user=cast.leader)) == [mine]
    # reading is not acting
    response = client.post(f"/work/suggestions/{mine.pk}/act/", {"action": "triage"})
    assert response.status_code in (403, 404)
    mine.refresh_from_db()
    assert mine.status == "new"


def test_a_leader_reads_the_proposals_staff_list_and_a_proposal(
    cast: Cast, records: tuple[Suggestion, Suggestion, Proposal, Proposal]
) -> None:
    _s, _t, mine, other = records
    client = Client()
    client.force_login(cast.leader)
    listing = client.get("/work/proposals/all/")
    assert listing.status_code == 200
    body = listing.content.decode()
    assert mine.title in body and other.title not in body
    assert client.get(f"/work/proposals/review/{mine.pk}/").status_code == 200
    assert client.get(f"/work/proposals/review/{other.pk}/").status_code == 404
    assert list(proposal_list_for_readers(user=cast.leader)) == [mine]


def test_a_vice_chair_of_another_committee_reads_nothing_here(
    cast: Cast, records: tuple[Suggestion, Suggestion, Proposal, Proposal]
) -> None:
    mine, _other, proposal_mine, _q = records
    LeaderPosition.objects.create(
        user=cast.clerk, committee=cast.haizhu, title=LeaderTitle.CPPCC_CHAIR
    )
    client = Client()
    client.force_login(cast.clerk)
    assert client.get(f"/work/suggestions/{mine.pk}/").status_code == 404
    assert client.get(f"/work/proposals/review/{proposal_mine.pk}/").status_code == 404


def test_a_member_still_cannot_read_the_inbox(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.member)
    assert client.get("/work/suggestions/").status_code == 403
    assert client.get("/work/proposals/all/").status_code == 403
