"""Split a paper's text into passages: headings, numbered paragraphs, bullets, table rows.

Board papers exported to text lose their layout: paragraph numbers end up on lines of
their own ("15.\\n\\n16.\\n\\n17.\\n The national measure ..."), paragraphs wrap with blank
lines inside them, and tables become tab-separated lines. The rules here read that
shape back. Numbers left on their own lines are queued and given, in order, to the
paragraphs that follow.
"""

from __future__ import annotations

import bisect
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..models import Passage, SourceText
from .layout import Layout, Row, read_layout
from .text_map import collapse
from .visual_lines import split_tables

NUMBER_ONLY = re.compile(r"^\s*(\d{1,3})[.,]\s*$")  # "45," is an OCR'd "45."
NUMBERED = re.compile(r"^\s*(\d{1,3})\.(?:\s+|(?=[A-Z(\"'‘“]))(?=\S)")
BULLET = re.compile(r"^\s*(?:[-•–−*▪●·◦○➢✓]|o(?=\s)|\(?[a-z]\)|\(?[ivx]{1,4}\))\s+(?=\S)")
LETTER_HEADING = re.compile(r"^\s*(?:[A-H]\s*[-–.]\s*|[A-H]\s+)[A-Z][\w’']")
STRONG_HEADING = re.compile(
    r"^\s*(?:#{1,6}\s|Measure\s*:|Priority\s*:|Title\s*:|Outcome\s*:|Objective\s*:|<p>|\*\*[^*]+\*\*\s*$)",
    re.IGNORECASE,
)
TERMINAL = re.compile(r"[.!?:;)\"'’”]\s*$")
QUANTITY_CELL = re.compile(r"^[<>(]*[-+–]?\s*[£$]?\s*\d[\d,.]*\s*(?:%|[kmbKMB]|pp)?\s*[)<]*")
YEAR_LABEL = re.compile(r"^\s*(?:19|20)\d\d(?:\s*[/-]\s*\d{2,4})?(?:\s*$|\s+[A-Za-z£])")
TAG = re.compile(r"<[^>]{1,20}>")
MAX_HEADING = 110


@dataclass
class _Open:
    kind: str
    start: int
    end: int
    paragraph: str | None
    lines: list[str] = field(default_factory=list)


def _lines(text: str) -> Iterator[tuple[int, int, str]]:
    pos = 0
    for raw in text.split("\n"):
        yield pos, pos + len(raw), raw
        pos += len(raw) + 1


def _heading_text(line: str) -> str:
    s = TAG.sub("", line).strip().strip("*#").strip()
    return collapse(s)


FUNCTION_END = re.compile(
    r"\b(?:the|of|and|to|a|an|was|for|in|with|by|is|on|from|at|as|that|this|which|are|were|"
    r"have|has|be|or|than|its|their|our|these|those|per|over|under|into)\s*$",
    re.IGNORECASE,
)
FINITE_VERB = re.compile(r"\s(?:is|was|were|has|have|had|will|would|saw|showed|are)\s", re.IGNORECASE)


def _is_heading(line: str, previous_closed: bool, next_line: str = "") -> bool:
    s = line.strip()
    if not s or len(s) > MAX_HEADING or "\t" in s:
        return False
    if STRONG_HEADING.match(s) or (LETTER_HEADING.match(s) and len(s) < 90 and not s.endswith(".")):
        return True
    if not previous_closed:
        return False
    if s.endswith((".", ",", ";", ":")) or s[0].islower():  # "Compared with last year:" leads into a list
        return False
    if next_line[:1].islower() or FUNCTION_END.search(s) or FINITE_VERB.search(f" {s} "):
        return False
    words = s.split()
    if len(words) > 12 or len(s) > 90:
        return False
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and (s.isupper() or len(words) <= 14)


def is_quantity_cell(cell: str) -> bool:
    c = TAG.sub("", cell).strip()
    return bool(c) and not YEAR_LABEL.match(c) and bool(QUANTITY_CELL.match(c))


