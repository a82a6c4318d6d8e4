"""Photos cost nothing to decode until the sender is known to be within its limits, and
one request decodes a bounded number of pixels (issue 20, item 2)."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from xieshang.conftest import Cast
from xieshang.core import photos
from xieshang.core.photos import REQUEST_PIXEL_BUDGET, PhotoUpload, photos_inspect
from xieshang.suggestions.models import Suggestion, SuggestionPhoto
from xieshang.suggestions.tests.conftest import form_data, jpeg

SUBMIT = "/c/tianhe/suggest/"


def png_declaring(width: int, height: int) -> bytes:
    """A real PNG of `width` x `height` pixels of one colour: a few hundred bytes per
    million pixels, as the attack's (six of 6300 x 6300 in 700 KB). Built row by row
    with zlib, so the test does not hold the pixels either."""
    row = b"\x00" + b"\xc8\xdc\xf0" * width  # filter byte, then RGB
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return png_declaring(6300, 6300)


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Counts the decodings of photos (the real decoder still runs)."""
    calls: list[int] = []
    real = photos._decode

    def counting(data: bytes) -> Image.Image:
        calls.append(len(data))
        return real(data)

    monkeypatch.setattr(photos, "_decode", counting)
    yield calls


def uploads(content: bytes, n: int, name: str = "p.png") -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(f"{i}{name}", content) for i in range(n)]


def test_an_address_over_its_limit_is_refused_before_any_photo_is_decoded(
    cast: Cast, client: Any, decodes: list[int]
) -> None:
    for _ in range(10):  # the policy's default: 10 an hour from one address
        assert client.post(SUBMIT, form_data(phone="")).status_code == 302
    small = io.BytesIO()
    Image.new("RGB", (640, 480), (1, 2, 3)).save(small, "PNG")
    response = client.post(SUBMIT, {**form_data(phone=""), "photos": uploads(small.getvalue(), 6)})
    assert response.status_code == 429
    assert "请稍后再试" in response.content.decode()
    assert decodes == []


def test_a_photo_of_6300_pixels_square_is_refused_from_its_header(
    cast: Cast, client: Any, decodes: list[int], bomb: bytes
) -> None:
    response = client.post(SUBMIT, {**form_data(), "photos": uploads(bomb, 6)})
    assert response.status_code == 400
    assert "分辨率过高" in response.content.decode()
    assert decodes == []
    assert not Suggestion.objects.exists()


def test_photos_over_the_requests_pixel_budget_are_refused_before_decoding(
    cast: Cast, client: Any, decodes: list[int]
) -> None:
    side = 4000  # each within the PNG limit (4096 x 4096), six of them are 96 million pixels
    assert 6 * side * side > REQUEST_PIXEL_BUDGET
    response = client.post(SUBMIT, {**form_data(), "photos": uploads(png_declaring(side, side), 6)})
    assert response.status_code == 400
    assert "照片合计过大" in response.content.decode()
    assert decodes == []
    assert not Suggestion.objects.exists()


def test_six_photos_of_a_phone_camera_fit_the_budget() -> None:
    phone = PhotoUpload(data=b"", format="JPEG", width=4032, height=3024)
    assert 6 * phone.decode_pixels <= REQUEST_PIXEL_BUDGET
    # libjpeg decodes a large JPEG scaled down: a 40-megapixel one costs a quarter.
    large = PhotoUpload(data=b"", format="JPEG", width=7296, height=5472)
    assert large.decode_pixels == 3648 * 2736


def test_a_jpeg_header_of_a_huge_photo_is_judged_by_what_libjpeg_will_decode() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (6000, 4000), (9, 9, 9)).save(buffer, "JPEG", quality=10)
    (inspected,) = photos_inspect([SimpleUploadedFile("big.jpg", buffer.getvalue())])
    assert (inspected.format, inspected.width, inspected.height) == ("JPEG", 6000, 4000)
    assert inspected.decode_pixels == 3000 * 2000


def test_a_photo_whose_header_passes_but_pixels_do_not_is_refused_with_the_form(
    cast: Cast, client: Any
) -> None:
    good = io.BytesIO()
    Image.new("RGB", (300, 200), (200, 30, 30)).save(good, "PNG")
    truncated = good.getvalue()[: len(good.getvalue()) // 2]
    response = client.post(
        SUBMIT, {**form_data(), "photos": [SimpleUploadedFile("cut.png", truncated)]}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "不是有效的图片" in body
    assert "龙口东路下水道返臭" in body  # the form comes back filled in
    assert not Suggestion.objects.exists()


def test_ordinary_photos_are_decoded_once_each_and_stored(
    cast: Cast, client: Any, decodes: list[int]
) -> None:
    response = client.post(SUBMIT, {**form_data(), "photos": [jpeg("a.jpg"), jpeg("b.jpg")]})
    assert response.status_code == 302
    assert len(decodes) == 2
    assert SuggestionPhoto.objects.count() == 2


def test_a_workroom_activity_checks_the_budget_before_decoding(
    cast: Cast, decodes: list[int], bomb: bytes
) -> None:
    from django.core.exceptions import ValidationError

    from xieshang.core.forms import PhotosField

    with pytest.raises(ValidationError) as refused:
        PhotosField(required=False, max_photos=9).clean(uploads(png_declaring(4000, 4000), 6))
    assert refused.value.code == "too_many_pixels_in_all"
    with pytest.raises(ValidationError):
        PhotosField(required=False, max_photos=9).clean(uploads(bomb, 1))
    assert decodes == []
