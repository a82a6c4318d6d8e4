"""The members' side of proposals: my proposals, writing and editing a draft, a proposal's
page for its proposers (status, number, co-signers, timeline, replies once sent), submit
and withdraw, co-signer invitations and their answers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core.decorators import workspace_required
from xieshang.core.errors import DomainError
from xieshang.core.forms import TransitionForm
from xieshang.core.http import int_param
from xieshang.people.models import Member
from xieshang.people.selectors import member_seats_of
from xieshang.proposals import hooks
from xieshang.proposals.forms.drafting import AnswerForm, InviteForm, ProposalForm
from xieshang.proposals.models import CoSignerStatus, Proposal, ProposalStatus
from xieshang.proposals.selectors import drafting as selectors
from xieshang.proposals.services import drafting as services
from xieshang.proposals.workflow import PROPOSAL_WORKFLOW
from xieshang.suggestions.selectors import suggestions_offered_to

VIEW = "proposals.view_proposal"
DRAFT = "proposals.draft_proposal"
# The steps the proposer's page offers as buttons.
PAGE_ACTIONS = ("submit", "withdraw")


@workspace_required(VIEW)
def mine(request: HttpRequest) -> HttpResponse:
    """我的提案: as lead proposer, as co-signer, and invitations to answer."""
    return render(
        request,
        "proposals/drafting/mine.html",
        {
            "mine": selectors.proposals_mine(user=request.user),
            "seats": list(selectors.member_seats(user=request.user)),
        },
    )


def _seat_for_new(request: HttpRequest) -> Member | None:
    """The seat the new proposal is written in: the only one, or the one chosen."""
    seats = list(selectors.member_seats(user=request.user))
    if not seats:
        raise PermissionDenied(_("Only a serving member of a committee may write proposals."))
    if len(seats) == 1:
        return seats[0]
    chosen = int_param(request.GET.get("committee") or request.POST.get("committee"))
    return next((s for s in seats if s.committee_id == chosen), None)


@workspace_required(DRAFT)
def new(request: HttpRequest) -> HttpResponse:
    seat = _seat_for_new(request)
    if seat is None:
        return render(
            request,
            "proposals/drafting/choose_committee.html",
            {"seats": selectors.member_seats(user=request.user)},
        )
    if not selectors.categories_of(committee_id=seat.committee_id).exists():
        # A committee that has not set its categories gets the defaults (idempotent).
        services.category_install_defaults(committee=seat.committee)
    form = ProposalForm(request.POST or None, seat=seat)
    if request.method == "POST" and form.is_valid():
        proposal = services.proposal_create(
            lead=seat, data=form.proposal_data(), actor=request.user
        )
        messages.success(
            request, _("The draft is saved. Invite co-signers or submit it when it is ready.")
        )
        return redirect("proposals:detail", pk=proposal.pk)
    return render(
        request,
        "proposals/drafting/form.html",
        {"form": form, "seat": seat, "proposal": None},
        status=400 if form.errors else 200,
    )


def _is_lead(proposal: Proposal, user: Any) -> bool:
    return bool(user.has_perm("proposals.edit_proposal", proposal))


@workspace_required(VIEW)
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get_for_proposer(user=request.user, pk=pk)
    if not _is_lead(proposal, request.user):
        raise PermissionDenied(_("Only the lead proposer may edit the proposal."))
    if request.method == "GET" and proposal.status != ProposalStatus.DRAFT:
        messages.warning(request, _("The proposal has been submitted and can no longer be edited."))
        return redirect("proposals:detail", pk=proposal.pk)
    form = ProposalForm(
        request.POST or None, seat=proposal.lead, initial=ProposalForm.initial_of(proposal)
    )
    if request.method == "POST" and form.is_valid():
        services.proposal_update(proposal=proposal, data=form.proposal_data(), actor=request.user)
        messages.success(request, _("The draft is saved."))
        return redirect("proposals:detail", pk=proposal.pk)
    return render(
        request,
        "proposals/drafting/form.html",
        {"form": form, "seat": proposal.lead, "proposal": proposal},
        status=400 if form.errors else 200,
    )


@workspace_required(VIEW)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get_for_proposer(user=request.user, pk=pk)
    transitions = PROPOSAL_WORKFLOW.available_by_action(proposal, request.user)
    is_lead = _is_lead(proposal, request.user)
    can_invite = is_lead and proposal.status in services.COSIGN_STATES
    own = next(
        (
            c
            for c in selectors.cosigners_of(proposal=proposal)
            if c.member.user_id == request.user.pk
        ),
        None,
    )
    return render(
        request,
        "proposals/drafting/detail.html",
        {
            "proposal": proposal,
            "is_lead": is_lead,
            "actions": [transitions[a] for a in PAGE_ACTIONS if a in transitions],
            "cosigners": selectors.cosigners_of(proposal=proposal),
            "invite_form": InviteForm(proposal=proposal) if can_invite else None,
            "invitation": own
            if own is not None
            and own.status == CoSignerStatus.INVITED
            and proposal.status in services.COSIGN_STATES
            else None,
            "timeline": selectors.proposer_timeline(proposal=proposal),
            "replies": selectors.replies_sent(proposal=proposal),
            "ratings": selectors.ratings_of(proposal=proposal),
            "sections": sorted(hooks.page_sections(request.user, proposal), key=lambda s: s.order),
        },
    )


@require_POST
@workspace_required(VIEW)
def act(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit or withdraw, by the lead proposer."""
    proposal = selectors.proposal_get_for_proposer(user=request.user, pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid() or form.cleaned_data["action"] not in PAGE_ACTIONS:
        raise DomainError(_("The form is incomplete. Reload the page and try again."))
    expected = form.cleaned_data["expected_state"]
    if form.cleaned_data["action"] == "submit":
        services.proposal_submit(proposal=proposal, actor=request.user, expected_state=expected)
        messages.success(request, _("The proposal is submitted to the proposal office."))
    else:
        services.proposal_withdraw(
            proposal=proposal,
            actor=request.user,
            note=form.cleaned_data["note"],
            expected_state=expected,
        )
        messages.success(request, _("The proposal is withdrawn."))
    return redirect("proposals:detail", pk=proposal.pk)


@require_POST
@workspace_required(VIEW)
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get_for_proposer(user=request.user, pk=pk)
    form = InviteForm(request.POST, proposal=proposal)
    if not form.is_valid():
        raise DomainError(
            _("Choose members of this committee who are not yet invited.")
            if form.data.get("members")
            else _("Choose at least one member to invite.")
        )
    rows = services.cosigners_invite(
        proposal=proposal, members=list(form.cleaned_data["members"]), actor=request.user
    )
    messages.success(request, _("%(n)d members invited to sign it jointly.") % {"n": len(rows)})
    return redirect("proposals:detail", pk=proposal.pk)


@require_POST
@workspace_required(VIEW)
def cosign_answer(request: HttpRequest, pk: int) -> HttpResponse:
    cosigner = selectors.cosigner_get(user=request.user, pk=pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("Confirm or decline."))
    confirm = form.cleaned_data["answer"] == "confirm"
    services.cosigner_answer(cosigner=cosigner, confirm=confirm, actor=request.user)
    messages.success(
        request,
        _("You have signed the proposal jointly.") if confirm else _("You have declined."),
    )
    return redirect("proposals:detail", pk=cosigner.proposal_id)


@require_POST
@workspace_required("suggestions.claim_suggestion")
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    """A member claims a citizen suggestion offered to members (认领) and goes on to the
    draft proposal it made."""
    suggestion = suggestions_offered_to(user=request.user).filter(pk=pk).first()
    if suggestion is None:
        raise DomainError(_("This suggestion is not offered to you."))
    seat = member_seats_of(user=request.user).filter(committee_id=suggestion.committee_id).first()
    if seat is None:
        raise PermissionDenied
    draft = services.proposal_claim(suggestion=suggestion, member=seat, actor=request.user)
    messages.success(request, _("You have claimed it. Develop it into a proposal."))
    return redirect("proposals:edit", pk=draft.pk)


urlpatterns: list[URLPattern] = [
    path("work/proposals/mine/", mine, name="mine"),
    path("work/proposals/new/", new, name="new"),
    path("work/proposals/<int:pk>/", detail, name="detail"),
    path("work/proposals/<int:pk>/edit/", edit, name="edit"),
    path("work/proposals/<int:pk>/act/", act, name="act"),
    path("work/proposals/<int:pk>/invite/", invite, name="invite"),
    path("work/proposals/invitations/<int:pk>/answer/", cosign_answer, name="cosign_answer"),
    path("work/suggestions/<int:pk>/claim/", claim, name="claim"),
]
