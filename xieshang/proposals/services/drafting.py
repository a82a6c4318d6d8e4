"""Writes of drafting: a committee's categories and sessions, a member's proposal from draft
to submission or withdrawal, co-signers (联名), and drafts developed from citizen
suggestions (百姓提案).

Each service is atomic and leaves an event on the proposal's timeline. State changes go
through `PROPOSAL_WORKFLOW`; edits and co-signing are not transitions and are recorded
with `event_record` under the row lock, after checking the state.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.errors import Conflict, DomainError
from xieshang.core.models import Committee, Event
from xieshang.core.rules import require
from xieshang.core.services import event_record
from xieshang.people.models import Member, Sector, SpecialCommittee
from xieshang.proposals import hooks
from xieshang.proposals.models import (
    DEFAULT_CATEGORIES,
    CoSigner,
    CoSignerStatus,
    Proposal,
    ProposalAction,
    ProposalCategory,
    ProposalKind,
    ProposalPolicy,
    ProposalStatus,
    ProposerKind,
    Session,
)
from xieshang.proposals.workflow import COSIGNER_WORKFLOW, PROPOSAL_WORKFLOW
from xieshang.suggestions.models import Suggestion
from xieshang.suggestions.services import suggestion_claim, suggestion_claim_release

# Co-signers are invited and answer while the proposal is still with its proposers: the
# proposers are fixed when it is accepted and numbered (立案).
COSIGN_STATES = (ProposalStatus.DRAFT, ProposalStatus.SUBMITTED)


# --- Categories and sessions ----------------------------------------------------------


def category_install_defaults(*, committee: Committee) -> list[ProposalCategory]:
    """Give the committee the default categories (经济建设, 城市建设管理, 教科文卫体,
    社会事务) it does not have yet. Idempotent and safe when two requests do it at once;
    returns the categories created by this call."""
    created = []
    for order, name in enumerate(DEFAULT_CATEGORIES, start=1):
        try:
            with transaction.atomic():
                category, made = ProposalCategory.objects.get_or_create(
                    committee=committee, name=name, defaults={"order": order}
                )
        except IntegrityError:  # made by a concurrent call
            continue
        if made:
            created.append(category)
    return created


def session_current(committee: Committee | int, day: date) -> Session | None:
    """The session a proposal filed on `day` belongs to: the one whose filing window
    (from filing opens to the end of the plenary) contains the day, otherwise the latest
    session whose filing had opened by then (平时提案 between two plenaries)."""
    committee_id = committee if isinstance(committee, int) else committee.pk
    sessions = Session.objects.filter(committee_id=committee_id, filing_opens__lte=day)
    in_window = sessions.filter(plenary_ends__gte=day).order_by("-filing_opens").first()
    return in_window or sessions.order_by("-filing_opens", "-term", "-meeting").first()


def kind_for(committee: Committee | int, day: date) -> str:
    """大会提案 when `day` is in a session's filing window, 平时提案 otherwise."""
    committee_id = committee if isinstance(committee, int) else committee.pk
    in_window = Session.objects.filter(
        committee_id=committee_id, filing_opens__lte=day, plenary_ends__gte=day
    ).exists()
    return ProposalKind.SESSION if in_window else ProposalKind.INTERIM


# --- Writing a proposal ---------------------------------------------------------------


@dataclass(frozen=True)
class ProposalData:
    """A proposal's text and who proposes it, as validated by the form."""

    title: str
    analysis: str
    recommendations: str
    category: ProposalCategory
    proposer_kind: str = ProposerKind.MEMBER
    special_committee: SpecialCommittee | None = None
    party_group: str = ""


def _proposer_fields(data: ProposalData, lead: Member) -> dict[str, Any]:
    """Check who the proposal is filed for and return the fields that say it."""
    if data.category.committee_id != lead.committee_id or not data.category.is_active:
        raise DomainError(_("Choose a category of this committee."))
    fields: dict[str, Any] = {
        "proposer_kind": data.proposer_kind,
        "sector": None,
        "special_committee": None,
        "party_group": "",
    }
    kind = data.proposer_kind
    if kind == ProposerKind.MEMBER:
        return fields
    if kind == ProposerKind.SECTOR:
        sector: Sector | None = lead.sector
        if sector is None:
            raise DomainError(_("You belong to no sector, so you cannot file for one."))
        fields["sector"] = sector
    elif kind == ProposerKind.SPECIAL_COMMITTEE:
        special = data.special_committee
        if special is None or not lead.special_committees.filter(pk=special.pk).exists():
            raise DomainError(_("Choose a special committee you belong to."))
        fields["special_committee"] = special
    elif kind == ProposerKind.PARTY_GROUP:
        name = data.party_group.strip()
        if not name:
            raise DomainError(_("Name the party or group the proposal is filed for."))
        fields["party_group"] = name[:60]
    else:
        raise DomainError(_("Choose who proposes it."))
    return fields


