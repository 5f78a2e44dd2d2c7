"""Read the layout of a paper's lines: tables without tab stops, and page furniture.

Papers exported to text lose their tables' tab stops in several ways, and each is read
back here before the paragraphs are found:

- **aligned**: columns lined up with runs of spaces (a spreadsheet printed as text);
  the column headings above are matched to the columns by where they sit on the line;
- **separated**: cells split by ``|`` or by `` / `` (spaces around the slash, so that
  "2023/24" stays whole);
- **stacked**: each cell on a line of its own (a PDF export), the column headings first,
  one per line, then each row as its label followed by its numbers;
- **paired**: a block of row labels, then a block of as many numbers, one per line, the
  n-th number belonging to the n-th label.

Page furniture is set apart so that it is neither a figure nor a passage's text: page
footers ("Page 3 of 12"), contents lines ("Crime ........ 4"), and chart axes (a run of
evenly spaced numbers, one per line, and the month or category names along the axis).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

# one value alone: "8,412", "-3.6%", "+ 43", "£1.2m", "4.2", "2 minutes 41 seconds", "(12)"
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_DURATION = rf"(?:{_NUMBER})\s*(?:hours?|hrs?|minutes?|mins?|seconds?|secs?|days?)\b"
VALUE = re.compile(
    rf"^\(?[-+–−]?\s*£?\s*(?:(?:{_DURATION})(?:,?\s*(?:and\s+)?{_DURATION})*"
    rf"|(?:{_NUMBER})\s*(?:%|pp|[kmKM]|bn)?)\)?\*?$"
)
YEARISH = re.compile(r"^(?:19|20)\d\d(?:\s*[/-]\s*\d{2,4})?$")
PAGE_FOOTER = re.compile(r"(?:^|\s{2,}|\|\s*)Page\s+\d{1,4}(?:\s+of\s+\d{1,4})?\s*$|^\s*-\s*\d{1,4}\s*-\s*$", re.I)
LEADER = re.compile(r"(?:\.{4,}|…{2,}|(?:\. ){4,})\s*\d{1,4}\s*$")
AXIS_WORD = re.compile(
    r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?(?:[-\s']+\d{2,4})?$|^q[1-4](?:\s+\S+)?$",
    re.I,
)
SPACED_GAP = re.compile(r"\S+(?: \S+)*")  # cells of a line whose columns are two or more spaces apart
PIPE_SEPARATOR = re.compile(r"\s*\|\s*")
SLASH_SEPARATOR = re.compile(r"\s+/\s+")
RULE_ROW = re.compile(r"^[\s|:+=-]+$")  # "|---|---|" under a Markdown table's headings
VALUE_TOKEN = rf"\(?[-+–−]?\s?£?(?:{_NUMBER})(?:%|pp|[kmKM]\b|bn\b)?\)?(?![\w/])"
MAX_LABEL = 120
MAX_HEADING_CELL = 40
MAX_COLUMNS = 7


@dataclass(frozen=True)
class Row:
    """A table row read back from its lines.

    ``start``/``end`` are the source offsets of the row's own text: for a paired row, the
    number's line only, its ``row_label`` being the label line set apart from it."""

    start: int
    end: int
    cells: tuple[str, ...]
    header: tuple[str, ...] | None = None
    row_label: str | None = None
    is_header: bool = False


@dataclass
class Layout:
    """What the line pre-pass found: rows to emit where a block starts, lines to leave out."""

    rows: dict[int, list[Row]] = field(default_factory=dict)  # first line of a block -> its rows
    taken: set[int] = field(default_factory=set)  # lines that the rows stand for
    furniture: set[int] = field(default_factory=set)  # page footers, contents lines, chart axes


Line = tuple[int, int, str]  # start offset, end offset, text


def is_value(text: str) -> bool:
    """Whether ``text`` is one value alone (not a year)."""
    s = text.strip()
    return bool(s) and not YEARISH.match(s) and bool(VALUE.match(s))


def _number(text: str) -> float | None:
    m = re.search(_NUMBER, text)
    return float(m.group().replace(",", "")) if m else None


