"""Form pieces every app uses: a workflow step, a text with a counted limit, photo and
document uploads."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from xieshang.core.errors import DomainError
from xieshang.core.photos import CleanPhoto, clean_photo, photos_inspect
from xieshang.core.uploads import ACCEPT, DOCUMENT_KINDS, CleanFile, file_clean


class TransitionForm(forms.Form):
    """One step of a workflow. `expected_state` is the state the page showed, so a stale
    form or a second click is refused instead of applied twice."""

    action = forms.CharField(max_length=40)
    expected_state = forms.CharField(max_length=30)
    note = forms.CharField(
        label=_("Note"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CountedTextField(forms.CharField):
    """A text with a length limit said in words people read, never cut by the browser.

    The textarea gets no `maxlength` (a browser silently cuts a longer paste, and what was
    typed is lost) but `data-maxlength`, which static/js/site.js turns into a live counter.
    Too long or too short, the server answers with the limit and the count
    ("内容不能超过2000字，现在是N字"), not Django's generic message. Line ends are counted
    once, as the counter counts them."""

    widget = forms.Textarea

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        messages = {
            "max_length": _(
                "The text may have at most %(limit_value)d characters; it now has %(show_value)d."
            ),
            "min_length": _(
                "The text needs at least %(limit_value)d characters; it now has %(show_value)d."
            ),
        }
        messages.update(kwargs.pop("error_messages", None) or {})
        super().__init__(*args, error_messages=messages, **kwargs)

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n") if text else text

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        if self.max_length is not None:
            attrs["data-maxlength"] = str(self.max_length)
            attrs["data-counter"] = _("%(count)s of %(limit)s characters")
            attrs["data-counter-over"] = _(
                "%(count)s characters: %(over)s more than the %(limit)s allowed"
            )
        return attrs


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to `max_photos` images, each checked and re-encoded by `clean_photo`."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def __init__(self, *args: Any, max_photos: int, **kwargs: Any) -> None:
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


class DocumentField(forms.FileField):
    """One optional document or scan of `kinds` (core.uploads: judged by its content, at
    most 10 MB), cleaned to a `CleanFile` ready to store."""

    def __init__(self, *args: Any, kinds: frozenset[str] = DOCUMENT_KINDS, **kwargs: Any) -> None:
        self.kinds = kinds
        kwargs.setdefault(
            "widget", forms.ClearableFileInput(attrs={"accept": ACCEPT.get(kinds, "")})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> CleanFile | None:
        if not data:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        try:
            return file_clean(data, kinds=self.kinds)
        except DomainError as refused:
            raise ValidationError(str(refused.message), code="invalid") from None
