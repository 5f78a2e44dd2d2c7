"""Figures in table rows: each quantity cell, labelled by its row and column.

A cell's period comes from its column header ("2012/13", "2013-14") or, for a header
without one ("Difference", "%"), from the nearest column to its left that has one, else
from the table's context. Header words give the kind: "Difference"/"Variance" are
changes, "Milestone"/"Target" targets; a "Performance" percentage is a change when the
table compares two years, else a level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..models import Passage
from .figures import Figure, FigureFinder
from .filters import is_year
from .labels import clean
from .periods import resolve_period

CHANGE_HEADER = re.compile(
    r"\b(?:difference|diff|change|variance|var|\+/-|increase|decrease|movement)\b", re.IGNORECASE
)
TARGET_HEADER = re.compile(r"\b(?:milestone|target|aim|goal|ambition|sla|threshold)\b", re.IGNORECASE)
PERFORMANCE_HEADER = re.compile(r"\bperformance\b", re.IGNORECASE)
MONEY_HEADER = re.compile(r"£|\bGBP\b|\bpounds\b|\bbudget\b|\bcost\b|\ballocation\b|\bspend\b", re.IGNORECASE)
MONEY_SCALE = re.compile(r"£\s*(k|m|bn|000s?)\b|\((?:£)?(k|m|bn)\)", re.IGNORECASE)
PERCENT_HEADER = re.compile(r"%|\bper ?cent\b|\bpercentage\b", re.IGNORECASE)
# "Victim satisfaction (%)": a row of rates, whose bare numbers are percentages
PERCENT_ROW = re.compile(r"\(\s*(?:%|per ?cent|percentage)\s*\)|\s%\s*$", re.IGNORECASE)
YEARISH = re.compile(r"(?:19|20)\d\d|\b\d\d\s*[/-]\s*\d\d\b")


@dataclass(frozen=True)
class Cell:
    figure: Figure  # offsets into the passage's text
    row_label: str
    column: str
    kind: str
    period: tuple[str, str] | None
    period_text: str | None
    vs_target: bool = False  # a change from the target ("Variance" after "Milestone"), not from a period
    points: bool = False  # a bare number in the change column of a "(%)" row: percentage points


def _cell_offsets(text: str, cells: tuple[str, ...]) -> list[int]:
    offsets: list[int] = []
    cursor = 0
    for c in cells:
        i = text.find(c, cursor) if c else -1
        offsets.append(i)
        if i >= 0:
            cursor = i + len(c)
    return offsets


def _column_periods(
    header: tuple[str, ...] | None, reference: date | None
) -> list[tuple[tuple[str, str] | None, str | None]]:
    if not header:
        return []
    out: list[tuple[tuple[str, str] | None, str | None]] = []
    last: tuple[tuple[str, str] | None, str | None] = (None, None)
    for h in header:
        p = resolve_period(h, reference=reference) if h and re.search(r"\d", h) else None
        if p:
            last = (p, h)
            out.append(last)
        else:
            out.append(last)
    return out


def table_cells(
    passage: Passage,
    finder: FigureFinder,
    *,
    reference: date | None,
    current: tuple[str, str] | None,
    context: str = "",
) -> list[Cell]:
    """The measured cells of a table row, with their labels, kinds and periods."""
    cells = passage.cells or ()
    header = passage.header if passage.header and len(passage.header) == len(cells) else None
    offsets = _cell_offsets(passage.text, cells)
    periods = _column_periods(header, reference)
    compares_years = bool(header) and sum(1 for h in (header or ()) if h and YEARISH.search(h)) >= 2
    money_table = bool(header) and any(MONEY_HEADER.search(h) for h in (header or ()) if h)
    label_idx = next(
        (i for i, c in enumerate(cells) if c and not finder.find(clean(c)) and re.search(r"[A-Za-z]{2}", c)), None
    )
    row_label = clean(cells[label_idx]) if label_idx is not None else ""
    ranked = bool(re.search(r"\brank", context, re.IGNORECASE))
    out: list[Cell] = []
    for i, cell in enumerate(cells):
        if i == label_idx or offsets[i] < 0 or not cell.strip():
            continue
        figs = [f for f in finder.find(cell) if not is_year(f, cell)]
        if len(figs) != 1:
            continue
        f = figs[0]
        base = offsets[i]
        col = header[i] if header else ""
        unit = f.unit
        value = f.value
        if unit == "count" and (MONEY_HEADER.search(col) or (money_table and not col)):
            unit = "GBP"
            scale = MONEY_SCALE.search(col)
            if scale:
                value *= {"k": 1e3, "000": 1e3, "000s": 1e3, "m": 1e6, "bn": 1e9}[
                    (scale.group(1) or scale.group(2)).lower()
                ]
        elif unit == "count" and PERCENT_HEADER.search(col):
            unit = "percent"
        points = False
        if unit == "count" and PERCENT_ROW.search(row_label) and not f.spelled:
            unit = "percent"
            points = True
        if unit == "count" and ranked and label_idx is not None and i < label_idx:
            unit = "rank"
        vs_target = False
        if TARGET_HEADER.search(col):
            kind = "target"
        elif CHANGE_HEADER.search(col):
            kind = "change"
            # "... Milestone | Performance | Variance": the gap from the target, not from the last year
            vs_target = header is not None and any(TARGET_HEADER.search(h) for h in header[:i])
        elif PERFORMANCE_HEADER.search(col) and compares_years and f.unit == "percent":
            kind = "change"
        else:
            kind = "value"
        period, ptext = periods[i] if i < len(periods) and periods[i][0] else (current, None)
        fig = Figure(base + f.start, base + f.end, f.text, value, unit, f.label, f.pattern_id, f.signed, f.spelled)
        column = clean(col)
        out.append(Cell(fig, row_label, column, kind, period, ptext, vs_target, points and kind == "change"))
    return out
