"""Citizens' photos are judged by their bytes and stored without their metadata."""

from __future__ import annotations

import dataclasses
import re
import struct
import zlib
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile
from django.utils import translation
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

from xieshang.core.photos import (
    MAX_PHOTO_BYTES,
    MAX_PHOTO_PIXELS,
    MAX_PHOTO_SIDE,
    MAX_PHOTOS,
    CleanPhoto,
    clean_photo,
)

RED = (255, 0, 0)
BLUE = (0, 0, 255)


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def upload(content: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def halves(size: tuple[int, int] = (40, 20), mode: str = "RGB") -> Image.Image:
    """Left half red, right half blue: shows which way the photo was turned."""
    image = Image.new(mode, size, BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1]))
    return image


def noise(size: tuple[int, int]) -> Image.Image:
    return Image.effect_noise(size, 64).convert("RGB")


def phone_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Huawei"
    exif[ExifTags.Base.Artist] = "张三"
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (23.0, 7.0, 30.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (113.0, 19.0, 5.0),
    }
    return exif


def png_text(key: str, value: str) -> PngImagePlugin.PngInfo:
    info = PngImagePlugin.PngInfo()
    info.add_itxt(key, value)
    return info


def opened(photo: CleanPhoto) -> Image.Image:
    image = Image.open(BytesIO(photo.content))
    image.load()
    return image


