"""Where higher apps join the life of a proposal (see core/hooks.py)."""

from __future__ import annotations

from xieshang.core.hooks import Hook
from xieshang.proposals.models import Proposal

# A proposal was created or its text changed (in that transaction): the search index
# writes its entry.
proposal_saved: Hook[[Proposal], None] = Hook("proposals.proposal_saved")
