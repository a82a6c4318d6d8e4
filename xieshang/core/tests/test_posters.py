"""Printable QR posters: three formats, Chinese text, the QR readable, hostile names harmless.

No database and no system font is needed: the PNG's font is the vendored one, and the
QR codes are checked module by module against the symbol segno makes for the same URL.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zlib
from io import BytesIO

import pytest
import segno
from PIL import Image, ImageChops, ImageDraw, ImageFont

from xieshang.core import posters
from xieshang.core.posters import PNG_DPI, PNG_SIZE, poster_pdf, poster_png, poster_svg

URL = "https://xieshang.example.cn/s/w/7f3a9c2e/"
TITLE = "扫码提交百姓提案"
SUBTITLE = "海珠区政协委员工作室（南华西街道）"
FOOTER = "中国人民政治协商会议广州市海珠区委员会"
POSTER = {"url": URL, "title": TITLE, "subtitle": SUBTITLE, "footer": FOOTER}
HOSTILE = {
    "url": URL,
    "title": "<script>alert(\"x\")</script> & '提案' ]]> (a\\b)",
    "subtitle": "\u202e张喆委员工作室 &amp; <b>\x00\x1b",
    "footer": "</svg> ) ( \\ 𠮷",
}
LONG = {
    "url": "https://xieshang.example.cn/s/c/" + "a1b2c3d4e5" * 10 + "/?from=poster",
    "title": "扫码参与“我为广州高质量发展建言献策”征集活动，提交您的百姓提案与意见建议" * 2,
    "subtitle": "广州市政协委员工作室（越秀区北京街道）暨政协委员联系群众工作站、协商议事厅",
    "footer": "中国人民政治协商会议广州市越秀区委员会办公室 · 2025年" * 3,
}
SVG_NS = "{http://www.w3.org/2000/svg}"
PX_PER_MM = PNG_SIZE[0] / 210


def child(element: ET.Element, tag: str) -> ET.Element:
    found = element.find(f"{SVG_NS}{tag}")
    assert found is not None, tag
    return found


def attr(element: ET.Element, name: str) -> str:
    value = element.get(name)
    assert value is not None, name
    return value


def search(pattern: bytes, data: bytes) -> re.Match[bytes]:
    found = re.search(pattern, data)
    assert found is not None, pattern
    return found


def qr_matrix(url: str) -> list[list[bool]]:
    """The symbol without its quiet zone, as the posters must draw it."""
    qr = segno.make(url, error="q", boost_error=False, micro=False)
    return [[bool(module) for module in row] for row in qr.matrix_iter(border=0)]


# -- SVG ------------------------------------------------------------------------------------


def svg_texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    return [element.text or "" for element in root.iter(f"{SVG_NS}text")]


def test_svg_is_an_a4_document_with_the_text_as_text():
    svg = poster_svg(**POSTER)

    assert svg.startswith(b"<?xml")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg"
    assert (root.get("width"), root.get("height")) == ("210mm", "297mm")
    assert svg_texts(svg) == [TITLE, SUBTITLE, URL, FOOTER]
    families = {element.get("font-family") for element in root.iter(f"{SVG_NS}g")}
    family = next(f for f in families if f)
    for name in ("Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei"):
        assert f'"{name}"' in family
    assert family.endswith("sans-serif")


def test_svg_embeds_segnos_qr_path_with_its_quiet_zone():
    root = ET.fromstring(poster_svg(**POSTER))

    qr = segno.make(URL, error="q", boost_error=False, micro=False)
    out = BytesIO()
    qr.save(out, kind="svg", scale=1, border=4, xmldecl=False, omitsize=True)
    expected = attr(child(ET.fromstring(out.getvalue()), "path"), "d")
    nested = child(root, "svg")
    side = qr.symbol_size(border=4)[0]
    assert attr(nested, "viewBox") == f"0 0 {side} {side}"
    assert attr(child(nested, "path"), "d") == expected
    assert float(attr(nested, "width")) >= 120  # mm: a large code


def test_svg_escapes_hostile_names():
    svg = poster_svg(**HOSTILE)

    root = ET.fromstring(svg)  # still well-formed XML
    assert [element.tag for element in root.iter() if "script" in element.tag] == []
    assert b"<script" not in svg and b"</svg> )" not in svg
    assert b"&lt;script&gt;" in svg and b"&amp;amp;" in svg
    texts = svg_texts(svg)
    assert texts[0] == HOSTILE["title"]
    assert texts[1] == "张喆委员工作室 &amp; <b>"  # control characters and RLO dropped
    assert texts[-1] == "</svg> ) ( \\ 𠮷"


def test_svg_wraps_long_text_instead_of_running_off_the_page():
    texts = svg_texts(poster_svg(**LONG))

    assert len(texts) > 4
    assert any(text.endswith("…") for text in texts)  # the doubled title is cut short


# -- PNG ------------------------------------------------------------------------------------


def open_png(data: bytes) -> Image.Image:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(BytesIO(data))
    image.load()
    return image


def read_qr(image: Image.Image, size: int) -> tuple[list[list[bool]], tuple[int, int, int, int]]:
    """Sample the QR's modules: its dark modules are the page's only pure black pixels."""
    black = image.convert("L").point(lambda value: 255 if value == 0 else 0)
    bbox = black.getbbox()
    assert bbox is not None, "no QR on the page"
    left, top, right, bottom = bbox
    module = (right - left) / size
    assert module == int(module) and (bottom - top) == right - left
    module = int(module)
    matrix = [
        [
            black.getpixel((left + col * module + module // 2, top + row * module + module // 2))
            == 255
            for col in range(size)
        ]
        for row in range(size)
    ]
    return matrix, (left, top, right, bottom)


def test_png_is_a4_at_150_dpi():
    image = open_png(poster_png(**POSTER))

    assert image.size == PNG_SIZE == (1240, 1754)
    assert abs(image.size[0] / image.size[1] - 210 / 297) < 0.001
    assert [round(v) for v in image.info["dpi"]] == [PNG_DPI, PNG_DPI]


@pytest.mark.parametrize("poster", [POSTER, HOSTILE, LONG], ids=["plain", "hostile", "long"])
def test_png_qr_is_the_urls_symbol_with_a_quiet_zone(poster):
    image = open_png(poster_png(**poster))
    expected = qr_matrix(poster["url"])

    matrix, (left, top, right, bottom) = read_qr(image, len(expected))

    assert matrix == expected
    # Four modules of white all around, and the code large and centred on the page.
    quiet = 4 * (right - left) // len(expected)
    grey = image.convert("L")
    for strip in (
        (left - quiet, top - quiet, right + quiet, top),
        (left - quiet, bottom, right + quiet, bottom + quiet),
        (left - quiet, top, left, bottom),
        (right, top, right + quiet, bottom),
    ):
        assert grey.crop(strip).getextrema() == (255, 255)
    assert right - left > 100 * PX_PER_MM
    assert abs((left + right) / 2 - PNG_SIZE[0] / 2) <= 1


def test_png_draws_the_title_in_red_and_keeps_the_margins_clear():
    image = open_png(poster_png(**LONG)).convert("RGB")
    margin = round(16 * PX_PER_MM)

    title_band = image.crop((0, round(20 * PX_PER_MM), PNG_SIZE[0], round(55 * PX_PER_MM)))
    r, g, _ = title_band.split()
    red = ImageChops.darker(r.point(lambda v: 255 * (v > 150)), g.point(lambda v: 255 * (v < 80)))
    assert red.histogram()[255] > 5000
    for strip in ((0, 0, margin, PNG_SIZE[1]), (PNG_SIZE[0] - margin, 0, *PNG_SIZE)):
        assert image.crop(strip).convert("L").getextrema() == (255, 255)


def test_vendored_font_has_the_chinese_glyphs():
    assert posters.FONT_PATH.is_file()
    assert posters.FONT_PATH.stat().st_size < 10 * 1024 * 1024
    font = ImageFont.truetype(str(posters.FONT_PATH), 48)

    def render(char: str) -> bytes:
        image = Image.new("L", (64, 64))
        ImageDraw.Draw(image).text((8, 8), char, font=font, fill=255)
        return image.tobytes()

    missing = render("\ue000")  # private use: the font has no glyph, so this is .notdef
    text = (
        TITLE + SUBTITLE + FOOTER + "委员工作室征集活动越秀荔湾天河白云黄埔番禺花都南沙从化增城喆堃"
    )
    assert [char for char in text if render(char) == missing] == []


# -- PDF ------------------------------------------------------------------------------------


def pdf_objects(pdf: bytes) -> dict[int, bytes]:
    """Check the file's structure (header, xref offsets, trailer) and return its objects."""
    assert pdf.startswith(b"%PDF-1.")
    assert pdf.rstrip().endswith(b"%%EOF")
    startxref = int(search(rb"startxref\s+(\d+)\s+%%EOF\s*$", pdf).group(1))
    assert pdf[startxref:].startswith(b"xref\n")
    header = search(rb"^xref\n0 (\d+)\n", pdf[startxref:])
    count = int(header.group(1))
    table = pdf[startxref + header.end() :].split(b"\n")[:count]
    assert table[0] == b"0000000000 65535 f "
    objects = {}
    for number, entry in enumerate(table[1:], start=1):
        offset = int(entry[:10])
        assert pdf[offset:].startswith(b"%d 0 obj\n" % number)
        end = pdf.index(b"\nendobj\n", offset)
        objects[number] = pdf[offset + len(b"%d 0 obj\n" % number) : end]
    assert re.search(rb"trailer\n<< /Size %d /Root \d+ 0 R" % count, pdf)
    return objects


