"""Find the period expressions of UK police board papers and resolve them to ISO dates.

UK dates are day-first and financial years run from 1 April to 31 March, so
"2013/14", "FY 21/22" and "Q3 23/24" are financial years and quarters of them.

``find_periods`` scans a text with the compiled rules of ``RULES`` (one table,
below), keeps the longest non-overlapping matches, and resolves each one. Relative
forms ("the last 12 months", "same period last year", "YTD") are resolved from the
paper's ``reference`` date or from the ``current`` reporting period stated nearby.
Nothing here raises on odd input: a match that does not make a valid period is
dropped, and a relative form without the context to resolve it keeps ``None`` dates.
"""

from __future__ import annotations

import bisect
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from dateutil import parser as date_parser
from dateutil.relativedelta import relativedelta

# --- building blocks of the rules ------------------------------------------------

_MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
# Bare month names (no year) only when capitalised, and never "May" (the verb).
_CASED_MONTH = (
    r"(?-i:January|February|March|April|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
)
_Y4 = r"(?:19[5-9]\d|20\d\d)(?!\d)"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])"
_ORD = r"(?:st|nd|rd|th)?"
_NUMW = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen"
    r"|twenty[ -]?four|thirty[ -]?six"
)
_N = rf"(?:\d{{1,2}}|{_NUMW})"
_FYL = r"(?:19|20)?\d\d\s*[/-]\s*(?:19|20)?\d\d(?![\d]|[/.]\d)"  # checked in code
_SEP = r"\s*(?P<sep>[-\u2013\u2014&]|\b(?:to|and|until|till|through|up\s+to)\b)\s*"
_AFTER_Y2 = r"(?!\d|(?:st|nd|rd|th)\b)"


def _mon(g: str) -> str:
    return rf"\b(?P<{g}>{_MONTH})\b\.?"


def _my(s: str, short: bool = False) -> str:
    """Month and year: "May 2021", "Apr-21", "Dec '19"; "Dec 23" too when ``short``."""
    y2 = r"(?:\s*'|-|\s+)" if short else r"(?:\s*'|-)"
    return rf"{_mon('m' + s)}(?:[\s,]*(?P<y{s}>{_Y4})|(?P<z{s}>{y2}\d\d){_AFTER_Y2})"


def _tdate(s: str, year: bool = True) -> str:
    """A written date: "1st April 2020", "3 October 2022", "13th of May, 2014"."""
    y = rf"(?:,?\s+(?P<ty{s}>{_Y4}))" + ("" if year else "?")
    return rf"(?<![\d.,/])(?P<td{s}>{_DAY}){_ORD}\s*(?:of\s+)?{_mon('tm' + s)}{y}"


def _ndate(s: str) -> str:
    """A numeric day-first date: "01/04/2021", "1/10/23", "31.12.2023", "1-10-23"."""
    return (
        rf"(?<![\d/.])(?P<nd{s}>{_DAY})(?P<ns{s}>[./-])(?P<nm{s}>1[0-2]|0?[1-9])"
        rf"(?P=ns{s})(?P<ny{s}>(?:19|20)\d\d|\d\d)(?!\d|[/.]\d)"
    )


def _idate(s: str) -> str:
    return rf"(?<![\d/.-])(?P<iy{s}>{_Y4})-(?P<im{s}>1[0-2]|0[1-9])-(?P<id{s}>3[01]|[12]\d|0[1-9])(?!\d)"


def _date(s: str, year: bool = True) -> str:
    return rf"(?:{_tdate(s, year)}|{_ndate(s)}|{_idate(s)})"


def _written_range() -> str:
    """ "from 1st May to 31st July": a range of written dates without a year (the paper's year)."""
    return (
        rf"\b(?P<pre>between|from)\s+(?P<td1>{_DAY}){_ORD}\s*(?:of\s+)?{_mon('tm1')}"
        rf"\s*(?P<sep>-|\u2013|\bto\b|\band\b|\buntil\b)\s*(?P<td2>{_DAY}){_ORD}\s*(?:of\s+)?{_mon('tm2')}"
        rf"(?![\s,]*(?:{_Y4}|'?\d\d\b))"
    )


# --- the rules: (name, pattern); on equal length the earlier rule wins -------------

