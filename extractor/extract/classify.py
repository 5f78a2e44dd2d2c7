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

# Where the word lists of cues.yml sit around a figure ("{words}" is the list; each template
# is read as cues.around(list, TEMPLATE)):
# "of about 12", "by a further 5": the figure is tied to the words before it (figure_hedges)
CONNECTIVE_END = r"\b(?:of|by|been|is|was|were|are|at)\s+(?:(?:{words})\s+)?$"
# "at least 90%", "> 5": a threshold (threshold_words)
THRESHOLD_BEFORE = r"(?:[<>≤≥]=?|\b(?:{words}))\s*$"
# "a target of 90%": a requirement (required_words)
REQUIRED = r"\b(?:{words})\s+(?:\w+\s+)?$"
# where a clause ends before a figure: a target cue before it is another clause's (clause_breaks)
CLAUSE_BREAK = r",\s+(?:{words})\b|;\s"
# "will reduce ... by 5%": a plan is a target
FUTURE_GOAL = r"\bwill\s+(?:\w+\s+){{0,3}}(?:{words})\b"
# "rose by 12": a change verb right before the figure
CHANGE_VERB_END = r"\b(?:{words})\s+(?:(?:by|of|some|about|around|almost|nearly|approximately|circa|over|just)\s+)*$"
# "Reduce burglary by 5%", "2014/15 Milestone to increase ...": a sentence that is an instruction is a goal
IMPERATIVE = r"^\W*(?:\d{{4}}\s*[-/]\s*\d{{2,4}}\s+)?(?:milestone\s+to\s+)?(?:{words})\b"
# "15 minutes SLA": a time named as a target by the word after it (target_nouns_after)
TARGET_AFTER = r"^\s*(?:\w+\s+)?(?:{words})\b"
# "90% of the response target": a share of a target, not a target (of_target_nouns)
OF_TARGET = r"^\s*of\s+(?:the\s+)?(?:[\w-]+\s+){{0,4}}(?:{words})\b"
# "3.2pp": a change of a percentage in points (point_units)
POINTS = r"\b(?:{words})\b"
WITHIN_END = re.compile(r"\bwithin\s*$", re.IGNORECASE)
REQUIRED_AFTER = re.compile(r"^\s+required\b")
# "95% target": a goal named by the word right after the figure (goal_nouns_after)
GOAL_AFTER = r"^\s+(?:{words})\b"
TO_END = re.compile(r"\bto\s*$")
# "will rise to £284.04, an increase of £13": a change restated beside the plan is a change
APPOSITE_CHANGE = r",\s*(?:an?\s+)?(?:{words})\s+(?:of\s+)?$"  # (apposite_change_nouns)
BY_END = re.compile(r"\bby\s*$")
UP_DOWN_END = re.compile(r"\b(?:up|down)\s*$", re.IGNORECASE)
MADE_UP_END = re.compile(r"\b(?:mak\w*|made)\s+up\s*$", re.IGNORECASE)  # "made up 12%": a share
MULTIPLE = r"(?:{words})"  # "a three-fold rise", "doubled": a ratio that is a change (multiples)
# "compared to 43": a baseline (compared_words)
COMPARED_BEFORE = r"\b(?:{words})\b"
# "12 last year": a baseline (earlier_after)
EARLIER_AFTER = r"^\s*(?:\w+\s+){{0,2}}(?:{words})\b"
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


@dataclass(frozen=True)
class _Around:
    """The words around a figure that say how it reads."""

    sentence: str
    before_all: str  # the sentence up to the figure
    before: str  # the words since the previous figure
    near_before: str  # the last eight of them
    after: str  # the words up to the next figure
    near_after: str  # the first three words after, up to a comma

    @classmethod
    def of(cls, fig: Figure, sentence: str, prev_end: int, next_start: int) -> _Around:
        before = sentence[prev_end : fig.start]
        return cls(
            sentence=sentence,
            before_all=sentence[: fig.start],
            before=before,
            near_before=_last_words(before, 8),
            after=sentence[fig.end : next_start if next_start > fig.end else len(sentence)],
            near_after=_after_words(sentence[fig.end :], 3),
        )


def _change_type(fig: Figure, cues: Cues) -> str | None:
    if fig.unit == "percent":
        return "points" if cues.around("point_units", POINTS).search(fig.text) else "percent"
    return None if fig.unit == "rank" else "absolute"


