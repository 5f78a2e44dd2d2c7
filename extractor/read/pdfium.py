"""Read a PDF page's characters, words and ruling lines with PDFium (through pypdfium2).

PDFium reads a page's text layer dozens of times faster than pdfminer.six. What comes
out is what ``pdf.py`` took from pdfplumber before, in pdfplumber's coordinates
(``x0``, ``top``, ``x1``, ``bottom`` from the page's top-left corner):

- characters grouped into words the way pdfplumber's ``WordExtractor`` groups them with
  our settings, so a word splits where pdfplumber splits it (a gap, a new line, a change
  of font or size);
- every straight segment of the page's path objects (forms included) as an edge, so
  pdfplumber's table finder can look for ruled tables without pdfminer parsing the page.
"""

from __future__ import annotations

import ctypes
import sys
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as raw
from pdfplumber.table import TableFinder

__all__ = ["EdgePage", "NeedsPdfplumber", "page_edges", "page_words"]

# no character (PDFium's "unknown")
_SKIP = {0, 0xFFFE, 0xFFFF}
_LINE_END_HYPHEN = 2  # PDFium reports a hyphen that ends a line as U+0002
_PATH, _FORM = raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM
_LINETO, _MOVETO = raw.FPDF_SEGMENT_LINETO, raw.FPDF_SEGMENT_MOVETO
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


# a character: text, x0, top, x1, bottom, (font name, size)
_Char = tuple[str, float, float, float, float, tuple[str, float]]


def _retyped(fn: Any, restype: Any, *argtypes: Any) -> Any:
    """``fn`` with plain ``c_void_p`` handles: ctypes checks and converts them faster."""
    address = ctypes.cast(fn, ctypes.c_void_p).value
    if address is None:
        raise ImportError(f"PDFium lacks {fn.__name__}: install pypdfium2 >= 5")
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_VP, _INT = ctypes.c_void_p, ctypes.c_int
_unicode = _retyped(raw.FPDFText_GetUnicode, ctypes.c_uint, _VP, _INT)
_generated = _retyped(raw.FPDFText_IsGenerated, _INT, _VP, _INT)
_text_object = _retyped(raw.FPDFText_GetTextObject, _VP, _VP, _INT)
_font_size = _retyped(raw.FPDFText_GetFontSize, ctypes.c_double, _VP, _INT)
_loose_box = _retyped(raw.FPDFText_GetLooseCharBox, _INT, _VP, _INT, ctypes.POINTER(raw.FS_RECTF))
_char_matrix = _retyped(raw.FPDFText_GetMatrix, _INT, _VP, _INT, ctypes.POINTER(raw.FS_MATRIX))


class NeedsPdfplumber(Exception):
    """A page this module does not read as pdfplumber would: a rotated page (``/Rotate``), a
    page whose MediaBox does not start at (0, 0), or text that is not upright (a rotated
    label). The caller reads that page with pdfplumber instead."""


def check_page(page: pdfium.PdfPage) -> None:
    """Raise ``NeedsPdfplumber`` for a rotated page or one whose MediaBox is offset."""
    if page.get_rotation() % 360:
        raise NeedsPdfplumber("rotated page")
    x0, y0, _, _ = page.get_mediabox()
    if abs(x0) > 0.01 or abs(y0) > 0.01:
        raise NeedsPdfplumber("offset MediaBox")


_LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}


def page_words(page: pdfium.PdfPage, settings: dict[str, Any]) -> list[dict[str, Any]]:
    """The page's words as pdfplumber's ``extract_words(**settings)`` gives them (upright
    text, ``extra_attrs`` fontname and size): the same runs, lines, gaps and order.

    Raises ``NeedsPdfplumber`` for a page it cannot read that way (see there)."""
    check_page(page)
    x_tol, y_tol = float(settings.get("x_tolerance", 3)), float(settings.get("y_tolerance", 3))
    return words_of(_chars(page), x_tol, y_tol)


def words_of(chars: list[_Char], x_tol: float, y_tol: float) -> list[dict[str, Any]]:
    """Characters grouped into words as pdfplumber's ``WordExtractor`` groups them: runs of
    one font and size in content order, each run's lines top first, words left to right."""
    words: list[dict[str, Any]] = []
    for (font, size), run in groupby(chars, key=itemgetter(5)):
        for line in _lines(list(run), y_tol):
            words.extend(_line_words(line, x_tol, y_tol, font, size))
    return words


