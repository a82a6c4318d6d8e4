"""Uploads on storage every web host shares: the settings name the folder and the Django
storage backend; behind nginx a photo the view allowed is sent by nginx (X-Accel-Redirect
to an internal location), never from a public address."""

from __future__ import annotations

from pathlib import Path

from django.core.files.storage import default_storage
from django.urls import reverse

from xieshang.suggestions.models import Suggestion
from xieshang.suggestions.tests.conftest import form_data, jpeg

SUBMIT = reverse("suggestions:submit", args=["tianhe"])


def test_with_x_accel_the_view_checks_and_nginx_sends_the_file(
    cast, places, client, settings
) -> None:
    settings.XIESHANG_MEDIA_X_ACCEL = "/_media/"
    client.post(SUBMIT, form_data(photos=[jpeg()]))
    photo = Suggestion.objects.get().photos.get()
    assert Path(default_storage.path(photo.image.name)).is_file()  # under MEDIA_ROOT
    url = reverse("suggestions:photo", args=[photo.pk])

    client.force_login(cast.outsider)
    refused = client.get(url)
    assert refused.status_code == 404
    assert "X-Accel-Redirect" not in refused

    client.force_login(cast.staff)
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_media/{photo.image.name}"
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, max-age=3600"
    assert response.content == b""  # nginx sends the bytes

    preview = client.get(reverse("suggestions:photo_preview", args=[photo.pk]))
    assert preview["X-Accel-Redirect"].startswith("/_media/")


def test_without_x_accel_the_app_sends_the_file(cast, places, client, settings) -> None:
    settings.XIESHANG_MEDIA_X_ACCEL = ""
    client.post(SUBMIT, form_data(photos=[jpeg()]))
    photo = Suggestion.objects.get().photos.get()
    client.force_login(cast.staff)
    response = client.get(reverse("suggestions:photo", args=[photo.pk]))
    assert "X-Accel-Redirect" not in response
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")
