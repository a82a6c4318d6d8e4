"""Printable A4 posters with a QR code: a workroom's or a campaign's "scan to suggest" sign.

One layout, three formats, all made here without any system font:

- SVG: the text stays text (`<text>` with a list of CJK font families), so the viewer's
  fonts draw it; the QR is segno's own SVG path, scaled into place.
- PDF: written by hand (no PDF library needed). The text uses the PDF's predefined CJK
  font ``STSong-Light`` with the ``UniGB-UCS2-H`` encoding, which the viewer supplies, so no
  font file is embedded; a ToUnicode map keeps the text searchable and copyable. The QR is
  vector: its dark modules are filled rectangles.
- PNG: 1240×1754 pixels (A4 at 150 dpi), drawn by Pillow with the vendored font
  ``static/fonts/NotoSansHans-Regular.otf`` (Noto Sans SC, SIL OFL 1.1).

All lengths of the layout are in millimetres from the page's top left corner.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import unicodedata
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import segno
from PIL import Image, ImageDraw, ImageFont

logger = logging.getLogger(__name__)

__all__ = ["PNG_DPI", "PNG_SIZE", "poster_pdf", "poster_png", "poster_svg"]

FONT_PATH = Path(__file__).resolve().parents[2] / "static" / "fonts" / "NotoSansHans-Regular.otf"
SVG_FONT_FAMILY = (
    '"Noto Sans SC", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", '
    '"Microsoft YaHei", sans-serif'
)

PAGE_W = 210.0  # A4, mm
PAGE_H = 297.0
PNG_DPI = 150
PNG_SIZE = (round(PAGE_W / 25.4 * PNG_DPI), round(PAGE_H / 25.4 * PNG_DPI))  # (1240, 1754)
_PT_PER_MM = 72 / 25.4

QR_ERROR = "q"  # 25% of the symbol may be smudged or torn: it is a printed sign
QR_BORDER = 4  # the quiet zone, in modules (the standard's minimum)
QR_SIZE = 140.0  # the symbol with its quiet zone, mm
QR_TOP = 81.0

RED = "#c8161d"
INK = "#222222"  # not pure black: the QR alone is #000 (the tests find it by that)
GREY = "#555555"

_LEADING = 1.3  # line height / font size
_ASCENT = 0.88  # of the em box above the baseline (Noto Sans SC and Adobe-GB1 alike)
_MAX_TEXT_WIDTH = 176.0
_ELLIPSIS = "…"


@dataclass(frozen=True)
class _Box:
    """A text block: the band it is centred in and the font sizes it may take."""

    top: float
    height: float
    max_size: float
    min_size: float
    max_lines: int
    color: str
    bold: bool = False


_TITLE_BOX = _Box(
    top=22.0, height=30.0, max_size=16.0, min_size=8.0, max_lines=2, color=RED, bold=True
)
_SUBTITLE_BOX = _Box(top=54.0, height=20.0, max_size=10.0, min_size=5.5, max_lines=2, color=INK)
_URL_BOX = _Box(
    top=QR_TOP + QR_SIZE + 1.0, height=11.0, max_size=4.2, min_size=2.8, max_lines=2, color=GREY
)
_FOOTER_BOX = _Box(top=265.0, height=18.0, max_size=6.5, min_size=3.5, max_lines=2, color=INK)
# Decorative rules: (left, top, right, thickness, colour)
_RULES = ((20.0, 15.0, 190.0, 1.0, RED), (20.0, 261.0, 190.0, 0.3, RED))


@dataclass(frozen=True)
class _Line:
    text: str
    centre: float  # x of the line's middle
    baseline: float
    size: float  # font size (em), mm
    color: str
    bold: bool


@dataclass(frozen=True)
class _Layout:
    lines: tuple[_Line, ...]
    qr: segno.QRCode
    qr_left: float
    qr_top: float
    qr_size: float  # with the quiet zone


CharWidth = Callable[[str], float]  # a character's advance, in em


# -- public API -----------------------------------------------------------------------------


def poster_svg(*, url: str, title: str, subtitle: str = "", footer: str = "") -> bytes:
    """The poster as a UTF-8 SVG document, 210 mm × 297 mm (user units are mm).

    All three formats share this layout: `title` large and red at the top, `subtitle`
    (the workroom's or campaign's name) under it, the QR code of `url` in the middle with
    the URL in small print below, `footer` (the committee's name) at the bottom. Text too
    long for its place is set smaller, then on two lines, then cut short with "…".
    Raises ValueError for an empty `url` (or one too long for a QR code)."""
    layout = _layout(url=url, title=title, subtitle=subtitle, footer=footer, width=_font_width)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" xml:lang="zh-CN" version="1.1" '
        f'width="{_num(PAGE_W)}mm" height="{_num(PAGE_H)}mm" '
        f'viewBox="0 0 {_num(PAGE_W)} {_num(PAGE_H)}">\n',
        f"<title>{escape(_doc_title(title, subtitle))}</title>\n",
        f'<rect width="{_num(PAGE_W)}" height="{_num(PAGE_H)}" fill="#ffffff"/>\n',
    ]
    for left, top, right, thickness, color in _RULES:
        out.append(
            f'<rect x="{_num(left)}" y="{_num(top)}" width="{_num(right - left)}" '
            f'height="{_num(thickness)}" fill="{color}"/>\n'
        )
    out.append(f'<g font-family={quoteattr(SVG_FONT_FAMILY)} text-anchor="middle">\n')
    for line in layout.lines:
        weight = ' font-weight="bold"' if line.bold else ""
        out.append(
            f'<text x="{_num(line.centre)}" y="{_num(line.baseline)}" '
            f'font-size="{_num(line.size)}" fill="{line.color}"{weight}>'
            f"{escape(line.text)}</text>\n"
        )
    out.append("</g>\n")
    modules = layout.qr.symbol_size(border=QR_BORDER)[0]
    out.append(
        f'<svg x="{_num(layout.qr_left)}" y="{_num(layout.qr_top)}" '
        f'width="{_num(layout.qr_size)}" height="{_num(layout.qr_size)}" '
        f'viewBox="0 0 {modules} {modules}" shape-rendering="crispEdges">'
        f'<path fill="none" stroke="#000000" d={quoteattr(_segno_svg_path(layout.qr))}/></svg>\n'
    )
    out.append("</svg>\n")
    return "".join(out).encode("utf-8")


def poster_png(*, url: str, title: str, subtitle: str = "", footer: str = "") -> bytes:
    """The poster as a PNG of `PNG_SIZE` pixels (A4 at `PNG_DPI` dpi, recorded in the file)."""
    layout = _layout(url=url, title=title, subtitle=subtitle, footer=footer, width=_font_width)
    scale = PNG_SIZE[0] / PAGE_W  # px per mm
    image = Image.new("RGB", PNG_SIZE, "#ffffff")
    draw = ImageDraw.Draw(image)
    for left, top, right, thickness, color in _RULES:
        box = (left * scale, top * scale, right * scale, (top + thickness) * scale)
        draw.rectangle(_pixel_box(*box), fill=color)
    fonts: dict[int, ImageFont.FreeTypeFont | ImageFont.ImageFont] = {}
    for line in layout.lines:
        px = max(1, round(line.size * scale))
        if px not in fonts:
            fonts[px] = _png_font(px)
        draw.text(
            (line.centre * scale, line.baseline * scale),
            line.text,
            font=fonts[px],
            fill=line.color,
            anchor="ms",
            stroke_width=_bold_stroke(px) if line.bold else 0,
            stroke_fill=line.color,
        )
    # Whole pixels per module, so that every module is the same size and edges stay sharp.
    matrix = _qr_matrix(layout.qr)
    module = max(1, int(layout.qr_size * scale) // len(matrix))
    side = module * len(matrix)
    x0 = round((layout.qr_left + layout.qr_size / 2) * scale - side / 2)
    y0 = round((layout.qr_top + layout.qr_size / 2) * scale - side / 2)
    for row, start, length in _dark_runs(matrix):
        x, y = x0 + start * module, y0 + row * module
        draw.rectangle((x, y, x + length * module - 1, y + module - 1), fill="#000000")
    buffer = BytesIO()
    image.save(buffer, format="PNG", dpi=(PNG_DPI, PNG_DPI))
    return buffer.getvalue()


def poster_pdf(*, url: str, title: str, subtitle: str = "", footer: str = "") -> bytes:
    """The poster as a one-page A4 PDF: vector QR, text in the viewer's STSong-Light."""
    layout = _layout(url=url, title=title, subtitle=subtitle, footer=footer, width=_pdf_width)
    k = _PT_PER_MM
    page_h = PAGE_H * k
    ops: list[str] = []
    for left, top, right, thickness, color in _RULES:
        ops.append(
            f"{_pdf_rgb(color)} rg {_num(left * k)} {_num(page_h - (top + thickness) * k)} "
            f"{_num((right - left) * k)} {_num(thickness * k)} re f"
        )
    used: set[str] = set()
    for line in layout.lines:
        text = _pdf_text(line.text)
        used.update(text)
        size = line.size * k
        x = (line.centre - _text_width(text, _pdf_width) * line.size / 2) * k
        y = page_h - line.baseline * k
        rgb = _pdf_rgb(line.color)
        # Bold: the glyphs are filled and stroked (text render mode 2), so no bold font
        # is needed from the viewer.
        mode = f"2 Tr {_num(size * 0.03)} w {rgb} RG" if line.bold else "0 Tr"
        ops.append(
            f"BT /F1 {_num(size)} Tf {rgb} rg {mode} 1 0 0 1 {_num(x)} {_num(y)} Tm "
            f"<{text.encode('utf-16-be').hex().upper()}> Tj ET"
        )
    matrix = _qr_matrix(layout.qr)
    module = layout.qr_size * k / len(matrix)
    left = layout.qr_left * k
    top = page_h - layout.qr_top * k
    # One path, filled once: adjacent rectangles leave no hairline seams in the viewer.
    ops.append("0 0 0 rg")
    ops.extend(
        f"{_num(left + start * module)} {_num(top - (row + 1) * module)} "
        f"{_num(length * module)} {_num(module)} re"
        for row, start, length in _dark_runs(matrix)
    )
    ops.append("f")
    content = "\n".join(ops).encode("ascii")

    widths = " ".join(str(_pdf_ascii_width(chr(c))) for c in range(0x20, 0x7F))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Lang (zh-CN) >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {_num(PAGE_W * k)} {_num(page_h)}] "
            "/Resources << /Font << /F1 5 0 R >> /ProcSet [/PDF /Text] >> /Contents 4 0 R >>"
        ).encode("ascii"),
        _pdf_stream(content),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light-UniGB-UCS2-H "
        b"/Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] /ToUnicode 8 0 R >>",
        # Adobe-GB1 CIDs 1-95 are the ASCII characters (proportional); everything else is
        # set 1000 units (one em) wide. The ASCII widths are Noto Sans SC's, so the layout
        # measured here is the layout the viewer draws.
        (
            "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> "
            f"/FontDescriptor 7 0 R /DW 1000 /W [1 [{widths}]] >>"
        ).encode("ascii"),
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
        b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
        b"/CapHeight 880 /StemV 93 >>",
        _pdf_stream(_to_unicode_cmap(used)),
        (
            f"<< /Title <FEFF{_doc_title(title, subtitle).encode('utf-16-be').hex().upper()}> "
            "/Producer (xieshang) >>"
        ).encode("ascii"),
    ]
    return _pdf_file(objects, root=1, info=len(objects))


