"""Figures in table rows: each quantity cell, labelled by its row and column.

A cell's period comes from its column header ("2012/13", "2013-14") or, for a header
without one ("Difference", "%"), from the nearest column to its left that has one, else
from the table's context. Header words give the kind: "Difference"/"Variance" are
changes, "Milestone"/"Target" targets; a "Performance" percentage is a change when the
table compares two years, else a level.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from ..models import Comparison, Figure, FigureDraft, Passage, evolve
from .figures import FigureFinder
from .filters import is_year
from .labels import clean
from .periods import resolve_period
from .vocabulary import Cues, TableWords

MONEY_SCALE = re.compile(r"£\s*(k|m|bn|000s?)\b|\((?:£)?(k|m|bn)\)", re.IGNORECASE)
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


# "Table 1: Recorded crime, April to January": months with no year narrow a financial-year column
CAPTION_MONTHS = re.compile(
    r"\b(?P<a>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\s+(?:to|-|–)\s+"
    r"(?P<b>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b(?!\s*,?\s*(?:19|20)?\d\d)",
    re.IGNORECASE,
)
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

Column = tuple[tuple[str, str] | None, str | None]


def _caption_months(periods: list[Column], caption: str | None) -> list[Column]:
    """Financial-year columns under a caption naming months with no year ("April to
    January") cover those months of their year: 2023/24 is April 2023 to January 2024."""
    m = CAPTION_MONTHS.search(caption or "")
    if not m:
        return periods
    a, b = MONTHS.index(m["a"][:3].lower()) + 1, MONTHS.index(m["b"][:3].lower()) + 1
    out: list[Column] = []
    for period, text in periods:
        if period is None or not (period[0][5:10] == "04-01" and period[1][5:10] == "03-31"):
            out.append((period, text))
            continue
        fy = int(period[0][:4])
        start = date(fy if a >= 4 else fy + 1, a, 1)
        end_first = date(fy if b >= 4 else fy + 1, b, 1)
        end = (end_first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        out.append(((start.isoformat(), end.isoformat()), text) if start <= end else (period, text))
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
    caption_percent: bool = False  # the caption says the table is of percentages ("... rate (%)")


def _label_index(passage: Passage, finder: FigureFinder) -> int | None:
    """The cell that labels the row: the one the segmenter set apart ("999 calls answered
    within 10 seconds" above its number), else the first with words and no figure."""
    cells = passage.cells or ()
    if passage.row_label and passage.row_label in cells:
        return cells.index(passage.row_label)
    return next(
        (i for i, c in enumerate(cells) if c and not finder.find(clean(c)) and re.search(r"[A-Za-z]{2}", c)), None
    )


# "Differenc e", "Performa nce": a word a narrow PDF table cell broke, its tail on the next line
BROKEN_TAIL = re.compile(r"(?<=[A-Za-z]) (?=[a-z]{1,4}\b)")
BROKEN_WORD = re.compile(r"\b([A-Za-z]+) ([a-z]{1,6})\b")
BROKEN_COMPOUND = re.compile(r"\b([A-Za-z]+)- ([a-z]+)\b")  # "Under- represented": broken after its hyphen
WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")


def paper_words(passages: Iterable[Passage]) -> frozenset[str]:
    """The words a paper writes whole, in lower case, and the parts of its hyphenated ones: those
    of its prose and headings (a table's cells are where a narrow column breaks them)."""
    found = WORD.findall(" ".join(p.text for p in passages if p.kind != "table_row").lower())
    return frozenset(found) | frozenset(part for w in found if "-" in w for part in w.split("-"))


def mend_cell(text: str, words: TableWords, known: frozenset[str] = frozenset()) -> str:
    """A cell's text with a word a narrow cell broke made whole again ("Differenc e" ->
    "Difference"): when that makes it a heading ``tables.yml`` knows and it was not one before,
    or when the paper writes the whole word elsewhere (``known``, ``paper_words``) and one of
    the two parts is no word of it ("Burglar y", "represen ted"; not "Any one"), or a compound
    it writes whole ("Under- represented"; not "pre- and post-")."""
    if BROKEN_TAIL.search(text):
        headings = (words.change, words.target, words.performance, words.money, words.percent, words.current)
        whole = BROKEN_TAIL.sub("", text)
        if not any(rx.search(text) for rx in headings) and any(rx.search(whole) for rx in headings):
            return whole
    if not known:
        return text
    glued = BROKEN_WORD.sub(lambda m: _glued(m.group(1), m.group(2), known) or m.group(0), text)
    return BROKEN_COMPOUND.sub(lambda m: _glued(f"{m.group(1)}-", m.group(2), known, both=True) or m.group(0), glued)


def _glued(head: str, tail: str, known: frozenset[str], *, both: bool = False) -> str | None:
    """``head`` + ``tail`` when the paper writes that word, and (unless ``both``) one of the two
    parts is no word of it; else None."""
    whole = head + tail
    if whole.lower() not in known:
        return None
    return whole if both or head.lower() not in known or tail not in known else None


def _row(
    passage: Passage,
    finder: FigureFinder,
    reference: date | None,
    context: str,
    words: TableWords,
    known: frozenset[str] = frozenset(),
) -> _Row:
    cells = passage.cells or ()
    header = passage.header if passage.header and len(passage.header) == len(cells) else None
    if header:
        header = tuple(mend_cell(h, words, known) if h else h for h in header)
    label_idx = _label_index(passage, finder)
    return _Row(
        header=header,
        periods=_caption_months(_column_periods(header, reference), passage.caption),
        compares_years=bool(header) and sum(1 for h in (header or ()) if h and YEARISH.search(h)) >= 2,
        money=bool(header) and any(words.money.search(h) for h in (header or ()) if h),
        words=words,
        ranked=bool(words.ranked.search(context)),
        label_idx=label_idx,
        row_label=clean(mend_cell(cells[label_idx], words, known)) if label_idx is not None else "",
        caption_percent=bool(words.percent_row.search(passage.caption or "")),
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
    if unit == "count" and row.words.percent_row.search(row.row_label) and not f.spelled:
        unit, points = "percent", True
    elif unit == "count" and row.caption_percent and not f.spelled:
        unit = "percent"  # "Table 2: Charge rate (%)": the table's bare numbers are percentages
    if unit == "count" and row.words.days_row.search(row.row_label) and not f.spelled:
        unit = "days"
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


SIGN_APART = re.compile(r"^\s*\(?\s*([-+–−])\s+$")


def _sign_apart(f: Figure, cell: str) -> Figure:
    """ "- 452", "+ 43": a sign set apart from its number belongs to it."""
    m = SIGN_APART.match(cell[: f.start])
    if not m or f.signed:
        return f
    sign = 1 if m.group(1) == "+" else -1
    return evolve(f, start=m.start(1), text=cell[m.start(1) : f.end], value=abs(f.value) * sign, signed=True)


def _cell_period(row: _Row, i: int, col: str, kind: str, current: tuple[str, str] | None) -> Column:
    """A cell's period: its column's (or the nearest column's to its left), else the table's
    context; a target with no period column at or before it has none."""
    column = row.periods[i] if i < len(row.periods) else (None, None)
    if kind == "target":  # "2013/14 | Milestone": the year's; a target column first in its row has none
        return column if column[0] else (None, None)
    return column if column[0] else (current, None)


def table_drafts(
    passage: Passage,
    finder: FigureFinder,
    *,
    reference: date | None,
    current: tuple[str, str] | None,
    context: str = "",
    topic: str = "",
    words: TableWords,
    cues: Cues,
    known: frozenset[str] = frozenset(),
) -> list[FigureDraft]:
    """The measured cells of a table row as drafts, with their labels, kinds and periods;
    ``known`` the words the paper writes whole (``paper_words``), to mend words its cells broke."""
    cells = passage.cells or ()
    offsets = _cell_offsets(passage.text, cells)
    row = _row(passage, finder, reference, context, words, known)
    out: list[FigureDraft] = []
    for i, cell in enumerate(cells):
        if i == row.label_idx or offsets[i] < 0 or not cell.strip():
            continue
        figs = [f for f in finder.find(cell) if not is_year(f, cell, cues)]
        if len(figs) != 1:
            continue
        f = _sign_apart(figs[0], cell)
        col = row.header[i] if row.header else ""
        unit, value, points = _unit(f, col, row, i)
        kind, vs_target = _kind(f, col, row, i)
        period, ptext = _cell_period(row, i, col, kind, current)
        fig = evolve(f, start=offsets[i] + f.start, end=offsets[i] + f.end, value=value, unit=unit)
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
