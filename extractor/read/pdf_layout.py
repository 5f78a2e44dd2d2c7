"""Rebuild a PDF page's reading order: words into lines, columns, paragraphs.

Works on plain ``Word`` records (made from pdfplumber's ``extract_words``), never on
pdfplumber objects, so pages can be closed as soon as they are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import accumulate, pairwise
from statistics import median
from typing import Any

# "12." "3.1" "(a)" "a)" "iv." at the start of a line, then a space
PARA_NUMBER = re.compile(
    r"^(?:\(?\d{1,3}(?:\.\d{1,3})*[.)](?=\s+\S)"  # 12.  3.1.  12)
    r"|\d{1,3}\.\d{1,3}(?=\s+[A-Z])"  # 3.1 The
    r"|\(?[a-z]\)(?=\s)|\([ivx]{1,4}\)(?=\s)|[ivx]{1,4}\.(?=\s))"  # (a)  a)  (iv)  iv.
)
BULLETS = frozenset("•●▪■◦○‣–—-*o\uf0b7\uf0a7\uf076\uf0d8")
CID = re.compile(r"\(cid:\d+\)")
SENTENCE_END = re.compile(r"[.!?:;][\"'”’)\]]*$")
CHAR_FIXES = str.maketrans(
    {"ﬁ": "fi", "ﬂ": "fl", "ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "\u00a0": " ", "\uf0b7": "•", "\uf0a7": "▪"}
)


@dataclass(slots=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float = 0.0
    bold: bool = False


@dataclass(slots=True)
class Line:
    words: list[Word]
    page_number: int
    column: int = 0  # 0: full width, 1: left column, 2: right column
    top: float = 0.0
    bottom: float = 0.0
    x0: float = 0.0
    x1: float = 0.0
    size: float = 0.0
    bold: bool = False
    text: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        self.words.sort(key=lambda w: w.x0)
        ws = self.words
        self.top = min(w.top for w in ws)
        self.bottom = max(w.bottom for w in ws)
        self.x0 = ws[0].x0
        self.x1 = max(w.x1 for w in ws)
        self.size = max(w.size for w in ws)
        self.bold = all(w.bold for w in ws)
        self.text = " ".join(w.text for w in ws)


@dataclass(slots=True)
class Paragraph:
    lines: list[Line]


def make_word(raw: dict[str, Any]) -> Word | None:
    """A ``Word`` from one of pdfplumber's word dicts (None for blank words)."""
    # "(cid:123)": a glyph whose font has no Unicode map; it cannot be read as text
    text = raw["text"]
    if not text.isascii():  # every fix is of a character beyond ASCII
        text = text.translate(CHAR_FIXES).replace("\u00ad", "")
    if "(cid:" in text:
        text = CID.sub("", text)
    text = text.strip()
    if not text:
        return None
    font = raw.get("fontname") or ""
    return Word(
        text,
        raw["x0"],
        raw["top"],
        raw["x1"],
        raw["bottom"],
        float(raw.get("size") or 0.0),
        "Bold" in font or "Black" in font or "Heavy" in font,
    )


def group_lines(words: list[Word], page_number: int) -> list[Line]:
    """Words with (nearly) the same ``top`` make one line; lines in top order."""
    lines: list[Line] = []
    current: list[Word] = []
    anchor = 0.0
    for w in sorted(words, key=lambda w: (round(w.top, 1), w.x0)):
        tol = max(1.5, 0.4 * (w.bottom - w.top))
        if current and abs(w.top - anchor) <= tol:
            current.append(w)
        else:
            if current:
                lines.append(Line(current, page_number))
            current, anchor = [w], w.top
    if current:
        lines.append(Line(current, page_number))
    return lines


def order_lines(lines: list[Line], page_width: float, page_height: float) -> list[Line]:
    """Reading order: in two-column stretches, the left column, then the right."""
    gutter = find_gutter(lines, page_width, page_height)
    if gutter is None:
        return lines
    g0, g1 = gutter
    ordered: list[Line] = []
    left: list[Line] = []
    right: list[Line] = []

    def flush() -> None:
        ordered.extend(left)
        ordered.extend(right)
        left.clear()
        right.clear()

    for line in lines:
        if _crosses(line, g0, g1):
            flush()
            ordered.append(line)
            continue
        mid = (g0 + g1) / 2
        lw = [w for w in line.words if (w.x0 + w.x1) / 2 < mid]
        rw = [w for w in line.words if (w.x0 + w.x1) / 2 >= mid]
        if lw:
            left.append(Line(lw, line.page_number, column=1))
        if rw:
            right.append(Line(rw, line.page_number, column=2))
    flush()
    return ordered