def _chars(page: pdfium.PdfPage) -> list[_Char]:
    """The page's characters in content order, the spaces and line breaks PDFium makes up
    left out, and a hyphen ending a line (which PDFium reports as U+0002) as "-".

    A character's box runs across its advance and from the font's descent to one font
    size above it, as pdfminer draws it (the descent is the font's, as PDFium reads it).
    Each is a plain tuple ``(text, x0, top, x1, bottom, (font, size))``: a page has
    thousands, and tuples are the cheapest to make and read.
    """
    textpage = page.get_textpage()
    try:
        tp = ctypes.cast(textpage.raw, ctypes.c_void_p).value
        top_of_page = float(page.get_mediabox()[3])
        fonts: dict[int, tuple[str, float]] = {}
        names: dict[int, str] = {}
        rect, matrix = raw.FS_RECTF(), raw.FS_MATRIX()
        box = ctypes.byref(rect)
        generated, text_object, loose_box = _generated, _text_object, _loose_box
        chars: list[_Char] = []
        append = chars.append
        for i, code in enumerate(_codes(textpage.raw, tp)):
            if code in _SKIP or code == 10 or code == 13 or (code == 32 and generated(tp, i) == 1):
                continue
            obj = text_object(tp, i) or 0
            font = fonts.get(obj)
            if font is None:
                _char_matrix(tp, i, ctypes.byref(matrix))
                if not (matrix.a * matrix.d > 0 and matrix.b * matrix.c <= 0):  # pdfminer's "upright"
                    raise NeedsPdfplumber("text that is not upright")
                font = fonts[obj] = (_font_name(obj, names), _font_size(tp, i))
            loose_box(tp, i, box)
            bottom = top_of_page - rect.bottom
            append(
                ("-" if code == _LINE_END_HYPHEN else chr(code), rect.left, bottom - font[1], rect.right, bottom, font)
            )
        return chars
    finally:
        textpage.close()