def _is_label(text: str) -> bool:
    s = text.strip()
    return bool(re.search(r"[A-Za-z]{2}", s)) and not is_value(s) and len(s) <= MAX_LABEL and "\t" not in s


def read_layout(lines: Sequence[Line]) -> Layout:
    """The tables and furniture of a paper's lines (see the module's docstring)."""
    layout = Layout()
    for i, (_, _, text) in enumerate(lines):
        if PAGE_FOOTER.search(text) or LEADER.search(text):
            layout.furniture.add(i)
    for run in _runs(lines, layout.furniture):
        _read_run(lines, run, layout)
    return layout


def _runs(lines: Sequence[Line], furniture: set[int]) -> list[list[int]]:
    """Runs of consecutive non-blank lines (furniture and tab rows end a run)."""
    runs: list[list[int]] = []
    current: list[int] = []
    for i, (_, _, text) in enumerate(lines):
        if not text.strip() or i in furniture or "\t" in text:
            if current:
                runs.append(current)
            current = []
            continue
        current.append(i)
    if current:
        runs.append(current)
    return runs


def _read_run(lines: Sequence[Line], run: list[int], layout: Layout) -> None:
    texts = [lines[i][2] for i in run]
    _mark_axes(run, texts, layout)
    free = [k for k, i in enumerate(run) if i not in layout.furniture]
    for reader in (_separated, _aligned, _stacked, _paired):
        for block in reader(lines, [run[k] for k in free]):
            first = min(block.lines)
            layout.rows[first] = block.rows
            layout.taken.update(block.lines)
        free = [k for k in free if run[k] not in layout.taken]


def _mark_axes(run: list[int], texts: list[str], layout: Layout) -> None:
    """Chart axes: three or more evenly spaced numbers one per line, and axis names."""
    k = 0
    while k < len(texts):
        j = k
        while j < len(texts) and is_value(texts[j]) and _number(texts[j]) is not None:
            j += 1
        values = [_number(t) for t in texts[k:j]]
        steps = {round((b or 0) - (a or 0), 6) for a, b in zip(values, values[1:], strict=False)}
        if j - k >= 3 and len(steps) == 1 and 0 not in steps:
            layout.furniture.update(run[k:j])
            m = j
            while m < len(texts) and AXIS_WORD.match(texts[m].strip()):
                m += 1
            layout.furniture.update(run[j:m])
            k = m
            continue
        k = max(j, k + 1)


@dataclass
class _Block:
    lines: list[int]
    rows: list[Row]


def _split_separated(text: str) -> list[str] | None:
    s = text.strip()
    if "|" in s and not RULE_ROW.match(s):
        cells = PIPE_SEPARATOR.split(s.strip("|").strip())
        return cells if len(cells) >= 2 else None
    cells = SLASH_SEPARATOR.split(s)
    return cells if len(cells) >= 3 else None


def _separated(lines: Sequence[Line], run: list[int]) -> list[_Block]:
    """Rows whose cells are split by "|" or " / ": at least two lines with as many cells."""
    blocks: list[_Block] = []
    k = 0
    while k < len(run):
        first = _split_separated(lines[run[k]][2])
        if first is None:
            k += 1
            continue
        j = k + 1
        group = [first]
        while j < len(run):
            nxt = _split_separated(lines[run[j]][2])
            if RULE_ROW.match(lines[run[j]][2].strip()):
                j += 1
                continue
            if nxt is None or len(nxt) != len(first):
                break
            group.append(nxt)
            j += 1
        if len(group) >= 2 and any(is_value(c) for cells in group for c in cells[1:]):
            blocks.append(_Block(run[k:j], _rows_with_header(lines, run[k:j], group)))
        k = j
    return blocks


