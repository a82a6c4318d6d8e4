"""Citizens' photo uploads: judged by their content, re-encoded without their metadata.

A phone photo carries where it was taken (GPS), the phone, the time and sometimes the
owner's name. `clean_photo` keeps only the pixels: it decodes the upload, applies the EXIF
orientation, converts the colours to sRGB, downscales it and encodes a fresh file from
the raw pixels, so no EXIF, XMP, ICC profile or comment can travel along. The file name
and content type the phone sent are ignored; only what Pillow finds in the bytes counts.

Decoding is the expensive part, so it comes last: `photo_inspect` reads an upload's header
(format, width, height) and refuses what is too large to decode, `photos_inspect` also
bounds what one request may decode in all, and the intake checks its rate limits between
the two steps, so an address over its limit gets its answer before any pixel is decoded.
"""

from __future__ import annotations

import secrets
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps

MAX_PHOTOS = 6  # per suggestion
MAX_PHOTO_BYTES = 10 * 1024 * 1024
# Decoding costs memory and time by pixels, not by bytes: a PNG of 130 KB can declare a
# canvas of 6300 x 6300 (40 million pixels, 120 MB once decoded, a second of CPU). Each
# limit is judged from the header, before any pixel is decoded (`photo_inspect`).
MAX_PHOTO_PIXELS = 40_000_000  # a JPEG: libjpeg decodes a large one at 1/2, 1/4 or 1/8
# PNG and WebP are decoded at full size, whatever size is wanted: a phone's screenshot has
# 3-4 million pixels, a 5K screen's 15 million.
MAX_LOSSLESS_PIXELS = 4096 * 4096
# What one request may have decoded in all (`photos_inspect`): six photos of a 12-megapixel
# phone camera (4032 x 3024) decode to 73 million pixels.
REQUEST_PIXEL_BUDGET = 80_000_000
MAX_PHOTO_SIDE = 2560  # the longer side of the stored photo
PREVIEW_SIDE = 480  # the longer side of its preview, shown in lists and on detail pages
JPEG_QUALITY = 85
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@dataclass(frozen=True)
class CleanPhoto:
    """A photo ready to store: `name` is random (`<32 hex digits>.<extension>`)."""

    content: bytes
    content_type: str  # "image/jpeg" or "image/png"
    extension: str  # "jpg" or "png", without the dot
    width: int
    height: int
    name: str
    # The same picture, the longer side at most PREVIEW_SIDE, for pages that show photos
    # small (a clerk's list should not load six photos of 2560 pixels); made only when
    # asked for (`clean_photo(..., with_preview=True)`).
    preview: CleanPhoto | None = None


@dataclass(frozen=True)
class PhotoUpload:
    """An upload whose header was read and judged (`photo_inspect`), not yet decoded."""

    data: bytes
    format: str  # "JPEG", "PNG" or "WEBP"
    width: int
    height: int

    @property
    def decode_pixels(self) -> int:
        """The pixels decoding it makes: a JPEG is decoded scaled down by libjpeg (1/2,
        1/4 or 1/8, as far as the stored size allows), other formats at full size."""
        if self.format != "JPEG":
            return self.width * self.height
        target = _fitted_size((self.width, self.height))
        ratio = min(self.width // target[0], self.height // target[1])
        scale = next(s for s in (8, 4, 2, 1) if ratio >= s)
        return -(-self.width // scale) * -(-self.height // scale)


def photo_inspect(upload: UploadedFile) -> PhotoUpload:
    """Read the upload (at most `MAX_PHOTO_BYTES`) and its image header only, or raise
    `ValidationError` ("too_large", "not_an_image", "unsupported_format",
    "too_many_pixels"). No pixel is decoded: this is what may be done before a request's
    rate limit is checked."""
    data = _read_limited(upload)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _too_many_pixels() from exc
        except Exception as exc:  # Pillow raises many kinds of errors on foreign bytes
            raise _not_an_image() from exc
    with image:
        fmt, (width, height) = image.format, image.size
    if fmt not in ACCEPTED_FORMATS:
        raise ValidationError(
            _("Only photos in JPG, PNG or WebP format can be uploaded."),
            code="unsupported_format",
        )
    limit = MAX_PHOTO_PIXELS if fmt == "JPEG" else MAX_LOSSLESS_PIXELS
    if width * height > limit:
        raise _too_many_pixels()
    return PhotoUpload(data=data, format=fmt, width=width, height=height)


def photos_inspect(uploads: Sequence[UploadedFile]) -> list[PhotoUpload]:
    """`photo_inspect` of each upload, and together no more decoding than
    `REQUEST_PIXEL_BUDGET` (ValidationError "too_many_pixels_in_all")."""
    photos = [photo_inspect(upload) for upload in uploads]
    if sum(photo.decode_pixels for photo in photos) > REQUEST_PIXEL_BUDGET:
        raise ValidationError(
            _("Together these photos are too large. Send fewer, or smaller ones."),
            code="too_many_pixels_in_all",
        )
    return photos


def clean_photo(upload: UploadedFile | PhotoUpload, *, with_preview: bool = False) -> CleanPhoto:
    """Return the upload as a metadata-free JPEG (or PNG when it has real transparency),
    the longer side at most `MAX_PHOTO_SIDE`, with its preview when `with_preview` (for
    those who store one), or raise `ValidationError` with a code: "too_large",
    "not_an_image", "unsupported_format" or "too_many_pixels". An upload not yet inspected
    is inspected first: nothing is decoded that `photo_inspect` refuses."""
    photo = upload if isinstance(upload, PhotoUpload) else photo_inspect(upload)
    # Pillow warns above its own pixel limit (and raises above twice that); the warning
    # must refuse the file too, not just go to the log.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = _decode(photo.data)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _too_many_pixels() from exc
    image = _upright(image)
    image = _to_srgb(image)
    image.thumbnail((MAX_PHOTO_SIDE, MAX_PHOTO_SIDE), Image.Resampling.LANCZOS)
    clean = _encode(image)
    return replace(clean, preview=_preview(image)) if with_preview else clean


def preview_of(content: bytes) -> CleanPhoto:
    """The preview of a stored photo (already clean), for one stored before previews were
    made."""
    image = Image.open(BytesIO(content))
    image.load()
    return _preview(image)


def _preview(image: Image.Image) -> CleanPhoto:
    small = image.copy()
    small.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE), Image.Resampling.LANCZOS)
    return _encode(small)