def _codes(handle: Any, tp: int | None) -> list[int]:
    """The code of each character of the text page, from one ``FPDFText_GetText`` call.

    It gives one UTF-16 unit per character; the few it does not give as
    ``FPDFText_GetUnicode`` does (a line-end hyphen comes out as U+FFFE, a character
    beyond the BMP as a surrogate) are asked for one at a time."""
    n = raw.FPDFText_CountChars(handle)
    if n <= 0:
        return []
    buf = ctypes.create_string_buffer((n + 1) * 2)
    written = raw.FPDFText_GetText(handle, 0, n, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
    if written != n + 1:  # not one unit a character (and the NUL): ask for each, as before
        return [_unicode(tp, i) for i in range(n)]
    units = array("H", buf.raw[: 2 * n])
    if sys.byteorder == "big":
        units.byteswap()  # PDFium writes UTF-16LE
    codes = units.tolist()
    for i, code in enumerate(codes):
        if code == 0xFFFE or 0xD800 <= code <= 0xDFFF:
            codes[i] = _unicode(tp, i)
    return codes


def _font_name(obj: int, known: dict[int, str]) -> str:
    """The base font name of text object ``obj``; ``known`` keeps the page's by font (a page
    has thousands of text objects and a few fonts)."""
    handle = raw.FPDFTextObj_GetFont(ctypes.cast(obj, raw.FPDF_PAGEOBJECT)) if obj else None
    if not handle:
        return ""
    address = ctypes.cast(handle, ctypes.c_void_p).value or 0
    if address not in known:
        known[address] = _base_font_name(handle)
    return known[address]


def _base_font_name(handle: Any) -> str:
    n = raw.FPDFFont_GetBaseFontName(handle, None, 0)
    buf = ctypes.create_string_buffer(max(1, n))
    raw.FPDFFont_GetBaseFontName(handle, buf, n)
    return buf.value.decode("utf-8", errors="replace")


def _lines(chars: list[_Char], y_tol: float) -> list[list[_Char]]:
    """pdfplumber's ``cluster_objects`` by ``top``: tops chained within ``y_tol`` make a
    line; lines top first, each line's chars left to right."""
    tops = sorted({c[2] for c in chars})
    cluster: dict[float, int] = {}
    k, last = 0, tops[0] if tops else 0.0
    for t in tops:
        if t > last + y_tol:
            k += 1
        cluster[t] = k
        last = t
    if k == 0:
        return [sorted(chars, key=_by_x)] if chars else []
    lines: list[list[_Char]] = [[] for _ in range(k + 1)]
    for c in chars:
        lines[cluster[c[2]]].append(c)
    return [sorted(line, key=_by_x) for line in lines if line]


_by_x = itemgetter(1, 3)


def _line_words(line: list[_Char], x_tol: float, y_tol: float, font: str, size: float) -> list[dict[str, Any]]:
    """The words of one line (its chars left to right), split as pdfplumber splits them: at
    a space, a step back, a gap wider than ``x_tol`` or a jump in ``top`` beyond ``y_tol``."""
    words: list[dict[str, Any]] = []
    text: list[str] = []
    x0 = top = x1 = bottom = last_x0 = last_x1 = last_top = 0.0
    for ch, cx0, ctop, cx1, cbottom, _ in line:
        if ch.isspace():
            if text:
                words.append(_word(text, x0, top, x1, bottom, font, size))
                text = []
            continue
        if text and (cx0 < last_x0 or cx0 > last_x1 + x_tol or abs(ctop - last_top) > y_tol):
            words.append(_word(text, x0, top, x1, bottom, font, size))
            text = []
        if not text:
            x0, top, x1, bottom = cx0, ctop, cx1, cbottom
        else:  # comparisons, not min() and max(): this runs for every character of a paper
            x0 = cx0 if cx0 < x0 else x0
            top = ctop if ctop < top else top
            x1 = cx1 if cx1 > x1 else x1
            bottom = cbottom if cbottom > bottom else bottom
        text.append(ch)
        last_x0, last_x1, last_top = cx0, cx1, ctop
    if text:
        words.append(_word(text, x0, top, x1, bottom, font, size))
    return words


def _word(chars: list[str], x0: float, top: float, x1: float, bottom: float, font: str, size: float) -> dict[str, Any]:
    text = "".join(chars)
    if not text.isascii():
        text = "".join(_LIGATURES.get(ch, ch) for ch in text)
    return {"text": text, "x0": x0, "top": top, "x1": x1, "bottom": bottom, "fontname": font, "size": size}


# -- ruling lines ---------------------------------------------------------------------------
def page_edges(page: pdfium.PdfPage) -> list[dict[str, Any]]:
    """Straight horizontal and vertical segments of the page's paths, as pdfplumber edges."""
    top_of_page = float(page.get_mediabox()[3])
    edges: list[dict[str, Any]] = []
    for p0, p1 in _segments(page.raw, IDENTITY, False):
        edge = _edge(p0, p1, top_of_page)
        if edge is not None:
            edges.append(edge)
    return edges


def _segments(parent: Any, outer: Matrix, in_form: bool) -> Iterator[tuple[tuple[float, float], tuple[float, float]]]:
    """Each straight segment of each path (closing segments included), in page space."""
    count = raw.FPDFFormObj_CountObjects(parent) if in_form else raw.FPDFPage_CountObjects(parent)
    for k in range(count):
        obj = raw.FPDFFormObj_GetObject(parent, k) if in_form else raw.FPDFPage_GetObject(parent, k)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == _PATH:
            yield from _path_segments(obj, _compose(_matrix(obj), outer))
        elif kind == _FORM:
            yield from _segments(obj, _compose(_matrix(obj), outer), True)


def _matrix(obj: Any) -> Matrix:
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, m):
        return IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer  # noqa: N806
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _path_segments(obj: Any, m: Matrix) -> Iterator[tuple[tuple[float, float], tuple[float, float]]]:
    x, y = ctypes.c_float(), ctypes.c_float()
    start: tuple[float, float] | None = None
    prev: tuple[float, float] | None = None
    for k in range(raw.FPDFPath_CountSegments(obj)):
        seg = raw.FPDFPath_GetPathSegment(obj, k)
        raw.FPDFPathSegment_GetPoint(seg, x, y)
        point = _apply(m, x.value, y.value)
        kind = raw.FPDFPathSegment_GetType(seg)
        if kind == _MOVETO or prev is None:
            start = prev = point
            continue
        if kind == _LINETO:
            yield prev, point
        prev = point
        if raw.FPDFPathSegment_GetClose(seg) and start is not None and start != point:
            yield point, start
            prev = start


def _edge(p0: tuple[float, float], p1: tuple[float, float], top_of_page: float) -> dict[str, Any] | None:
    (x0, y0), (x1, y1) = p0, p1
    if abs(y0 - y1) < 0.01:
        orientation = "h"
    elif abs(x0 - x1) < 0.01:
        orientation = "v"
    else:
        return None
    top, bottom = top_of_page - max(y0, y1), top_of_page - min(y0, y1)
    if orientation == "h":
        bottom = top
    left, right = min(x0, x1), max(x0, x1)
    if orientation == "v":
        right = left
    return {
        "object_type": "line",
        "x0": left,
        "x1": right,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": right - left,
        "height": bottom - top,
        "orientation": orientation,
    }


@dataclass
class EdgePage:
    """Enough of a pdfplumber page for its table finder's "lines" strategy: the edges."""

    width: float
    height: float
    edges: list[dict[str, Any]] = field(default_factory=list)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (0.0, 0.0, self.width, self.height)

    @property
    def lines(self) -> list[dict[str, Any]]:
        return self.edges

    rects: tuple[()] = ()
    curves: tuple[()] = ()

    def find_tables(self, settings: dict[str, Any]) -> list[Any]:
        return list(TableFinder(self, settings).tables)  # type: ignore[arg-type]
