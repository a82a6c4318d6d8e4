"""Forms of the workrooms app: evidence for the standard, and duty activities. Every
choice is limited to the committee's own records, with a clear message otherwise."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xieshang.core.forms import PhotoField


class EvidenceForm(forms.Form):
    text = forms.CharField(
        label=_("Evidence"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Describe the evidence.")},
    )
    photo = PhotoField(label=_("Photo (optional)"), required=False)


class ConfirmEvidenceForm(forms.Form):
    seen = forms.DateTimeField(widget=forms.HiddenInput)
