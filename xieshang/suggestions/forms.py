"""Forms of the suggestions app: each field checked with a clear Chinese message."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from xieshang.core.forms import CountedTextField
from xieshang.core.photos import MAX_PHOTOS, PhotoUpload, photos_inspect
from xieshang.core.privacy import normalize_mobile
from xieshang.suggestions.models import Channel, Rating, RejectReason
from xieshang.suggestions.services import Intake
from xieshang.workrooms.models import Workroom, WorkroomStatus

if TYPE_CHECKING:
    from xieshang.suggestions.selectors import IntakeSetup


class ObjectChoiceField(forms.ChoiceField):
    """A choice among records already read (a committee's categories or areas): the
    submitted id is looked up among them, without a query, and cleaned to the record."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=(), **kwargs)
        self.by_id: dict[str, Any] = {}

    def set_objects(self, objects: Sequence[Any]) -> None:
        self.by_id = {str(o.pk): o for o in objects}
        # A callable: the options are built only when the page is drawn, not for every
        # submission checked (a district has hundreds of communities).
        self.choices = lambda: [("", "---------"), *((o.pk, str(o)) for o in objects)]

    def prepare_value(self, value: Any) -> Any:
        return getattr(value, "pk", value)

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        try:
            return self.by_id[str(value)]
        except KeyError:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            ) from None

    def validate(self, value: Any) -> None:
        if value is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")

    def has_changed(self, initial: Any, data: Any) -> bool:
        return str(self.prepare_value(initial) or "") != str(data or "")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Up to six photos, judged by their headers only (format, pixels, the request's
    budget): the intake decodes them after its rate limit (`services.suggestion_submit`)."""

    # The data-* attributes label the picker site.js draws over the input.
    widget = MultipleFileInput(
        attrs={
            "accept": "image/jpeg,image/png,image/webp",
            "data-max": MAX_PHOTOS,
            "data-add-label": _("Add photos"),
            "data-remove-label": _("Remove"),
            "data-too-many": format_lazy(_("At most {n} photos can be added."), n=MAX_PHOTOS),
        }
    )

    def clean(self, data: Any, initial: Any = None) -> list[PhotoUpload]:
        files: list[UploadedFile] = (
            [f for f in (data or []) if f]
            if isinstance(data, (list, tuple))
            else ([data] if data else [])
        )
        if len(files) > MAX_PHOTOS:
            raise ValidationError(_("At most %(n)d photos.") % {"n": MAX_PHOTOS})
        return photos_inspect(files)


class SuggestionForm(forms.Form):
    title = forms.CharField(label=_("Title"), min_length=4, max_length=60)
    content = CountedTextField(
        label=_("What is the problem, and what do you suggest?"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    category = ObjectChoiceField(label=_("Category"), required=False)
    area = ObjectChoiceField(label=_("Street, town or community"), required=False)
    address = forms.CharField(label=_("Address or place"), max_length=120, required=False)
    latitude = forms.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        required=False,
        widget=forms.HiddenInput,
    )
    longitude = forms.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        required=False,
        widget=forms.HiddenInput,
    )
    photos = MultiplePhotoField(label=_("Photos (up to 6)"), required=False)
    citizen_name = forms.CharField(label=_("Your name"), max_length=30, required=False)
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        required=False,
        help_text=_("Optional. We text you when something happens. Never shown publicly."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=120,
        required=False,
        help_text=_("Optional, instead of or besides the mobile number."),
    )
    show_name = forms.BooleanField(label=_("Show my name publicly"), required=False)
    consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree"),
        error_messages={"required": _("Please agree to the privacy notice to submit.")},
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    # A field people never see: a bot that fills it is refused.
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"tabindex": "-1"}))

    def __init__(self, *args: Any, setup: IntakeSetup, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        self.setup = setup
        self.fields["category"].set_objects(setup.categories)  # type: ignore[attr-defined]
        self.fields["area"].set_objects(setup.areas)  # type: ignore[attr-defined]

    def intake(self, **extra: Any) -> Intake:
        """The validated form as the service's input; `extra` sets the entry point."""
        data = self.cleaned_data
        committee = self.setup.committee
        fields = [
            "title", "content", "idempotency_key", "category", "area", "address", "latitude",
            "longitude", "citizen_name", "phone", "email", "show_name", "photos",
        ]  # fmt: skip
        return Intake(committee=committee, **{name: data[name] for name in fields}, **extra)

    def clean_phone(self) -> str:
        raw: str = self.cleaned_data.get("phone", "")
        return normalize_mobile(raw) if raw.strip() else ""

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


ON_BEHALF_CHANNELS = [c for c in Channel.choices if c[0] != Channel.ONLINE]


class EntryForm(SuggestionForm):
    """A member or staff enters what a citizen raised at a visit, on the phone, on a
    field visit or in the cloud workroom; the citizen's consent is confirmed by them."""

    channel = forms.ChoiceField(label=_("How it was raised"), choices=ON_BEHALF_CHANNELS)
    workroom = forms.ModelChoiceField(
        label=_("Workroom"), queryset=Workroom.objects.none(), required=False
    )

    def __init__(self, *args: Any, setup: IntakeSetup, **kwargs: Any) -> None:
        super().__init__(*args, setup=setup, **kwargs)
        self.fields["workroom"].queryset = Workroom.objects.filter(  # type: ignore[attr-defined]
            committee_id=setup.committee.pk, status=WorkroomStatus.ACTIVE
        )
        self.fields["consent"].label = _("The citizen agreed to the privacy notice")


class AddInformationForm(forms.Form):
    text = CountedTextField(
        label=_("Add information"),
        min_length=2,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control mb-1"}),
    )


class RatingForm(forms.Form):
    rating = forms.ChoiceField(label=_("How satisfied are you?"), choices=Rating.choices)
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)
    expected_state = forms.CharField(widget=forms.HiddenInput)


class ActionForm(forms.Form):
    action = forms.CharField(max_length=20)
    expected_state = forms.CharField(max_length=20)
    note = forms.CharField(max_length=2000, required=False)
    reason = forms.ChoiceField(choices=[("", ""), *RejectReason.choices], required=False)
    into = forms.CharField(max_length=16, required=False)
    department = forms.IntegerField(required=False)
    working_days = forms.IntegerField(min_value=1, max_value=90, required=False)
    share_contact = forms.BooleanField(required=False)
    result = forms.CharField(max_length=12, required=False)


class FollowForm(forms.Form):
    """To follow a similar open suggestion instead of handing in the same issue."""

    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "class": "form-control"}
        ),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=120,
        required=False,
        widget=forms.EmailInput(attrs={"class": "form-control", "autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree"),
        error_messages={"required": _("Please agree to the privacy notice to follow it.")},
    )

    def clean_phone(self) -> str:
        raw: str = self.cleaned_data.get("phone", "")
        return normalize_mobile(raw) if raw.strip() else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not (data.get("phone") or data.get("email")):
            raise ValidationError(
                _("Leave a mobile number or an email address to be told of progress.")
            )
        return data
