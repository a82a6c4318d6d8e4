"""Forms of the consultations app. Every choice is limited to the committee's own records,
and bad input is answered with a message in Chinese (the .po), nothing typed lost."""

from __future__ import annotations

from datetime import time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieshang.consultations.models import (
    Adoption,
    InviteeKind,
    Meeting,
    MeetingKind,
    OrganiserKind,
    Topic,
    TopicKind,
)
from xieshang.consultations.selectors import departments_of, invitable_members
from xieshang.consultations.services import (
    InviteeInput,
    MeetingInput,
    OpinionInput,
    TopicInput,
)
from xieshang.core.privacy import normalize_mobile
from xieshang.people.models import Department, Member


class Styled(forms.Form):
    """Bootstrap classes on every widget."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


OTHER_COMMITTEE = _("The department belongs to another committee; choose one of yours.")


class TopicForm(Styled):
    title = forms.CharField(
        label=_("Title"),
        min_length=2,
        max_length=100,
        error_messages={"required": _("Give the topic a title.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=TopicKind.choices,
        error_messages={"invalid_choice": _("Choose one of the kinds of consultation.")},
    )
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": _("Give the year as a number, e.g. 2026."),
            "min_value": _("Give a year between 2000 and 2100."),
            "max_value": _("Give a year between 2000 and 2100."),
        },
    )
    organiser_kind = forms.ChoiceField(label=_("Organiser"), choices=OrganiserKind.choices)
    organiser_name = forms.CharField(label=_("Organiser's name"), max_length=80, required=False)
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments concerned"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        error_messages={"invalid_choice": OTHER_COMMITTEE},
    )
    other_sources = forms.CharField(
        label=_("Other sources"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Hotspots, proposals, members' ideas the topic comes from."),
    )
    is_joint = forms.BooleanField(
        label=_("Joint with the upper committee (市区联动)"), required=False
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, committee_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = departments_of(  # type: ignore[attr-defined]
            committee_id=committee_id
        )

    @staticmethod
    def initial_for(topic: Topic) -> dict[str, Any]:
        return {
            "title": topic.title,
            "kind": topic.kind,
            "year": topic.year,
            "organiser_kind": topic.organiser_kind,
            "organiser_name": topic.organiser_name,
            "departments": list(topic.departments.values_list("pk", flat=True)),
            "other_sources": topic.other_sources,
            "is_joint": topic.is_joint,
            "summary": topic.summary,
        }

    def topic_input(self, *, suggestions: Any = ()) -> TopicInput:
        d = self.cleaned_data
        return TopicInput(
            title=d["title"],
            kind=d["kind"],
            year=d["year"],
            organiser_kind=d["organiser_kind"],
            organiser_name=d["organiser_name"],
            departments=list(d["departments"]),
            suggestions=list(suggestions),
            other_sources=d["other_sources"],
            is_joint=d["is_joint"],
            summary=d["summary"],
        )


class MeetingForm(Styled):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=MeetingKind.choices,
        error_messages={"invalid_choice": _("Choose a meeting, a site visit or a hearing.")},
    )
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Give the date of the event."),
            "invalid": _("Give the date as 2026-11-28."),
        },
    )
    time = forms.TimeField(
        label=_("Starts at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"invalid": _("Give the time as 14:30.")},
    )
    place = forms.CharField(
        label=_("Place"), max_length=100, error_messages={"required": _("Give the place.")}
    )
    agenda = forms.CharField(
        label=_("Agenda"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    participants = forms.CharField(
        label=_("Participants"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Members, department officials, citizens and experts, by name."),
    )
    participant_count = forms.IntegerField(
        label=_("Number of participants"),
        min_value=0,
        max_value=5000,
        initial=0,
        error_messages={
            "invalid": _("Give the number of participants as a number."),
            "min_value": _("The number of participants cannot be negative."),
        },
    )
    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, topic: Topic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.topic = topic

    def clean_date(self) -> Any:
        value = self.cleaned_data["date"]
        if value < timezone.localdate(self.topic.created_at):
            raise forms.ValidationError(_("An event cannot be dated before its topic was created."))
        return value

    def meeting_input(self) -> MeetingInput:
        d = self.cleaned_data
        return MeetingInput(
            kind=d["kind"],
            date=d["date"],
            time=d["time"] or time(9, 0),
            place=d["place"],
            agenda=d["agenda"],
            participants=d["participants"],
            participant_count=d["participant_count"],
            minutes=d["minutes"],
        )


class OpinionForm(Styled):
    meeting = forms.ModelChoiceField(
        label=_("Event"),
        queryset=Meeting.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Choose one of this topic's events.")},
    )
    category = forms.CharField(label=_("Category"), max_length=40, required=False)
    speaker = forms.CharField(label=_("Who gave it"), max_length=80, required=False)
    text = forms.CharField(
        label=_("Opinion"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the opinion.")},
    )

    def __init__(self, *args: Any, topic: Topic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = topic.meetings.all()  # type: ignore[attr-defined]

    def opinion_input(self) -> OpinionInput:
        d = self.cleaned_data
        return OpinionInput(
            text=d["text"], category=d["category"], speaker=d["speaker"], meeting=d["meeting"]
        )


class SendForm(Styled):
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        error_messages={
            "required": _("Choose the department."),
            "invalid_choice": OTHER_COMMITTEE,
        },
    )

    def __init__(self, *args: Any, committee_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments_of(  # type: ignore[attr-defined]
            committee_id=committee_id
        )


class ReplyForm(Styled):
    adoption = forms.ChoiceField(
        label=_("Result"),
        choices=Adoption.choices,
        error_messages={
            "required": _("Choose whether the opinion was adopted."),
            "invalid_choice": _("Choose whether the opinion was adopted."),
        },
    )
    text = forms.CharField(
        label=_("What was done"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say what was done.")},
    )


class InviteMembersForm(Styled):
    members = forms.ModelMultipleChoiceField(
        label=_("Members"),
        queryset=Member.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        error_messages={
            "required": _("Choose the members to invite."),
            "invalid_choice": _("Choose serving members of this committee not invited yet."),
        },
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["members"]
        field.queryset = invitable_members(meeting=meeting)  # type: ignore[attr-defined]
        field.label_from_instance = lambda m: (  # type: ignore[attr-defined]
            f"{m.user.name or m.user.username} · {m.committee.short_name}"
        )


class InviteeForm(Styled):
    kind = forms.ChoiceField(
        label=_("Invitee"),
        choices=[c for c in InviteeKind.choices if c[0] != InviteeKind.MEMBER],
        error_messages={"invalid_choice": _("Choose an official, a citizen or an expert.")},
    )
    name = forms.CharField(
        label=pgettext_lazy("person", "Name"),
        max_length=50,
        error_messages={"required": _("Give the name.")},
    )
    organisation = forms.CharField(label=_("Unit and position"), max_length=80, required=False)
    phone = forms.CharField(label=_("Mobile"), max_length=20, required=False)
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Enter a valid email address.")},
    )

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"].strip()
        return normalize_mobile(raw) if raw else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("phone") and not data.get("email"):
            raise forms.ValidationError(
                _("Give a mobile number or an email address: the invitation is sent there.")
            )
        return data

    def invitee_input(self) -> InviteeInput:
        d = self.cleaned_data
        return InviteeInput(
            kind=d["kind"],
            name=d["name"],
            organisation=d["organisation"],
            phone=d["phone"],
            email=d["email"],
        )


class MeetingChangeForm(Styled):
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Give the date of the event."),
            "invalid": _("Give the date as 2026-11-28."),
        },
    )
    time = forms.TimeField(
        label=_("Starts at"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("Give the time."), "invalid": _("Give the time as 14:30.")},
    )
    place = forms.CharField(
        label=_("Place"), max_length=100, error_messages={"required": _("Give the place.")}
    )


class AnswerForm(Styled):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