def _rows_with_header(lines: Sequence[Line], idx: list[int], group: list[list[str]]) -> list[Row]:
    """Table rows for lines split into cells: leading rows with no values are the header."""
    rows: list[Row] = []
    header_rows: list[list[str]] = []
    cell_rows = iter(group)
    for i in idx:
        start, end, text = lines[i]
        if RULE_ROW.match(text.strip()):
            continue
        cells = next(cell_rows)
        is_header = len(header_rows) == len(rows) < 3 and not any(is_value(c) for c in cells[1:])
        if is_header:
            header_rows.append(cells)
        header = _join_header(header_rows, len(cells)) if header_rows else None
        rows.append(Row(start, end, tuple(cells), header, is_header=is_header))
    return rows


def _join_header(header_rows: list[list[str]], width: int) -> tuple[str, ...]:
    return tuple(" ".join(h[c] for h in header_rows if c < len(h) and h[c]).strip() for c in range(width))


def _spaced_cells(text: str) -> list[tuple[int, int, str]]:
    """The cells of a line whose columns are two or more spaces apart, with their columns."""
    return [(m.start(), m.end(), m.group()) for m in SPACED_GAP.finditer(text)]


def _is_aligned_row(text: str) -> bool:
    t = text.strip()
    if t == " ".join(t.split()):  # no gap wider than one space: one cell at most (most lines)
        return False
    cells = _spaced_cells(text)
    return len(cells) >= 2 and _is_label(cells[0][2]) and all(is_value(c) or not c for _, _, c in cells[1:])


def _aligned(lines: Sequence[Line], run: list[int]) -> list[_Block]:
    """Rows whose columns are lined up with runs of spaces: two or more body rows of a
    label and values, under any heading lines of the same run that have gaps too."""
    blocks: list[_Block] = []
    k = 0
    while k < len(run):
        if not _is_aligned_row(lines[run[k]][2]):
            k += 1
            continue
        j = k
        while j < len(run) and _is_aligned_row(lines[run[j]][2]):
            j += 1
        if j - k >= 2:
            h = k
            while h > 0 and k - h < 3 and len(_spaced_cells(lines[run[h - 1]][2])) >= 2:
                h -= 1
            blocks.append(_Block(run[h:j], _aligned_rows(lines, run[h:k], run[k:j])))
        k = j
    return blocks


def _aligned_rows(lines: Sequence[Line], head: list[int], body: list[int]) -> list[Row]:
    columns = max((_spaced_cells(lines[i][2]) for i in body), key=len)
    spans = [(s, e) for s, e, _ in columns]
    header = _header_by_position(lines, head, spans) if head else None
    rows: list[Row] = []
    for i in head:
        start, end, text = lines[i]
        rows.append(Row(start, end, tuple(c for _, _, c in _spaced_cells(text)), header, is_header=True))
    for i in body:
        start, end, text = lines[i]
        rows.append(Row(start, end, _place_cells(_spaced_cells(text), spans), header))
    return rows


def _place_cells(found: list[tuple[int, int, str]], spans: list[tuple[int, int]]) -> tuple[str, ...]:
    """A row's cells in the table's columns: in order when it fills them all, else each in
    the column it sits under (in order again if two would share one)."""
    cells = [""] * len(spans)
    places = [_nearest(spans, s, e) for s, e, _ in found]
    if len(found) == len(spans) or len(set(places)) < len(places) or places != sorted(places):
        places = list(range(min(len(found), len(spans))))
    for k, (_, _, c) in zip(places, found, strict=False):
        cells[k] = c
    return tuple(cells)


def _nearest(spans: list[tuple[int, int]], s: int, e: int) -> int:
    """The column whose span overlaps ``[s, e)`` most, else whose centre is nearest."""

    def overlap(k: int) -> tuple[int, float]:
        a, b = spans[k]
        return (min(b, e) - max(a, s), -abs((a + b) / 2 - (s + e) / 2))

    return max(range(len(spans)), key=overlap)


def _header_by_position(lines: Sequence[Line], head: list[int], spans: list[tuple[int, int]]) -> tuple[str, ...]:
    """Each column's heading: the heading cells that sit over it, top line first."""
    parts: list[list[str]] = [[] for _ in spans]
    for i in head:
        for s, e, c in _spaced_cells(lines[i][2]):
            parts[_nearest(spans, s, e)].append(c)
    return tuple(" ".join(p) for p in parts)


