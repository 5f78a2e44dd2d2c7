"""Figures in table rows: each quantity cell, labelled by its row and column.

A cell's period comes from its column header ("2012/13", "2013-14") or, for a header
without one ("Difference", "%"), from the nearest column to its left that has one, else
from the table's context. Header words give the kind: "Difference"/"Variance" are
changes, "Milestone"/"Target" targets; a "Performance" percentage is a change when the
table compares two years, else a level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from ..models import Comparison, Figure, FigureDraft, Passage
from .figures import FigureFinder
from .filters import is_year
from .labels import clean
from .periods import resolve_period
from .vocabulary import TableWords

MONEY_SCALE = re.compile(r"£\s*(k|m|bn|000s?)\b|\((?:£)?(k|m|bn)\)", re.IGNORECASE)
# "Victim satisfaction (%)": a row of rates, whose bare numbers are percentages
PERCENT_ROW = re.compile(r"\(\s*(?:%|per ?cent|percentage)\s*\)|\s%\s*$", re.IGNORECASE)
YEARISH = re.compile(r"(?:19|20)\d\d|\b\d\d\s*[/-]\s*\d\d\b")


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


@dataclass(frozen=True)
class _Row:
    """What a table row knows of its table."""

    header: tuple[str, ...] | None
    periods: list[tuple[tuple[str, str] | None, str | None]]
    compares_years: bool  # two or more year columns: a "Performance" percentage is a change
    money: bool  # a budget table: its bare numbers are pounds
    words: TableWords
    ranked: bool  # the table ranks forces: numbers before the label are ranks
    label_idx: int | None
    row_label: str


def _row(passage: Passage, finder: FigureFinder, reference: date | None, context: str, words: TableWords) -> _Row:
    cells = passage.cells or ()
    header = passage.header if passage.header and len(passage.header) == len(cells) else None
    label_idx = next(
        (i for i, c in enumerate(cells) if c and not finder.find(clean(c)) and re.search(r"[A-Za-z]{2}", c)), None
    )
    return _Row(
        header=header,
        periods=_column_periods(header, reference),
        compares_years=bool(header) and sum(1 for h in (header or ()) if h and YEARISH.search(h)) >= 2,
        money=bool(header) and any(words.money.search(h) for h in (header or ()) if h),
        words=words,
        ranked=bool(re.search(r"\brank", context, re.IGNORECASE)),
        label_idx=label_idx,
        row_label=clean(cells[label_idx]) if label_idx is not None else "",
    )


def _unit(f: Figure, col: str, row: _Row, i: int) -> tuple[str, float, bool]:
    """The unit and value of a cell's figure from its column and row; and whether a bare
    number of a "(%)" row is in percentage points."""
    unit, value = f.unit, f.value
    if unit == "count" and (row.words.money.search(col) or (row.money and not col)):
        scale = MONEY_SCALE.search(col)
        if scale:
            value *= {"k": 1e3, "000": 1e3, "000s": 1e3, "m": 1e6, "bn": 1e9}[
                (scale.group(1) or scale.group(2)).lower()
            ]
        return "GBP", value, False
    if unit == "count" and row.words.percent.search(col):
        unit = "percent"
    points = False
    if unit == "count" and PERCENT_ROW.search(row.row_label) and not f.spelled:
        unit, points = "percent", True
    if unit == "count" and row.ranked and row.label_idx is not None and i < row.label_idx:
        unit = "rank"
    return unit, value, points


def _kind(f: Figure, col: str, row: _Row, i: int) -> tuple[str, bool]:
    """A cell's kind from its column header, and whether a change is measured from a target."""
    if row.words.target.search(col):
        return "target", False
    if row.words.change.search(col):
        # "... Milestone | Performance | Variance": the gap from the target, not from the last year
        return "change", row.header is not None and any(row.words.target.search(h) for h in row.header[:i])
    if row.words.performance.search(col) and row.compares_years and f.unit == "percent":
        return "change", False
    return "value", False


def _label(row_label: str, column: str, unit: str, topic: str) -> str:
    """ "Burglary: 2013/14 (Reduce crime)": the row and column, with the table's topic."""
    parts = [p for p in (row_label, column) if p]
    label = ": ".join(parts) if parts else topic
    if unit == "rank":
        return f"{row_label}: rank ({topic})" if topic else f"{row_label}: rank"
    if topic and len(label) < 25 and topic.lower() not in label.lower():
        return f"{label} ({topic})"
    return label


def _change_type(kind: str, unit: str, points: bool) -> str | None:
    if kind == "value":
        return None
    return "points" if points else "percent" if unit == "percent" else "absolute"


def table_drafts(
    passage: Passage,
    finder: FigureFinder,
    *,
    reference: date | None,
    current: tuple[str, str] | None,
    context: str = "",
    topic: str = "",
    words: TableWords,
) -> list[FigureDraft]:
    """The measured cells of a table row as drafts, with their labels, kinds and periods."""
    cells = passage.cells or ()
    offsets = _cell_offsets(passage.text, cells)
    row = _row(passage, finder, reference, context, words)
    out: list[FigureDraft] = []
    for i, cell in enumerate(cells):
        if i == row.label_idx or offsets[i] < 0 or not cell.strip():
            continue
        figs = [f for f in finder.find(cell) if not is_year(f, cell)]
        if len(figs) != 1:
            continue
        f = figs[0]
        col = row.header[i] if row.header else ""
        unit, value, points = _unit(f, col, row, i)
        kind, vs_target = _kind(f, col, row, i)
        period, ptext = row.periods[i] if i < len(row.periods) and row.periods[i][0] else (current, None)
        fig = replace(f, start=offsets[i] + f.start, end=offsets[i] + f.end, value=value, unit=unit)
        label = _label(row.row_label, clean(col), unit, topic)
        out.append(
            FigureDraft(
                passage,
                fig,
                passage.text,
                kind=kind,
                change_type=_change_type(kind, unit, points and kind == "change"),
                period=period,
                period_text=ptext,
                vs_target=vs_target,
                comparison=Comparison(text="target") if vs_target else None,
                label=label,
                phrase=row.row_label or label,
            )
        )
    return out
