"""Forms of the duty roster: each field checked with a clear message; the services check
the rules again, so a form is never the only guard."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xieshang.core.models import Committee
from xieshang.duty.models import WEEKDAYS, Shift, ShiftChangeKind
from xieshang.duty.services.roster import MAX_WEEKS, PatternData
from xieshang.people.models import Member
from xieshang.workrooms.models import Workroom


def _bootstrap(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif not isinstance(widget, forms.HiddenInput):
            widget.attrs.setdefault("class", "form-control")


class PatternForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=WEEKDAYS, coerce=int)
    start_time = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    slot_minutes = forms.IntegerField(label=_("Minutes per talk"), min_value=5, max_value=240)
    slot_capacity = forms.IntegerField(label=_("Citizens per slot"), min_value=1, max_value=50)
    valid_from = forms.DateField(
        label=_("Valid from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The duty must end after it starts."))
        since, until = data.get("valid_from"), data.get("valid_until")
        if since and until and until < since:
            self.add_error("valid_until", _("“Valid until” is before “valid from”."))
        return data

    def pattern_data(self) -> PatternData:
        d = self.cleaned_data
        return PatternData(
            weekday=d["weekday"],
            start_time=d["start_time"],
            end_time=d["end_time"],
            slot_minutes=d["slot_minutes"],
            slot_capacity=d["slot_capacity"],
            valid_from=d["valid_from"],
            valid_until=d["valid_until"],
            is_active=d["is_active"],
        )


class RotationForm(forms.Form):
    """One edit of the rotation: add a member at the end, remove one, or move one up or
    down. `expected` is the order the page showed, so a stale page is refused."""

    op = forms.ChoiceField(
        choices=[("add", "add"), ("remove", "remove"), ("up", "up"), ("down", "down")]
    )
    member = forms.IntegerField(min_value=1)
    expected = forms.CharField(required=False, max_length=2000)

    def expected_ids(self) -> list[int]:
        raw = self.cleaned_data.get("expected") or ""
        try:
            return [int(x) for x in raw.split(",") if x]
        except ValueError:
            raise ValidationError(_("The page is out of date. Reload it.")) from None


class GenerateForm(forms.Form):
    weeks = forms.IntegerField(label=_("Weeks ahead"), min_value=1, max_value=MAX_WEEKS, initial=8)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class ClosedDateForm(forms.Form):
    committee = forms.ModelChoiceField(label=_("Committee"), queryset=Committee.objects.none())
    workroom = forms.ModelChoiceField(
        label=_("Workroom"),
        queryset=Workroom.objects.none(),
        required=False,
        empty_label=_("Every workroom of the committee"),
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=60)

    def __init__(
        self,
        *args: Any,
        committees: QuerySet[Committee],
        workrooms: QuerySet[Workroom],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        committee_field: Any = self.fields["committee"]
        committee_field.queryset = committees
        workroom_field: Any = self.fields["workroom"]
        workroom_field.queryset = workrooms
        if len(committees) == 1:
            self.fields["committee"].initial = committees[0].pk
        _bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        committee, workroom = data.get("committee"), data.get("workroom")
        if committee and workroom and workroom.committee_id != committee.pk:
            self.add_error("workroom", _("The workroom does not belong to this committee."))
        return data


class ShiftChangeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you ask?"),
        choices=ShiftChangeKind.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        initial=ShiftChangeKind.COVER,
    )
    colleague = forms.ModelChoiceField(
        label=_("Colleague"),
        queryset=Member.objects.none(),
        required=False,
        help_text=_("For a cover: who takes your shift."),
    )
    other_shift = forms.ModelChoiceField(
        label=_("Colleague's shift"),
        queryset=Shift.objects.none(),
        required=False,
        help_text=_("For a swap: the colleague's shift you take in exchange."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(
        self,
        *args: Any,
        colleagues: QuerySet[Member],
        other_shifts: QuerySet[Shift],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        colleague_field: Any = self.fields["colleague"]
        colleague_field.queryset = colleagues
        colleague_field.label_from_instance = lambda m: str(m.user)
        other_field: Any = self.fields["other_shift"]
        other_field.queryset = other_shifts
        other_field.label_from_instance = _shift_label
        for name, field in self.fields.items():
            if name != "kind":
                field.widget.attrs.setdefault(
                    "class", "form-select" if name != "reason" else "form-control"
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, colleague, other = data.get("kind"), data.get("colleague"), data.get("other_shift")
        if kind == ShiftChangeKind.SWAP:
            if other is None:
                self.add_error("other_shift", _("Choose the colleague's shift you take."))
            elif colleague is None:
                data["colleague"] = other.member
            elif other.member_id != colleague.pk:
                self.add_error("other_shift", _("That shift is not your colleague's."))
        elif kind == ShiftChangeKind.COVER:
            if colleague is None:
                self.add_error("colleague", _("Choose who covers your shift."))
            data["other_shift"] = None
        return data


def _shift_label(shift: Shift) -> str:
    start = timezone.localtime(shift.starts_at)
    return f"{start:%Y-%m-%d %H:%M} · {shift.workroom} · {shift.member.user}"