def find_gutter(lines: list[Line], page_width: float, page_height: float) -> tuple[float, float] | None:
    """The x-range of a vertical gutter splitting most lines into two columns of prose.

    Lines in the top and bottom 10% (running headers, page numbers) are left out.
    """
    body = [ln for ln in lines if ln.top >= 0.1 * page_height and ln.bottom <= 0.9 * page_height]
    if len(body) < 6 or page_width <= 0:
        return None
    width = int(page_width) + 2
    steps = [0] * (width + 1)  # words starting (+1) and ending (-1) at each x: one pass, not one per x
    for line in body:
        for w in line.words:
            a, b = max(0, int(w.x0)), min(width, int(w.x1) + 1)
            if a < b:
                steps[a] += 1
                steps[b] -= 1
    cover = list(accumulate(steps[:width]))
    lo, hi = int(page_width * 0.3), int(page_width * 0.7)
    least = min(cover[lo:hi])
    if least > 0.15 * len(body):
        return None
    centre = int(page_width / 2)
    best = min((x for x in range(lo, hi) if cover[x] == least), key=lambda x: abs(x - centre))
    g0 = g1 = best
    while g0 > 0 and cover[g0 - 1] <= least + 1:
        g0 -= 1
    while g1 < width - 1 and cover[g1 + 1] <= least + 1:
        g1 += 1
    if g1 - g0 < 8:
        return None
    gl, gr = float(g0), float(g1)
    return (gl, gr) if _two_prose_columns(body, gl, gr) else None


def _two_prose_columns(body: list[Line], g0: float, g1: float) -> bool:
    """Both sides hold prose: columns of similar width, lines mostly filling them.

    Rejects label/value lists and option tables, whose left side is narrow.
    """
    mid = (g0 + g1) / 2
    sides: list[list[Word]] = [[], []]
    fills: list[list[float]] = [[], []]
    for ln in body:
        if _crosses(ln, g0, g1):
            continue
        for i, part in enumerate(([w for w in ln.words if w.x1 <= mid], [w for w in ln.words if w.x0 >= mid])):
            if part:
                sides[i].extend(part)
                fills[i].append(part[-1].x1 - part[0].x0)
    if min(len(fills[0]), len(fills[1])) < 2:
        return False
    text_x0 = min(w.x0 for w in sides[0])
    text_x1 = max(w.x1 for w in sides[1])
    spans = [max(w.x1 for w in sides[0]) - text_x0, text_x1 - min(w.x0 for w in sides[1])]
    if min(spans) < 0.3 * (text_x1 - text_x0) or abs(mid - (text_x0 + text_x1) / 2) > 0.15 * (text_x1 - text_x0):
        return False
    return all(median(f) >= 0.6 * span for f, span in zip(fills, spans, strict=True))


def _crosses(line: Line, g0: float, g1: float) -> bool:
    """A line runs across the gutter: a word spans its middle, or only a word space does."""
    mid = (g0 + g1) / 2
    ws = line.words
    if any(w.x0 < mid < w.x1 for w in ws):
        return True
    return any(a.x1 <= mid <= b.x0 and b.x0 - a.x1 < 0.5 * (g1 - g0) for a, b in pairwise(ws))


def band_key(line: Line, page_height: float, band: float = 0.1) -> str | None:
    """The key of a line in the top or bottom band (digits as '#'), else None."""
    if line.top < page_height * band:
        where = "top"
    elif line.bottom > page_height * (1 - band):
        where = "bottom"
    else:
        return None
    return f"{where}:{round(line.size)}:" + re.sub(r"\d+", "#", " ".join(line.text.lower().split()))


def starts_item(line: Line) -> bool:
    """The line opens a numbered paragraph or a bullet."""
    first = line.words[0].text
    return (
        bool(PARA_NUMBER.match(line.text)) or (first in BULLETS and len(line.words) > 1) or first[0] in "•●▪■◦‣\uf0b7"
    )


