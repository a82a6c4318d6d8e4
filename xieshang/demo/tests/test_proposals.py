"""The demo proposals: categories and a session per demo committee, proposals in several
states made through the services, loadable twice."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from xieshang.core.models import Event
from xieshang.demo.proposals import DEMO_PROPOSALS, seed_proposals
from xieshang.proposals.models import (
    AssignmentStatus,
    CoSignerStatus,
    Proposal,
    ProposalCategory,
    ProposalStatus,
    Session,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_it_seeds_proposals_in_several_states_and_changes_nothing_when_run_again(
    demo: str,
) -> None:
    assert Proposal.objects.count() == len(DEMO_PROPOSALS)
    assert Session.objects.count() == 6
    assert ProposalCategory.objects.count() >= 24
    year = timezone.localdate().year
    tianhe = Session.objects.get(committee__code="tianhe")
    assert tianhe.plenary_starts.year == year
    assert ProposalCategory.objects.filter(committee__code="panyu").count() == 4
    states = set(Proposal.objects.values_list("status", flat=True))
    assert {
        ProposalStatus.DRAFT,
        ProposalStatus.SUBMITTED,
        ProposalStatus.ACCEPTED,
        ProposalStatus.HANDLING,
    } <= states
    accepted = Proposal.objects.exclude(number=None)
    assert accepted.count() == 2
    handled = Proposal.objects.get(status=ProposalStatus.HANDLING)
    assert handled.assignments.get().status == AssignmentStatus.SIGNED
    assert handled.cosigners.filter(status=CoSignerStatus.CONFIRMED).exists()
    assert Proposal.objects.filter(cosigners__status=CoSignerStatus.INVITED).exists()
    events = Event.objects.count()
    assert seed_proposals() == {"categories": 0, "sessions": 0, "proposals": 0}
    assert Event.objects.count() == events
    assert Proposal.objects.count() == len(DEMO_PROPOSALS)