# -- layout ---------------------------------------------------------------------------------


def _layout(*, url: str, title: str, subtitle: str, footer: str, width: CharWidth) -> _Layout:
    if not url:
        raise ValueError("a poster needs a URL for its QR code")
    qr = segno.make(url, error=QR_ERROR, boost_error=False, micro=False)
    lines: list[_Line] = []
    for text, box in (
        (title, _TITLE_BOX),
        (subtitle, _SUBTITLE_BOX),
        (url, _URL_BOX),
        (footer, _FOOTER_BOX),
    ):
        lines.extend(_place(_clean(text), box, width))
    return _Layout(
        lines=tuple(lines),
        qr=qr,
        qr_left=(PAGE_W - QR_SIZE) / 2,
        qr_top=QR_TOP,
        qr_size=QR_SIZE,
    )


# Control characters (XML cannot even hold most of them), lone surrogates, non-characters,
# and the bidirectional overrides that could make a name print backwards.
_CONTROL = re.compile(
    r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_SPACES = re.compile(r"\s+")


def _clean(text: str) -> str:
    """One line of printable text: control characters and runs of spaces become one space."""
    text = _CONTROL.sub(" ", unicodedata.normalize("NFC", text))
    return _SPACES.sub(" ", text).strip()


def _place(text: str, box: _Box, width: CharWidth) -> list[_Line]:
    """The text in as few lines as fit the box, each line as large as possible."""
    if not text:
        return []
    size, rows = _fit(text, box, width)
    line_h = size * _LEADING
    first = box.top + (box.height - line_h * len(rows)) / 2 + (line_h - size) / 2 + _ASCENT * size
    return [
        _Line(row, PAGE_W / 2, first + i * line_h, size, box.color, box.bold)
        for i, row in enumerate(rows)
    ]


def _fit(text: str, box: _Box, width: CharWidth) -> tuple[float, list[str]]:
    steps = round((box.max_size - box.min_size) / 0.25)
    sizes = [box.max_size - i * 0.25 for i in range(steps)] + [box.min_size]
    for count in range(1, box.max_lines + 1):
        for size in sizes:
            if count * size * _LEADING > box.height:
                continue
            rows = _wrap(text, _MAX_TEXT_WIDTH / size, width)
            if len(rows) <= count:
                return size, rows
    # Too long even at the smallest size: cut the last line short with an ellipsis.
    size = box.min_size
    rows = _wrap(text, _MAX_TEXT_WIDTH / size, width)[: box.max_lines]
    last = rows[-1]
    while last and _text_width(last + _ELLIPSIS, width) > _MAX_TEXT_WIDTH / size:
        last = last[:-1]
    rows[-1] = last.rstrip() + _ELLIPSIS
    return size, rows


def _wrap(text: str, limit: float, width: CharWidth) -> list[str]:
    """Greedy wrap at any character (Chinese has no spaces; URLs break anywhere); `limit`
    is in em."""
    rows: list[str] = []
    row, used = "", 0.0
    for char in text:
        advance = width(char)
        if row and used + advance > limit:
            rows.append(row.rstrip())
            row, used = "", 0.0
            if char == " ":
                continue
        row += char
        used += advance
    if row:
        rows.append(row)
    return rows


def _text_width(text: str, width: CharWidth) -> float:
    return sum(width(char) for char in text)


def _doc_title(title: str, subtitle: str) -> str:
    return " · ".join(part for part in (_clean(title), _clean(subtitle)) if part)


# -- fonts and metrics ----------------------------------------------------------------------

_METRIC_SIZE = 1000
_metric_lock = threading.Lock()  # a FreeType face is not safe to use from two threads


@functools.cache
def _metric_font() -> ImageFont.FreeTypeFont | None:
    try:
        return ImageFont.truetype(str(FONT_PATH), _METRIC_SIZE)
    except OSError:
        logger.warning("poster font %s is missing: text widths are estimated", FONT_PATH)
        return None


@functools.lru_cache(maxsize=16384)
def _font_width(char: str) -> float:
    """The advance of `char` in the vendored Noto Sans SC, in em (estimated without it)."""
    font = _metric_font()
    if font is None:
        return 1.0 if unicodedata.east_asian_width(char) in "WF" else 0.6
    with _metric_lock:
        return font.getlength(char) / _METRIC_SIZE


def _png_font(px: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(str(FONT_PATH), px)
    except OSError:
        logger.warning("poster font %s is missing: Chinese text will not show", FONT_PATH)
        return ImageFont.load_default(px)


def _pixel_box(left: float, top: float, right: float, bottom: float) -> tuple[int, ...]:
    """Pillow's rectangles include their right and bottom edges."""
    return (round(left), round(top), round(right) - 1, round(bottom) - 1)


def _bold_stroke(px: int) -> int:
    return max(1, round(px * 0.025))


# -- QR ---------------------------------------------------------------------------------------


def _qr_matrix(qr: segno.QRCode) -> list[list[bool]]:
    """The symbol with its quiet zone, row by row; True is a dark module."""
    return [[bool(module) for module in row] for row in qr.matrix_iter(border=QR_BORDER)]


def _dark_runs(matrix: list[list[bool]]) -> Iterator[tuple[int, int, int]]:
    """(row, first column, length) of each horizontal run of dark modules."""
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                yield y, start, x - start
            else:
                x += 1


def _segno_svg_path(qr: segno.QRCode) -> str:
    """The `d` of the path in segno's SVG, one user unit per module, quiet zone included."""
    buffer = BytesIO()
    qr.save(buffer, kind="svg", scale=1, border=QR_BORDER, xmldecl=False, omitsize=True)
    svg = ET.fromstring(buffer.getvalue())  # noqa: S314 - segno's own output, not user input
    path = svg.find("{http://www.w3.org/2000/svg}path")
    if path is None or not path.get("d"):
        raise RuntimeError("segno's SVG has no path")
    return str(path.get("d"))


# -- PDF --------------------------------------------------------------------------------------

_GETA = "\u3013"  # 〓, the Chinese typesetter's mark for a character the font lacks
# Dots that UniGB-UCS2-H leaves unmapped (viewers draw a box): GB 2312's own middle dot.
_PDF_SUBSTITUTES = str.maketrans({"\u00b7": "\u30fb", "\u2022": "\u30fb"})


def _pdf_text(text: str) -> str:
    """UniGB-UCS2-H encodes the BMP only: other characters become 〓."""
    text = text.translate(_PDF_SUBSTITUTES)
    return "".join(char if ord(char) <= 0xFFFF else _GETA for char in text)


def _pdf_ascii_width(char: str) -> int:
    return round(_font_width(char) * 1000)


def _pdf_width(char: str) -> float:
    if " " <= char <= "~":
        return _pdf_ascii_width(char) / 1000
    return 1.0


def _pdf_rgb(color: str) -> str:
    return " ".join(_num(int(color[i : i + 2], 16) / 255) for i in (1, 3, 5))


def _to_unicode_cmap(chars: set[str]) -> bytes:
    codes = sorted(f"{ord(char):04X}" for char in chars)
    blocks = []
    for i in range(0, len(codes), 100):
        chunk = codes[i : i + 100]
        body = "\n".join(f"<{code}> <{code}>" for code in chunk)
        blocks.append(f"{len(chunk)} beginbfchar\n{body}\nendbfchar")
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        + "\n".join(blocks)
        + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode("ascii")


def _pdf_stream(data: bytes) -> bytes:
    packed = zlib.compress(data, 9)
    return b"<< /Length %d /Filter /FlateDecode >>\nstream\n%b\nendstream" % (len(packed), packed)


def _pdf_file(objects: list[bytes], *, root: int, info: int) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%b\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        info,
        xref,
    )
    return bytes(out)


def _num(value: float) -> str:
    """A coordinate for SVG or PDF: at most 3 decimals, no exponent, no "-0"."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
