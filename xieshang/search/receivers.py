"""What the search index does at the hooks of the apps below it (core/hooks.py)."""

from __future__ import annotations

from xieshang.proposals import hooks as proposal_hooks
from xieshang.proposals.models import Proposal
from xieshang.search.services import entry_index_proposal


def proposal_indexed(proposal: Proposal) -> None:
    """A proposal created or changed: its entry is written in the same transaction."""
    entry_index_proposal(proposal=proposal)


def connect() -> None:
    proposal_hooks.proposal_saved.register(proposal_indexed)
