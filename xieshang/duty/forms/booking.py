"""The citizen's booking form: how to meet, who they are, the SMS code, the topic."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from xieshang.core.forms import CountedTextField
from xieshang.core.privacy import normalize_mobile
from xieshang.duty.models import MeetingMode
from xieshang.duty.services.booking import BookingIntake
from xieshang.workrooms.models import ServicePoint, Workroom, WorkroomKind

_CODE = re.compile(r"[0-9]{6}")


class TextedCode:
    """The number and the code texted to it, cleaned alike wherever a citizen proves they
    hold the number (booking, finding a booking). `send_code`: only the number counts."""

    cleaned_data: dict[str, Any]
    send_code: bool

    def clean_phone(self) -> str:
        return normalize_mobile(self.cleaned_data.get("phone", ""))

    def clean_code(self) -> str:
        value: str = self.cleaned_data.get("code", "").strip()
        if self.send_code:
            return value
        if not _CODE.fullmatch(value):
            raise ValidationError(_("Enter the 6-digit code we texted you."))
        return value


class BookingForm(TextedCode, forms.Form):
    """`send_code=True` validates only what is needed to text a code (the number)."""

    slot = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    mode = forms.ChoiceField(
        label=_("How do you want to meet?"),
        choices=MeetingMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how you want to meet.")},
    )
    service_point = forms.ModelChoiceField(
        label=_("Service point"),
        queryset=ServicePoint.objects.none(),
        required=False,
        empty_label=_("Choose a service point"),
        error_messages={"invalid_choice": _("Choose one of the service points in the list.")},
    )
    citizen_name = forms.CharField(label=_("Your name"), min_length=1, max_length=40)
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        help_text=_("We text you a code to check it, and the booking. Never shown publicly."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    code = forms.CharField(
        label=_("SMS code"),
        max_length=6,
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": "6"}
        ),
    )
    topic = CountedTextField(
        label=_("What do you want to talk about?"),
        min_length=2,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree"),
        error_messages={"required": _("Please agree to the privacy notice to book.")},
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    # A field people never see: a bot that fills it is refused.
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"tabindex": "-1"}))

    def __init__(
        self,
        *args: Any,
        workroom: Workroom,
        service_points: Any,
        send_code: bool = False,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        self.workroom = workroom
        self.send_code = send_code
        self.fields["service_point"].queryset = service_points  # type: ignore[attr-defined]
        modes = list(MeetingMode.choices)
        if workroom.kind == WorkroomKind.CLOUD:
            modes = [m for m in modes if m[0] != MeetingMode.IN_PERSON]
        if not service_points.exists():
            modes = [m for m in modes if m[0] != MeetingMode.SERVICE_POINT]
        self.fields["mode"].choices = modes  # type: ignore[attr-defined]
        if send_code:
            for name, field in self.fields.items():
                if name not in ("phone", "idempotency_key", "slot", "website"):
                    field.required = False

    def clean_website(self) -> str:
        value: str = self.cleaned_data.get("website", "")
        if value:
            raise ValidationError(_("The form could not be accepted."))
        return value

    def clean_idempotency_key(self) -> str:
        value: str = self.cleaned_data["idempotency_key"]
        if not value.isalnum():
            raise ValidationError(_("The form has expired. Reload the page."))
        return value

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if self.send_code:
            return data
        if data.get("mode") == MeetingMode.SERVICE_POINT and data.get("service_point") is None:
            self.add_error("service_point", _("Choose the service point you will come to."))
        return data

    def intake(self) -> BookingIntake:
        data = self.cleaned_data
        point = data.get("service_point")
        return BookingIntake(
            workroom=self.workroom,
            slot_id=data["slot"],
            mode=data["mode"],
            service_point_id=(
                point.pk
                if point is not None and data["mode"] == MeetingMode.SERVICE_POINT
                else None
            ),
            citizen_name=data["citizen_name"].strip(),
            phone=data["phone"],
            code=data["code"],
            topic=data["topic"].strip(),
            idempotency_key=data["idempotency_key"],
        )


class MoveForm(forms.Form):
    slot = forms.IntegerField(min_value=1, error_messages={"required": _("Choose a new time.")})
    expected_state = forms.CharField(max_length=20, required=False)


class BookingFindForm(TextedCode, forms.Form):
    """A citizen who lost their link finds the booking by its code and their number, with
    a code texted to that number. `send_code=True` needs only the number."""

    booking_code = forms.CharField(
        label=_("Booking code"),
        max_length=20,
        help_text=_("In the SMS we sent when you booked, e.g. K7M3Q9P2."),
        widget=forms.TextInput(
            attrs={"class": "form-control", "autocapitalize": "characters", "autocomplete": "off"}
        ),
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        help_text=_("The number you booked with."),
        widget=forms.TextInput(
            attrs={"class": "form-control", "inputmode": "tel", "autocomplete": "tel"}
        ),
    )
    code = forms.CharField(
        label=_("SMS code"),
        max_length=6,
        required=False,
        widget=forms.TextInput(
            attrs={
                "class": "form-control",
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "maxlength": "6",
            }
        ),
    )

    def __init__(self, *args: Any, send_code: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.send_code = send_code
        if send_code:
            self.fields["booking_code"].required = False

    def clean_booking_code(self) -> str:
        value: str = self.cleaned_data.get("booking_code", "")
        return re.sub(r"[\s-]", "", value).upper()
