"""Forms of the workrooms app: evidence for the standard, and duty activities. Every
choice is limited to the committee's own records, with a clear message otherwise."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xieshang.core.photos import CleanPhoto, clean_photo, photos_inspect
from xieshang.people.models import Member
from xieshang.suggestions.models import Suggestion
from xieshang.workrooms.models import Activity, ActivityKind, Workroom
from xieshang.workrooms.selectors import activity_kinds_of, activity_members_of
from xieshang.workrooms.services import MAX_ACTIVITY_PHOTOS, ActivityInput


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to `max_photos` images, each checked and re-encoded by `clean_photo`."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def __init__(self, *args: Any, max_photos: int = MAX_ACTIVITY_PHOTOS, **kwargs: Any) -> None:
        self.max_photos = max_photos
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[CleanPhoto]:
        files: list[UploadedFile] = (
            [f for f in (data or []) if f]
            if isinstance(data, (list, tuple))
            else ([data] if data else [])
        )
        if len(files) > self.max_photos:
            raise ValidationError(_("At most %(n)d photos.") % {"n": self.max_photos})
        # Every header judged, and the request's pixel budget, before anything is decoded.
        return [clean_photo(photo) for photo in photos_inspect(files)]


class PhotoField(forms.FileField):
    """One optional image, checked and re-encoded by `clean_photo`."""

    widget = forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data: Any, initial: Any = None) -> CleanPhoto | None:
        return clean_photo(data) if data else None


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


class MemberChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Member) -> str:
        if not obj.is_active:  # offered only when correcting an activity that names them
            return _("%(name)s (no longer serving)") % {"name": obj.user}
        return str(obj.user)


class KindChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: ActivityKind) -> str:
        if not obj.is_active:  # offered only when correcting an activity of that kind
            return _("%(name)s (no longer in use)") % {"name": obj.name}
        return str(obj.name)


TRACKING_CODES = re.compile(r"[\s,，、;；]+")


class ActivityForm(forms.Form):
    """A duty activity of one committee; on a page for another committee's record every
    choice would be refused, with a message saying so."""

    kind = KindChoiceField(
        label=_("Kind"),
        queryset=ActivityKind.objects.none(),
        error_messages={"invalid_choice": _("Choose one of the committee's activity kinds.")},
    )
    title = forms.CharField(label=_("Title"), min_length=2, max_length=100)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    workroom = forms.ModelChoiceField(
        label=_("Workroom"),
        queryset=Workroom.objects.none(),
        required=False,
        error_messages={
            "invalid_choice": _("The workroom belongs to another committee; choose one of yours.")
        },
    )
    members = MemberChoiceField(
        label=_("Members who took part"),
        queryset=Member.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        error_messages={
            "required": _("Name at least one member who took part."),
            "invalid_choice": _(
                "Only serving members of the committee can be named as taking part."
            ),
            "invalid_pk_value": _(
                "Only serving members of the committee can be named as taking part."
            ),
        },
    )
    citizens_reached = forms.IntegerField(
        label=_("Citizens reached"), min_value=0, max_value=1_000_000, initial=0
    )
    issues_collected = forms.IntegerField(
        label=_("Issues collected"), min_value=0, max_value=100_000, initial=0
    )
    suggestions = forms.CharField(
        label=_("Suggestions collected (tracking codes)"),
        required=False,
        max_length=2000,
        help_text=_("The tracking codes of the suggestions entered for it, separated by spaces."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    photos = PhotosField(label=_("Photos (up to 9)"), required=False)

    def __init__(
        self, *args: Any, committee_id: int, activity: Activity | None = None, **kwargs: Any
    ) -> None:
        """`activity`: the record being corrected. Its own kind and members stay among the
        choices even if the kind was retired or a member has left since; new ones must be
        in use and serving."""
        super().__init__(*args, **kwargs)
        self.committee_id = committee_id
        self.fields["kind"].queryset = activity_kinds_of(  # type: ignore[attr-defined]
            committee_id=committee_id, keep=activity
        )
        self.fields["workroom"].queryset = Workroom.objects.filter(  # type: ignore[attr-defined]
            committee_id=committee_id
        ).order_by("kind", "id")
        self.fields["members"].queryset = activity_members_of(  # type: ignore[attr-defined]
            committee_id=committee_id, keep=activity
        )
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_date(self) -> Any:
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise ValidationError(_("An activity cannot be recorded for a date in the future."))
        return value

    def clean_suggestions(self) -> list[Suggestion]:
        raw: str = self.cleaned_data.get("suggestions", "")
        codes = list(dict.fromkeys(c.upper() for c in TRACKING_CODES.split(raw) if c))
        if len(codes) > 100:
            raise ValidationError(_("At most 100 suggestions."))
        found = {
            s.tracking_code: s
            for s in Suggestion.objects.filter(
                committee_id=self.committee_id, tracking_code__in=codes
            )
        }
        missing = [c for c in codes if c not in found]
        if missing:
            raise ValidationError(
                _("No suggestion of the committee has the tracking code %(codes)s.")
                % {"codes": "、".join(missing)}
            )
        return [found[c] for c in codes]

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        if data is not None:
            issues = data.get("issues_collected")
            linked = data.get("suggestions") or []
            if issues is not None and issues < len(linked):
                self.add_error(
                    "issues_collected",
                    _("Issues collected cannot be fewer than the suggestions linked."),
                )
        return data

    def activity_input(self) -> ActivityInput:
        d = self.cleaned_data
        return ActivityInput(
            kind=d["kind"],
            title=d["title"],
            date=d["date"],
            workroom=d["workroom"],
            members=list(d["members"]),
            citizens_reached=d["citizens_reached"],
            issues_collected=d["issues_collected"],
            suggestions=d["suggestions"],
            note=d["note"],
            photos=d["photos"],
        )

    @staticmethod
    def initial_for(activity: Activity) -> dict[str, Any]:
        return {
            "kind": activity.kind_id,
            "title": activity.title,
            "date": activity.date,
            "workroom": activity.workroom_id,
            "members": list(activity.members.values_list("pk", flat=True)),
            "citizens_reached": activity.citizens_reached,
            "issues_collected": activity.issues_collected,
            "suggestions": " ".join(activity.suggestions.values_list("tracking_code", flat=True)),
            "note": activity.note,
        }
