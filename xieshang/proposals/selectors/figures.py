"""For the figures (履职成效): the committees' proposal records, read-only. The figures
app has checked that the user may see these committees' figures."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import QuerySet

from xieshang.proposals.models import KeyProposal, Proposal, ProposalRating, ProposalStatus, Reply


def proposals_of_committees(ids: Sequence[int]) -> QuerySet[Proposal]:
    """Proposals filed with the committees, every status (drafts included)."""
    return Proposal.objects.filter(committee_id__in=list(ids))


def replies_of_committees(ids: Sequence[int]) -> QuerySet[Reply]:
    """Departments' replies to the committees' proposals, every status."""
    return Reply.objects.filter(assignment__committee_id__in=list(ids))


def ratings_of_committees(ids: Sequence[int]) -> QuerySet[ProposalRating]:
    """Proposers' ratings of the replies to the committees' proposals."""
    return ProposalRating.objects.filter(proposal__committee_id__in=list(ids))


def key_proposals_of_committees(ids: Sequence[int]) -> QuerySet[KeyProposal]:
    """Nominations of the committees' proposals as key proposals (重点提案)."""
    return KeyProposal.objects.filter(committee_id__in=list(ids))


def proposals_of_suggestions(ids: Sequence[int]) -> QuerySet[Proposal]:
    """Proposals members developed from any of the suggestions (drafts left out)."""
    return (
        Proposal.objects.filter(from_suggestion_id__in=list(ids))
        .exclude(status=ProposalStatus.DRAFT)
        .order_by("pk")
    )