def stream(body: bytes) -> bytes:
    length = int(search(rb"/Length (\d+)", body).group(1))
    data = body[body.index(b"stream\n") + len(b"stream\n") :][:length]
    assert b"/FlateDecode" in body
    return zlib.decompress(data)


def pdf_content(pdf: bytes) -> tuple[dict[int, bytes], str]:
    objects = pdf_objects(pdf)
    page = next(body for body in objects.values() if b"/Type /Page " in body)
    contents = int(search(rb"/Contents (\d+) 0 R", page).group(1))
    return objects, stream(objects[contents]).decode("ascii")


def hex_of(text: str) -> str:
    return f"<{text.encode('utf-16-be').hex().upper()}>"


def test_pdf_is_one_a4_page_with_the_text_in_a_cjk_font():
    objects, content = pdf_content(poster_pdf(**POSTER))

    page = next(body for body in objects.values() if b"/Type /Page " in body)
    assert b"/MediaBox [0 0 595.276 841.89]" in page
    fonts = b"\n".join(objects.values())
    assert b"/BaseFont /STSong-Light" in fonts and b"/Encoding /UniGB-UCS2-H" in fonts
    assert b"/Ordering (GB1)" in fonts
    assert b"/FontFile" not in fonts  # nothing embedded: the viewer supplies the font
    for text in (TITLE, SUBTITLE, URL, FOOTER):
        assert f"{hex_of(text)} Tj" in content
    to_unicode = int(search(rb"/ToUnicode (\d+) 0 R", fonts).group(1))
    cmap = stream(objects[to_unicode]).decode("ascii")
    assert "<626B> <626B>" in cmap  # 扫, so the text can be searched and copied


