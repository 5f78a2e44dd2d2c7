"""Find the figures of a text and read their values: the "figure_finder" spaCy component.

The patterns are regular expressions kept as JSON Lines (``patterns/figures.jsonl``), one
object a line: ``{"label": ..., "id": ..., "unit": ..., "pattern": ...}``. A pattern
labelled ``NOT_FIGURE`` (URLs, dates, grades, ages, label numbers) blocks any figure it
overlaps. Matches are chosen longest first, so "12 minutes and 44 seconds" wins over
"12" and "November 1% 2023" (a damaged date) wins over "1%".
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..models import Figure
from .regex_gate import gated

PATTERNS = Path(__file__).parent / "patterns" / "figures.jsonl"
BLOCK = "NOT_FIGURE"

WORD_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
}
ORDINALS = {
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
FRACTIONS = {
    "½": 0.5,
    "¼": 0.25,
    "¾": 0.75,
    "half": 0.5,
    "quarter": 0.25,
    "third": 1 / 3,
    "fifth": 0.2,
    "tenth": 0.1,
    "thirds": 2 / 3,
    "quarters": 0.75,
    "fifths": 0.2,
}
SECONDS = {"h": 3600, "m": 60, "s": 1}
MULTIPLIERS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}

_NUM = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_SIGN = re.compile(r"^\(?\s*([+\-\u2212\u2013])")
_DUR_PART = re.compile(r"(\d+(?:\.\d+)?|[a-z]+)\s*-?\s*(hours?|hrs?|minutes?|mins?|seconds?|secs?)\b", re.IGNORECASE)


def number(text: str) -> float | None:
    """The first number written in ``text`` ("1,552" -> 1552.0, "six" -> 6.0, "four
    hundred" -> 400.0, "twenty-five" -> 25.0), or None."""
    m = _NUM.search(text)
    if m:
        return float(m.group().replace(",", ""))
    return words_number(text)


def words_number(text: str) -> float | None:
    """The number written in words at the start of ``text`` ("two thousand four hundred"), or None."""
    total, current, found = 0.0, 0.0, False
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in ("hundred", "thousand") and found:
            current *= 100 if word == "hundred" else 1
            if word == "thousand":
                total, current = total + current * 1000, 0.0
        elif word in WORD_NUMBERS and word not in ("a", "an", "hundred"):
            current += WORD_NUMBERS[word]
            found = True
        elif word != "and" or not found:
            if found:
                break
    return total + current if found else None


def _duration_seconds(text: str) -> float | None:
    total = 0.0
    found = False
    for m in _DUR_PART.finditer(text):
        raw, unit = m.group(1).lower(), m.group(2).lower()
        amount = float(raw) if raw[0].isdigit() else WORD_NUMBERS.get(raw)
        if amount is None:
            continue
        total += amount * SECONDS[unit[0]]
        found = True
    return total if found else None


def parse_figure(text: str, label: str, unit: str) -> tuple[float, str] | None:
    """Normalise a matched figure as the README's "The data model" says: (value, unit), or None."""
    low = text.lower().strip()
    sign = -1.0 if _SIGN.match(low) and _SIGN.match(low).group(1) != "+" else 1.0  # type: ignore[union-attr]
    value: float | None
    if label == "days" and not low[:1].isdigit() and not low.startswith(("-", "+")):
        value = number(low)  # "working days 97"
    elif label == "duration":
        value = _duration_seconds(low)
    elif label == "money":
        value = number(low)
        mult = re.search(r"\d\s?(bn|billion|mn|million|m|k|thousand)\b", low)
        if value is not None and mult:
            value *= MULTIPLIERS[mult.group(1)]
    elif label == "ratio":
        value = _ratio(low)
    elif label == "rank":
        word = low.split()[0]
        word = re.sub(r"(?<=\d)(?:st|nd|rd|th)$", "", word)
        value = float(ORDINALS.get(word, 0) or {"first": 1}.get(word, 0) or (number(word) or 0)) or None
    else:
        value = number(low)
    if value is not None and label == "days" and not low[:1].isdigit() and low[:1] not in "+-":
        sign = 1.0
    if value is None or not math.isfinite(value):
        return None
    return sign * value, unit


def _ratio(low: str) -> float | None:
    if low.endswith("times"):
        return number(low)
    if "fold" in low or low in ("twice", "double", "treble", "triple", "doubled", "trebled", "tripled"):
        named = {
            "twice": 2.0,
            "double": 2.0,
            "treble": 3.0,
            "triple": 3.0,
            "doubled": 2.0,
            "trebled": 3.0,
            "tripled": 3.0,
        }
        return named.get(low) or number(low)
    m = re.match(r"(\w+)\s+in\s+(\w+)", low)
    if m:  # "one in four", "nine in ten"
        k, n = number(m.group(1)), number(m.group(2))
        return k / n if k and n else None
    words = re.split(r"[\s-]+", low)
    frac = FRACTIONS.get(words[-1])
    if frac is None:
        return None
    if words[-1] in ("thirds", "quarters", "fifths"):
        k = WORD_NUMBERS.get(words[0], 1)
        return k * {"thirds": 1 / 3, "quarters": 0.25, "fifths": 0.2}[words[-1]]
    return frac


@dataclass(frozen=True)
class FigurePattern:
    label: str
    id: str
    unit: str
    regex: re.Pattern[str]


def load_patterns(path: Path = PATTERNS) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _select(candidates: list[tuple[int, int, int, FigurePattern]]) -> list[tuple[int, int, FigurePattern]]:
    """Longest first, then the pattern listed first; overlapping matches are dropped."""
    chosen: list[tuple[int, int, FigurePattern]] = []
    taken: list[tuple[int, int]] = []
    for start, end, _rank, pat in sorted(candidates, key=lambda c: (c[0] - c[1], c[2], c[0])):
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        chosen.append((start, end, pat))
    return sorted(chosen, key=lambda c: c[0])


class FigureFinder:
    """Finds figures with the patterns of ``patterns/figures.jsonl``.

    Sets ``doc.spans["figures"]``; each span's ``._.figure`` holds the ``Figure`` (exact
    character offsets, value, unit), and ``._.value`` / ``._.unit`` read from it.
    """

    def __init__(
        self, nlp: Language | None = None, name: str = "figure_finder", *, patterns_path: str | None = None
    ) -> None:
        self.name = name
        self.patterns: list[FigurePattern] = []
        self._raw: list[dict[str, Any]] = []
        self.add_patterns(load_patterns(Path(patterns_path) if patterns_path else PATTERNS))

    def add_patterns(self, patterns: list[dict[str, Any]]) -> None:
        for p in patterns:
            regex = gated(p["pattern"])
            self.patterns.append(FigurePattern(p["label"], p.get("id", p["label"]), p.get("unit", "count"), regex))
            self._raw.append(dict(p))

    def find(self, text: str) -> list[Figure]:
        """The figures of ``text``, in order (no spaCy needed)."""
        candidates = []
        inner: dict[tuple[int, int, int], tuple[int, int]] = {}
        for rank, pat in enumerate(self.patterns):
            for m in pat.regex.finditer(text):
                if m.end() > m.start():
                    candidates.append((m.start(), m.end(), rank, pat))
                    if "fig" in pat.regex.groupindex and m.group("fig"):
                        inner[(m.start(), m.end(), rank)] = m.span("fig")  # the figure inside its cue words
        out: list[Figure] = []
        ranks = {id(p): r for r, p in enumerate(self.patterns)}
        for start, end, pat in _select(candidates):
            if pat.label == BLOCK:
                continue
            start, end = inner.get((start, end, ranks[id(pat)]), (start, end))
            raw = text[start:end]
            # a percent written in brackets, "(+0.8%)": the figure is inside them
            lead = len(raw) - len(raw.lstrip("( "))
            trail = len(raw) - len(raw.rstrip(") ")) if raw.startswith("(") else 0
            start, end = start + lead, end - trail
            raw = text[start:end]
            parsed = parse_figure(raw, pat.label, pat.unit)
            if parsed is None:
                continue
            value, unit = parsed
            out.append(
                Figure(
                    start,
                    end,
                    raw,
                    value,
                    unit,
                    pat.label,
                    pat.id,
                    signed=bool(_SIGN.match(raw)),
                    spelled=not any(ch.isdigit() for ch in raw),
                )
            )
        return out

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for fig in self.find(doc.text):
            span = doc.char_span(fig.start, fig.end, label=fig.label, alignment_mode="expand")
            if span is None:
                continue
            span._.figure = fig
            spans.append(span)
        doc.spans["figures"] = spans
        return doc

    # -- serialisation, the spaCy way ------------------------------------------------
    def to_disk(self, path: str | Path, exclude: tuple[str, ...] = ()) -> None:
        p = Path(path)
        p.mkdir(parents=True, exist_ok=True)
        with open(p / "figures.jsonl", "w", encoding="utf-8") as f:
            for raw in self._raw:
                f.write(json.dumps(raw, ensure_ascii=False) + "\n")

    def from_disk(self, path: str | Path, exclude: tuple[str, ...] = ()) -> FigureFinder:
        self.patterns, self._raw = [], []
        self.add_patterns(load_patterns(Path(path) / "figures.jsonl"))
        return self


if not Span.has_extension("figure"):
    Span.set_extension("figure", default=None)
if not Span.has_extension("value"):
    Span.set_extension("value", getter=lambda s: s._.figure.value if s._.figure else None)
if not Span.has_extension("unit"):
    Span.set_extension("unit", getter=lambda s: s._.figure.unit if s._.figure else None)


@Language.factory("figure_finder", default_config={"patterns_path": None})
def make_figure_finder(nlp: Language, name: str, *, patterns_path: str | None) -> FigureFinder:
    return FigureFinder(nlp, name, patterns_path=patterns_path)
