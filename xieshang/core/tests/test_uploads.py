"""Documents and scans judged by their content (core.uploads): what is accepted, what is
refused and with which message, whatever name or type the browser sent."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.utils import translation
from docx import Document
from PIL import Image

from xieshang.core.errors import DomainError
from xieshang.core.uploads import DOCUMENT_KINDS, SCAN_KINDS, file_clean, file_kind

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "JPEG")
    return buffer.getvalue()


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph("调研材料")
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def chinese() -> Iterator[None]:
    with translation.override("zh-hans"):
        yield


def test_each_kind_is_known_by_its_bytes_not_its_name() -> None:
    assert file_kind(PDF) == "pdf"
    assert file_kind(png_bytes()) == "png"
    assert file_kind(jpeg_bytes()) == "jpg"
    assert file_kind(docx_bytes()) == "docx"
    for foreign in (
        b"MZ\x90\x00 an executable",
        b"just some text",
        b"%PDF-1.4\nno end",  # a PDF header on something that is not one
        b"PK\x03\x04broken",
        png_bytes()[:40],  # a truncated image
        b"GIF89a\x01\x00\x01\x00",
    ):
        assert file_kind(foreign) is None, foreign[:10]


def test_an_upload_is_cleaned_to_a_random_name_with_its_real_extension() -> None:
    clean = file_clean(SimpleUploadedFile("批示.pdf", png_bytes(), "application/pdf"))
    assert clean.extension == "png" and clean.content_type == "image/png"
    assert clean.name.endswith(".png") and "批示" not in clean.name
    assert len(clean.name) == 32 + len(".png")


@pytest.mark.parametrize(
    ("name", "content", "kinds", "message"),
    [
        ("scan.pdf", b"MZ\x90\x00 renamed executable", SCAN_KINDS, "文件须为 PDF 或扫描图片"),
        ("notes.pdf", "一段文字".encode(), DOCUMENT_KINDS, "文件须为 PDF、Word 文档或图片"),
        ("scan.docx", docx_bytes(), SCAN_KINDS, "文件须为 PDF 或扫描图片"),
        ("empty.pdf", b"", SCAN_KINDS, "文件是空的"),
    ],
)
def test_refused_with_a_chinese_message(
    name: str, content: bytes, kinds: frozenset[str], message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        file_clean(SimpleUploadedFile(name, content), kinds=kinds)


def test_a_40_mb_file_is_refused_without_being_read_whole() -> None:
    upload = TemporaryUploadedFile("big.pdf", "application/pdf", 0, None)
    upload.write(PDF + b"0" * (40 * 1024 * 1024))
    upload.flush()
    upload.size = 40 * 1024 * 1024 + len(PDF)
    with pytest.raises(DomainError, match="文件不能超过10MB"):
        file_clean(upload)
    upload.size = 100  # a size that lies: the bytes read count, not what was declared
    with pytest.raises(DomainError, match="文件不能超过10MB"):
        file_clean(upload)
    upload.close()
