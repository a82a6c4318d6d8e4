"""Twenty clerks accept twenty proposals at the same moment (PostgreSQL): each gets its own
number, the numbers are consecutive, and the counter ends at twenty."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.utils import timezone

from xieshang.conftest import Cast, make_staff
from xieshang.people.models import Member, StaffRole
from xieshang.proposals.models import (
    Proposal,
    ProposalCategory,
    ProposalNumberCounter,
    ProposalStatus,
)
from xieshang.proposals.services.office import proposal_accept
from xieshang.proposals.tests.test_office import make_proposal

CLERKS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_acceptances_get_twenty_consecutive_numbers(cast: Cast) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the race is run on PostgreSQL; SQLite serialises every writer")
    seat = Member.objects.get(user=cast.member, committee=cast.tianhe)
    category = ProposalCategory.objects.create(committee=cast.tianhe, name="社会事务")
    proposals = [
        make_proposal(cast.tianhe, seat, category, title=f"提案{n}") for n in range(CLERKS)
    ]
    clerks = [
        make_staff(f"t.office{n}", f"提案委{n}", cast.tianhe, StaffRole.PROPOSAL_OFFICE)
        for n in range(CLERKS)
    ]
    barrier = threading.Barrier(CLERKS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def clerk(n: int) -> None:
        try:
            barrier.wait(timeout=60)
            try:
                proposal_accept(
                    proposal=proposals[n], actor=clerks[n], expected_state=ProposalStatus.SUBMITTED
                )
                outcome = "accepted"
            except Exception as exc:  # any other outcome fails the test
                outcome = f"{type(exc).__name__}: {exc}"
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=clerk, args=(n,)) for n in range(CLERKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert outcomes == ["accepted"] * CLERKS, set(outcomes)
    year = timezone.localdate().year
    rows = Proposal.objects.filter(committee=cast.tianhe).values_list("sequence", "number")
    assert sorted(seq or 0 for seq, _number in rows) == list(range(1, CLERKS + 1))
    assert {number for _seq, number in rows} == {f"{year}{n:03d}" for n in range(1, CLERKS + 1)}
    assert ProposalNumberCounter.objects.get(committee=cast.tianhe, year=year).last == CLERKS
    assert set(Proposal.objects.values_list("status", flat=True)) == {ProposalStatus.ACCEPTED}
