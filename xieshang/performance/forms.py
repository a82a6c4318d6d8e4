"""Forms of the performance app: a point rule, the baseline, a record staff enter. Each
choice is limited to the committee's own records, with a clear message otherwise."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xieshang.core.uploads import MAX_FILE_BYTES
from xieshang.people.models import Member
from xieshang.performance.models import (
    ITEM_KINDS,
    AttendanceStatus,
    PointClass,
    RecordKind,
    SessionKind,
)
from xieshang.workrooms.models import Workroom


class StyledForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            css = "form-select" if isinstance(f.widget, forms.Select) else "form-control"
            f.widget.attrs.setdefault("class", css)


class RuleForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind of record"), choices=RecordKind.choices)
    points = forms.IntegerField(label=_("Points each"), min_value=-100, max_value=100)
    cap = forms.IntegerField(label=_("Cap per year"), min_value=0, max_value=10000, required=False)
    point_class = forms.ChoiceField(label=_("Class"), choices=PointClass.choices)


class BaselineForm(StyledForm):
    baseline = forms.IntegerField(label=_("Baseline points"), min_value=0, max_value=10000)


class MemberField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Member) -> str:
        return str(obj.user)


class ItemForm(StyledForm):
    member = MemberField(
        label=_("Member"),
        queryset=Member.objects.none(),
        error_messages={"invalid_choice": _("Only the committee's own members can be named.")},
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[(k.value, k.label) for k in ITEM_KINDS])
    title = forms.CharField(label=_("What"), max_length=120)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.FileField(
        label=_("Evidence (PDF, Word, JPEG or PNG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.doc,.docx,.jpg,.jpeg,.png"}),
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, members: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["member"].queryset = members  # type: ignore[attr-defined]

    def clean_evidence(self) -> Any:
        upload = self.cleaned_data.get("evidence")
        if upload and upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("Evidence may be at most 10 MB."))
        return upload


class ResultForm(StyledForm):
    title = forms.CharField(label=_("What was fixed or built"), max_length=100)
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    department = forms.CharField(label=_("Department"), max_length=80, required=False)
    figures = forms.CharField(label=_("Figures"), max_length=200, required=False)
    workroom = forms.ModelChoiceField(
        label=_("Workroom"),
        queryset=Workroom.objects.none(),
        required=False,
        error_messages={
            "invalid_choice": _("The workroom belongs to another committee; choose one of yours.")
        },
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, workrooms: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if workrooms is not None:
            self.fields["workroom"].queryset = workrooms  # type: ignore[attr-defined]


class PlanForm(StyledForm):
    research = forms.CharField(label=_("一个调研 (research topic)"), max_length=120)
    proposal_topic = forms.CharField(label=_("一件提案 (proposal)"), max_length=120)
    livelihood_topic = forms.CharField(label=_("一项实事 (livelihood result)"), max_length=120)


class SessionForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=SessionKind.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("Title"), max_length=120)


class AttendanceChangeForm(StyledForm):
    status = forms.ChoiceField(label=_("Attendance"), choices=AttendanceStatus.choices)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