def test_pdf_qr_is_vector_and_the_urls_symbol():
    _, content = pdf_content(poster_pdf(**POSTER))
    expected = qr_matrix(URL)
    size = len(expected)

    qr_ops = content[content.index("0 0 0 rg") :].splitlines()[1:-1]
    rects = [tuple(float(v) for v in line.split()[:4]) for line in qr_ops]
    assert rects and all(line.endswith(" re") for line in qr_ops)
    module = rects[0][3]
    left = min(x for x, _, _, _ in rects)
    top = max(y + h for _, y, _, h in rects)
    matrix = [[False] * size for _ in range(size)]
    for x, y, w, h in rects:
        assert h == pytest.approx(module, abs=0.002)
        row = round((top - y - h) / module)
        col = round((x - left) / module)
        for i in range(round(w / module)):
            matrix[row][col + i] = True
    assert matrix == expected
    assert size * module > 100 * 72 / 25.4  # more than 10 cm wide
    assert left + size * module / 2 == pytest.approx(595.276 / 2, abs=0.5)


def test_pdf_hostile_and_unusual_text_stays_well_formed():
    pdf = poster_pdf(**HOSTILE)

    objects, content = pdf_content(pdf)
    assert f"{hex_of(HOSTILE['title'])} Tj" in content
    assert f"{hex_of('张喆委员工作室 &amp; <b>')} Tj" in content
    # Outside the Basic Multilingual Plane UniGB-UCS2-H has no code: 〓 stands in.
    assert f"{hex_of('</svg> ) ( ' + chr(92) + ' 〓')} Tj" in content
    info = next(body for body in objects.values() if b"/Title" in body)
    assert b"<FEFF" in info


def test_pdf_long_text_fits_the_page():
    _, content = pdf_content(poster_pdf(**LONG))

    starts = re.findall(r" 1 0 0 1 ([\d.]+) [\d.]+ Tm <", content)
    assert len(starts) > 4
    # Every line is centred, so a left edge inside the margin means the right edge is too.
    assert all(float(x) > 15 * 72 / 25.4 for x in starts)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler's pdftotext is not installed")
def test_pdf_text_extracts_with_poppler(tmp_path):
    path = tmp_path / "poster.pdf"
    path.write_bytes(poster_pdf(**POSTER))

    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout

    for line in (TITLE, SUBTITLE, URL, FOOTER):
        assert line in text


# -- all formats ----------------------------------------------------------------------------


def test_every_format_needs_a_url():
    for make in (poster_svg, poster_png, poster_pdf):
        with pytest.raises(ValueError, match="URL"):
            make(url="", title=TITLE)


def test_posters_still_come_out_without_the_font(monkeypatch, tmp_path, caplog):
    monkeypatch.setattr(posters, "FONT_PATH", tmp_path / "missing.otf")
    posters._metric_font.cache_clear()
    posters._font_width.cache_clear()
    try:
        assert svg_texts(poster_svg(**POSTER)) == [TITLE, SUBTITLE, URL, FOOTER]
        image = open_png(poster_png(**POSTER))
        assert read_qr(image, len(qr_matrix(URL)))[0] == qr_matrix(URL)
        assert f"{hex_of(TITLE)} Tj" in pdf_content(poster_pdf(**POSTER))[1]
    finally:
        posters._metric_font.cache_clear()
        posters._font_width.cache_clear()
    assert "poster font" in caplog.text


def test_subtitle_and_footer_are_optional():
    assert svg_texts(poster_svg(url=URL, title=TITLE)) == [TITLE, URL]
    assert open_png(poster_png(url=URL, title=TITLE)).size == PNG_SIZE
    _, content = pdf_content(poster_pdf(url=URL, title=TITLE))
    assert content.count(" Tj ") == 2