def ends_sentence(line: Line) -> bool:
    return bool(SENTENCE_END.search(line.text))


@dataclass(slots=True)
class PageStyle:
    """What body text looks like on a page (or in a whole paper)."""

    size: float
    height: float
    gap: float
    right: dict[int, float]

    def is_heading(self, line: Line) -> bool:
        return line.size > self.size + 0.8 or (line.bold and len(line.text) < 120)


def page_style(lines: list[Line], body_size: float) -> PageStyle:
    heights = [ln.bottom - ln.top for ln in lines] or [10.0]
    height = median(heights)
    gaps = sorted(
        b.top - a.bottom for a, b in pairwise(lines) if a.column == b.column and 0 <= b.top - a.bottom < 2 * height
    )
    gap = gaps[len(gaps) // 4] if gaps else 0.25 * height
    right: dict[int, float] = {}
    for ln in lines:
        right[ln.column] = max(right.get(ln.column, 0.0), ln.x1)
    return PageStyle(body_size, height, gap, right)


def split_paragraphs(lines: list[Line], style: PageStyle) -> list[Paragraph]:
    """Group consecutive lines into paragraphs."""
    paras: list[Paragraph] = []
    for line in lines:
        if paras and not _breaks(paras[-1].lines[-1], line, style):
            paras[-1].lines.append(line)
        else:
            paras.append(Paragraph([line]))
    return paras


def _breaks(prev: Line, cur: Line, style: PageStyle) -> bool:
    right = style.right.get(prev.column, prev.x1)
    col_width = max(1.0, right - min(prev.x0, cur.x0))
    new_style = style.is_heading(prev) != style.is_heading(cur) or abs(prev.size - cur.size) > 0.8
    gap = cur.top - prev.bottom
    wide_gap = gap > style.gap + 0.35 * style.height
    if starts_item(cur):
        # "... the maximum is / 100. Each ..." : a full line cut mid-sentence carries on,
        # unless a paragraph gap or a change of style (a heading above) sets them apart
        wrapped = prev.x1 >= right - 0.08 * col_width and abs(prev.x0 - cur.x0) < 2 and not ends_sentence(prev)
        same_block = cur.column == prev.column and cur.top >= prev.top and not wide_gap
        return not (wrapped and same_block and not new_style)
    if new_style:
        return True
    if cur.column != prev.column or cur.top < prev.top:  # a new column: continue only mid-sentence
        return ends_sentence(prev)
    if wide_gap:
        return True
    if cur.x0 > prev.x0 + 3 * style.height and not starts_item(prev):
        return True  # indented further than the line above (and no hanging number): a new block
    short = prev.x1 < right - 0.2 * col_width
    return short and ends_sentence(prev) and (cur.text[:1].isupper() or cur.text[:1].isdigit())


def continues(prev: Paragraph, nxt: Paragraph, style: PageStyle) -> bool:
    """Whether ``nxt`` (first on a page) carries on ``prev`` (last on the page before)."""
    last, first = prev.lines[-1], nxt.lines[0]
    if ends_sentence(last) or starts_item(first):
        return False
    if style.is_heading(last) or style.is_heading(first):
        return False
    return abs(last.size - first.size) <= 0.8


def join_tokens(lines: list[Line]) -> list[tuple[str, Word, int, str]]:
    """(separator, word, page, text) for each word of a paragraph, hyphenation undone."""
    out: list[list[Any]] = []
    for li, line in enumerate(lines):
        for wi, w in enumerate(line.words):
            sep = "" if not out else " "
            if out and wi == 0 and li > 0:
                prev_text = out[-1][3]
                if prev_text in ("-", "\u2212") and w.text[:1].isdigit():
                    sep = ""  # "circa -" + "6.3%": the line broke after a minus sign
                elif re.search(r"[^\W_]-$", prev_text):  # a word broken at a hyphen: no space
                    sep = ""
                    if prev_text[-2].islower() and w.text[:1].islower() and "-" not in prev_text[:-1]:
                        out[-1][3] = prev_text[:-1]  # "polic-" + "ing": the hyphen was the printer's
            out.append([sep, w, line.page_number, w.text])
    return [(s, w, p, t) for s, w, p, t in out]
