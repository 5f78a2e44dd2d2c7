"""Find the period expressions of UK police board papers and resolve them to ISO dates.

UK dates are day-first and financial years run from 1 April to 31 March, so
"2013/14", "FY 21/22" and "Q3 23/24" are financial years and quarters of them.

``find_periods`` scans a text with the compiled rules of ``RULES`` (one table, in
``period_rules``), keeps the longest non-overlapping matches, and resolves each one. Relative
forms ("the last 12 months", "same period last year", "YTD") are resolved from the
paper's ``reference`` date or from the ``current`` reporting period stated nearby.
Nothing here raises on odd input: a match that does not make a valid period is
dropped, and a relative form without the context to resolve it keeps ``None`` dates.
"""

from __future__ import annotations

import bisect
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from dateutil import parser as date_parser

from .period_dates import PeriodContext, month_span
from .period_dates import financial_year as financial_year
from .period_rules import COMPILED_RULES, HANDLERS, MONTH, RULE_FLAGS, RULE_PRIORITY, Resolution
from .vocabulary import Cues, vocabulary

# --- the words around a mention that tell its role ------------------------------------

# Where the word lists of periods.yml sit around a mention (read as words.around(list, TEMPLATE)):
_COMPARISON_CUE = r"\b(?:{words})"  # "compared to 2022" (comparison_words)
_BASELINE_CUE = re.compile(r"\bbaseline", RULE_FLAGS)
_BASELINE_AFTER = r"\W*(?:(?!(?:{words})\b)[\w'-]+\s+){{0,2}}baseline"  # not "below the baseline" (not_baseline_words)
# "has reduced from 92% in 2018": the period a change starts from
_FROM_CUE = (  # (from_change_stems)
    r"\b(?:{words})\w*"
    r"\s+from\s+[^\s,;]+\s+(?:in\s+|during\s+)?$"
    # "fell to 58 in ..., from 71 in the year ending Dec 2019": the level it fell from
    r"|(?:^|[,(]\s*|\s[-\u2013]\s+|\b(?:up|down)\s+)from\s+[£$]?\d[\d,.]*%?\s+(?:in\s+|during\s+)$"
)
_CLAUSE_BREAK = re.compile(r"[.;:!?]\s|\n")
# "since the start of the project last year", "since 2010": an aside on how long something
# has run, not the period the figures report (a "since April" of the current year is one)
_SINCE_BEFORE = re.compile(r"\bsince\b(?!\s*$)", RULE_FLAGS)
# "the highest number since 2015": a record's comparison, not the figure's period
_RECORD_SINCE = r"\b(?:{words})\b[^,;.]{{0,40}}$"  # (superlatives)
_SINCE = re.compile(r"^\s*since\b", RULE_FLAGS)
ASIDE_DAYS = 400  # a "since ..." span longer than this is an aside
# "compared to the baseline, however since April ...": a contrast opens a new clause
_CONTRAST_BREAK = r",\s*(?:{words})\b"  # (contrast_words)
# Same-length stand-ins, so that offsets into the normalised text fit the original.
_NORMALISE = str.maketrans({"\xa0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ", "\u2018": "'", "\u2019": "'"})


@dataclass(frozen=True)
class PeriodMention:
    """A period expression found in a text, with the dates it stands for."""

    start: int
    end: int
    text: str
    period_start: str | None
    period_end: str | None
    relative: bool
    role: str  # current | comparison | baseline | point | aside (a "since ..." span, never carried)


# --- scanning -------------------------------------------------------------------------


def _context(reference: date | str | None, current: tuple[str, str] | None) -> PeriodContext:
    """The resolution context; a malformed reference or current period is ignored."""
    ref: date | None = None
    if isinstance(reference, datetime):
        ref = reference.date()
    elif isinstance(reference, date):
        ref = reference
    elif isinstance(reference, str):
        ref = _iso(reference)
    cur: tuple[date, date] | None = None
    if current and len(current) == 2:
        a, b = _iso(current[0]), _iso(current[1])
        cur = (a, b) if a and b and a <= b else None
    return PeriodContext(ref, cur)


def is_recent(period: tuple[str, str] | None, reference: date | None) -> bool:
    """Whether a stated period can be the paper's reporting period: it ends no more than six
    months before the paper's date (any period does when the date is unknown)."""
    ctx = _context(reference, period)
    return ctx.current is not None and ctx._recent(ctx.current)