def _is_heading_cell(text: str) -> bool:
    return bool(text) and not is_value(text) and len(text) <= MAX_HEADING_CELL and not text.endswith((".", ",", ";"))


def _trailing_values(text: str, n: int) -> tuple[str, ...] | None:
    """A row on one line, its cells a single space apart: a label, then ``n`` values."""
    m = re.match(rf"^(.*[A-Za-z)\]])((?:\s+{VALUE_TOKEN}){{{n}}})\s*$", text)
    if not m or not _is_label(m.group(1)):
        return None
    return (m.group(1).strip(), *(v.strip() for v in re.findall(VALUE_TOKEN, m.group(2))))


def _stacked(lines: Sequence[Line], run: list[int]) -> list[_Block]:
    """Column headings one per line, then rows: each cell on a line of its own, or a label
    and its values on one line."""
    texts = [lines[i][2].strip() for i in run]
    heads = _heading_runs(texts)
    blocks: list[_Block] = []
    k = 0
    while k < len(texts):
        block = next(
            (
                b
                for width in range(min(MAX_COLUMNS, heads[k]), 1, -1)
                for n in (width - 1, width)
                if n >= 2 and (b := _stacked_at(lines, run, texts, (k, width), n)) is not None
            ),
            None,
        )
        if block is None:
            k += 1
            continue
        blocks.append(block)
        k += len(block.lines)
    return blocks


def _heading_runs(texts: list[str]) -> list[int]:
    """For each line, how many lines from it on are heading cells: the widest heading row
    that can start there (the lines of a run are tried at every width, so each is read once)."""
    runs = [0] * (len(texts) + 1)
    for k in range(len(texts) - 1, -1, -1):
        runs[k] = runs[k + 1] + 1 if _is_heading_cell(texts[k]) else 0
    return runs


def _stacked_at(
    lines: Sequence[Line], run: list[int], texts: list[str], head_at: tuple[int, int], n: int
) -> _Block | None:
    """The table whose ``width`` heading lines start at line ``k`` of the run, each row a
    label and ``n`` values (the headings name the label column too when ``n`` is width - 1)."""
    k, width = head_at
    head = texts[k : k + width]
    if len(head) < width or not all(_is_heading_cell(t) for t in head):
        return None
    header = tuple(head) if n == width - 1 else ("", *head)
    rows = [Row(lines[run[k]][0], lines[run[k + width - 1]][1], tuple(head), header, is_header=True)]
    g = k + width
    while g < len(texts):
        one_line = _trailing_values(texts[g], n)
        if one_line is not None:
            rows.append(Row(lines[run[g]][0], lines[run[g]][1], one_line, header))
            g += 1
        elif _is_label(texts[g]) and len(texts) > g + n and all(is_value(t) for t in texts[g + 1 : g + n + 1]):
            rows.append(Row(lines[run[g]][0], lines[run[g + n]][1], tuple(texts[g : g + n + 1]), header))
            g += n + 1
        else:
            break
    return _Block(run[k:g], rows) if len(rows) >= 3 else None


def _paired(lines: Sequence[Line], run: list[int]) -> list[_Block]:
    """A block of n labels then n values, one per line: the n-th value is the n-th label's."""
    texts = [lines[i][2].strip() for i in run]
    blocks: list[_Block] = []
    k = 0
    while k < len(texts):
        if not is_value(texts[k]):
            k += 1
            continue
        j = k
        while j < len(texts) and is_value(texts[j]):
            j += 1
        n = j - k
        labels = k
        while labels > 0 and k - labels < n and _is_label(texts[labels - 1]):
            labels -= 1
        if k - labels == n and n >= 2:
            rows = [
                Row(
                    lines[run[k + m]][0],
                    lines[run[k + m]][1],
                    (texts[labels + m], texts[k + m]),
                    row_label=texts[labels + m],
                )
                for m in range(n)
            ]
            blocks.append(_Block(run[labels:j], rows))
        k = j
    return blocks
