"""Step 4, period: the period a figure is of (the nearest suitable period phrase of its
sentence, else the reporting period carried from before) and, for a change, the period
it is compared with."""

from __future__ import annotations

import re

from ...models import Comparison, Figure, FigureDraft, evolve
from ..context import PaperContext, Period
from ..periods import PeriodMention, find_periods
from ..vocabulary import Vocabulary
from .find import Sentence

# "reach 450 officers by March 2025": a target's deadline, not the period it measures
# (deadline_words of periods.yml, read as vocab.period_words.around)
DEADLINE = (
    r"\b(?:{words})\s+(?:the\s+end\s+of\s+)?"
    r"(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\s+)?(?:19|20)\d\d\b"
)
OWN_PERIOD = re.compile(r"\s*\(?\s*(?:in|during|for)\s+", re.IGNORECASE)
FROM_FIGURE = re.compile(r"\bfrom\s+(?:\S+\s+){0,2}$", re.IGNORECASE)
TO_FIGURE = re.compile(r"\s*to\s+\S*\d", re.IGNORECASE)
RANGE_SPLIT = re.compile(r"\s+(?:and|to|until)\s+|\s*[-\u2013\u2014]\s*", re.IGNORECASE)
RANGE_LEAD = re.compile(r"^\s*(?:between|from)\s+", re.IGNORECASE)
# "the 8,425 recorded in the baseline year": a figure of the baseline period the paper stated
IN_BASELINE = re.compile(
    r"^\s+(?:[a-z]+\s+){0,2}(?:in|for|during)\s+(?P<b>the\s+(?:national\s+)?baseline(?:\s+(?:year|period))?)\b(?!\s+of\b)",
    re.IGNORECASE,
)


def dated(m: PeriodMention) -> bool:
    return bool(m.period_start and m.period_end)


def _span(m: PeriodMention) -> Period:
    return (m.period_start or "", m.period_end or "")


def start_of_range(fig: Figure, m: PeriodMention, sentence: str) -> Period:
    """ "from 10 minutes to 45 seconds between December 2022 and December 2023": the figure
    after "from" is the level at the start of the range, so it takes the range's first period."""
    period = _span(m)
    if not FROM_FIGURE.search(sentence[max(0, fig.start - 30) : fig.start]) or not TO_FIGURE.match(sentence[fig.end :]):
        return period
    parts = RANGE_SPLIT.split(RANGE_LEAD.sub("", m.text), maxsplit=1)
    if len(parts) != 2:
        return period
    first = [p for p in find_periods(parts[0]) if dated(p) and p.role != "point"]
    if len(first) == 1 and first[0].period_start == m.period_start and _span(first[0])[1] < period[1]:
        return _span(first[0])
    return period


def _baseline_period(fig: Figure, found: list[PeriodMention], sentence: str) -> tuple[Period | None, str | None]:
    """A baseline value's period: the baseline or comparison phrase after it, else before it,
    else any dated phrase after it."""
    roles = ("baseline", "comparison")
    later = [m for m in found if m.start >= fig.end and m.role in roles]
    earlier = [m for m in found if m.end <= fig.start and m.role in roles]
    pick = later[0] if later else (earlier[-1] if earlier else None)
    if pick is None:
        later_any = [m for m in found if m.start >= fig.end]
        pick = later_any[0] if later_any else None
    if pick:
        return start_of_range(fig, pick, sentence), pick.text
    return None, None


def period_for(
    fig: Figure, baseline: bool, sentence: Sentence, ctx: PaperContext, kind: str = "value"
) -> tuple[Period | None, str | None]:
    """The nearest suitable period mention of the sentence, else the carried one. A
    "since ..." aside is the period of a level over it ("since October 2010 ... an average
    of 83.1%"), but gives a change none ("since 2010 the force has lost 310 posts")."""
    text = sentence.text
    found = [m for m in sentence.mentions if dated(m) and m.role != "point"]
    if baseline:
        return _baseline_period(fig, found, text)
    current = [m for m in found if m.role == "current"]
    asides = [m for m in found if m.role == "aside"]
    if not current and asides:
        return (None, None) if kind == "change" else (_span(asides[0]), asides[0].text)
    if not current:
        return ctx.current, ctx.current_text
    own = [m for m in current if OWN_PERIOD.fullmatch(text[fig.end : m.start])]
    if own:  # "which reduced to 51% in May 2021": the period right after the figure
        return start_of_range(fig, own[0], text), own[0].text
    before = [m for m in current if m.end <= fig.start]
    pick = before[-1] if before else min(current, key=lambda m: abs(m.start - fig.end))
    return start_of_range(fig, pick, text), pick.text


def comparison_period(fig: Figure, found: tuple[PeriodMention, ...]) -> Comparison | None:
    """The period a change is measured against, when its sentence names one."""
    cands = [m for m in found if m.role in ("comparison", "baseline")]
    if not cands:
        return None
    m = min(cands, key=lambda m: (m.start < fig.end, abs(m.start - fig.end)))
    return Comparison(period_start=m.period_start, period_end=m.period_end, text=m.text)


def date_figures(
    drafts: list[FigureDraft], sentence: Sentence, ctx: PaperContext, vocab: Vocabulary
) -> list[FigureDraft]:
    out = []
    for d in drafts:
        rel = d.local
        period, text = period_for(rel, d.baseline, sentence, ctx, d.kind)
        if d.kind == "target" and vocab.period_words.around("deadline_words", DEADLINE).search(
            sentence.text[: rel.start] + " " + sentence.text[rel.end :]
        ):
            period, text = None, None  # "to recruit 120 officers by March 2025": a deadline, no period covered
        if d.kind == "target" and rel.unit in ("seconds", "days"):
            period, text = None, None  # "answered within 10 seconds": a service threshold holds for no period
        in_baseline = IN_BASELINE.match(sentence.text[rel.end :])
        if in_baseline and ctx.baseline:
            period, text = ctx.baseline, in_baseline.group("b")
        comparison = comparison_period(rel, sentence.mentions) if d.kind == "change" else None
        out.append(evolve(d, period=period, period_text=text, comparison=comparison))
    return out
