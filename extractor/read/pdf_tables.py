"""Find tables on a PDF page: ruled grids (pdfplumber), then aligned columns of figures.

A table comes back as rows of cells, each cell the page's own ``Word`` records, so the
text of a cell and the box of each of its words stay together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from .pdf_layout import Line, Word

RULED = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
}
NUMERIC = re.compile(r"^[-+−–(£$]?\s?\d[\d,.]*\s?(?:%|[kmMbn]|bn)?\)?$|^[-+−–]?\s?\d[\d,.]*\s?%$")
Cell = list[Word]


@dataclass(slots=True)
class Table:
    bbox: tuple[float, float, float, float]
    rows: list[list[Cell]]
    page_number: int

    @property
    def top(self) -> float:
        return self.bbox[1]


def ruled_tables(page: Any, words: list[Word], page_number: int) -> list[Table]:
    """Tables drawn with grid lines; only looked for when the page has any edges."""
    if not (page.rects or page.lines or page.curves):
        return []
    found = page.find_tables(RULED)
    tables = [_fill(t.bbox, [list(r.cells) for r in t.rows], words, page_number) for t in found]
    return [t for t in tables if t is not None and max(len(r) for r in t.rows) >= 2]


def aligned_tables(lines: list[Line], page_number: int) -> list[Table]:
    """Unruled tables: runs of >= 3 lines split by wide gaps into cells that line up in
    columns, with numbers in them. Prose lines have no such gaps, so stay prose."""
    tables: list[Table] = []
    for run in _candidate_runs(lines):
        rows = [_segments(ln) for ln in run]
        columns = _columns([seg for row in rows for seg in row])
        if len(columns) < 2:
            continue
        cells_by_row: list[list[Cell]] = []
        for row in rows:
            cells: list[Cell] = [[] for _ in columns]
            for seg in row:
                centre = (seg[0].x0 + seg[-1].x1) / 2
                i = next((k for k, (c0, c1) in enumerate(columns) if c0 <= centre <= c1), len(columns) - 1)
                cells[i].extend(seg)
            cells_by_row.append(cells)
        words = [w for ln in run for w in ln.words]
        bbox = (
            min(w.x0 for w in words) - 1,
            min(w.top for w in words) - 1,
            max(w.x1 for w in words) + 1,
            max(w.bottom for w in words) + 1,
        )
        table = Table(bbox, cells_by_row, page_number)
        if _looks_numeric(table):
            tables.append(table)
    return tables


def _wide(line: Line) -> float:
    """A gap wider than this between two words of a line separates table cells."""
    return max(8.0, 0.9 * (line.bottom - line.top))


def _segments(line: Line) -> list[list[Word]]:
    segs: list[list[Word]] = [[line.words[0]]]
    for a, b in pairwise(line.words):
        if b.x0 - a.x1 > _wide(line):
            segs.append([b])
        else:
            segs[-1].append(b)
    return segs


def _columns(segments: list[list[Word]]) -> list[tuple[float, float]]:
    """Merge the x-ranges of all cells that overlap: each merged range is a column."""
    spans = sorted((seg[0].x0, seg[-1].x1) for seg in segments)
    columns: list[tuple[float, float]] = []
    for x0, x1 in spans:
        if columns and x0 <= columns[-1][1]:
            columns[-1] = (columns[-1][0], max(columns[-1][1], x1))
        else:
            columns.append((x0, x1))
    return columns


def _candidate_runs(lines: list[Line]) -> list[list[Line]]:
    runs: list[list[Line]] = []
    run: list[Line] = []
    for ln in lines:
        if _gapped(ln) and (not run or 0 <= ln.top - run[-1].bottom < 2.5 * (ln.bottom - ln.top)):
            run.append(ln)
            continue
        if len(run) >= 3:
            runs.append(run)
        run = [ln] if _gapped(ln) else []
    if len(run) >= 3:
        runs.append(run)
    return [r for r in runs if sum(1 for ln in r if any(NUMERIC.match(w.text) for w in ln.words)) >= 2]


def _gapped(line: Line) -> bool:
    wide = max(9.0, 1.2 * (line.bottom - line.top))
    return any(b.x0 - a.x1 > wide for a, b in pairwise(line.words))


def _looks_numeric(table: Table) -> bool:
    if len(table.rows) < 3 or max(len(r) for r in table.rows) < 2:
        return False
    texts = [" ".join(w.text for w in cell) for row in table.rows for cell in row[1:]]
    filled = [t for t in texts if t]
    if not filled or sum(len(t) for t in filled) / len(filled) > 40:
        return False
    return sum(1 for t in filled if NUMERIC.match(t)) >= max(2, len(filled) / 3)


def _fill(
    bbox: tuple[float, float, float, float], rows: list[list[Any]], words: list[Word], page_number: int
) -> Table | None:
    """Put each word (by its centre) into the cell that holds it; drop empty rows."""
    x0, top, x1, bottom = bbox
    inside = [w for w in words if x0 <= (w.x0 + w.x1) / 2 <= x1 and top <= (w.top + w.bottom) / 2 <= bottom]
    if not inside:
        return None
    out: list[list[Cell]] = []
    for row in rows:
        cells: list[Cell] = []
        for cb in row:
            if cb is None:  # covered by a merged cell: keep the columns aligned
                cells.append([])
                continue
            cx0, ctop, cx1, cbottom = cb
            cell = [w for w in inside if cx0 <= (w.x0 + w.x1) / 2 <= cx1 and ctop <= (w.top + w.bottom) / 2 <= cbottom]
            cell.sort(key=lambda w: (round(w.top / 3), w.x0))
            cells.append(cell)
        if any(cells):
            out.append(cells)
    if not out:
        return None
    return Table(bbox, out, page_number)


def inside_any(word: Word, tables: list[Table]) -> bool:
    cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
    return any(t.bbox[0] <= cx <= t.bbox[2] and t.bbox[1] <= cy <= t.bbox[3] for t in tables)