def _is_target(fig: Figure, w: _Around, cues: Cues) -> bool:
    """A threshold ("within 15 minutes"), a goal or milestone, a requirement, a plan."""
    return bool(
        (fig.unit == "seconds" and WITHIN_END.search(w.before))
        or (cues.around("target_nouns_after", TARGET_AFTER).match(w.after) and fig.unit in ("seconds", "days"))
        or (
            cues.cue("target").search(cues.around("clause_breaks", CLAUSE_BREAK).split(w.before_all)[-1])
            and not cues.around("of_target_nouns", OF_TARGET).match(w.after)
        )
        or cues.around("threshold_words", THRESHOLD_BEFORE).search(w.before)
        or cues.around("required_words", REQUIRED).search(w.before)
        or REQUIRED_AFTER.match(w.after)
        or cues.around("goal_nouns_after", GOAL_AFTER).match(w.after)
        or (
            cues.around("future_verbs", FUTURE_GOAL).search(w.before_all)
            and not cues.around("apposite_change_nouns", APPOSITE_CHANGE).search(w.before)
        )
        or cues.around("goal_verbs", IMPERATIVE).match(w.sentence)
        or cues.cue("target_after", anchored="lead").match(w.after.lstrip())
    )


def _target_sign(fig: Figure, w: _Around, cues: Cues) -> int:
    """The direction of a target: a written sign, else the direction word tied to it."""
    sign = -1 if fig.value < 0 else (1 if fig.signed else 0)
    if sign or TO_END.search(w.before):
        return sign
    tied = cues.around("figure_hedges", CONNECTIVE_END).search(w.near_before) or BY_END.search(w.before)
    sign = _direction(w.near_before, fig.unit, cues) if tied else 0
    if not sign and cues.cue("change").search(w.near_after):
        sign = _direction(w.near_after, fig.unit, cues, first=True)
    if not sign and cues.around("goal_verbs", IMPERATIVE).match(w.sentence):
        sign = _direction(w.sentence[:40], fig.unit, cues)
    return sign


def _change_sign(fig: Figure, w: _Around, cues: Cues) -> int:
    """The sign of a change: a written sign, else the direction word after the figure, else
    the one before it; 0 when no change word is tied to the figure."""
    explicit = -1 if fig.value < 0 else (1 if fig.signed else 0)
    d_before = 0
    if cues.around("change_verbs", CHANGE_VERB_END).search(w.before):
        d_before = _direction(_last_words(w.before, 3), fig.unit, cues) or 1
    elif cues.around("figure_hedges", CONNECTIVE_END).search(w.near_before) and cues.cue("change").search(
        w.near_before
    ):
        d_before = _direction(w.near_before, fig.unit, cues) or 1
    d_after = 0
    if cues.cue("change", anchored="start").search(" " + w.near_after) or cues.cue(
        "change_nouns", anchored="lead"
    ).match(w.near_after):
        d_after = _direction(w.near_after, fig.unit, cues, first=True) or 1
    if UP_DOWN_END.search(w.before) and not MADE_UP_END.search(w.before) and fig.unit in ("percent", "count"):
        d_before = -1 if w.before.rstrip().lower().endswith("down") else 1
    return explicit or d_after or d_before


def _is_baseline(w: _Around, cues: Cues) -> bool:
    """A value of the comparison period: "compared to 43", "...which had 12", "12 last year"."""
    return bool(
        cues.cue("baseline", anchored="end").search(_last_words(w.before, 6))
        or cues.around("compared_words", COMPARED_BEFORE).search(_last_words(w.before, 7))
        or cues.around("earlier_after", EARLIER_AFTER).match(w.after)
    )


def read_figure(fig: Figure, sentence: str, prev_end: int, next_start: int, cues: Cues) -> Reading:
    """How ``fig`` (offsets into ``sentence``) reads, given the previous/next figure bounds."""
    w = _Around.of(fig, sentence, prev_end, next_start)
    if _is_target(fig, w, cues):
        return Reading("target", _target_sign(fig, w, cues), _change_type(fig, cues), False)
    if fig.label == "ratio" and cues.around("multiples", MULTIPLE).search(fig.text):
        return Reading("change", 1, "absolute", False)
    sign = _change_sign(fig, w, cues)
    if sign:
        return Reading("change", sign, _change_type(fig, cues), False)
    return Reading("value", 0, None, _is_baseline(w, cues))
