"""A PDF block's lines as they sit on the page, so that its tables can be read back.

The PDF reader joins the lines of a block into one line of text. When the block is a table
with no ruling (columns set apart by white space only), its rows and columns are still
in the word boxes: a word lower on the page starts a new line, and a wide gap between two
words is a column break. Such a block is handed to the layout reader as its visual lines,
each rendered with two or more spaces at the column breaks and its words roughly where
they sit across the page, so the aligned-column rules apply as they do to a text export.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from ..models import SourceText, WordBox
from .layout import Line, read_layout

SAME_LINE = 2.0  # points: words whose tops differ by less sit on one line
COLUMN_GAP = 8.0  # points: a wider gap between words is a column break
POINTS_PER_CHAR = 2.0  # how far across the page one character of the rendering stands (narrower than any glyph)


def _visual(words: Sequence[WordBox]) -> list[list[WordBox]]:
    """The words of a block, grouped into the lines they sit on, in reading order."""
    rows: list[list[WordBox]] = []
    for w in words:
        if rows and rows[-1][-1].page_number == w.page_number and abs(rows[-1][-1].top - w.top) < SAME_LINE:
            rows[-1].append(w)
        else:
            rows.append([w])
    return rows


def _render(text: str, row: list[WordBox]) -> Line:
    """One visual line: its source span, and its words placed across the line."""
    out = ""
    previous: WordBox | None = None
    for w in row:
        word = text[w.start : w.end]
        if previous is not None:
            gap = w.x0 - previous.x1
            want = max(0, round(w.x0 / POINTS_PER_CHAR) - len(out))
            spaces = max(2, want) if gap >= COLUMN_GAP else 1
            out += " " * spaces
        out += word
        previous = w
    return (row[0].start, row[-1].end, out)


def _block_lines(source: SourceText, starts: list[int], start: int, end: int) -> list[Line]:
    i = bisect.bisect_left(starts, start)
    j = bisect.bisect_left(starts, end)
    words = [w for w in source.words[i:j] if w.end <= end]
    return [_render(source.text, row) for row in _visual(words)] if words else []


def split_tables(source: SourceText, lines: list[Line]) -> list[Line]:
    """``lines`` with each PDF block that holds a table (or furniture) replaced by its
    visual lines; text sources and blocks of prose are returned as they are."""
    if not source.words:
        return lines
    starts = [w.start for w in source.words]
    out: list[Line] = []
    for start, end, text in lines:
        if not text.strip() or "\t" in text:
            out.append((start, end, text))
            continue
        visual = _block_lines(source, starts, start, end)
        if len(visual) < 2:
            out.append((start, end, text))
            continue
        layout = read_layout(visual)
        if layout.rows or layout.furniture:
            out.extend(visual)
        else:
            out.append((start, end, text))
    return out