def refusal(content: bytes, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        clean_photo(upload(content, **kwargs))
    return caught.value


def png_claiming(width: int, height: int) -> bytes:
    """A small, valid-looking PNG whose header declares a width x height canvas."""
    real = bytearray(encode(Image.new("L", (1, 1)), "PNG"))
    # Signature (8), chunk length (4), b"IHDR" (4), then width and height.
    real[16:24] = struct.pack(">II", width, height)
    real[29:33] = struct.pack(">I", zlib.crc32(bytes(real[12:29])))
    return bytes(real)


# --- What is accepted, and what comes out ------------------------------------------------


def test_it_strips_gps_from_a_jpeg() -> None:
    source = encode(halves(), "JPEG", exif=phone_exif())
    assert Image.open(BytesIO(source)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    photo = clean_photo(upload(source))

    result = opened(photo)
    assert not result.getexif()
    assert not result.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert "exif" not in result.info
    assert b"Exif" not in photo.content
    assert b"Huawei" not in photo.content


def test_a_preview_is_made_only_when_asked_for_and_carries_no_metadata() -> None:
    source = encode(halves((1200, 900)), "JPEG", exif=phone_exif())

    assert clean_photo(upload(source)).preview is None
    photo = clean_photo(upload(source), with_preview=True)

    assert photo.preview is not None
    preview = opened(photo.preview)
    assert preview.size == (480, 360) and (photo.width, photo.height) == (1200, 900)
    assert not preview.getexif() and b"Huawei" not in photo.preview.content


def test_it_turns_the_photo_as_its_exif_orientation_says() -> None:
    # Orientation 6: the camera was held turned; the viewer rotates 90° clockwise.
    source = encode(halves((40, 20)), "JPEG", exif=phone_exif(orientation=6), quality=95)

    photo = clean_photo(upload(source))

    assert (photo.width, photo.height) == (20, 40)
    result = opened(photo).convert("RGB")
    top, bottom = result.getpixel((10, 5)), result.getpixel((10, 35))
    assert isinstance(top, tuple)
    assert isinstance(bottom, tuple)
    assert top[0] > 200 > top[2]  # the left (red) half is now on top
    assert bottom[2] > 200 > bottom[0]
    assert not result.getexif()


def test_it_makes_a_jpeg_with_a_random_name() -> None:
    source = encode(halves(), "JPEG")

    first, second = clean_photo(upload(source)), clean_photo(upload(source))

    assert first.content_type == "image/jpeg"
    assert first.extension == "jpg"
    assert re.fullmatch(r"[0-9a-f]{32}\.jpg", first.name)
    assert first.name != second.name
    assert opened(first).format == "JPEG"
    assert (first.width, first.height) == (40, 20)


def test_it_saves_a_progressive_jpeg() -> None:
    photo = clean_photo(upload(encode(noise((64, 64)), "JPEG")))

    assert opened(photo).info.get("progressive")


def test_it_removes_the_comment_xmp_and_icc_profile_of_a_jpeg() -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    source = encode(
        halves(), "JPEG", comment=b"taken at home", xmp=b"<x:xmpmeta>secret</x:xmpmeta>"
    )
    source_with_icc = encode(Image.open(BytesIO(source)), "JPEG", icc_profile=srgb)
    assert "icc_profile" in Image.open(BytesIO(source_with_icc)).info

    for content in (source, source_with_icc):
        photo = clean_photo(upload(content))
        info = opened(photo).info
        assert not {"comment", "xmp", "icc_profile", "exif"} & set(info)
        assert b"secret" not in photo.content
        assert b"taken at home" not in photo.content


def test_it_ignores_the_name_and_content_type_the_phone_sent() -> None:
    source = encode(halves(), "JPEG")

    photo = clean_photo(upload(source, name="photo.gif", content_type="image/gif"))

    assert photo.content_type == "image/jpeg"
    assert "photo" not in photo.name


def test_it_turns_an_opaque_png_into_a_jpeg() -> None:
    source = encode(halves(mode="RGBA"), "PNG")

    photo = clean_photo(upload(source, name="screen.png", content_type="image/png"))

    assert photo.content_type == "image/jpeg"
    assert opened(photo).mode == "RGB"


def test_it_keeps_a_png_with_real_transparency_as_png() -> None:
    image = halves(mode="RGBA")
    image.putpixel((0, 0), (0, 0, 0, 0))
    source = encode(image, "PNG", pnginfo=png_text("Author", "张三"))

    photo = clean_photo(upload(source, name="sticker.png", content_type="image/png"))

    assert (photo.content_type, photo.extension) == ("image/png", "png")
    assert photo.name.endswith(".png")
    result = opened(photo)
    assert result.format == "PNG"
    assert result.mode == "RGBA"
    assert result.getpixel((0, 0)) == (0, 0, 0, 0)
    assert result.getpixel((39, 0)) == (*BLUE, 255)
    assert "Author" not in result.info
    assert "张三".encode() not in photo.content


def test_it_keeps_the_transparency_of_a_palette_png() -> None:
    image = halves().convert("P")
    source = encode(image, "PNG", transparency=image.getpixel((0, 0)))

    photo = clean_photo(upload(source, content_type="image/png"))

    assert photo.content_type == "image/png"
    result = opened(photo)
    assert result.getpixel((0, 0)) == (*RED, 0)
    assert result.getpixel((39, 0)) == (*BLUE, 255)


def test_it_accepts_a_webp() -> None:
    photo = clean_photo(upload(encode(halves(), "WEBP"), name="a.webp"))

    assert photo.content_type == "image/jpeg"
    assert (photo.width, photo.height) == (40, 20)


def test_it_keeps_a_transparent_webp_as_png() -> None:
    image = halves(mode="RGBA")
    image.paste((0, 0, 0, 0), (0, 0, 10, 10))

    photo = clean_photo(upload(encode(image, "WEBP", lossless=True), name="a.webp"))

    assert photo.content_type == "image/png"
    assert opened(photo).getpixel((0, 0)) == (0, 0, 0, 0)


def test_it_converts_a_cmyk_jpeg_to_rgb() -> None:
    source = encode(halves().convert("CMYK"), "JPEG")

    result = opened(clean_photo(upload(source)))

    assert result.mode == "RGB"
    pixel = result.getpixel((5, 5))
    assert isinstance(pixel, tuple)
    assert pixel[0] > 200 > pixel[2]


def test_it_scales_a_16_bit_greyscale_png_down_to_8_bits() -> None:
    source = encode(Image.new("I;16", (8, 8), 32768), "PNG")

    pixel = opened(clean_photo(upload(source))).getpixel((4, 4))

    assert isinstance(pixel, tuple)
    assert 120 < pixel[0] < 135  # mid-grey, not clipped to white


@pytest.mark.parametrize(
    ("size", "expected"),
    [((3000, 1500), (MAX_PHOTO_SIDE, 1280)), ((1000, 4000), (640, MAX_PHOTO_SIDE))],
)
def test_it_shrinks_the_longer_side_to_the_limit(size, expected) -> None:
    photo = clean_photo(upload(encode(noise(size), "JPEG")))

    assert (photo.width, photo.height) == expected
    assert opened(photo).size == expected


def test_it_shrinks_a_large_png_too() -> None:
    photo = clean_photo(upload(encode(halves((5120, 100)), "PNG"), content_type="image/png"))

    assert (photo.width, photo.height) == (MAX_PHOTO_SIDE, 50)


def test_it_reads_an_upload_that_was_already_read() -> None:
    file = upload(encode(halves(), "JPEG"))
    file.read()

    assert clean_photo(file).width == 40


def test_a_clean_photo_cannot_be_changed() -> None:
    photo = clean_photo(upload(encode(halves(), "JPEG")))

    with pytest.raises(dataclasses.FrozenInstanceError):
        photo.name = "../../etc/passwd"  # type: ignore[misc]


def test_a_suggestion_takes_up_to_six_photos() -> None:
    assert MAX_PHOTOS == 6


# --- What is refused ---------------------------------------------------------------------


def test_it_refuses_a_gif() -> None:
    error = refusal(encode(halves(), "GIF"), name="a.gif", content_type="image/gif")

    assert error.code == "unsupported_format"


@pytest.mark.parametrize(
    "content",
    [
        b"<!doctype html><script>alert(1)</script>",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n",
        b"",
    ],
    ids=["html", "svg", "pdf", "empty"],
)
def test_it_refuses_what_is_not_an_image_even_named_jpg(content: bytes) -> None:
    error = refusal(content, name="photo.jpg", content_type="image/jpeg")

    assert error.code == "not_an_image"


def test_it_refuses_a_truncated_jpeg() -> None:
    whole = encode(noise((256, 256)), "JPEG")

    for cut in (len(whole) // 2, 200):
        assert refusal(whole[:cut]).code == "not_an_image"


def test_it_refuses_a_corrupt_png() -> None:
    whole = bytearray(encode(noise((64, 64)), "PNG"))
    middle = len(whole) // 2
    whole[middle : middle + 64] = b"\xff" * 64  # inside the compressed pixels

    assert refusal(bytes(whole), content_type="image/png").code == "not_an_image"


def test_it_refuses_a_file_over_10_mb_before_decoding_it() -> None:
    error = refusal(b"\xff\xd8\xff" + b"\x00" * (11 * 1024 * 1024))

    assert error.code == "too_large"
    with translation.override("zh-hans"):
        assert error.messages == ["照片不能超过 10 MB。"]


def test_it_refuses_one_byte_over_the_limit() -> None:
    assert refusal(b"\x00" * (MAX_PHOTO_BYTES + 1)).code == "too_large"


def test_it_refuses_an_upload_whose_declared_size_is_a_lie() -> None:
    content = b"\x00" * (MAX_PHOTO_BYTES + 1)
    lying = InMemoryUploadedFile(BytesIO(content), "photo", "photo.jpg", "image/jpeg", 10, None)

    with pytest.raises(ValidationError) as caught:
        clean_photo(lying)

    assert caught.value.code == "too_large"


def test_it_accepts_a_photo_of_exactly_the_limit() -> None:
    # JPEG decoders ignore what follows the end-of-image marker.
    source = encode(halves(), "JPEG")
    padded = source + b"\x00" * (MAX_PHOTO_BYTES - len(source))

    assert clean_photo(upload(padded)).width == 40


def test_it_refuses_a_compressed_png_of_too_many_pixels() -> None:
    side = int(MAX_PHOTO_PIXELS**0.5) + 1
    bomb = encode(Image.new("1", (side, side)), "PNG")
    assert len(bomb) < 100_000

    error = refusal(bomb, content_type="image/png")

    assert error.code == "too_many_pixels"


@pytest.mark.parametrize(
    "size",
    [
        (8000, 6000),  # above our limit, below Pillow's
        (10_000, 10_000),  # above Pillow's warning limit
        (50_000, 50_000),  # above Pillow's error limit
    ],
)
def test_it_refuses_a_png_header_claiming_a_huge_canvas(size: tuple[int, int]) -> None:
    error = refusal(png_claiming(*size), content_type="image/png")

    assert error.code == "too_many_pixels"


def test_the_refusals_are_in_chinese() -> None:
    with translation.override("zh-hans"):
        assert refusal(b"<html>").messages == [
            "文件不是有效的图片，请上传 JPG、PNG 或 WebP 格式的照片。"
        ]
        assert refusal(encode(halves(), "GIF")).messages == [
            "仅支持上传 JPG、PNG 或 WebP 格式的照片。"
        ]
        assert refusal(png_claiming(8000, 6000)).messages == ["照片分辨率过高，请缩小后再上传。"]
