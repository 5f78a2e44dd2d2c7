"""What a figure in a sentence is: a value, a change or a target, and its sign.

Read from the words right around the figure: "a reduction of 34" and "a 31% reduction"
are changes (negative), "compared to 43" is a baseline's value, "Milestone to reduce
crime by 5 per cent" is a target, "within 15 minutes" is a service-level threshold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import Figure
from .vocabulary import Cues

CONNECTIVE_END = re.compile(
    r"\b(?:of|by|been|is|was|were|are|at)\s+(?:(?:a|an|about|around|almost|nearly|approximately|approx\.?|circa|"
    r"some|just|over|more than|a further|another|a total of)\s+)?$",
    re.IGNORECASE,
)
THRESHOLD_BEFORE = re.compile(r"(?:[<>≤≥]=?|\bat least|\bno (?:more|less|fewer) than)\s*$", re.IGNORECASE)
REQUIRED = re.compile(
    r"\b(?:required|requirement of|target of|ambition of|aim of|goal of)\s+(?:\w+\s+)?$", re.IGNORECASE
)
FUTURE_GOAL = re.compile(
    r"\bwill\s+(?:\w+\s+){0,3}(?:increase|reduce|rise|fall|grow|exceed|reach|recruit|deliver|achieve|improve)\b",
    re.IGNORECASE,
)
CLAUSE_BREAK = re.compile(r",\s+(?:but|however|whilst|while|and has|and have|which)\b|;\s", re.IGNORECASE)
CHANGE_VERB_END = re.compile(
    r"\b(?:rose|risen|fell|fallen|increased|decreased|dropped|grew|grown|declined|reduced|climbed|jumped|"
    r"rising|falling|increasing|decreasing|dropping|reducing)\s+(?:(?:by|of|some|about|around|almost|nearly|"
    r"approximately|circa|over|just)\s+)*$",
    re.IGNORECASE,
)
IMPERATIVE = re.compile(
    r"^\W*(?:\d{4}\s*[-/]\s*\d{2,4}\s+)?(?:milestone\s+to\s+)?"
    r"(?:reduce|increase|improve|achieve|maintain|deliver|raise|cut|lower|meet|exceed|recruit|support and maintain)\b",
    re.IGNORECASE,
)
TARGET_AFTER = re.compile(r"^\s*(?:\w+\s+)?(?:sla|target|threshold|standard|milestone)\b", re.IGNORECASE)
OF_TARGET = re.compile(r"^\s*of\s+(?:the\s+)?(?:[\w-]+\s+){0,4}(?:target|milestone|sla|aim)\b", re.IGNORECASE)
POINTS = re.compile(r"\b(?:pp|ppts?|percentage\s+points?)\b", re.IGNORECASE)
WORD = re.compile(r"[\w'’%+£.-]+")


@dataclass(frozen=True)
class Reading:
    kind: str  # value | change | target
    sign: int  # -1, +1 (or 0 when the words give none)
    change_type: str | None
    baseline: bool  # a value of the comparison period ("compared to 43 in ...")


def _last_words(text: str, n: int) -> str:
    words = list(WORD.finditer(text))
    if len(words) <= n:
        return text
    return text[words[-n].start() :]


def _after_words(text: str, n: int) -> str:
    """The first ``n`` words after a figure, skipping a bracket and stopping at a comma."""
    t = re.sub(r"^\s*\([^)]{0,60}\)", " ", text)
    cut = re.search(r"[,;:.(]|\s[–—-]\s", t)
    t = t[: cut.start()] if cut else t
    words = WORD.findall(t)[:n]
    return " ".join(words)


def _direction(words: str, unit: str, cues: Cues, *, first: bool = False) -> int:
    """+1, -1 or 0 from the direction word of ``words`` nearest the figure: the last one
    (words before the figure) or, with ``first``, the first one (words after it)."""
    best: tuple[int, int] | None = None
    for name, sign in (("down", -1), ("up", +1)):
        for m in cues.cue(name).finditer(words):
            w = m.group().lower()
            s = sign
            if w.startswith("improv"):
                s = -1 if unit == "seconds" else +1
            pos = -m.start() if first else m.start()
            if best is None or pos > best[0]:
                best = (pos, s)
    return best[1] if best else 0


def read_figure(fig: Figure, sentence: str, prev_end: int, next_start: int, cues: Cues) -> Reading:
    """How ``fig`` (offsets into ``sentence``) reads, given the previous/next figure bounds."""
    before_all = sentence[: fig.start]
    before = sentence[prev_end : fig.start]
    near_before = _last_words(before, 8)
    after = sentence[fig.end : next_start if next_start > fig.end else len(sentence)]
    near_after = _after_words(sentence[fig.end :], 3)
    change_type = None
    if fig.unit == "percent":
        change_type = "points" if POINTS.search(fig.text) else "percent"
    elif fig.unit not in ("rank",):
        change_type = "absolute"

    explicit = -1 if fig.value < 0 else (1 if fig.signed else 0)

    # targets: thresholds, goals and milestones
    is_target = False
    if fig.unit == "seconds" and re.search(r"\bwithin\s*$", before, re.IGNORECASE):
        is_target = True
    elif TARGET_AFTER.match(after) and fig.unit in ("seconds", "days"):
        is_target = True
    elif cues.cue("target").search(CLAUSE_BREAK.split(before_all)[-1]) and not OF_TARGET.match(after):
        is_target = True
    elif THRESHOLD_BEFORE.search(before) or REQUIRED.search(before) or re.match(r"^\s+required\b", after):
        is_target = True
    elif re.match(r"^\s+(?:target|milestone|threshold|ambition)\b", after, re.IGNORECASE):
        is_target = True
    elif FUTURE_GOAL.search(before_all):
        is_target = True
    elif IMPERATIVE.match(sentence):
        is_target = True
    if is_target:
        sign = explicit
        if not sign and not re.search(r"\bto\s*$", before):
            d_before = (
                _direction(near_before, fig.unit, cues)
                if CONNECTIVE_END.search(near_before) or re.search(r"\bby\s*$", before)
                else 0
            )
            sign = d_before or _direction(near_after, fig.unit, cues, first=True) * bool(
                cues.cue("change").search(near_after)
            )
            if not sign and IMPERATIVE.match(sentence):
                sign = _direction(sentence[:40], fig.unit, cues)
        return Reading("target", sign, change_type, False)

    # changes: a direction word tied to the figure, or a written sign
    d_before = 0
    if CHANGE_VERB_END.search(before):
        d_before = _direction(_last_words(before, 3), fig.unit, cues) or 1
    elif CONNECTIVE_END.search(near_before) and cues.cue("change").search(near_before):
        d_before = _direction(near_before, fig.unit, cues) or 1
    d_after = 0
    if cues.cue("change", anchored="start").search(" " + near_after) or re.match(
        r"^(?:\w+\s+)?(?:"
        + "|".join(
            (
                "reduction",
                "increase",
                "more",
                "less",
                "fewer",
                "lower",
                "higher",
                "quicker",
                "faster",
                "slower",
                "saving",
                "rise",
                "fall",
                "drop",
                "decrease",
                "extra",
                "additional",
            )
        )
        + r")\b",
        near_after,
        re.IGNORECASE,
    ):
        d_after = _direction(near_after, fig.unit, cues, first=True) or 1
    if (
        re.search(r"\b(?:up|down)\s*$", before, re.IGNORECASE)
        and not re.search(r"\b(?:mak\w*|made)\s+up\s*$", before, re.IGNORECASE)
        and fig.unit in ("percent", "count")
    ):
        d_before = -1 if before.rstrip().lower().endswith("down") else 1
    if fig.label == "ratio" and re.search(r"fold|doubled|trebled|tripled", fig.text, re.IGNORECASE):
        return Reading("change", 1, "absolute", False)
    if d_before or d_after or explicit:
        sign = explicit or d_after or d_before
        return Reading("change", sign, change_type, False)

    baseline = (
        bool(cues.cue("baseline", anchored="end").search(_last_words(before, 6)))
        or bool(
            re.search(
                r"\b(?:compared (?:to|with)|in comparison (?:to|with)|when it was|which had|prior to)\b",
                _last_words(before, 7),
                re.IGNORECASE,
            )
        )
        or bool(re.match(r"^\s*(?:\w+\s+){0,2}(?:last year|previous year|the previous)\b", after, re.IGNORECASE))
    )
    return Reading("value", 0, None, baseline)