RULES: tuple[tuple[str, str], ...] = (
    # "between 01.01.2023 and 31.12.2023", "(1/10/23-31/12/23)", "1 April to 30 June 2021"
    ("date_range", rf"(?:\b(?P<pre>between|from)\s+)?{_date('1', year=False)}{_SEP}{_date('2')}"),
    # "from 1st May to 31st July": the year is the paper's
    ("yearless_range", _written_range()),
    # "Nov 2022 to Oct 2023", "April to June 2021", "between Jan and March 2014"
    (
        "month_range",
        rf"(?:\b(?P<pre>between|from)\s+)?{_mon('m1')}(?:[\s,]*(?P<y1>{_Y4})|(?P<z1>(?:\s*'|-|\s+)\d\d){_AFTER_Y2})?"
        rf"{_SEP}{_my('2', short=True)}",
    ),
    # "12 months ending June 2019", "year ending Dec 2019", "month-ending April 2021",
    # "the last rolling 12 months ending Dec 23", "last 12 months (to end of March 2014)"
    (
        "ending",
        rf"(?:\b(?:the\s+)?(?:(?:last|latest|previous|past|rolling|full)\s+){{0,3}})?"
        rf"(?:\b(?P<n>{_N})\s*[-\u2013\u2014]?\s*(?P<u>months?|years?|weeks?|quarters?)"
        rf"|\b(?P<u1>(?:financial\s+|calendar\s+)?year|quarter|month))"
        rf"[\s-]+\(?\s*(?:ending|ended|to|up\s+to)\s+(?:(?:the\s+)?end\s+of\s+)?"
        rf"(?:{_date('e')}|{_my('e', short=True)})\)?",
    ),
    # "as at 1 April 2014", "as of 31st March 2021", "as at end of March 2014"
    (
        "as_at",
        rf"\b(?:as\s+(?:at|of|on)|at)\s+(?:the\s+)?(?:(?P<eo>end|close)\s+of\s+)?(?:{_date('a')}|{_my('a')})",
    ),
    # "since October 2010", "From 23/10/2023 to date", "since April", "since 2010-11"
    (
        "since",
        rf"\b(?P<kw>since|from)\s+(?:the\s+(?:start|beginning)\s+of\s+)?"
        rf"(?:{_date('s')}|{_my('s')}|(?P<fys>{_FYL})|(?P<yrs>{_Y4})(?!\s*[/-]\s*\d)|(?P<bm>{_CASED_MONTH})\b)"
        rf"(?P<todate>\s+(?:to|until|till|up\s+to)\s+(?:date|now|the\s+present|present|today)\b)?",
    ),
    # "Q3 23/24", "Q1 2021/22", "third quarter of 2023/24", "Q2 2023", "during Q3"
    (
        "quarter",
        rf"(?P<qname>\bQ(?P<q>[1-4])|\b(?P<qw>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter"
        rf"|\bquarter\s+(?P<qn>[1-4]))\b"
        rf"(?:\s*(?:of\s+|,\s*)?(?:the\s+)?(?:(?:financial|fiscal)\s+year\s+|fy\s*)?"
        rf"(?<![\d/])(?P<fy>{_FYL})|\s+(?P<cy>{_Y4})(?!\s*[/-]\s*\d))?",
    ),
    # "2013/14", "2013-14", "FY 21/22", "2019/20 financial year", "financial year 2019/20"
    (
        "fy",
        r"(?:\b(?P<pre>(?:financial|fiscal|performance)\s+year\s+|fy\s*))?"
        r"(?<![\d/.])(?P<a>(?:19|20)?\d\d)\s*(?P<sep>[/-])\s*(?P<b>(?:19|20)?\d\d)(?![\d]|[/.]\d)"
        r"(?P<post>\s+(?:financial|fiscal|performance)\s+year\b)?",
    ),
    # "2020-2023", "between 2019 and 2021", "from 2010 to 2013"
    (
        "year_span",
        rf"(?:\b(?P<pre>between|from)\s+)?(?<![\d/])(?P<a>{_Y4})\s*"
        rf"(?P<sep>[-\u2013\u2014]|\bto\b|\band\b)\s*(?P<b>{_Y4})(?![/-]\d)",
    ),
    # "calendar year 2019", "in 2019", "year ending 2019", "compared with 2019"
    (
        "calendar_year",
        rf"\b(?:calendar\s+year|(?:in|during|for|throughout)(?:\s+the(?:\s+calendar)?\s+year)?"
        rf"|(?:the\s+)?year\s+end(?:ing|ed)|cy|(?P<cmp>(?:compared\s+(?:to|with)|than|vs\.?|versus)(?:\s+in)?))"
        rf"\s+(?P<y>{_Y4})(?!\s*[/-]\s*\d)"
        # "the 2019 baseline year", "the 2019 calendar year"
        rf"|\b(?:the\s+)?(?P<y2>{_Y4})\s+(?:baseline\s+|calendar\s+)+year\b",
    ),
    # "1st April 2020", "20/02/2014", "2021-07-01": a point in time
    ("date", _date("")),
    # "May 2021", "Apr-21", "Dec '19"
    ("month_year", rf"(?<![-/_]){_my('')}"),
    # --- relative forms -----------------------------------------------------------
    # "same period last year", "the same period in 2019", "same year to date period for 2013-14"
    (
        "same_period",
        rf"\b(?:the\s+)?(?:same|corresponding|equivalent|comparable)\s+(?:(?:year[\s-]+to[\s-]+date|ytd|reporting|\d+[\s-]*months?)\s+)?"
        rf"(?:period|time|point|months?|quarter)\s+(?:(?P<last>last\s+year|a\s+year\s+(?:ago|earlier|before)"
        rf"|(?:(?:of|in)\s+)?(?:the\s+)?(?:previous|last|prior|preceding)\s+(?:financial\s+)?year"
        rf"|(?:of\s+|in\s+)?the\s+year\s+before)"
        rf"|(?:in|of|for|during)\s+(?:(?P<fy>{_FYL})|(?P<y>{_Y4})(?!\s*[/-]\s*\d)))",
    ),
    # "the first 9 months of the financial year", "first nine months of this year"
    (
        "first_n",
        rf"\b(?:the\s+)?first\s+(?:(?P<n>{_N})\s+months|(?P<half>half)|(?P<qtr>quarter))\s+of\s+"
        rf"(?:(?P<fy>{_FYL})|(?:the\s+|this\s+|the\s+current\s+)?(?:(?P<fin>financial|fiscal|performance|calendar)\s+)?"
        rf"year(?:\s+(?P<fy2>{_FYL}))?)",
    ),
    # "the last 12 months", "the previous 12 months", "rolling 12 months", "last 18 months"
    (
        "last_n",
        rf"\b(?:the\s+)?(?P<dir>last|latest|past|previous|preceding|prior|rolling|recent)\s+"
        rf"(?:(?:rolling|full|complete|calendar)\s+){{0,3}}(?P<n>{_N})\s*[-\u2013\u2014]?\s*"
        rf"(?P<u>months?|weeks?|years?|quarters?)\b",
    ),
    # "the 12 months previous", "12 months prior to this"
    (
        "n_prior",
        rf"\b(?:the\s+)?(?P<n>{_N})\s*[-\u2013\u2014]?\s*(?P<u>months?|quarters?)\s+"
        rf"(?:period\s*,?\s*)?(?:previous|prior|before|earlier|preceding)\b",
    ),
    # "YTD", "year to date", "financial year to date", "2013-14 year to date"
    (
        "ytd",
        rf"(?:(?P<fy>{_FYL})\s+)?\b(?:(?P<fin>financial|fiscal|calendar|performance)\s+)?"
        rf"(?:year[\s-]+to[\s-]+date|f?ytd)\b",
    ),
    # "this quarter", "last year", "the previous financial year", "this reporting period"
    (
        "this_last",
        r"\b(?P<which>this|last|previous|prior|current|the\s+current|the\s+previous|the\s+last|the\s+prior|the)"
        r"\s+(?:(?P<fin>financial|fiscal|performance|calendar)\s+)?(?P<u>year|fy|quarter|month|(?:reporting\s+)?period)\b",
    ),
    # "during December", "by the end of March", "in April" (capitalised, never "May")
    (
        "bare_month",
        rf"\b(?:in|during|for|throughout|until|by\s+(?:the\s+)?end\s+of|end\s+of)\s+"
        rf"(?P<m>{_CASED_MONTH})\b(?!\s*[-'.,]?\s*\d)"
        # a month that is the subject of a figure: "with September recording 2599", "May seeing 615"
        rf"|(?<![\d,])(?<!\d\s)(?<!\d(?:st|nd|rd|th)\s)(?P<ms>{_CASED_MONTH}|(?-i:May))"
        rf"(?=\s+(?:seeing|saw|recording|recorded|registering|registered|figures|data|showed|showing)\b)",
    ),
)

