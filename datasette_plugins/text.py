"""Pure helpers that turn text from a paper into safe HTML, and user input into safe FTS5 queries.

Everything from a paper is escaped with ``markupsafe.escape`` before any markup is added; only
``<mark>`` tags written here are ever trusted.
"""

from __future__ import annotations

import re
import urllib.parse

from markupsafe import Markup, escape

# Sentinels FTS5's snippet()/highlight() put around matches; they cannot survive escaping as markup.
OPEN = "\x02"
CLOSE = "\x03"
MARK_OPEN = Markup("<mark>")
MARK_CLOSE = Markup("</mark>")


def mark_span(text: str | None, start: int | None, end: int | None) -> Markup:
    """``text`` escaped, with ``text[start:end]`` inside a ``<mark>``; no mark when the span is unusable."""
    text = text or ""
    if start is None or end is None or not 0 <= start < end <= len(text):
        return Markup(escape(text))
    return Markup(f"{escape(text[:start])}{MARK_OPEN}{escape(text[start:end])}{MARK_CLOSE}{escape(text[end:])}")


def mark_in_passage(
    passage_text: str | None,
    passage_start: int | None,
    figure_start: int | None,
    figure_end: int | None,
    figure: str | None = None,
) -> Markup:
    """Mark an observation's figure inside its passage.

    The observation's ``char_start``/``char_end`` are offsets in the paper's text; the passage's
    ``char_start`` is where the passage begins. When offsets don't line up with the figure as written
    (the passage's whitespace was collapsed), fall back to the first occurrence of the figure.
    """
    text = passage_text or ""
    if None not in (passage_start, figure_start, figure_end):
        start, end = figure_start - passage_start, figure_end - passage_start  # type: ignore[operator]
        if 0 <= start < end <= len(text) and (not figure or _same(text[start:end], figure)):
            return mark_span(text, start, end)
    if figure:
        at = text.find(figure)
        if at < 0:
            at = text.find(" ".join(figure.split()))
            figure = " ".join(figure.split())
        if at >= 0:
            return mark_span(text, at, at + len(figure))
    return Markup(escape(text))


def table_quote(
    cells: list[str] | None,
    header: list[str] | None,
    passage_text: str | None = None,
    passage_start: int | None = None,
    figure_start: int | None = None,
    figure_end: int | None = None,
    figure: str | None = None,
) -> Markup | None:
    """A table row as a small table, its column headings above it and the figure's cell marked.

    "Reduce Business Crime 34,297 35,813 1,516 -6 % 4.5 % 3,574" says nothing of which number is the
    baseline, the milestone or the result; under "2012/13 2013/14 Difference Milestone Performance
    Variance" it does. The cell is the one the figure's offsets fall in (the passage's text is its
    cells in order), else the cell that is the figure. ``None`` when ``cells`` is not a row of cells.
    Every cell and heading is escaped; only the markup written here is trusted.
    """
    if not isinstance(cells, list) or len(cells) < 2:
        return None
    row = ["" if c is None else str(c) for c in cells]
    marked = _cell_of(row, passage_text, passage_start, figure_start, figure)
    parts = ['<table class="bp-table-quote">']  # plain strings: each cell and heading escaped on its way in
    if isinstance(header, list) and any(str(h or "").strip() for h in header):
        heads = [str(h or "") for h in header] + [""] * (len(row) - len(header))
        parts.append("<thead><tr>")
        parts.extend(f'<th scope="col">{escape(h)}</th>' for h in heads[: len(row)])
        parts.append("</tr></thead>")
    parts.append("<tbody><tr>")
    for i, cell in enumerate(row):
        if i == marked:
            at = cell.find(figure or "") if figure else -1
            inner = mark_span(cell, at, at + len(figure or "")) if at >= 0 else mark_span(cell, 0, len(cell))
            parts.append(f'<td class="bp-cell-marked">{inner}</td>')
        else:
            parts.append(f"<td>{escape(cell)}</td>")
    parts.append("</tr></tbody></table>")
    return Markup("".join(parts))


def _cell_of(
    row: list[str], passage_text: str | None, passage_start: int | None, figure_start: int | None, figure: str | None
) -> int | None:
    """The index of the cell holding the figure: by offsets where they line up, else by its text."""
    text = passage_text or ""
    if text and passage_start is not None and figure_start is not None:
        offset, at = figure_start - passage_start, 0
        for i, cell in enumerate(row):
            found = text.find(cell, at) if cell else -1
            if found < 0:
                break
            if found <= offset < found + len(cell) and (not figure or figure in cell):
                return i
            at = found + len(cell)
    if figure:
        wanted = " ".join(figure.split())
        exact = [i for i, c in enumerate(row) if " ".join(c.split()) == wanted]
        within = [i for i, c in enumerate(row) if wanted in " ".join(c.split())]
        return (exact or within or [None])[0]
    return None


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def fts_query(q: str | None) -> str:
    """A user's words as an FTS5 query matching every word: each word, or "quoted phrase", quoted.

    "2014/15", "50%", AND, NEAR(, unbalanced quotes and parentheses all become plain phrases, never
    syntax. Nothing searchable gives ``""``, which FTS5 accepts and which matches nothing.
    """
    parts = []
    for match in PHRASE.finditer((q or "").replace("\x00", " ")):
        phrase = match.group(1) if match.group(1) is not None else match.group(2)
        if phrase.replace('"', "").strip():
            parts.append('"{}"'.format(phrase.replace('"', '""')))
    return " ".join(parts) or '""'


SENTINELS = re.compile(f"[{re.escape(OPEN)}{re.escape(CLOSE)}]")
PHRASE = re.compile(r'"([^"]*)"|(\S+)')


def highlight(snippet: str | None) -> Markup:
    """An FTS5 snippet made with the OPEN/CLOSE sentinels, escaped, then its matches in ``<mark>``."""
    safe = str(escape(snippet or ""))
    opened = False
    out = []
    start = 0
    for sentinel in SENTINELS.finditer(safe):  # the text between sentinels is copied whole
        out.append(safe[start : sentinel.start()])
        start = sentinel.end()
        if sentinel.group() == OPEN and not opened:
            out.append(str(MARK_OPEN))
            opened = True
        elif sentinel.group() == CLOSE and opened:
            out.append(str(MARK_CLOSE))
            opened = False
    out.append(safe[start:])
    if opened:
        out.append(str(MARK_CLOSE))
    return Markup("".join(out))


def safe_link(url: str | None) -> str | None:
    """``url`` if it is an http(s) address, else None: a manifest's ``javascript:`` URL is never linked."""
    if not url:
        return None
    parsed = urllib.parse.urlsplit(str(url).strip())
    return str(url).strip() if parsed.scheme in ("http", "https") and parsed.netloc else None
