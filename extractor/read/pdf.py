"""Read a published PDF paper into a ``SourceText``, with PDFium (default) or pdfplumber.

PDFium (``pdfium.py``) reads each page's words and ruling lines; pdfplumber's table
finder then looks for ruled tables in those lines. ``reader="pdfplumber"`` (or
``BOARDPAPERS_PDF_READER=pdfplumber``) reads every page with pdfplumber instead: slower,
the same words. Pages are read one at a time and closed straight away; what is kept is plain ``Word``
records. Running headers and footers are found across pages and dropped; paragraphs
are rebuilt (and joined across page breaks); tables become tab-separated rows.
"""

from __future__ import annotations

import gc
import math
import os
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.psexceptions import PSException
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from ..models import SourceText, WordBox
from .errors import EncryptedPDF, ScannedPDF, UnreadablePDF
from .pdf_layout import (
    Line,
    PageStyle,
    Paragraph,
    band_key,
    continues,
    group_lines,
    join_tokens,
    make_word,
    order_lines,
    page_style,
    split_paragraphs,
)
from .pdf_tables import Table, aligned_tables, inside_any, ruled_tables
from .pdfium import EdgePage, NeedsPdfplumber, page_edges, page_words

__all__ = ["PDF_READERS", "read_pdf"]

PDF_READERS = ("pdfium", "pdfplumber")
READER_ENV = "BOARDPAPERS_PDF_READER"  # how ``--pdf-reader`` reaches build workers

WORD_SETTINGS: dict[str, Any] = {
    "x_tolerance": 2,
    "y_tolerance": 2,
    "keep_blank_chars": False,
    "use_text_flow": False,
    "extra_attrs": ["fontname", "size"],
}
PDF_ERRORS = (PdfminerException, MalformedPDFException, PSException, zlib.error)
# Protective markings printed alone at a page's top or bottom: the Government Security
# Classifications (2014) and the Government Protective Marking Scheme they replaced.
PROTECTIVE_MARKINGS = (
    "OFFICIAL",
    "OFFICIAL-SENSITIVE",
    "SECRET",
    "TOP SECRET",
    "NOT PROTECTIVELY MARKED",
    "PROTECT",
    "RESTRICTED",
    "CONFIDENTIAL",
    "UNCLASSIFIED",
)
_MARKING = re.compile(
    r"(?i)(?:{})(?:\s*[-–:]?\s*(?:PERSONAL|COMMERCIAL|LOCSEN))?".format(
        "|".join(r"\s*[-–]?\s*".join(m.replace("-", " ").split()) for m in PROTECTIVE_MARKINGS)
    )
)
# "Page 3 of 12", "Page 3", "3 of 12", "- 3 -", "3": a page number alone on its line
_PAGE_NUMBER = re.compile(r"(?i)(?:page\s+)?\d{1,4}(?:\s+of\s+\d{1,4})?|[-–]\s*\d{1,4}\s*[-–]")
Item = Line | Table
Block = Paragraph | Table


@dataclass(slots=True)
class _Page:
    number: int
    height: float
    items: list[Item]


def read_pdf(path: Path, reader: str | None = None) -> SourceText:
    """Read the PDF at ``path``; raise ``UnreadablePDF`` (or a subclass) saying what to do.

    ``reader`` is ``"pdfium"`` or ``"pdfplumber"``; by default ``BOARDPAPERS_PDF_READER``,
    else ``"pdfium"``.
    """
    path = Path(path)
    reader = pdf_reader(reader)
    _check_bytes(path)
    with _young_collections_only():
        pages, meta_title = _pages_pdfium(path) if reader == "pdfium" else _pages_pdfplumber(path)
        return _finish(path, pages, meta_title)


def pdf_reader(name: str | None = None) -> str:
    """The reader to use: ``name``, else the environment's choice, else PDFium."""
    chosen = (name or os.environ.get(READER_ENV) or "pdfium").strip().lower()
    if chosen not in PDF_READERS:
        raise ValueError(f"unknown PDF reader {chosen!r}: use one of {', '.join(PDF_READERS)}")
    return chosen


