"""Forms of the proposal office: each step's fields checked with a clear message. Every
form carries `expected_state`, the state the page showed, so a stale page is refused."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xieshang.people.models import Department, LeaderPosition
from xieshang.proposals.models import (
    Conversion,
    NotAcceptedReason,
    Proposal,
    SupervisionKind,
)
from xieshang.proposals.selectors.office import (
    departments_for_assignment,
    leaders_of,
    merge_targets,
)

NOTE = forms.Textarea(attrs={"rows": 2})


class StepForm(forms.Form):
    expected_state = forms.CharField(max_length=30, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=NOTE)


class RejectForm(StepForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=NotAcceptedReason.choices)
    conversion = forms.ChoiceField(
        label=_("Convert to"), choices=Conversion.choices, required=False
    )


class MergeForm(StepForm):
    into = forms.ModelChoiceField(label=_("Main proposal"), queryset=Proposal.objects.none())

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = merge_targets(proposal=proposal)  # type: ignore[attr-defined]


class DepartmentChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class AssignForm(StepForm):
    MODES = [("lead", _("A lead department with co-handlers")), ("split", _("Split"))]

    mode = forms.ChoiceField(label=_("How"), choices=MODES, initial="lead")
    lead = forms.ModelChoiceField(
        label=_("Lead department (主办)"), queryset=Department.objects.none(), required=False
    )
    co_handlers = DepartmentChoices(
        label=_("Co-handlers (会办)"), queryset=Department.objects.none(), required=False
    )
    split_handlers = DepartmentChoices(
        label=_("Split to (分办)"), queryset=Department.objects.none(), required=False
    )
    urgent = forms.BooleanField(label=_("Urgent"), required=False)

    def __init__(self, *args: Any, committee_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = departments_for_assignment(committee_id)
        for name in ("lead", "co_handlers", "split_handlers"):
            self.fields[name].queryset = departments  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("mode") == "lead":
            if not data.get("lead"):
                raise ValidationError(_("Choose the lead department."))
            data["split_handlers"] = []
            if data["lead"] in (data.get("co_handlers") or []):
                raise ValidationError(_("The lead department cannot also be a co-handler."))
        elif data.get("mode") == "split":
            data["lead"], data["co_handlers"] = None, []
            if len(data.get("split_handlers") or []) < 2:
                raise ValidationError(_("Split it to at least two departments."))
        return data


class RehandleForm(StepForm):
    note = forms.CharField(label=_("What must be done again"), max_length=2000, widget=NOTE)


class ReturnDecisionForm(forms.Form):
    ACTIONS = [
        ("accept_return", _("Take it back")),
        ("refuse_return", _("Refuse the return")),
        ("reassign", _("Give it to another department")),
        ("waive_opinion", _("Waive the overdue opinion")),
    ]
    action = forms.ChoiceField(choices=ACTIONS)
    expected_state = forms.CharField(max_length=30, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Reason"), max_length=2000, required=False, widget=NOTE)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )

    def __init__(self, *args: Any, committee_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments_for_assignment(  # type: ignore[attr-defined]
            committee_id
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "reassign" and not data.get("department"):
            raise ValidationError(_("Choose the department."))
        if (
            data.get("action") in ("refuse_return", "waive_opinion")
            and not (data.get("note") or "").strip()
        ):
            raise ValidationError(_("Please give a reason."))
        return data


class NominateForm(forms.Form):
    reason = forms.CharField(label=_("Why it matters"), min_length=4, max_length=2000, widget=NOTE)


class ExcellentForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    reason = forms.CharField(label=_("Reasons"), min_length=4, max_length=2000, widget=NOTE)


class LeaderChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.user} · {obj.get_title_display()}"


class KeyDecisionForm(forms.Form):
    DECISIONS = [("choose", _("Choose as a key proposal")), ("decline", _("Do not choose"))]

    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS)
    supervisors = LeaderChoices(
        label=_("Supervising leaders"), queryset=LeaderPosition.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=NOTE)
    expected_state = forms.CharField(max_length=30, widget=forms.HiddenInput)

    def __init__(self, *args: Any, committee_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervisors"].queryset = leaders_of(committee_id)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "choose" and not data.get("supervisors"):
            raise ValidationError(_("Name at least one supervising leader."))
        return data


class SupervisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SupervisionKind.choices)
    happened_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    participants = forms.CharField(label=_("Who took part"), max_length=200)
    agreed = forms.CharField(label=_("What was agreed"), max_length=4000, widget=forms.Textarea)

    def clean_happened_on(self) -> Any:
        value = self.cleaned_data["happened_on"]
        if value > timezone.localdate():
            raise ValidationError(_("Record an activity once it has taken place."))
        return value


def first_error(form: forms.Form) -> str:
    """The form's first message, for a refused step (a 400 page)."""
    for errors in form.errors.values():
        if errors:
            return str(errors[0])
    return str(_("The form is incomplete. Reload the page and try again."))
