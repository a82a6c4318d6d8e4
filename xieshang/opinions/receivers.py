"""What the opinions app does at the hooks of the apps below it (core/hooks.py): a
suggestion forwarded as 社情民意 and a proposal not accepted with conversion each start a
draft item, linked both ways; the citizen's tracking page shows the step."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from xieshang.core.hooks import Section
from xieshang.opinions import selectors, services
from xieshang.opinions.models import ITEM_MAX_CHARS, Item, OpinionAction
from xieshang.people.models import Member
from xieshang.proposals import hooks as proposal_hooks
from xieshang.proposals.models import Proposal
from xieshang.suggestions import hooks as suggestion_hooks
from xieshang.suggestions.models import Suggestion

ELLIPSIS = "……"


def fit(situation: str, suggestion: str) -> tuple[str, str]:
    """Both texts cut to fit one item (the author shortens the draft before submitting)."""
    situation, suggestion = situation.strip(), suggestion.strip()
    if len(situation) + len(suggestion) <= ITEM_MAX_CHARS:
        return situation, suggestion
    keep = min(len(suggestion), ITEM_MAX_CHARS // 2)
    room = ITEM_MAX_CHARS - keep
    if len(situation) > room:
        situation = situation[: room - len(ELLIPSIS)] + ELLIPSIS
    room = ITEM_MAX_CHARS - len(situation)
    if len(suggestion) > room:
        suggestion = suggestion[: room - len(ELLIPSIS)] + ELLIPSIS
    return situation, suggestion


def draft_from_suggestion(suggestion: Suggestion, actor: Any, member_id: int | None) -> None:
    """The draft for the chosen member, or for the liaison office."""
    author = Member.objects.get(pk=member_id) if member_id is not None else None
    situation, advice = fit(suggestion.content, _("(To be written from the citizen's suggestion.)"))
    services.item_start(
        actor=actor,
        committee=suggestion.committee,
        data=services.ItemData(
            title=suggestion.title,
            situation=situation,
            suggestion=advice,
            author_unit="" if author is not None else _("Liaison office"),
        ),
        author=author,
        action=OpinionAction.FROM_SUGGESTION,
        note=suggestion.tracking_code,
        source_suggestion=suggestion,
    )


def draft_from_proposal(proposal: Proposal, actor: Any) -> None:
    """The draft for the proposal's lead proposer, from its text."""
    situation, advice = fit(proposal.analysis, proposal.recommendations)
    services.item_start(
        actor=actor,
        committee=proposal.committee,
        data=services.ItemData(title=proposal.title, situation=situation, suggestion=advice),
        author=proposal.lead,
        action=OpinionAction.FROM_PROPOSAL,
        note=proposal.number or proposal.title,
        source_proposal=proposal,
    )


def tracking(suggestion: Suggestion) -> Section | None:
    """On the citizen's tracking page: reported as 社情民意 information (no names)."""
    items = list(selectors.items_from_suggestion(suggestion=suggestion))
    if not items:
        return None
    return Section("opinions/hooks/tracking.html", {"items": items}, order=20)


def staff_form(user: Any, suggestion: Suggestion) -> Section | None:
    """On the staff's suggestion page: forward as 社情民意, for a chosen member."""
    if not user.has_perm("suggestions.opinion_suggestion", suggestion):
        return None
    return Section(
        "opinions/hooks/forward.html",
        {
            "suggestion": suggestion,
            "members": selectors.members_of(suggestion.committee_id),
            "items": selectors.items_from_suggestion(suggestion=suggestion),
        },
        order=30,
    )


def proposal_section(user: Any, proposal: Proposal) -> Section | None:
    """On a proposal's pages: the 社情民意 item it was converted to, for whoever may see
    the item."""
    item = Item.objects.filter(source_proposal=proposal).first()
    if item is None or not user.has_perm("opinions.view_item", item):
        return None
    return Section("opinions/hooks/proposal.html", {"item": item}, order=20)


def connect() -> None:
    suggestion_hooks.forwarded_as_opinion.register(draft_from_suggestion)
    suggestion_hooks.tracking_sections.register(tracking)
    suggestion_hooks.staff_sections.register(staff_form)
    proposal_hooks.converted_to_opinion.register(draft_from_proposal)
    proposal_hooks.page_sections.register(proposal_section)