def _read_limited(upload: UploadedFile) -> bytes:
    too_large = ValidationError(
        _("A photo may not be larger than %(megabytes)d MB."),
        code="too_large",
        params={"megabytes": MAX_PHOTO_BYTES // (1024 * 1024)},
    )
    if upload.size is not None and upload.size > MAX_PHOTO_BYTES:
        raise too_large
    upload.seek(0)
    # Read one byte past the limit rather than trusting the declared size.
    data: bytes = upload.read(MAX_PHOTO_BYTES + 1)
    if len(data) > MAX_PHOTO_BYTES:
        raise too_large
    return data


def _decode(data: bytes) -> Image.Image:
    """Open and fully decode the bytes, refusing what is not a whole photo of an accepted
    format before any pixel is decoded."""
    try:
        image = Image.open(BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise
    except Exception as exc:  # Pillow raises many kinds of errors on foreign bytes
        raise _not_an_image() from exc
    if image.format not in ACCEPTED_FORMATS:
        raise ValidationError(
            _("Only photos in JPG, PNG or WebP format can be uploaded."),
            code="unsupported_format",
        )
    width, height = image.size
    limit = MAX_PHOTO_PIXELS if image.format == "JPEG" else MAX_LOSSLESS_PIXELS
    if width * height > limit:
        raise _too_many_pixels()
    if image.format == "JPEG":
        # Let libjpeg decode at 1/2, 1/4 or 1/8 scale when the photo is to be shrunk anyway.
        image.draft(None, _fitted_size(image.size))
    try:
        image.load()  # a truncated or corrupt file fails here
    except Exception as exc:
        raise _not_an_image() from exc
    return image


def _fitted_size(size: tuple[int, int]) -> tuple[int, int]:
    ratio = min(1.0, MAX_PHOTO_SIDE / max(size))
    return max(1, round(size[0] * ratio)), max(1, round(size[1] * ratio))


def _upright(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation now: the EXIF that records it is about to be dropped."""
    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # a malformed EXIF block must not cost the citizen their photo
        return image


def _to_srgb(image: Image.Image) -> Image.Image:
    """RGB, or RGBA when the image has an alpha channel or a transparent colour."""
    if image.mode in ("I", "F") or image.mode.startswith("I;16"):
        # 16-bit greyscale PNG: scale to 8 bits (a plain convert would clip to white).
        image = image.convert("I").point(lambda value: value / 257).convert("L")
    icc = image.info.get("icc_profile")
    if icc and image.mode in ("RGB", "CMYK"):
        # The profile is dropped with the rest of the metadata, so bake it in (a
        # Display P3 photo would otherwise look dull).
        try:
            converted = ImageCms.profileToProfile(
                image, ImageCms.ImageCmsProfile(BytesIO(icc)), _SRGB, outputMode="RGB"
            )
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            converted = None
        if converted is not None:
            image = converted
    return image.convert("RGBA" if image.has_transparency_data else "RGB")


def _encode(image: Image.Image) -> CleanPhoto:
    options: dict[str, object] = {}
    if _has_transparent_pixels(image):
        fmt, content_type, extension = "PNG", "image/png", "png"
    else:
        image = image.convert("RGB")
        fmt, content_type, extension = "JPEG", "image/jpeg", "jpg"
        options = {"quality": JPEG_QUALITY, "optimize": True, "progressive": True}
    # A new image from the raw pixels has no `info` (comment, ICC, XMP, EXIF) to carry.
    pristine = Image.frombytes(image.mode, image.size, image.tobytes())
    buffer = BytesIO()
    pristine.save(buffer, fmt, **options)
    return CleanPhoto(
        content=buffer.getvalue(),
        content_type=content_type,
        extension=extension,
        width=pristine.width,
        height=pristine.height,
        name=f"{secrets.token_hex(16)}.{extension}",
    )


def _has_transparent_pixels(image: Image.Image) -> bool:
    if image.mode != "RGBA":
        return False
    lowest = image.getchannel("A").getextrema()[0]  # a single band: (min, max)
    return isinstance(lowest, int | float) and lowest < 255


def _not_an_image() -> ValidationError:
    return ValidationError(
        _("The file is not a valid image. Upload a photo in JPG, PNG or WebP format."),
        code="not_an_image",
    )


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _("The photo's resolution is too high. Reduce it and upload it again."),
        code="too_many_pixels",
    )