def _is_header_row(cells: list[str]) -> bool:
    body = cells[1:] if len(cells) > 1 else cells
    if cells[0].strip() and is_quantity_cell(cells[0]):
        return False  # a leading number ("1\tSandwell") starts a body row
    return not cells[0].strip() or not any(is_quantity_cell(c) for c in body)


def _page_end(source: SourceText, start: int, end: int) -> int | None:
    """The page where ``[start, end)`` ends: that of its last word box when the source has
    them (a paragraph carried over a page break is filed under the page where it starts),
    else the page holding its last character (None for text sources)."""
    page = source.page_at(start)
    i = bisect.bisect_left(source.words, end, key=lambda w: w.start) - 1
    if i >= 0 and source.words[i].end > start:
        return max(page or 1, source.words[i].page_number)
    return source.page_at(max(start, end - 1))


class Segmenter:
    """Turns a ``SourceText`` into ``Passage`` objects, in reading order."""

    def __init__(self, document_id: str, source: SourceText) -> None:
        self.document_id = document_id
        self.source = source
        self.passages: list[Passage] = []
        self.section: list[str] = []
        self.pending_numbers: deque[str] = deque()
        self.last_number: str | None = None
        self.open: _Open | None = None
        self.table_header: list[list[str]] = []
        self.table_caption: str | None = None
        self.in_table = False
        self.blank_before = True

    # -- emitting ---------------------------------------------------------------
    def _section_path(self) -> str | None:
        return " > ".join(self.section) or None

    def _emit(self, kind: str, start: int, end: int, paragraph: str | None, **extra: object) -> None:
        raw = self.source.text[start:end]
        text = collapse(raw)
        if not text:
            return
        lead = len(raw) - len(raw.lstrip())
        trail = len(raw) - len(raw.rstrip())
        start, end = start + lead, end - trail
        self.passages.append(
            Passage(
                document_id=self.document_id,
                kind=kind,
                text=text,
                start=start,
                end=end,
                paragraph=paragraph,
                section=self._section_path(),
                page=self.source.page_at(start),
                page_end=_page_end(self.source, start, end),
                **extra,  # type: ignore[arg-type]
            )
        )

    def _close(self) -> None:
        if self.open is not None:
            o = self.open
            self._emit(o.kind, o.start, o.end, o.paragraph)
            self.open = None

    def _open_closed(self) -> bool:
        """Whether the open paragraph ended its sentence (so a new one may begin)."""
        if self.open is None:
            return True
        return bool(TERMINAL.search(self.open.lines[-1])) if self.open.lines else True

    # -- headings and tables ----------------------------------------------------
    def _heading(self, start: int, end: int, line: str) -> None:
        self._close()
        title = _heading_text(line)
        top_level = bool(LETTER_HEADING.match(line)) or title.isupper()
        if top_level or len(self.section) >= 2:
            self.section = []
        elif self.section and not (LETTER_HEADING.match(self.section[0]) or self.section[0].isupper()):
            self.section = []
        self.section.append(title)
        self.last_number = None
        self._emit("heading", start, end, None)

    def _table_row(self, start: int, end: int, line: str) -> None:
        self._close()
        cells = [collapse(c) for c in line.split("\t")]
        if not self.in_table:
            self.in_table = True
            self.table_header = []
            self.table_caption = self._caption()
        if not any(cells):
            return
        if _is_header_row(cells) and len(self.table_header) < 3 and not self._table_has_body:
            self.table_header.append(cells)
        else:
            self._table_has_body = True
        header = (
            tuple(" ".join(h[i] for h in self.table_header if i < len(h) and h[i]).strip() for i in range(len(cells)))
            if self.table_header
            else None
        )
        self._emit(
            "table_row", start, end, self.last_number, cells=tuple(cells), header=header, caption=self.table_caption
        )

    _table_has_body = False

    def _layout_rows(self, rows: list[Row]) -> None:
        """Emit the rows of a table read back from its layout (see ``layout``)."""
        self._close()
        self.in_table = False
        self._table_has_body = False
        caption = self._caption()
        for row in rows:
            self._emit(
                "table_row",
                row.start,
                row.end,
                self.last_number,
                cells=row.cells,
                header=row.header,
                caption=caption,
                row_label=row.row_label,
            )

    def _caption(self) -> str | None:
        """The heading right above a table (with no paragraph between): its caption."""
        last = self.passages[-1] if self.passages else None
        if last is not None and last.kind == "heading":
            return _heading_text(last.text)
        return None

    def _layout_line(self, idx: int, layout: Layout) -> bool:
        """Whether line ``idx`` belongs to the layout pre-pass (a rebuilt table or furniture)."""
        if idx in layout.rows:
            self._layout_rows(layout.rows[idx])
            return True
        if idx in layout.furniture:
            self._close()  # a page footer inside a paragraph: the passage's text must not hold it
            return True
        return idx in layout.taken

    # -- the main loop ----------------------------------------------------------
    def run(self) -> list[Passage]:
        lines = split_tables(self.source, list(_lines(self.source.text)))
        layout = read_layout(lines)
        following = [""] * len(lines)
        nxt = ""
        for i in range(len(lines) - 1, -1, -1):
            following[i] = nxt
            if lines[i][2].strip() and i not in layout.furniture:
                nxt = lines[i][2].strip()
        self.blank_before = True
        for idx, (start, end, line) in enumerate(lines):
            if self._layout_line(idx, layout):
                if idx not in layout.furniture:
                    self.blank_before = True
                continue
            if not self._marked_line(start, end, line):
                self._text_line(start, end, line, following[idx])
        self._close()
        return self.passages

    def _marked_line(self, start: int, end: int, line: str) -> bool:
        """Blank lines, tab rows, paragraph numbers and bullets: whether ``line`` was one."""
        stripped = line.strip()
        if not stripped or stripped == "--":
            self.blank_before = True
            if self.in_table and not stripped:
                self.in_table = False
                self._table_has_body = False
            return True
        if "\t" in line:
            self._table_row(start, end, line)
            self.blank_before = False
            return True
        if self.in_table:
            self.in_table = False
            self._table_has_body = False
        m = NUMBER_ONLY.match(line)
        if m:
            self._close()
            self.pending_numbers.append(m.group(1))
            self.blank_before = True
            return True
        m = NUMBERED.match(line)
        if m:
            self._close()
            self.pending_numbers.clear()
            self.last_number = m.group(1)
            self.open = _Open("paragraph", start + m.end(), end, m.group(1), [line])
        else:
            m = BULLET.match(line)
            if not m or not (self.open is None or self._open_closed() or self.open.kind == "bullet"):
                return False
            self._close()
            self.open = _Open("bullet", start + m.end(), end, self.last_number, [line])
        self.blank_before = False
        return True

    def _text_line(self, start: int, end: int, line: str, following: str) -> None:
        """A heading, or a line that starts or continues a paragraph."""
        closed = self._open_closed()
        if (self.blank_before or self.open is None) and _is_heading(line, closed, following):
            if not (self.open is not None and not closed and not STRONG_HEADING.match(line)):
                self._heading(start, end, line)
                self.blank_before = False
                return
        continues = self.open is not None and (
            not (self.blank_before and closed) or (self.open.kind == "paragraph" and line.strip()[0].islower())
        )
        if continues and self.open is not None:
            self.open.end = end
            self.open.lines.append(line)
        else:
            self._close()
            number = self.pending_numbers.popleft() if self.pending_numbers else self.last_number
            if self.pending_numbers or number != self.last_number:
                self.last_number = number
            self.open = _Open("paragraph", start, end, number, [line])
        self.blank_before = False


def segment(document_id: str, source: SourceText) -> list[Passage]:
    """Split ``source`` into passages (headings, numbered paragraphs, bullets, table rows)."""
    return Segmenter(document_id, source).run()
