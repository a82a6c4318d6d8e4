"""Forms of 社情民意: an item, a decision, a leader's instruction, an issue."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xieshang.core.forms import DocumentField
from xieshang.core.uploads import SCAN_KINDS
from xieshang.opinions.models import ITEM_MAX_CHARS, LeaderLevel, Series
from xieshang.people.models import Member


class ItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    situation = forms.CharField(
        label=_("The situation"), widget=forms.Textarea(attrs={"rows": 8}), max_length=1500
    )
    suggestion = forms.CharField(
        label=_("The suggestion"), widget=forms.Textarea(attrs={"rows": 6}), max_length=1500
    )
    author_unit = forms.CharField(
        label=_("Written for (sector, workroom, office)"), max_length=60, required=False
    )
    coauthors = forms.ModelMultipleChoiceField(
        label=_("Co-authors"), queryset=Member.objects.none(), required=False
    )

    def __init__(self, *args: Any, committee_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coauthors"].queryset = Member.objects.filter(  # type: ignore[attr-defined]
            committee_id=committee_id, is_active=True
        ).select_related("user")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        length = len(data.get("situation", "").strip()) + len(data.get("suggestion", "").strip())
        if length > ITEM_MAX_CHARS:
            raise forms.ValidationError(
                _("An item has at most %(max)d characters; this one has %(n)d."),
                params={"max": ITEM_MAX_CHARS, "n": length},
            )
        return data


class InstructionForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=LeaderLevel.choices)
    leader = forms.CharField(label=_("Leader"), max_length=60)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(label=_("Instruction"), widget=forms.Textarea(attrs={"rows": 3}))
    scan = DocumentField(
        label=_("Scan (PDF, JPG or PNG, at most 10 MB)"), kinds=SCAN_KINDS, required=False
    )


class IssueForm(forms.Form):
    series = forms.ChoiceField(label=_("Series"), choices=Series.choices)
    recipients = forms.CharField(label=_("Sent to"), max_length=300, required=False)
    sent_upward = forms.BooleanField(required=False)


class ScanForm(forms.Form):
    scan = DocumentField(label=_("Scan (PDF, JPG or PNG, at most 10 MB)"), kinds=SCAN_KINDS)