_FLAGS = re.IGNORECASE | re.ASCII
_COMPILED = tuple((name, re.compile(pattern, _FLAGS)) for name, pattern in RULES)
_PRIORITY = {name: i for i, (name, _) in enumerate(RULES)}

_COMPARISON_CUE = re.compile(
    r"\b(?:compared\s+(?:to|with)|comparison\s+(?:to|with)|than(?!\s+(?:doubled|trebled|tripled|halved|twice|double|treble|triple)\b)|versus|vs\b\.?|against|relative\s+to)",
    _FLAGS,
)
_BASELINE_CUE = re.compile(r"\bbaseline", _FLAGS)
_BASELINE_AFTER = re.compile(
    r"\W*(?:(?!(?:below|above|under|over|than|exceed\w*|against)\b)[\w'-]+\s+){0,2}baseline", _FLAGS
)
# "has reduced from 92% in 2018": the period a change starts from
_FROM_CUE = re.compile(
    r"\b(?:reduc|decreas|increas|fall|fell|ris|rose|grow|grew|improv|declin|dropp|gone|went)\w*"
    r"\s+from\s+[^\s,;]+\s+(?:in\s+|during\s+)?$",
    _FLAGS,
)
_CLAUSE_BREAK = re.compile(r"[.;:!?]\s|\n")
# "compared to the baseline, however since April ...": a contrast opens a new clause
_CONTRAST_BREAK = re.compile(r",\s*(?:however|but|whereas|whilst|while|although|though)\b", _FLAGS)
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
    role: str  # current | comparison | baseline | point