def _pages_pdfplumber(path: Path) -> tuple[list[_Page], str | None]:
    pages: list[_Page] = []
    try:
        with pdfplumber.open(path) as pdf:
            meta_title = _meta_title(pdf.metadata)
            for number, page in enumerate(pdf.pages, start=1):
                try:
                    words = page.extract_words(**WORD_SETTINGS)
                    pages.append(_layout_page(words, page, number, float(page.width), float(page.height)))
                except PDF_ERRORS as e:
                    raise _translate(path, e, f"page {number}") from None
                finally:
                    page.close()
                    gc.collect(1)
    except PDF_ERRORS as e:
        raise _translate(path, e) from None
    return pages, meta_title


def _pages_pdfium(path: Path) -> tuple[list[_Page], str | None]:
    """Read each page with PDFium; a page PDFium's words would not match pdfplumber's on
    (``NeedsPdfplumber``: rotated, offset, or with rotated text) is read with pdfplumber."""
    pages: list[_Page] = []
    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as e:
        raise _translate_pdfium(path, e) from None
    plumber: list[Any] = []  # pdfplumber's document, opened for the first page that needs it
    try:
        meta_title = _meta_title(pdf.get_metadata_dict())
        for number in range(1, len(pdf) + 1):
            try:
                page = pdf[number - 1]
            except pdfium.PdfiumError as e:
                raise _translate_pdfium(path, e, f"page {number}") from None
            try:
                pages.append(_pdfium_page(page, number))
            except NeedsPdfplumber:
                pages.append(_plumber_page(path, plumber, number))
            finally:
                page.close()
                gc.collect(1)
    finally:
        pdf.close()
        for doc in plumber:
            doc.close()
    return pages, meta_title


def _pdfium_page(page: Any, number: int) -> _Page:
    width, height = float(page.get_width()), float(page.get_height())
    words = page_words(page, WORD_SETTINGS)
    edges = page_edges(page) if words else []
    return _layout_page(words, EdgePage(width, height, edges), number, width, height)


def _plumber_page(path: Path, plumber: list[Any], number: int) -> _Page:
    """Page ``number`` read with pdfplumber (``plumber`` keeps its document open for the next)."""
    try:
        if not plumber:
            plumber.append(pdfplumber.open(path))
        page = plumber[0].pages[number - 1]
        try:
            words = page.extract_words(**WORD_SETTINGS)
            return _layout_page(words, page, number, float(page.width), float(page.height))
        finally:
            page.close()
    except PDF_ERRORS as e:
        raise _translate(path, e, f"page {number}") from None


def _finish(path: Path, pages: list[_Page], meta_title: str | None) -> SourceText:
    if not pages:
        raise UnreadablePDF(
            str(path), f"{path.name} has no pages: download the paper again, or remove it from the manifest"
        )
    had_text = any(p.items for p in pages)
    title = meta_title or (_title_from_page_one(pages[0], _body_size(pages)) if had_text else None)
    _drop_running_lines(pages)
    if not any(p.items for p in pages):
        what = "only running headers and footers in its text layer" if had_text else "no text layer"
        raise ScannedPDF(
            str(path),
            f"{path.name} is a scanned PDF with {what}: run OCR (for example ocrmypdf) and add it again",
        )
    return _assemble(pages, title)


