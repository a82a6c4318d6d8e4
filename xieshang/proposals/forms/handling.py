"""Forms of the department's side of proposals and of the proposers' ratings. Every form
of a step carries `expected_state`, the state the page showed, so a stale page is refused
instead of applied twice."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xieshang.core.errors import DomainError
from xieshang.proposals.models import ContactStage, Satisfaction
from xieshang.proposals.selectors.handling import grade_choices
from xieshang.proposals.services.handling import (
    COMMENT_MAX,
    NOTE_MAX,
    OPINION_MAX,
    REASON_MAX,
    REPLY_MAX,
    letter_clean,
)


class StepForm(forms.Form):
    expected_state = forms.CharField(max_length=30, widget=forms.HiddenInput)


class ActForm(StepForm):
    """Sign for, or ask to return with a reason."""

    action = forms.ChoiceField(choices=[("sign", "sign"), ("ask_return", "ask_return")])
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "ask_return" and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why the proposal should go to another department."))
        return data


class NoteForm(forms.Form):
    stage = forms.ChoiceField(label=_("Kind"), choices=ContactStage.choices)
    happened_on = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    text = forms.CharField(
        label=_("What was done"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_happened_on(self) -> Any:
        day = self.cleaned_data.get("happened_on")
        if day is not None and day > timezone.localdate():
            raise ValidationError(_("The date of a note may not lie in the future."))
        return day


class OpinionForm(StepForm):
    text = forms.CharField(
        label=_("Opinion (会签)"), max_length=OPINION_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )


class ReplyForm(StepForm):
    text = forms.CharField(
        label=_("Reply"), max_length=REPLY_MAX, widget=forms.Textarea(attrs={"rows": 10})
    )
    grade = forms.ChoiceField(label=_("Grade"), widget=forms.RadioSelect)
    letter = forms.FileField(
        label=_("Reply letter (答复函)"),
        required=False,
        help_text=_("PDF, Word or a scanned image (JPG, PNG), at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.doc,.docx,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args: Any, committee_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grade"].choices = grade_choices(committee_id=committee_id)  # type: ignore[attr-defined]

    def clean_letter(self) -> Any:
        upload = self.cleaned_data.get("letter")
        if upload:
            try:
                letter_clean(upload)
            except DomainError as error:
                raise ValidationError(str(error.message)) from None
        return upload


class HeadDecisionForm(StepForm):
    action = forms.ChoiceField(
        choices=[("approve_reply", "approve_reply"), ("return_reply", "return_reply")]
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "return_reply" and not data.get("reason", "").strip():
            self.add_error("reason", _("Say what should be changed in the draft."))
        return data


class RatingForm(forms.Form):
    value = forms.ChoiceField(
        label=_("Your rating"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("value") == Satisfaction.DISSATISFIED and not data.get("comment", "").strip():
            self.add_error(
                "comment", _("Say why you are dissatisfied, so the reply can be improved.")
            )
        return data


def first_error(form: forms.Form) -> str:
    for errors in form.errors.values():
        for error in errors:
            return str(error)
    return str(_("The form is incomplete. Reload the page and try again."))
