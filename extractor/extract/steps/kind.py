"""Step 3, kind and sign: value, change or target, the sign of a change, and the unit the
words around a bare number give it."""

from __future__ import annotations

import re

from ...models import Figure, FigureDraft, evolve
from ..classify import read_figure
from ..vocabulary import Cues, Vocabulary
from .find import Sentence

SHARED_UNITS = ("percent", "per_million", "per_1000", "days", "other")
RANGE_JOIN = re.compile(r"\s*(?:to|-|–|and)\s*")
RANGE_OPEN = re.compile(r"\b(?:from|between)\s*$")
# "3.5 crimes per incident": a count of one thing per another is a ratio of them
# (not "per cent" nor "per <time unit>" of cues.yml's time_units; read as cues.around)
PER_THING = r"^\s+(?:[\w'’-]+\s+){{0,3}}per\s+(?!cent\b|(?:{words})\b)[a-z]"
RATE_BEFORE = re.compile(r"\bper\s+[a-z]+", re.IGNORECASE)
# "fell by 11% (2,315 incidents)": a figure in brackets right after a change restates it
RESTATED = re.compile(r"\s*\(\s*")
# "fell by 7% and 5% respectively", "rose by 3%, 4% and 9%": figures listed after one change
LISTED = re.compile(r"\s*(?:,|and|,\s*and|&)\s*")
# "£18.9m is planned in 2024/25, including £4.2m on vehicles": a part of a planned figure is planned
PART_OF = re.compile(r"[^.;]*,\s*including\s+")


def share_units(figures: list[Figure], sentence: str) -> list[Figure]:
    """ "from 12.3 to 10.1 per 1,000": a bare number takes the unit of the figure it runs to."""
    out = list(figures)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if (
            a.unit == "count"
            and b.unit in SHARED_UNITS
            and RANGE_JOIN.fullmatch(sentence[a.end : b.start])
            and RANGE_OPEN.search(sentence[: a.start])
        ):
            out[i] = evolve(a, unit=b.unit)
    return out


def refine_unit(fig: Figure, sentence: str, cues: Cues) -> str:
    """A count followed by "per <thing>" is some other unit; a fraction after "per <thing>"
    ("crimes recorded per incident increase from 0.5 to 0.9") is a ratio."""
    if fig.unit != "count":
        return fig.unit
    if cues.around("time_units", PER_THING).match(sentence[fig.end :]):
        return "other"
    if not float(fig.value).is_integer() and RATE_BEFORE.search(sentence[max(0, fig.start - 60) : fig.start]):
        return "ratio"
    return fig.unit


def read_kinds(drafts: list[FigureDraft], sentence: Sentence, vocab: Vocabulary) -> list[FigureDraft]:
    text = sentence.text
    figures = share_units([d.local for d in drafts], text)
    out = []
    for i, (d, rel) in enumerate(zip(drafts, figures, strict=True)):
        prev_end = figures[i - 1].end if i else 0
        next_start = figures[i + 1].start if i + 1 < len(figures) else len(text)
        reading = read_figure(rel, text, prev_end, next_start, vocab.cues)
        value = abs(rel.value) * (reading.sign or 1) if reading.kind != "value" else rel.value
        fig = evolve(rel, start=d.figure.start, end=d.figure.end, value=value, unit=refine_unit(rel, text, vocab.cues))
        out.append(
            evolve(
                d,
                figure=fig,
                kind=reading.kind,
                sign=reading.sign,
                change_type=reading.change_type if reading.kind != "value" else None,
                baseline=reading.baseline,
            )
        )
    return share_changes(out, text)


def share_changes(drafts: list[FigureDraft], text: str) -> list[FigureDraft]:
    """A value that restates the change before it in brackets ("by 3% (1,234 offences)") or
    is listed after it in the same unit ("by 7% and 5% respectively") is a change too, with
    the same direction; a part of a planned figure ("..., including £4.2m") is planned too."""
    out = list(drafts)
    for i in range(1, len(out)):
        prev, d = out[i - 1], out[i]
        if prev.kind == "target" and d.kind == "value" and PART_OF.fullmatch(text[prev.local.end : d.local.start]):
            out[i] = evolve(d, kind="target", baseline=False)
            continue
        if prev.kind != "change" or d.kind != "value" or d.figure.signed or not prev.sign:
            continue
        between = text[prev.local.end : d.local.start]
        restated = RESTATED.fullmatch(between)
        listed = LISTED.fullmatch(between) and d.local.unit == prev.local.unit
        if not (restated or listed):
            continue
        sign = prev.sign
        fig = evolve(d.figure, value=abs(d.figure.value) * sign)
        change_type = "percent" if d.local.unit == "percent" else "absolute"
        out[i] = evolve(d, figure=fig, kind="change", sign=sign, change_type=change_type, baseline=False)
    return out
