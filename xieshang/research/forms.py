"""Forms of research topics: a topic, its report, a leader's instruction (with its scan),
an outcome, a visit or meeting, and material attached. Every choice is limited to the
committee's own records; files are judged by their content (core.uploads)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xieshang.activities.models import Activity, ActivityKind
from xieshang.core.forms import CountedTextField, DocumentField
from xieshang.core.uploads import DOCUMENT_KINDS, SCAN_KINDS
from xieshang.people.models import Member
from xieshang.research.models import LeaderLevel, OutcomeKind

MATERIAL_NOTE_MAX = 4000


def first_error(form: forms.Form) -> str:
    """The form's first message, to answer a refused post with."""
    for errors in form.errors.values():
        if errors:
            return str(errors[0])
    return ""


class TopicForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    lead = forms.CharField(label=_("Led by"), max_length=60)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    is_key = forms.BooleanField(label=_("Key topic"), required=False)
    joint_with_upper = forms.BooleanField(
        label=_("Joint research with the upper committee"), required=False
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Group members"), queryset=Member.objects.none(), required=False
    )
    plan = forms.CharField(
        label=_("Plan, departments to visit and schedule"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, committee_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = Member.objects.filter(  # type: ignore[attr-defined]
            committee_id=committee_id, is_active=True
        ).select_related("user")


class ReportForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    text = forms.CharField(label=_("Report"), max_length=50000, widget=forms.Textarea)


class InstructionForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=LeaderLevel.choices)
    leader = forms.CharField(label=_("Leader"), max_length=60)
    date = forms.DateField(label=_("Date"))
    text = forms.CharField(label=_("Instruction"))
    scan = DocumentField(
        label=_("Scan (PDF, JPG or PNG, at most 10 MB)"), kinds=SCAN_KINDS, required=False
    )


class ScanForm(forms.Form):
    scan = DocumentField(label=_("Scan (PDF, JPG or PNG, at most 10 MB)"), kinds=SCAN_KINDS)


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(choices=OutcomeKind.choices)
    text = forms.CharField(max_length=300)
    date = forms.DateField()


class MaterialForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=100,
        error_messages={"required": _("Give the material a title.")},
    )
    note = CountedTextField(
        label=_("Note"), max_length=MATERIAL_NOTE_MAX, required=False, widget=forms.Textarea
    )
    file = DocumentField(
        label=_("File (PDF, Word, JPG or PNG, at most 10 MB)"),
        kinds=DOCUMENT_KINDS,
        required=False,
    )
    activity = forms.ModelChoiceField(
        label=_("Visit or meeting"), queryset=Activity.objects.none(), required=False
    )

    def __init__(self, *args: Any, activities: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if activities is not None:
            self.fields["activity"].queryset = activities  # type: ignore[attr-defined]


class VisitForm(forms.Form):
    """A visit or meeting of the topic, recorded as a duty activity with who attended."""

    kind = forms.ModelChoiceField(label=_("Kind"), queryset=ActivityKind.objects.none())
    title = forms.CharField(label=_("Title"), max_length=100)
    date = forms.DateField(label=_("Date"))
    members = forms.ModelMultipleChoiceField(
        label=_("Members who attended"), queryset=Member.objects.none()
    )
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, committee_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = ActivityKind.objects.filter(  # type: ignore[attr-defined]
            committee_id=committee_id, is_active=True
        )
        self.fields["members"].queryset = Member.objects.filter(  # type: ignore[attr-defined]
            committee_id=committee_id, is_active=True
        ).select_related("user")