@contextmanager
def _young_collections_only() -> Iterator[None]:
    """Pause automatic garbage collection while pages are read (each page ends with a
    young-generation collection instead): full collections would re-scan every word
    kept so far, which costs about a fifth of the time on a 300-page paper."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _check_bytes(path: Path) -> None:
    """Fail early, and plainly, on empty files, non-PDFs and truncated PDFs."""
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(1024)
            f.seek(max(0, size - 2048))
            tail = f.read()
    except OSError as e:
        raise UnreadablePDF(str(path), f"cannot open {path}: {e.strerror}: check the file's permissions") from None
    if size == 0:
        raise UnreadablePDF(
            str(path), f"{path.name} is empty (0 bytes): download the paper again, or remove it from the manifest"
        )
    if b"%PDF-" not in head:
        raise UnreadablePDF(
            str(path),
            f"{path.name} is not a PDF: it starts with {_describe(head)}: "
            "download the paper again (the saved file may be an error page)",
        )
    if b"%%EOF" not in tail:
        raise UnreadablePDF(
            str(path),
            f"{path.name} is truncated: it stops before the PDF's end marker (%%EOF) after {size:,} bytes: "
            "download the paper again",
        )


def _describe(head: bytes) -> str:
    text = head[:40].decode("utf-8", errors="replace").strip()
    text = " ".join(text.split())
    kind = (
        " (an HTML page)"
        if re.match(r"(?i)\s*(<!doctype html|<html|<\?xml|<head)", head[:100].decode("latin-1"))
        else ""
    )
    return f"{text[:30]!r}{kind}"


def _translate(path: Path, error: BaseException, where: str = "") -> UnreadablePDF:
    cause = error.args[0] if isinstance(error, PdfminerException) and error.args else error
    if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
        return EncryptedPDF(
            str(path),
            f"{path.name} is password-protected: ask the publisher for an unprotected copy, "
            "or remove the password (for example `qpdf --decrypt`) and add it again",
        )
    detail = str(cause) or type(cause).__name__
    at = f" at {where}" if where else ""
    return UnreadablePDF(
        str(path),
        f"{path.name} is damaged and cannot be read{at} ({detail}): "
        "download the paper again, or repair it (for example `qpdf in.pdf out.pdf`)",
    )


def _translate_pdfium(path: Path, error: pdfium.PdfiumError, where: str = "") -> UnreadablePDF:
    if getattr(error, "err_code", None) == pdfium_raw.FPDF_ERR_PASSWORD:
        return EncryptedPDF(
            str(path),
            f"{path.name} is password-protected: ask the publisher for an unprotected copy, "
            "or remove the password (for example `qpdf --decrypt`) and add it again",
        )
    detail = str(error).strip() or type(error).__name__
    at = f" at {where}" if where else ""
    return UnreadablePDF(
        str(path),
        f"{path.name} is damaged and cannot be read{at} ({detail}): "
        "download the paper again, or repair it (for example `qpdf in.pdf out.pdf`)",
    )


def _meta_title(metadata: dict[str, Any]) -> str | None:
    raw = metadata.get("Title")
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="ignore")
    if not isinstance(raw, str):
        return None
    title = " ".join(raw.replace("\x00", "").split())
    title = re.sub(r"^Microsoft (Word|PowerPoint) - ", "", title)
    if len(title) < 4 or not re.search(r"[A-Za-z]{3}", title):
        return None
    if re.search(r"(?i)\.(docx?|pdf|rtf|odt|pptx?|xlsx?)$|^untitled|^document\d*$|^slide \d+$", title):
        return None
    return title


def _layout_page(raw_words: list[dict[str, Any]], page: Any, number: int, width: float, height: float) -> _Page:
    """A page's lines and tables from its words; ``page`` answers the table finder
    (a pdfplumber page, or an ``EdgePage`` of PDFium's ruling lines)."""
    words = [w for w in map(make_word, raw_words) if w is not None]
    if not words:
        return _Page(number, height, [])
    tables = ruled_tables(page, words, number)
    prose = [w for w in words if not inside_any(w, tables)] if tables else words
    lines = group_lines(prose, number)
    unruled = aligned_tables(lines, number)
    if unruled:
        tables += unruled
        lines = group_lines([w for w in prose if not inside_any(w, unruled)], number)
    lines = order_lines(lines, width, height)
    return _Page(number, height, _place_tables(lines, tables))


def _place_tables(lines: list[Line], tables: list[Table]) -> list[Item]:
    """Put each table before the first line (in reading order) below its top."""
    items: list[Item] = []
    waiting = sorted(tables, key=lambda t: t.top)
    for line in lines:
        while waiting and waiting[0].top <= line.top:
            items.append(waiting.pop(0))
        items.append(line)
    items.extend(waiting)
    return items


def _drop_running_lines(pages: list[_Page]) -> None:
    """Drop running headers and footers: lines in the top or bottom 10% of a page that
    repeat (digits aside) on at least half of the pages, or that repeat at the same
    height with a number that changes from page to page ("Chapter 3: Utilities 7")."""
    with_text = [p for p in pages if p.items]
    for p in with_text:
        p.items = [it for it in p.items if not (isinstance(it, Line) and _page_furniture(it, p.height))]
    with_text = [p for p in with_text if p.items]
    if len(with_text) < 2:
        return
    seen: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for p in with_text:
        for key, line in {band_key(it, p.height): it for it in p.items if isinstance(it, Line)}.items():
            if key:
                seen[key].append((line.top, "".join(re.findall(r"\d+", line.text))))
    need = max(2, math.ceil(len(with_text) / 2))
    running = {k for k, hits in seen.items() if len(hits) >= need or _counter_line(k, hits)}
    if not running:
        return
    for p in with_text:
        p.items = [it for it in p.items if not (isinstance(it, Line) and band_key(it, p.height) in running)]


def _page_furniture(line: Line, page_height: float) -> bool:
    """A line that is a running line even on a page of its own: a page number or a
    protective marking, alone on its line in the top or bottom band."""
    if band_key(line, page_height) is None:
        return False
    text = " ".join(line.text.split())
    return bool(_PAGE_NUMBER.fullmatch(text) or _MARKING.fullmatch(text))


def _counter_line(key: str, hits: list[tuple[float, str]]) -> bool:
    """A short line at the same height on each page, its number changing: a page counter."""
    tops = [t for t, _ in hits]
    short = len(key.split()) <= 8 and 1 <= key.count("#") <= 3
    return len(hits) >= 2 and short and max(tops) - min(tops) <= 2 and len({d for _, d in hits}) == len(hits)


def _body_size(pages: list[_Page]) -> float:
    sizes: Counter[float] = Counter()
    for p in pages:
        for it in p.items:
            if isinstance(it, Line):
                sizes[round(it.size, 1)] += len(it.words)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _blocks(page: _Page, body: float) -> tuple[list[Block], PageStyle]:
    lines = [it for it in page.items if isinstance(it, Line)]
    style = page_style(lines, body)
    blocks: list[Block] = []
    run: list[Line] = []
    for it in page.items:
        if isinstance(it, Line):
            run.append(it)
            continue
        blocks.extend(split_paragraphs(run, style))
        run = []
        blocks.append(it)
    blocks.extend(split_paragraphs(run, style))
    return blocks, style


def _assemble(pages: list[_Page], title: str | None) -> SourceText:
    """Write the pages' blocks in order, joining a paragraph carried over a page break and
    a table cut by one.

    Each page's blocks are written (and its ``Word`` records let go) as soon as the
    next page shows whether its last paragraph carries on.
    """
    assembler = _Assembler(_body_size(pages))
    for page in pages:
        assembler.add(page)
    return assembler.finish(len(pages), title)


class _Assembler:
    """The text written so far, the paragraph a page left open and the table it ended on."""

    def __init__(self, body: float) -> None:
        self.body = body
        self.writer = _Writer()
        self.page_starts: list[int] = []
        self.pending: tuple[int, Paragraph] | None = None
        self.tail: Table | None = None  # the table that ended the page before, if one did

    def emit(self, home: int, block: Block, carried: bool = False) -> None:
        start = self.writer.begin_block(carried)
        while len(self.page_starts) < home:  # a paragraph belongs to the page where it starts
            self.page_starts.append(start)
        if isinstance(block, Table):
            self.writer.table(block)
        else:
            self.writer.paragraph(block)

    def add(self, page: _Page) -> None:
        blocks, style = _blocks(page, self.body)
        page.items = []
        if self._carry_over(page, blocks, style):
            self._write(page.number, blocks)

    def _carry_over(self, page: _Page, blocks: list[Block], style: PageStyle) -> bool:
        """Fold the page's first block into the paragraph or table the page before left open;
        whether anything is left to write."""
        first = blocks[0] if blocks else None
        if self.pending and isinstance(first, Paragraph) and continues(self.pending[1], first, style):
            self.pending[1].lines.extend(first.lines)
            blocks.pop(0)
        if self.tail is not None and isinstance(first, Table) and _continues_table(self.tail, first):
            rest = _without_repeated_header(self.tail, first)
            if rest.rows:
                self.emit(page.number, rest, carried=True)
            blocks.pop(0)
            if not blocks:  # the table fills the page: it may carry on again
                self.tail = Table(first.bbox, self.tail.rows[:1], first.page_number)
                return False
        return bool(blocks)

    def _write(self, number: int, blocks: list[Block]) -> None:
        self.tail = None
        if self.pending:
            self.emit(*self.pending)
            self.pending = None
        for block in blocks[:-1]:
            self.emit(number, block)
        last = blocks[-1]
        if isinstance(last, Paragraph):
            self.pending = (number, last)
        else:
            self.emit(number, last)
            self.tail = Table(last.bbox, last.rows[:1], last.page_number)

    def finish(self, page_count: int, title: str | None) -> SourceText:
        if self.pending:
            self.emit(*self.pending)
        end = self.writer.finish()
        while len(self.page_starts) < page_count:
            self.page_starts.append(end)
        return SourceText(text=self.writer.text, page_starts=self.page_starts, words=self.writer.words, title=title)


def _continues_table(prev: Table, nxt: Table) -> bool:
    """Whether ``nxt`` (first on a page) carries on ``prev`` (last on the page before, only
    its first row kept): the same columns across the same width, and not opening with a bold
    header row of its own (a header repeated from ``prev`` is fine)."""
    if _width(prev) != _width(nxt):
        return False
    tol = max(6.0, 0.03 * (prev.bbox[2] - prev.bbox[0]))
    if abs(prev.bbox[0] - nxt.bbox[0]) > tol or abs(prev.bbox[2] - nxt.bbox[2]) > tol:
        return False
    if _row_texts(nxt.rows[0]) == _row_texts(prev.rows[0]):
        return True  # the header repeated on each page
    words = [w for cell in nxt.rows[0] for w in cell]
    return not (words and all(w.bold for w in words) and sum(1 for cell in nxt.rows[0] if cell) >= 2)


def _without_repeated_header(prev: Table, nxt: Table) -> Table:
    if _row_texts(nxt.rows[0]) == _row_texts(prev.rows[0]):
        return Table(nxt.bbox, nxt.rows[1:], nxt.page_number)
    return nxt


def _width(table: Table) -> int:
    return max(len(r) for r in table.rows)


def _row_texts(row: list[Any]) -> list[str]:
    return [" ".join(w.text for w in cell) for cell in row]


def _title_from_page_one(page: _Page, body: float) -> str | None:
    lines = [it for it in page.items if isinstance(it, Line)]
    if not lines:
        return None
    biggest = max(ln.size for ln in lines)
    if biggest < body + 1.5:
        return None
    first = next(i for i, ln in enumerate(lines) if ln.size == biggest)
    parts = [lines[first].text]
    for ln in lines[first + 1 : first + 3]:  # a title may wrap onto two or three lines
        if ln.size != biggest:
            break
        parts.append(ln.text)
    return " ".join(parts)[:300]


class _Writer:
    """Builds the text and a ``WordBox`` for every word written into it."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.words: list[WordBox] = []

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def _put(self, s: str) -> None:
        self.parts.append(s)
        self.pos += len(s)

    def _word(self, text: str, w: Any, page: int) -> None:
        start = self.pos
        self._put(text)
        self.words.append(
            WordBox(start, self.pos, page, round(w.x0, 2), round(w.top, 2), round(w.x1, 2), round(w.bottom, 2))
        )

    def begin_block(self, carried: bool = False) -> int:
        """Start a block: after a blank line, or on the next line when it carries on a table."""
        if self.pos:
            self._put("\n" if carried else "\n\n")
        return self.pos

    def paragraph(self, para: Paragraph) -> None:
        for sep, w, page, text in join_tokens(para.lines):
            if sep:
                self._put(sep)
            self._word(text, w, page)

    def table(self, table: Table) -> None:
        for r, row in enumerate(table.rows):
            if r:
                self._put("\n")
            for c, cell in enumerate(row):
                if c:
                    self._put("\t")
                for i, w in enumerate(cell):
                    if i:
                        self._put(" ")
                    self._word(w.text, w, table.page_number)

    def finish(self) -> int:
        if self.pos:
            self._put("\n")
        return self.pos