# A stated period that ended more than this long before the paper's date is history the
# paper recounts ("in 2019", "April 2020 to March 2021" in an October 2021 paper), not its
# reporting period: "the last 12 months", "Q2" or "this FY" then count from the paper's date.
_STALE = relativedelta(months=6)


class _Ctx(NamedTuple):
    reference: date | None
    current: tuple[date, date] | None
    latest: tuple[date, date] | None = None  # the paper's latest recent reporting period
    furthest: tuple[date, date] | None = None  # the recent reporting period stated so far that ends latest

    def _recent(self, span: tuple[date, date] | None) -> bool:
        return bool(span) and (self.reference is None or span[1] >= self.reference - _STALE)  # type: ignore[index]

    @property
    def now(self) -> tuple[date, date] | None:
        """The reporting period the latest-data forms count from: the current period when it
        is recent, else the paper's latest recent reporting period; None: use the paper's date."""
        for span in (self.current, self.latest):
            if self._recent(span):
                return self._to_date(span)  # type: ignore[arg-type]
        return None

    def _to_date(self, span: tuple[date, date]) -> tuple[date, date]:
        """A period that runs past the paper's date ("2021/22" in October 2021) has data only
        to the end of the last whole month before it."""
        if self.reference and span[1] > self.reference:
            last = self.reference.replace(day=1) - _DAY1
            if last >= span[0]:
                return span[0], last
        return span

    @property
    def anchor(self) -> date | None:
        """The date relative forms count back from: the recent reporting period's end, else the paper's date."""
        now = self.now
        return now[1] if now else self.reference

    @property
    def data_end(self) -> date | None:
        """The last day the paper's data can cover: the recent reporting period's end, else
        the end of the last whole month before the paper's date."""
        now = self.now
        if now:
            return now[1]
        return self.reference.replace(day=1) - _DAY1 if self.reference else None


class _Res(NamedTuple):
    start: date | None
    end: date | None
    relative: bool = False
    role: str | None = None
    span: tuple[int, int] | None = None  # a narrower span than the rule matched

    @classmethod
    def of(cls, dates: tuple[date | None, date | None], **kw: Any) -> _Res:
        return cls(dates[0], dates[1], **kw)


_Handler = Callable[[re.Match[str], _Ctx], "_Res | None"]

# --- date arithmetic ----------------------------------------------------------------

_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_WORDS = dict(zip("one two three four five six seven eight nine ten eleven twelve".split(), range(1, 13), strict=False))
_WORDS.update({"eighteen": 18, "twentyfour": 24, "thirtysix": 36})
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_DAY1 = timedelta(days=1)


def financial_year(start_year: int) -> tuple[str, str]:
    """The UK financial year that starts in ``start_year``: 1 April to 31 March."""
    return (date(start_year, 4, 1).isoformat(), date(start_year + 1, 3, 31).isoformat())


def _fy(start_year: int) -> tuple[date, date]:
    return date(start_year, 4, 1), date(start_year + 1, 3, 31)


def _fy_of(d: date) -> int:
    return d.year if d.month >= 4 else d.year - 1


