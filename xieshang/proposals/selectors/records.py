"""Read-only facts of a committee's year the duty record (履职档案, the performance app)
is built from. Each function returns rows `(member_id, record_id, title, date)`, one per
record that counts for the member; nothing here is scoped to a user: the caller is the
point computation, which shows the results only to whom may see them."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from xieshang.proposals.models import (
    CoSigner,
    CoSignerStatus,
    ExcellentProposal,
    KeyProposal,
    KeyStatus,
    Proposal,
    ProposalStatus,
)

Row = tuple[int, int, str, date]
# A proposal counts for its proposers once it has been submitted and not withdrawn.
NOT_FILED = (ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN)


def _filed(committee_id: int, year: int) -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(
            committee_id=committee_id, submitted_at__year=year, submitted_at__isnull=False
        )
        .exclude(status__in=NOT_FILED)
        .order_by("submitted_at", "id")
    )


def proposals_led(*, committee_id: int, year: int) -> list[Row]:
    """Proposals the member filed as lead proposer, submitted in the year."""
    rows = _filed(committee_id, year).values_list("lead_id", "pk", "title", "submitted_at")
    return [(m, pk, t, timezone.localdate(at)) for m, pk, t, at in rows]


def proposals_cosigned(*, committee_id: int, year: int) -> list[Row]:
    """Proposals submitted in the year the member co-signed (confirmed)."""
    rows = (
        CoSigner.objects.filter(
            proposal__in=_filed(committee_id, year), status=CoSignerStatus.CONFIRMED
        )
        .order_by("proposal__submitted_at", "id")
        .values_list("member_id", "proposal_id", "proposal__title", "proposal__submitted_at")
    )
    return [(m, pk, t, timezone.localdate(at)) for m, pk, t, at in rows]


def proposals_accepted(*, committee_id: int, year: int) -> list[Row]:
    """Proposals of the lead proposer accepted (立案) in the year."""
    rows = (
        Proposal.objects.filter(
            committee_id=committee_id, accepted_at__year=year, accepted_at__isnull=False
        )
        .order_by("accepted_at", "id")
        .values_list("lead_id", "pk", "title", "accepted_at")
    )
    return [(m, pk, t, timezone.localdate(at)) for m, pk, t, at in rows]


def proposals_key(*, committee_id: int, year: int) -> list[Row]:
    """Proposals of the lead proposer chosen as key proposals (重点提案), by the year of
    nomination."""
    rows = (
        KeyProposal.objects.filter(
            committee_id=committee_id, status=KeyStatus.CHOSEN, nominated_at__year=year
        )
        .order_by("nominated_at", "id")
        .values_list("proposal__lead_id", "proposal_id", "proposal__title", "nominated_at")
    )
    return [(m, pk, t, timezone.localdate(at)) for m, pk, t, at in rows]


def proposals_excellent(*, committee_id: int, year: int) -> list[Row]:
    """Proposals of the lead proposer selected as excellent for the year."""
    rows = (
        ExcellentProposal.objects.filter(committee_id=committee_id, year=year)
        .order_by("selected_at", "id")
        .values_list("proposal__lead_id", "proposal_id", "proposal__title", "selected_at")
    )
    return [(m, pk, t, timezone.localdate(at)) for m, pk, t, at in rows]


def proposals_from_suggestions(*, committee_id: int, year: int) -> list[Row]:
    """Proposals developed from a citizen's suggestion (百姓提案), for their lead."""
    rows = (
        _filed(committee_id, year)
        .filter(from_suggestion__isnull=False)
        .values_list("lead_id", "pk", "title", "submitted_at")
    )
    return [(m, pk, t, timezone.localdate(at)) for m, pk, t, at in rows]


def proposal_find(*, committee_id: int, number_or_id: str) -> Proposal | None:
    """A filed proposal of the committee by its number (or id), for linking it to a
    livelihood result or a workroom's 三个一; None when the committee has none such."""
    text = number_or_id.strip()
    qs = Proposal.objects.filter(committee_id=committee_id).exclude(status__in=NOT_FILED)
    found = qs.filter(number=text).first()
    if found is None and text.isdigit() and len(text) < 10:
        found = qs.filter(pk=int(text)).first()
    return found
