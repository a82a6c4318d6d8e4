from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TransitionForm(forms.Form):
    """One step of a workflow. `expected_state` is the state the page showed, so a stale
    form or a second click is refused instead of applied twice."""

    action = forms.CharField(max_length=40)
    expected_state = forms.CharField(max_length=30)
    note = forms.CharField(
        label=_("Note"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