def _month_num(name: str) -> int:
    return _MONTHS[name.lower()[:3]]


def _number(text: str) -> int:
    t = re.sub(r"[\s-]", "", text.lower())
    return int(t) if t.isdigit() else _WORDS[t]


def _year(text: str) -> int:
    digits = re.sub(r"\D", "", text)
    y = int(digits)
    if len(digits) == 2:
        y += 1900 if y >= 70 else 2000
    return y


def _month(y: int, m: int) -> tuple[date, date]:
    first = date(y, m, 1)
    return first, first + relativedelta(day=31)


def _months_ending(end: date, n: int) -> tuple[date, date]:
    return end + _DAY1 - relativedelta(months=n), end


def _shift_years(span: tuple[date, date], k: int) -> tuple[date, date]:
    return span[0] + relativedelta(years=k), span[1] + _DAY1 + relativedelta(years=k) - _DAY1


def _quarter_of(d: date) -> tuple[date, date]:
    first = date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)
    return first, first + relativedelta(months=3) - _DAY1


def _fy_label(text: str) -> int | None:
    """The start year of a financial-year label ("2013/14", "21-22"), or None if it is not one."""
    parts = re.split(r"\s*[/-]\s*", text.strip())
    if len(parts) != 2 or len(parts[0]) not in (2, 4) or len(parts[1]) not in (2, 4):
        return None
    a, b = parts
    start = _year(a)
    if len(b) == 4:
        return start if int(b) == start + 1 else None
    return start if int(b) == (start + 1) % 100 else None


def _latest_month(month: int, anchor: date) -> tuple[date, date]:
    """The latest whole or current month named ``month`` not after ``anchor``."""
    return _month(anchor.year if month <= anchor.month else anchor.year - 1, month)


def _last_full_months(ctx: _Ctx, n: int) -> tuple[date, date] | None:
    end = ctx.data_end
    return _months_ending(end, n) if end else None


def _date_at(m: re.Match[str], s: str, year: int | None = None) -> date | None:
    """The date an endpoint group set (``_tdate``/``_ndate``/``_idate`` with suffix ``s``) names."""
    g = m.groupdict()
    if g.get("td" + s):
        y = int(g["ty" + s]) if g.get("ty" + s) else year
        return None if y is None else date(y, _month_num(g["tm" + s]), int(g["td" + s]))
    if g.get("nd" + s):
        return date(_year(g["ny" + s]), int(g["nm" + s]), int(g["nd" + s]))
    if g.get("iy" + s):
        return date(int(g["iy" + s]), int(g["im" + s]), int(g["id" + s]))
    return None


def _month_at(m: re.Match[str], s: str) -> tuple[date, date] | None:
    """The month a ``_my`` group set with suffix ``s`` names."""
    g = m.groupdict()
    if not g.get("m" + s):
        return None
    y = g.get("y" + s) or g.get("z" + s)
    return _month(_year(y), _month_num(g["m" + s])) if y else None


# --- handlers: one per rule; None declines the match ----------------------------------