def proposal_create(*, lead: Member, data: ProposalData, actor: Any) -> Proposal:
    """A new draft by a member (the lead proposer is the actor's own seat)."""
    require(actor, "proposals.create_proposal", lead)
    fields = _proposer_fields(data, lead)
    with transaction.atomic():
        proposal = Proposal.objects.create(
            committee_id=lead.committee_id,
            lead=lead,
            title=data.title.strip(),
            analysis=data.analysis.strip(),
            recommendations=data.recommendations.strip(),
            category=data.category,
            created_by=actor,
            **fields,
        )
        event_record(
            obj=proposal,
            committee_id=proposal.committee_id,
            actor=actor,
            action=ProposalAction.CREATE,
            to_state=ProposalStatus.DRAFT,
        )
        hooks.proposal_saved(proposal)
    return proposal


def _locked(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().select_related("lead").get(pk=proposal.pk)


def proposal_update(*, proposal: Proposal, data: ProposalData, actor: Any) -> Proposal:
    """Change a draft. Only its lead proposer, and only while it is a draft: once submitted
    the text is what the office reviews."""
    with transaction.atomic():
        locked = _locked(proposal)
        require(actor, "proposals.edit_proposal", locked)
        if locked.status != ProposalStatus.DRAFT:
            raise Conflict(
                _("The proposal has been submitted (now “%(state)s”) and can no longer be edited.")
                % {"state": locked.get_status_display()}
            )
        fields = _proposer_fields(data, locked.lead)
        locked.title = data.title.strip()
        locked.analysis = data.analysis.strip()
        locked.recommendations = data.recommendations.strip()
        locked.category = data.category
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save()
        event_record(
            obj=locked, committee_id=locked.committee_id, actor=actor, action=ProposalAction.EDIT
        )
        hooks.proposal_saved(locked)
    return locked


def _check_complete(proposal: Proposal) -> None:
    missing = [
        str(label)
        for label, value in (
            (_("subject"), proposal.title),
            (_("analysis of the situation"), proposal.analysis),
            (_("concrete suggestions"), proposal.recommendations),
        )
        if not value.strip()
    ]
    if missing:
        raise DomainError(
            _("Fill in the %(fields)s before submitting.") % {"fields": "、".join(missing)}
        )


def proposal_submit(
    *, proposal: Proposal, actor: Any, expected_state: str | None = ProposalStatus.DRAFT
) -> Event:
    """Submit a draft for review. Its kind (大会提案 or 平时提案) and session follow from
    the day it is submitted."""

    def stamp(locked: Proposal, _t: object) -> None:
        _check_complete(locked)
        now = timezone.now()
        day = timezone.localdate(now)
        locked.submitted_at = now
        locked.kind = kind_for(locked.committee_id, day)
        locked.session = session_current(locked.committee_id, day)

    event = PROPOSAL_WORKFLOW.apply(
        proposal,
        action=ProposalAction.SUBMIT,
        actor=actor,
        expected_state=expected_state,
        on_apply=stamp,
    )
    proposal.refresh_from_db()
    return event


def proposal_withdraw(
    *, proposal: Proposal, actor: Any, note: str = "", expected_state: str | None = None
) -> Event:
    """The lead proposer withdraws it, as a draft or while it awaits review. A proposal
    developed from a citizen suggestion frees the lead's claim of it: the suggestion is
    offered to members again."""
    with transaction.atomic():
        event = PROPOSAL_WORKFLOW.apply(
            proposal,
            action=ProposalAction.WITHDRAW,
            actor=actor,
            note=note,
            expected_state=expected_state,
        )
        if proposal.from_suggestion is not None:
            suggestion_claim_release(suggestion=proposal.from_suggestion, member=proposal.lead)
    return event


# --- Co-signers (联名) ------------------------------------------------------------------


def cosigners_invite(
    *, proposal: Proposal, members: Sequence[Member], actor: Any
) -> list[CoSigner]:
    """The lead invites members of the same committee to sign jointly; each has the
    committee's `cosign_days` to confirm. Only while the proposal is a draft or awaits
    review. Inviting someone already invited, or oneself, is refused."""
    if not members:
        raise DomainError(_("Choose at least one member to invite."))
    with transaction.atomic():
        locked = _locked(proposal)
        require(actor, "proposals.invite_proposal", locked)
        if locked.status not in COSIGN_STATES:
            raise Conflict(_("Co-signers can only be invited before the proposal is reviewed."))
        chosen = {m.pk: m for m in members}
        serving = set(
            Member.objects.filter(
                pk__in=chosen, committee_id=locked.committee_id, is_active=True
            ).values_list("pk", flat=True)
        )
        if serving != set(chosen):
            raise DomainError(_("Choose serving members of this committee."))
        if locked.lead_id in chosen:
            raise DomainError(_("You are the lead proposer; invite other members."))
        already = list(
            CoSigner.objects.filter(proposal=locked, member_id__in=chosen).select_related(
                "member__user"
            )
        )
        if already:
            raise DomainError(
                _("Already invited: %(names)s.")
                % {"names": "、".join(c.member.user.name for c in already)}
            )
        deadline = timezone.now() + timedelta(
            days=ProposalPolicy.for_committee(locked.committee_id).cosign_days
        )
        rows = CoSigner.objects.bulk_create(
            [CoSigner(proposal=locked, member=m, deadline=deadline) for m in chosen.values()]
        )
        event_record(
            obj=locked,
            committee_id=locked.committee_id,
            actor=actor,
            action=ProposalAction.INVITE,
            note="、".join(str(m.user.name) for m in chosen.values()),
        )
    return rows


def cosigner_answer(*, cosigner: CoSigner, confirm: bool, actor: Any) -> CoSigner:
    """The invited member confirms (联名) or declines, before the deadline and while the
    proposal is still before review (`COSIGNER_WORKFLOW`; the proposal's timeline notes it
    too). Answering twice, or late, changes nothing."""
    action = ProposalAction.COSIGN if confirm else ProposalAction.COSIGN_DECLINE

    def in_time(locked: CoSigner, _t: object) -> None:
        if timezone.now() > locked.deadline:
            raise DomainError(
                _("The deadline to confirm was %(deadline)s; it has passed.")
                % {"deadline": timezone.localtime(locked.deadline).strftime("%Y-%m-%d %H:%M")}
            )
        proposal = Proposal.objects.select_for_update().get(pk=locked.proposal_id)
        if proposal.status not in COSIGN_STATES:
            raise Conflict(
                _("The proposal is now “%(state)s”; its proposers can no longer change.")
                % {"state": proposal.get_status_display()}
            )
        locked.responded_at = timezone.now()

    with transaction.atomic():
        current = CoSigner.objects.select_related("member").get(pk=cosigner.pk)
        require(actor, f"proposals.{action}_cosigner", current)
        if current.status != CoSignerStatus.INVITED:
            raise Conflict(
                _("You have already answered: %(status)s.")
                % {"status": current.get_status_display()}
            )
        COSIGNER_WORKFLOW.apply(
            current,
            action=action,
            actor=actor,
            expected_state=CoSignerStatus.INVITED,
            on_apply=in_time,
        )
        proposal = Proposal.objects.get(pk=current.proposal_id)
        event_record(
            obj=proposal,
            committee_id=proposal.committee_id,
            actor=actor,
            action=action,
        )
    current.refresh_from_db()
    return current


# --- 百姓提案: a draft from a citizen suggestion ----------------------------------------


def proposal_draft_from_suggestion(
    *, suggestion: Suggestion, member: Member, actor: Any
) -> Proposal:
    """The draft a member's claim (认领) of a citizen suggestion creates: marked 百姓提案,
    its subject and analysis taken from the suggestion, in the committee's first category
    (the member changes what they need). The suggestion's timeline notes it; the citizen's
    tracking page shows it once the proposal is submitted."""
    if member.committee_id != suggestion.committee_id:
        raise DomainError(_("The suggestion belongs to another committee."))
    require(actor, "proposals.create_proposal", member)
    category = (
        ProposalCategory.objects.filter(committee_id=member.committee_id, is_active=True)
        .order_by("order", "id")
        .first()
    )
    if category is None:
        category_install_defaults(committee=member.committee)
        category = (
            ProposalCategory.objects.filter(committee_id=member.committee_id, is_active=True)
            .order_by("order", "id")
            .first()
        )
    if category is None:
        raise DomainError(_("The committee has no proposal categories in use."))
    with transaction.atomic():
        proposal = Proposal.objects.create(
            committee_id=member.committee_id,
            lead=member,
            title=suggestion.title[:100],
            analysis=suggestion.content,
            recommendations="",
            category=category,
            from_suggestion=suggestion,
            created_by=actor,
        )
        event_record(
            obj=proposal,
            committee_id=proposal.committee_id,
            actor=actor,
            action=ProposalAction.CREATE,
            to_state=ProposalStatus.DRAFT,
            note=_("Developed from the citizen suggestion %(code)s")
            % {"code": suggestion.tracking_code},
        )
        hooks.proposal_saved(proposal)
    return proposal


def proposal_claim(*, suggestion: Suggestion, member: Member, actor: Any) -> Proposal:
    """A member claims an offered citizen suggestion (认领): the claim is recorded on the
    suggestion (`suggestion_claim`) and its draft proposal created, in one transaction.
    Returns the draft."""
    with transaction.atomic():
        suggestion_claim(suggestion=suggestion, member=member, actor=actor)
        return proposal_draft_from_suggestion(suggestion=suggestion, member=member, actor=actor)
