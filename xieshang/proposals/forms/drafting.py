"""Forms of drafting: the proposal's text and proposer, co-signer invitations, answers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieshang.people.models import Member, SpecialCommittee
from xieshang.proposals.models import Proposal, ProposalCategory, ProposerKind
from xieshang.proposals.selectors.drafting import categories_of, invitable_members
from xieshang.proposals.services.drafting import ProposalData


class ProposalForm(forms.Form):
    title = forms.CharField(
        label=_("Subject (案由)"),
        min_length=4,
        max_length=100,
        help_text=_("One issue per proposal."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=ProposalCategory.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    analysis = forms.CharField(
        label=_("Analysis of the situation (情况分析)"),
        min_length=10,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8, "class": "form-control"}),
    )
    recommendations = forms.CharField(
        label=_("Concrete suggestions (具体建议)"),
        min_length=10,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8, "class": "form-control"}),
    )
    proposer_kind = forms.ChoiceField(
        label=_("Proposed by"),
        choices=ProposerKind.choices,
        initial=ProposerKind.MEMBER,
        widget=forms.RadioSelect,
    )
    special_committee = forms.ModelChoiceField(
        label=_("Special committee"),
        queryset=SpecialCommittee.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    party_group = forms.CharField(
        label=_("Party or group"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args: Any, seat: Member, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seat = seat
        self.fields["category"].queryset = categories_of(  # type: ignore[attr-defined]
            committee_id=seat.committee_id
        )
        self.fields["special_committee"].queryset = (  # type: ignore[attr-defined]
            seat.special_committees.all()
        )
        has_special = seat.special_committees.exists()
        kinds: list[tuple[str, Any]] = [
            (value, label)
            for value, label in ProposerKind.choices
            if not (value == ProposerKind.SECTOR and seat.sector_id is None)
            and not (value == ProposerKind.SPECIAL_COMMITTEE and not has_special)
        ]
        if seat.sector is not None:
            kinds = [
                (v, f"{label}：{seat.sector.name}" if v == ProposerKind.SECTOR else label)
                for v, label in kinds
            ]
        self.fields["proposer_kind"].choices = kinds  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("proposer_kind")
        if kind == ProposerKind.SPECIAL_COMMITTEE and not data.get("special_committee"):
            self.add_error("special_committee", _("Choose a special committee you belong to."))
        if kind == ProposerKind.PARTY_GROUP and not data.get("party_group", "").strip():
            self.add_error("party_group", _("Name the party or group."))
        return data

    def proposal_data(self) -> ProposalData:
        d = self.cleaned_data
        kind = d["proposer_kind"]
        return ProposalData(
            title=d["title"],
            analysis=d["analysis"],
            recommendations=d["recommendations"],
            category=d["category"],
            proposer_kind=kind,
            special_committee=(
                d.get("special_committee") if kind == ProposerKind.SPECIAL_COMMITTEE else None
            ),
            party_group=d.get("party_group", "") if kind == ProposerKind.PARTY_GROUP else "",
        )

    @classmethod
    def initial_of(cls, proposal: Proposal) -> dict[str, Any]:
        return {
            "title": proposal.title,
            "category": proposal.category_id,
            "analysis": proposal.analysis,
            "recommendations": proposal.recommendations,
            "proposer_kind": proposal.proposer_kind,
            "special_committee": proposal.special_committee_id,
            "party_group": proposal.party_group,
        }


class InviteForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label=_("Members to invite"),
        queryset=Member.objects.none(),
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 8}),
        error_messages={"required": _("Choose at least one member to invite.")},
    )

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["members"]
        field.queryset = invitable_members(proposal=proposal)  # type: ignore[attr-defined]
        field.label_from_instance = (  # type: ignore[attr-defined]
            lambda m: f"{m.user.name}（{m.sector.name}）" if m.sector else m.user.name
        )


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[("confirm", _("Confirm")), ("decline", pgettext_lazy("cosign", "Decline"))]
    )
