"""Forms of the member's side of a talk: the talk record and the issues it raised."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from xieshang.duty.services.talks import MAX_ISSUES, RaisedIssue
from xieshang.suggestions.models import Category


class TalkForm(forms.Form):
    summary = forms.CharField(
        label=_("What was raised in the talk"),
        min_length=2,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
    )
    citizen_consented = forms.BooleanField(
        label=_("The citizen agreed that their issues become suggestions"), required=False
    )


class IssueForm(forms.Form):
    title = forms.CharField(
        label=_("Issue"),
        min_length=4,
        max_length=60,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    content = forms.CharField(
        label=_("What the citizen raised and suggests"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, committee_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(  # type: ignore[attr-defined]
            committee_id=committee_id, is_active=True
        )


if TYPE_CHECKING:
    _IssueFormSetBase = BaseFormSet[IssueForm]
else:
    _IssueFormSetBase = BaseFormSet


class BaseIssueFormSet(_IssueFormSetBase):
    def issues(self) -> list[RaisedIssue]:
        """The filled-in issues (blank rows are skipped)."""
        return [
            RaisedIssue(
                title=form.cleaned_data["title"],
                content=form.cleaned_data["content"],
                category=form.cleaned_data.get("category"),
            )
            for form in self.forms
            if form.has_changed() and form.cleaned_data
        ]


IssueFormSet = formset_factory(
    IssueForm,
    formset=BaseIssueFormSet,
    extra=MAX_ISSUES,
    max_num=MAX_ISSUES,
    validate_max=True,
    absolute_max=MAX_ISSUES,
)


def talk_forms(data: Any = None, *, committee_id: int) -> tuple[TalkForm, BaseIssueFormSet]:
    issues = IssueFormSet(data, prefix="issue", form_kwargs={"committee_id": committee_id})
    assert isinstance(issues, BaseIssueFormSet)
    return TalkForm(data), issues


def talk_forms_valid(form: TalkForm, issues: BaseIssueFormSet) -> bool:
    """Both valid, and issues only with the citizen's consent (said on the form)."""
    if not (form.is_valid() & issues.is_valid()):
        return False
    if issues.issues() and not form.cleaned_data["citizen_consented"]:
        form.add_error(
            "citizen_consented",
            ValidationError(
                _("Issues become suggestions only with the citizen's consent."),
                code="no_consent",
            ),
        )
        return False
    return True
