"""Where higher apps join the life of a proposal (see core/hooks.py)."""

from __future__ import annotations

from typing import Any

from xieshang.core.hooks import Hook, Section
from xieshang.proposals.models import Proposal

# A proposal was created or its text changed (in that transaction): the search index
# writes its entry.
proposal_saved: Hook[[Proposal], None] = Hook("proposals.proposal_saved")

# A proposal was not accepted (不立案) and converted to 社情民意 information (in that
# transaction): the opinions app writes the draft item for its lead proposer. Receivers
# get the proposal and the staff user; raising refuses the whole step.
converted_to_opinion: Hook[[Proposal, Any], None] = Hook("proposals.converted_to_opinion")

# The proposal's pages (the proposer's and the staff's): receivers get the user and the
# proposal (which the user may see) and return a Section (the 社情民意 item it became…),
# or None.
page_sections: Hook[[Any, Proposal], Section] = Hook(
    "proposals.page_sections", "Sections of a proposal's pages."
)