def _h_date_range(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    if m["sep"].lower() in ("and", "&") and not m["pre"] and (m["ty1"] or m["nd1"] or m["iy1"]):
        return None
    end = _date_at(m, "2")
    start = _date_at(m, "1", year=end.year if end else None)
    if start and end and m["td1"] and not m["ty1"] and start > end:
        start = start - relativedelta(years=1)
    return _Res(start, end) if start and end and start <= end else None


def _h_yearless_range(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    if ctx.reference is None:
        return None
    y = ctx.reference.year
    start = date(y, _month_num(m["tm1"]), int(m["td1"]))
    end = date(y, _month_num(m["tm2"]), int(m["td2"]))
    if start > end:
        start = start - relativedelta(years=1)
    return _Res(start, end, relative=True)


def _h_month_range(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    y1 = m["y1"] or m["z1"]
    if m["sep"].lower() in ("and", "&") and not m["pre"] and y1:
        return None
    second = _month_at(m, "2")
    if second is None:
        return None
    m1 = _month_num(m["m1"])
    year1 = _year(y1) if y1 else (second[0].year if m1 <= second[0].month else second[0].year - 1)
    first = _month(year1, m1)
    return _Res(first[0], second[1]) if first[0] <= second[1] else None


def _h_ending(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    end = _date_at(m, "e")
    if end is None:
        month = _month_at(m, "e")
        end = month[1] if month else None
    if end is None:
        return None
    unit = (m["u"] or m["u1"] or "").lower()
    n = _number(m["n"]) if m["n"] else 1
    if unit.startswith("week"):
        return _Res(end - timedelta(weeks=n) + _DAY1, end)
    months = n * (12 if "year" in unit else 3 if unit.startswith("quarter") else 1)
    return _Res.of(_months_ending(end, months))


def _h_as_at(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    d = _date_at(m, "a")
    if d is None:
        month = _month_at(m, "a")
        d = month[1] if month else None
    return _Res(d, d, role="point") if d else None


def _h_since(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    if m["kw"].lower() == "from" and not m["todate"]:
        return None
    start = _date_at(m, "s")
    if start is None and m["ms"]:
        start = (_month_at(m, "s") or (None, None))[0]
    if m["fys"]:
        fy = _fy_label(m["fys"])
        if fy is None:
            return None
        start = _fy(fy)[0]
    if m["yrs"]:
        start = date(int(m["yrs"]), 1, 1)
    anchor = ctx.anchor
    if anchor and ctx.furthest and ctx._recent(ctx.furthest):
        anchor = max(anchor, ctx._to_date(ctx.furthest)[1])  # "since April": to the latest data stated
    if m["bm"]:
        start = _latest_month(_month_num(m["bm"]), anchor)[0] if anchor else None
    end = anchor if anchor and start and anchor >= start else None
    return _Res(start, end, relative=True)


def _h_quarter(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    q = int(m["q"] or m["qn"] or _ORDINALS[m["qw"].lower()])
    if m["cy"]:
        first = date(int(m["cy"]), 3 * q - 2, 1)
        return _Res(first, first + relativedelta(months=3) - _DAY1)
    fy = _fy_label(m["fy"]) if m["fy"] else None
    # "Q3 23/34": a label that is no financial year is left out of the mention
    span = m.span("qname") if fy is None and m["fy"] else None
    relative = fy is None
    if fy is None:
        anchor = ctx.data_end
        if anchor is None:
            return _Res(None, None, relative=True, span=span)
        fy = _fy_of(anchor)
    first = date(fy, 4, 1) + relativedelta(months=3 * (q - 1))
    return _Res(first, first + relativedelta(months=3) - _DAY1, relative=relative, span=span)


def _h_fy(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    a, b = m["a"], m["b"]
    if len(a) == 2 and len(b) == 2 and m["sep"] == "-" and not (m["pre"] or m["post"]):
        return None  # "12-13" is too often a range of counts or ages
    fy = _fy_label(f"{a}/{b}")
    return _Res.of(_fy(fy)) if fy is not None else None


def _h_year_span(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    a, b = int(m["a"]), int(m["b"])
    sep = m["sep"].lower()
    if (sep == "and" and not m["pre"]) or not a < b <= a + 20:
        return None
    if b == a + 1 and sep not in ("to", "and"):
        return None  # "2013-2014": the financial-year rule reads it
    return _Res(date(a, 1, 1), date(b, 12, 31))


def _h_calendar_year(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    y = int(m["y"] or m["y2"])  # after a comparison cue, the mention is the year alone
    return _Res(date(y, 1, 1), date(y, 12, 31), span=m.span("y") if m["cmp"] else None)


def _h_date(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    d = _date_at(m, "")
    return _Res(d, d, role="point") if d else None


def _h_month_year(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    month = _month_at(m, "")
    return _Res.of(month) if month else None


def _h_same_period(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    cur = ctx.current
    if m["last"]:
        span = _shift_years(cur, -1) if cur else (None, None)
        return _Res.of(span, relative=True, role="comparison")
    if m["fy"]:
        fy = _fy_label(m["fy"])
        if fy is None:
            return None
        if cur:
            return _Res.of(_shift_years(cur, fy - _fy_of(cur[1])), relative=True, role="comparison")
        return _Res.of(_fy(fy), role="comparison")
    y = int(m["y"])
    if cur:
        return _Res.of(_shift_years(cur, y - cur[1].year), relative=True, role="comparison")
    return _Res(date(y, 1, 1), date(y, 12, 31), role="comparison")


def _h_first_n(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    n = 6 if m["half"] else 3 if m["qtr"] else _number(m["n"])
    if not 1 <= n <= 12:
        return None
    label = m["fy"] or m["fy2"]
    relative = label is None
    anchor = ctx.data_end  # the paper's reporting year: its recent current period's, else its date's
    if (m["fin"] or "").lower() == "calendar":
        if anchor is None:
            return _Res(None, None, relative=True)
        first = date(anchor.year, 1, 1)
    else:
        fy = _fy_label(label) if label else (_fy_of(anchor) if anchor else None)
        if fy is None:
            return _Res(None, None, relative=True)
        first = date(fy, 4, 1)
    return _Res(first, first + relativedelta(months=n) - _DAY1, relative=relative)


def _h_last_n(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    unit = m["u"].lower()
    n = _number(m["n"])
    if unit.startswith("quarter"):
        n *= 3
    elif not unit.startswith("month") or not 1 <= n <= 60:
        return _Res(None, None, relative=True)  # "the last three years": left to the caller
    span = _last_full_months(ctx, n)
    return _Res.of((span or (None, None)), relative=True)


def _h_n_prior(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    n = _number(m["n"]) * (3 if m["u"].lower().startswith("quarter") else 1)
    if ctx.current:
        span: tuple[date, date] | None = _months_ending(ctx.current[0] - _DAY1, n)
    else:
        latest = _last_full_months(ctx, n)
        span = _months_ending(latest[0] - _DAY1, n) if latest else None
    return _Res.of((span or (None, None)), relative=True, role="comparison")


def _h_ytd(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    calendar = (m["fin"] or "").lower() == "calendar"
    end = ctx.data_end
    if m["fy"]:
        fy = _fy_label(m["fy"])
        if fy is None:
            return None
        start, fy_end = _fy(fy)
        end = min(end, fy_end) if end and end >= start else fy_end
        return _Res(start, end, relative=True)
    if end is None:
        return _Res(None, None, relative=True)
    start = date(end.year, 1, 1) if calendar else date(_fy_of(end), 4, 1)
    return _Res(start, end, relative=True)


def _h_this_last(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    which = m["which"].lower().split()[-1]
    fin = (m["fin"] or "").lower()
    unit = m["u"].lower()
    if unit == "fy":
        fin, unit = "financial", "year"
    back = which in ("last", "previous", "prior")
    if which == "the" and not (fin and unit == "year"):
        return None
    if unit.endswith("period"):
        if which not in ("this", "current"):
            return None
        return _Res.of((ctx.current or (None, None)), relative=True)
    anchor = ctx.anchor
    role = "comparison" if back and unit == "year" else None
    if anchor is None:
        return _Res(None, None, relative=True, role=role)
    # "this year/quarter" is the one the paper's data runs to; a level observed in it ends there
    data_end = ctx.data_end or anchor
    if unit == "year" and back and m.group(0).lower().startswith("last") and re.match(r"'s\b", m.string[m.end() :]):
        # "Last year's performance": the whole year before the paper's reporting year, the
        # subject of what follows (not the same period a year earlier)
        if fin == "calendar":
            return _Res(date(anchor.year - 1, 1, 1), date(anchor.year - 1, 12, 31), relative=True, role="current")
        return _Res.of(_fy(_fy_of(data_end) - 1), relative=True, role="current")
    if unit == "year":
        if back and not fin and ctx.now:
            return _Res.of(_shift_years(ctx.now, -1), relative=True, role=role)
        if fin == "calendar":
            y = (anchor if back else data_end).year - back
            span = (date(y, 1, 1), date(y, 12, 31))
        else:
            span = _fy(_fy_of(anchor) - back) if back else _fy(_fy_of(data_end))
        if not back and span[0] <= data_end < span[1]:
            span = (span[0], data_end)
        return _Res.of(span, relative=True, role=role)
    if unit == "quarter":
        if back:
            return _Res.of(_quarter_of(_quarter_of(anchor)[0] - _DAY1), relative=True)
        return _Res.of(_quarter_of(data_end), relative=True)
    month = anchor - relativedelta(months=1) if back else anchor
    return _Res.of(_month(month.year, month.month), relative=True)


def _h_bare_month(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    anchor = ctx.anchor
    if anchor is None:
        return _Res(None, None, relative=True)
    # a month that is the subject of its clause ("with September recording 2599") is the figure's own
    role = "current" if m["ms"] else None
    return _Res.of(_latest_month(_month_num(m["m"] or m["ms"]), anchor), relative=True, role=role)


_HANDLERS: dict[str, _Handler] = {name: globals()[f"_h_{name}"] for name, _ in RULES}


# --- scanning -------------------------------------------------------------------------


def _context(reference: date | str | None, current: tuple[str, str] | None) -> _Ctx:
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
    return _Ctx(ref, cur)


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


def _resolve(name: str, m: re.Match[str], ctx: _Ctx) -> _Res | None:
    try:
        return _HANDLERS[name](m, ctx)
    except (ValueError, OverflowError, KeyError):
        return None  # an impossible date ("31/02/2023"), a year out of range


def _candidates(text: str, ctx: _Ctx) -> list[tuple[int, int, str, _Res, re.Match[str]]]:
    found = []
    for name, rx in _COMPILED:
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


def _local_anchors(
    text: str, chosen: list[tuple[int, int, str, _Res, re.Match[str]]], ctx: _Ctx
) -> list[tuple[int, int, str, _Res, re.Match[str]]]:
    """Re-resolve each relative form from the absolute period the same text states before it."""
    out = []
    local: tuple[date, date] | None = None
    for c in chosen:
        start, end, name, res, m = c
        if local and name in _LOCAL_RELATIVE and res.relative:
            again = _resolve(name, m, _Ctx(ctx.reference, local, None))
            if again is not None:
                c = (start, end, name, again, m)
        elif not res.relative and res.start and res.end and res.start <= res.end:
            point = res.role == "point"
            if not point or m.group(0).lower().startswith("as"):  # "as of September 2023": data to then
                if _role(text, start, end, 0, res) in ("current", "point"):
                    local = (res.start, res.end)
        out.append(c)
    return out


def _select(
    found: list[tuple[int, int, str, _Res, re.Match[str]]],
) -> list[tuple[int, int, str, _Res, re.Match[str]]]:
    """The longest matches first, then earlier rules; none overlapping."""
    found.sort(key=lambda c: (-(c[1] - c[0]), _PRIORITY[c[2]], c[0]))
    starts: list[int] = []  # of the matches taken, kept sorted; they never overlap
    taken: dict[int, tuple[int, int, str, _Res, re.Match[str]]] = {}
    for c in found:
        i = bisect.bisect_right(starts, c[0])
        if (i and taken[starts[i - 1]][1] > c[0]) or (i < len(starts) and starts[i] < c[1]):
            continue
        starts.insert(i, c[0])
        taken[c[0]] = c
    return [taken[s] for s in starts]


def _role(text: str, start: int, end: int, floor: int, res: _Res) -> str:
    """Guess the role from the words around the mention: baseline, comparison or current."""
    if res.role == "point":
        return "point"
    before = text[max(floor, start - 50) : start]
    breaks = list(_CLAUSE_BREAK.finditer(before)) + list(_CONTRAST_BREAK.finditer(before))
    if breaks:
        before = before[max(b.end() for b in breaks) :]
    after = text[end : end + 25]
    cut = _CLAUSE_BREAK.search(after)
    after = after[: cut.start()] if cut else after
    # "in the year ending June 19 baseline", "the baseline year 2019"; not "... was below our baseline"
    if res.role == "current":
        return "current"
    if _BASELINE_CUE.search(text[start:end]) or _BASELINE_CUE.search(before) or _BASELINE_AFTER.match(after):
        return "baseline"
    if res.role == "comparison" or _COMPARISON_CUE.search(before + " " + text[start:end]) or _FROM_CUE.search(before):
        return "comparison"
    return "current"


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
) -> list[PeriodMention]:
    """Every period expression of ``text``, in order, resolved where it can be.

    ``reference`` is the paper's date; ``current`` the reporting period stated nearby,
    as ISO dates, which relative forms ("same period last year") are resolved from;
    ``latest`` the paper's latest recent reporting period, which forms of the latest data
    ("the last 12 months", "Q2", "this FY") count from when ``current`` is long past;
    ``furthest`` the recent period stated so far that ends latest, which "since April" runs to.
    A period stated earlier in ``text`` itself overrides both for the forms after it.
    """
    if not isinstance(text, str) or not text:
        return []
    ctx = _context(reference, current)
    lat = _context(None, latest).current
    ctx = _Ctx(ctx.reference, ctx.current, lat, _context(None, furthest).current)
    scan = text.translate(_NORMALISE)
    mentions: list[PeriodMention] = []
    floor = 0
    for start, end, _name, res, _m in _local_anchors(scan, _select(_candidates(scan, ctx)), ctx):
        role = _role(scan, start, end, floor, res)
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
_DATELIKE = re.compile(rf"\b(?:{_MONTH})\b|\d[/.-]\d", _FLAGS)


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
        first, last = _month(a.year, a.month)
        return (first.isoformat(), last.isoformat())
    return (a.date().isoformat(), a.date().isoformat())
