"""Uploaded documents and scans, judged by their content: the name and the content type
the browser sent are ignored, only the bytes count.

A reply letter (答复函), the scan of a leader's instruction (批示), the materials of a
research topic: each is a PDF, a Word document (.docx or .doc) or a scanned image (JPG,
PNG), at most `MAX_FILE_BYTES`. `file_clean` reads the upload (never more than one byte
past the limit, whatever size was declared), recognises its kind and gives it a random
name to be stored under; anything else is refused with a `DomainError` whose message
says what is wanted. Photos that are shown on pages go through `core.photos` instead
(re-encoded without their metadata); these files are kept as they were sent and are only
ever served as downloads, to those who may see their record.
"""

from __future__ import annotations

import secrets
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image

from xieshang.core.errors import Conflict, DomainError

MAX_FILE_BYTES = 10 * 1024 * 1024

PDF, DOCX, DOC, JPG, PNG = "pdf", "docx", "doc", "jpg", "png"
# What each kind is sent as.
CONTENT_TYPES = {
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DOC: "application/msword",
    JPG: "image/jpeg",
    PNG: "image/png",
}
DOCUMENT_KINDS = frozenset(CONTENT_TYPES)  # documents and scanned images
SCAN_KINDS = frozenset({PDF, JPG, PNG})  # a scan: PDF or an image
# For a file input's `accept` (a hint to the browser; the server judges the bytes).
ACCEPT = {
    DOCUMENT_KINDS: ".pdf,.doc,.docx,.jpg,.jpeg,.png",
    SCAN_KINDS: ".pdf,.jpg,.jpeg,.png",
}

_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_PDF_TAIL = 2048  # a PDF ends with %%EOF (and perhaps a line end or a little padding)


@dataclass(frozen=True)
class CleanFile:
    """An upload ready to store: `name` is random (`<32 hex digits>.<extension>`)."""

    content: bytes
    extension: str  # one of CONTENT_TYPES
    name: str

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.extension]


def file_kind(data: bytes) -> str | None:
    """The kind of a document or scanned image from its bytes ("pdf", "docx", "doc",
    "jpg", "png"), or None for anything else (an executable or a text renamed .pdf, a
    broken archive, an OLE file that is not a Word document, a truncated image)."""
    if data.startswith(b"%PDF-"):
        return PDF if b"%%EOF" in data[-_PDF_TAIL:] else None
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        return DOCX if {"[Content_Types].xml", "word/document.xml"} <= names else None
    if data.startswith(_OLE_MAGIC):
        return DOC if _WORD_STREAM in data else None
    try:
        with Image.open(BytesIO(data)) as image:
            kind = image.format
            image.verify()
    except Exception:  # Pillow raises many kinds of errors on foreign bytes
        return None
    return {"JPEG": JPG, "PNG": PNG}.get(kind or "")


def file_clean(
    upload: UploadedFile,
    *,
    kinds: Collection[str] = DOCUMENT_KINDS,
    max_bytes: int = MAX_FILE_BYTES,
    too_large: str = "",
    empty: str = "",
    wrong_kind: str = "",
) -> CleanFile:
    """The upload if it is one of `kinds` and at most `max_bytes`, else `DomainError`
    with the message given (or a general one). Nothing is stored here."""
    megabytes = max_bytes // (1024 * 1024)
    refused_size = DomainError(
        too_large or _("A file may be at most %(mb)d MB.") % {"mb": megabytes}
    )
    if upload.size is not None and upload.size > max_bytes:
        raise refused_size
    upload.seek(0)
    data: bytes = upload.read(max_bytes + 1)  # never trust the declared size
    upload.seek(0)
    if len(data) > max_bytes:
        raise refused_size
    if not data:
        raise DomainError(empty or _("The file is empty."))
    extension = file_kind(data)
    if extension is None or extension not in kinds:
        raise DomainError(wrong_kind or kinds_message(kinds))
    return CleanFile(content=data, extension=extension, name=f"{secrets.token_hex(16)}.{extension}")


def kinds_message(kinds: Collection[str]) -> str:
    """What to upload instead, in words."""
    if set(kinds) <= SCAN_KINDS:
        return _("The file must be a PDF or a scanned image (JPG, PNG).")
    return _("The file must be a PDF, a Word document or an image (JPG, PNG).")


def scan_store_once(record: Any, scan: CleanFile) -> None:
    """Store a scan that came later on `record` (a leader's instruction, 批示, locked by the
    caller inside its transaction) in its `scan` field. A scan once attached stays: a
    second one is refused (409), and a file that is not a scan (400)."""
    if scan.extension not in SCAN_KINDS:
        raise DomainError(kinds_message(SCAN_KINDS))
    if record.scan:
        raise Conflict(_("This instruction already has its scan."))
    record.scan.save(scan.name, ContentFile(scan.content), save=False)
    record.save(update_fields=["scan"])