def _iso(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _resolve(name: str, m: re.Match[str], ctx: PeriodContext) -> Resolution | None:
    try:
        return HANDLERS[name](m, ctx)
    except (ValueError, OverflowError, KeyError):
        return None  # an impossible date ("31/02/2023"), a year out of range


def _candidates(
    text: str, ctx: PeriodContext, rules: Sequence[tuple[str, re.Pattern[str]]] = ()
) -> list[tuple[int, int, str, Resolution, re.Match[str]]]:
    found = []
    for name, rx in (*COMPILED_RULES, *rules):
        for m in rx.finditer(text):
            res = _resolve(name, m, ctx)
            if res is None:
                continue
            start, end = res.span or m.span()
            if start < end:
                found.append((start, end, name, res, m))
    return found


# Relative forms that count from a period stated just before them in the same text:
# "between 01.01.2023 and 31.12.2023 ... compared to the 12 months previous",
# "As of September 2023, in the last twelve months".
_LOCAL_RELATIVE = ("last_n", "n_prior", "same_period", "ytd", "first_n", "this_last")
_COMPARING = ("same_period", "n_prior")


def _local_anchors(
    text: str, chosen: list[tuple[int, int, str, Resolution, re.Match[str]]], ctx: PeriodContext, words: Cues
) -> list[tuple[int, int, str, Resolution, re.Match[str]]]:
    """Re-resolve each relative form from the absolute period the same text states before it."""
    out = []
    local: tuple[date, date] | None = None
    # "YTD stand at 2,315, compared with 2,602 in the same period last year": a comparison
    # counts from the relative period the same text states as current before it
    stated: tuple[date, date] | None = None
    for c in chosen:
        start, end, name, res, m = c
        if local and name in _LOCAL_RELATIVE and res.relative:
            again = _resolve(name, m, PeriodContext(ctx.reference, local, None))
            if again is not None:
                c = (start, end, name, again, m)
        elif stated and name in _COMPARING and res.relative:
            again = _resolve(name, m, PeriodContext(ctx.reference, stated, ctx.latest, ctx.furthest))
            if again is not None:
                c = (start, end, name, again, m)
        elif res.relative and res.start and res.end and res.start <= res.end and res.role != "point":
            if _role(text, start, end, 0, res, words) == "current":
                stated = (res.start, res.end)
        elif not res.relative and res.start and res.end and res.start <= res.end:
            point = res.role == "point"
            if not point or m.group(0).lower().startswith("as"):  # "as of September 2023": data to then
                if _role(text, start, end, 0, res, words) in ("current", "point"):
                    local = (res.start, res.end)
        out.append(c)
    return out


def _select(
    found: list[tuple[int, int, str, Resolution, re.Match[str]]],
) -> list[tuple[int, int, str, Resolution, re.Match[str]]]:
    """The longest matches first, then earlier rules; none overlapping."""
    found.sort(key=lambda c: (-(c[1] - c[0]), RULE_PRIORITY[c[2]], c[0]))
    starts: list[int] = []  # of the matches taken, kept sorted; they never overlap
    taken: dict[int, tuple[int, int, str, Resolution, re.Match[str]]] = {}
    for c in found:
        i = bisect.bisect_right(starts, c[0])
        if (i and taken[starts[i - 1]][1] > c[0]) or (i < len(starts) and starts[i] < c[1]):
            continue
        starts.insert(i, c[0])
        taken[c[0]] = c
    return [taken[s] for s in starts]


def _role(text: str, start: int, end: int, floor: int, res: Resolution, words: Cues) -> str:
    """Guess the role from the words around the mention: baseline, comparison or current."""
    if res.role == "point":
        return "point"

    def cue(name: str, template: str) -> re.Pattern[str]:
        return words.around(name, template, flags=RULE_FLAGS)

    before = text[max(floor, start - 50) : start]
    breaks = list(_CLAUSE_BREAK.finditer(before)) + list(cue("contrast_words", _CONTRAST_BREAK).finditer(before))
    if breaks:
        before = before[max(b.end() for b in breaks) :]
    after = text[end : end + 25]
    cut = _CLAUSE_BREAK.search(after)
    after = after[: cut.start()] if cut else after
    # "in the year ending June 19 baseline", "the baseline year 2019"; not "... was below our baseline"
    if res.role == "current":
        return "current"
    if (
        _BASELINE_CUE.search(text[start:end])
        or _BASELINE_CUE.search(before)
        or cue("not_baseline_words", _BASELINE_AFTER).match(after)
    ):
        return "baseline"
    if _SINCE.match(text[start:end]) and cue("superlatives", _RECORD_SINCE).search(before):
        return "comparison"
    if _is_aside(text[start:end], before, res):
        return "aside"
    if (
        res.role == "comparison"
        or cue("comparison_words", _COMPARISON_CUE).search(before + " " + text[start:end])
        or cue("from_change_stems", _FROM_CUE).search(before)
    ):
        return "comparison"
    return "current"


def _is_aside(mention: str, before: str, res: Resolution) -> bool:
    """ "Since the start of the project last year ...", "Since 2010 ...": a span the figure
    has run over, not a reporting period."""
    if _SINCE.match(mention):
        return bool(res.start and res.end and (res.end - res.start).days > ASIDE_DAYS)
    return bool(_SINCE_BEFORE.search(before))


def _iso_or_none(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _merge_parenthetical(text: str, mentions: list[PeriodMention]) -> list[PeriodMention]:
    """Read "the last 12 months (Sep 2022 to Aug 2023)" as one mention with the inner dates."""
    out: list[PeriodMention] = []
    i = 0
    while i < len(mentions):
        a = mentions[i]
        b = mentions[i + 1] if i + 1 < len(mentions) else None
        if b and (a.relative or a.period_start is None) and not b.relative and b.period_start:
            opening = re.fullmatch(r"\s*\(\s*", text[a.end : b.start])
            closing = re.match(r"\s*\)", text[b.end :])
            if opening and closing:
                end = b.end + closing.end()
                role = a.role if a.role != "current" else b.role
                out.append(PeriodMention(a.start, end, text[a.start : end], b.period_start, b.period_end, False, role))
                i += 2
                continue
        out.append(a)
        i += 1
    return out


def find_periods(
    text: str,
    *,
    reference: date | None = None,
    current: tuple[str, str] | None = None,
    latest: tuple[str, str] | None = None,
    furthest: tuple[str, str] | None = None,
    rules: Sequence[tuple[str, re.Pattern[str]]] = (),
    words: Cues | None = None,
) -> list[PeriodMention]:
    """Every period expression of ``text``, in order, resolved where it can be.

    ``reference`` is the paper's date; ``current`` the reporting period stated nearby,
    as ISO dates, which relative forms ("same period last year") are resolved from;
    ``latest`` the paper's latest recent reporting period, which forms of the latest data
    ("the last 12 months", "Q2", "this FY") count from when ``current`` is long past;
    ``furthest`` the recent period stated so far that ends latest, which "since April" runs to.
    A period stated earlier in ``text`` itself overrides both for the forms after it.
    ``rules`` are a board's own period phrases, each keyed to the handler that resolves it
    (``vocabulary.Vocabulary.period_rules``), read beside the general rules; ``words``
    the lists of ``periods.yml`` a mention's role is read with (``Vocabulary.period_words``,
    by default the base words).
    """
    if not isinstance(text, str) or not text:
        return []
    ctx = _context(reference, current)
    lat = _context(None, latest).current
    ctx = PeriodContext(ctx.reference, ctx.current, lat, _context(None, furthest).current)
    words = words or vocabulary().period_words
    scan = text.translate(_NORMALISE)
    mentions: list[PeriodMention] = []
    floor = 0
    for start, end, _name, res, _m in _local_anchors(scan, _select(_candidates(scan, ctx, rules)), ctx, words):
        role = _role(scan, start, end, floor, res, words)
        ps, pe = res.start, res.end
        if ps and pe and ps > pe:
            ps = pe = None
        mentions.append(
            PeriodMention(start, end, text[start:end], _iso_or_none(ps), _iso_or_none(pe), res.relative, role)
        )
        floor = end
    return _merge_parenthetical(text, mentions)


def resolve_period(
    expression: str, *, reference: date | None = None, current: tuple[str, str] | None = None
) -> tuple[str, str] | None:
    """The ISO start and end of the period ``expression`` names, or None.

    The longest period found in the expression wins ("2013/14 vs 2012/13" is 2013/14);
    a lone date that the rules do not know is left to dateutil (day-first).
    """
    found = find_periods(expression, reference=reference, current=current)
    if not found:
        return _dateutil_period(expression)
    resolved = [p for p in found if p.period_start and p.period_end]
    if not resolved:
        return None
    best = max(resolved, key=lambda p: (p.end - p.start, -p.start))
    return (best.period_start or "", best.period_end or "")


_PLAIN = re.compile(r"[A-Za-z0-9 ,./-]{4,40}")
_DATELIKE = re.compile(rf"\b(?:{MONTH})\b|\d[/.-]\d", RULE_FLAGS)


def _dateutil_period(expression: str) -> tuple[str, str] | None:
    """A date or month dateutil can read, when no rule did: "2023 Oct 1", "Oct 1, 2023"."""
    if not isinstance(expression, str):
        return None
    s = expression.strip()
    if not _PLAIN.fullmatch(s) or not re.search(r"\d", s) or not _DATELIKE.search(s):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            a = date_parser.parse(s, dayfirst=True, ignoretz=True, default=datetime(1904, 1, 1))
            b = date_parser.parse(s, dayfirst=True, ignoretz=True, default=datetime(1908, 2, 2))
    except (ValueError, OverflowError, TypeError):
        return None
    if a.year != b.year or not 1950 <= a.year <= 2099:
        return None
    if a.month != b.month:
        return (date(a.year, 1, 1).isoformat(), date(a.year, 12, 31).isoformat())
    if a.day != b.day:
        first, last = month_span(a.year, a.month)
        return (first.isoformat(), last.isoformat())
    return (a.date().isoformat(), a.date().isoformat())
