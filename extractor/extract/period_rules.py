"""The period rules: one table of regexes (``RULES``) and one handler per rule.

A handler turns a rule's match into a ``Resolution`` (start and end dates, whether the form is
relative, a role it implies) using the resolution context ``PeriodContext``, or declines it with
None. ``periods.find_periods`` runs the compiled rules and chooses among their matches.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, NamedTuple

from dateutil.relativedelta import relativedelta

from .period_dates import (
    DAY1,
    QUARTER_ORDINALS,
    PeriodContext,
    fy_label,
    fy_of,
    fy_span,
    last_full_months,
    latest_month,
    month_num,
    month_span,
    months_ending,
    number_of,
    quarter_of,
    shift_years,
    year_of,
)
from .regex_gate import gated

# --- building blocks of the rules ------------------------------------------------

MONTH = (
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
    return rf"\b(?P<{g}>{MONTH})\b\.?"


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

RULE_FLAGS = re.IGNORECASE | re.ASCII
COMPILED_RULES = tuple((name, gated(pattern, RULE_FLAGS)) for name, pattern in RULES)
RULE_PRIORITY = {name: i for i, (name, _) in enumerate(RULES)}


class Resolution(NamedTuple):
    start: date | None
    end: date | None
    relative: bool = False
    role: str | None = None
    span: tuple[int, int] | None = None  # a narrower span than the rule matched

    @classmethod
    def of(cls, dates: tuple[date | None, date | None], **kw: Any) -> Resolution:
        return cls(dates[0], dates[1], **kw)


_Handler = Callable[[re.Match[str], PeriodContext], "Resolution | None"]


def _date_at(m: re.Match[str], s: str, year: int | None = None) -> date | None:
    """The date an endpoint group set (``_tdate``/``_ndate``/``_idate`` with suffix ``s``) names."""
    g = m.groupdict()
    if g.get("td" + s):
        y = int(g["ty" + s]) if g.get("ty" + s) else year
        return None if y is None else date(y, month_num(g["tm" + s]), int(g["td" + s]))
    if g.get("nd" + s):
        return date(year_of(g["ny" + s]), int(g["nm" + s]), int(g["nd" + s]))
    if g.get("iy" + s):
        return date(int(g["iy" + s]), int(g["im" + s]), int(g["id" + s]))
    return None


def _month_at(m: re.Match[str], s: str) -> tuple[date, date] | None:
    """The month a ``_my`` group set with suffix ``s`` names."""
    g = m.groupdict()
    if not g.get("m" + s):
        return None
    y = g.get("y" + s) or g.get("z" + s)
    return month_span(year_of(y), month_num(g["m" + s])) if y else None


# --- handlers: one per rule; None declines the match ----------------------------------


def _h_date_range(m: re.Match[str], ctx: PeriodContext) -> Resolution | None:
    if m["sep"].lower() in ("and", "&") and not m["pre"] and (m["ty1"] or m["nd1"] or m["iy1"]):
        return None
    end = _date_at(m, "2")
    start = _date_at(m, "1", year=end.year if end else None)
    if start and end and m["td1"] and not m["ty1"] and start > end:
        start = start - relativedelta(years=1)
    return Resolution(start, end) if start and end and start <= end else None


def _h_yearless_range(m: re.Match[str], ctx: PeriodContext) -> Resolution | None:
    if ctx.reference is None:
        return None
    y = ctx.reference.year
    start = date(y, month_num(m["tm1"]), int(m["td1"]))
    end = date(y, month_num(m["tm2"]), int(m["td2"]))
    if start > end:
        start = start - relativedelta(years=1)
    return Resolution(start, end, relative=True)


def _h_month_range(m: re.Match[str], ctx: PeriodContext) -> Resolution | None:
    y1 = m["y1"] or m["z1"]
    if m["sep"].lower() in ("and", "&") and not m["pre"] and y1:
        return None
    second = _month_at(m, "2")
    if second is None:
        return None
    m1 = month_num(m["m1"])
    year1 = year_of(y1) if y1 else (second[0].year if m1 <= second[0].month else second[0].year - 1)
    first = month_span(year1, m1)
    return Resolution(first[0], second[1]) if first[0] <= second[1] else None


def _h_ending(m: re.Match[str], ctx: PeriodContext) -> Resolution | None:
    end = _date_at(m, "e")
    if end is None:
        month = _month_at(m, "e")
        end = month[1] if month else None
    if end is None:
        return None
    unit = (m["u"] or m["u1"] or "").lower()
    n = number_of(m["n"]) if m["n"] else 1
    if unit.startswith("week"):
        return Resolution(end - timedelta(weeks=n) + DAY1, end)
    months = n * (12 if "year" in unit else 3 if unit.startswith("quarter") else 1)
    return Resolution.of(months_ending(end, months))


def _h_as_at(m: re.Match[str], ctx: PeriodContext) -> Resolution | None:
    d = _date_at(m, "a")
    if d is None:
        month = _month_at(m, "a")
        d = month[1] if month else None
    return Resolution(d, d, role="point") if d else None


def _h_since(m: re.Match[str], ctx: PeriodContext) -> Resolution | None:
    if m["kw"].lower() == "from" and not m["todate"]:
        return None
    start = _date_at(m, "s")
    if start is None and m["ms"]:
        start = (_month_at(m, "s") or (None, None))[0]
    if m["fys"]:
        fy = fy_label(m["fys"])
        if fy is None:
            return None
        start = fy_span(fy)[0]
    if m["yrs"]:
        start = date(int(m["yrs"]), 1, 1)
    anchor = ctx.anchor
    if anchor and ctx.furthest and ctx._recent(ctx.furthest):
        anchor = max(anchor, ctx._to_date(ctx.furthest)[1])  # "since April": to the latest data stated
    if m["bm"]:
        start = latest_month(month_num(m["bm"]), anchor)[0] if anchor else None
    end = anchor if anchor and start and anchor >= start else None
    return Resolution(start, end, relative=True)


def _h_quarter(m: re.Match[str], ctx: PeriodContext) -> Resolution | None:
    q = int(m["q"] or m["qn"] or QUARTER_ORDINALS[m["qw"].lower()])
    if m["cy"]:
        first = date(int(m["cy"]), 3 * q - 2, 1)
        return Resolution(first, first + relativedelta(months=3) - DAY1)
    fy = fy_label(m["fy"]) if m["fy"] else None
    # "Q3 23/34": a label that is no financial year is left out of the mention
    span = m.span("qname") if fy is None and m["fy"] else None
    relative = fy is None
    if fy is None:
        anchor = ctx.data_end
        if anchor is None:
            return Resolution(None, None, relative=True, span=span)
        fy = fy_of(anchor)
    first = date(fy, 4, 1) + relativedelta(months=3 * (q - 1))
    if relative and ctx.reference and first + relativedelta(months=3) - DAY1 > ctx.reference:
        first -= relativedelta(years=1)  # a bare "Q4" in a May 2024 paper is January to March 2024
    return Resolution(first, first + relativedelta(months=3) - DAY1, relative=relative, span=span)


def _h_fy(m: re.Match[str], ctx: PeriodContext) -> Resolution | None:
    a, b = m["a"], m["b"]
    if len(a) == 2 and len(b) == 2 and m["sep"] == "-" and not (m["pre"] or m["post"]):
        return None  # "12-13" is too often a range of counts or ages
    fy = fy_label(f"{a}/{b}")
    return Resolution.of(fy_span(fy)) if fy is not None else None


def _h_year_span(m: re.Match[str], ctx: PeriodContext) -> Resolution | None:
    a, b = int(m["a"]), int(m["b"])
    sep = m["sep"].lower()
    if (sep == "and" and not m["pre"]) or not a < b <= a + 20:
        return None
    if b == a + 1 and sep not in ("to", "and"):
        return None  # "2013-2014": the financial-year rule reads it
    return Resolution(date(a, 1, 1), date(b, 12, 31))


def _h_calendar_year(m: re.Match[str], ctx: PeriodContext) -> Resolution | None:
    y = int(m["y"] or m["y2"])  # after a comparison cue, the mention is the year alone
    return Resolution(date(y, 1, 1), date(y, 12, 31), span=m.span("y") if m["cmp"] else None)


def _h_date(m: re.Match[str], ctx: PeriodContext) -> Resolution | None:
    d = _date_at(m, "")
    return Resolution(d, d, role="point") if d else None


def _h_month_year(m: re.Match[str], ctx: PeriodContext) -> Resolution | None:
    month = _month_at(m, "")
    return Resolution.of(month) if month else None


def _h_same_period(m: re.Match[str], ctx: PeriodContext) -> Resolution | None:
    cur = ctx.current
    if m["last"]:
        span = shift_years(cur, -1) if cur else (None, None)
        return Resolution.of(span, relative=True, role="comparison")
    if m["fy"]:
        fy = fy_label(m["fy"])
        if fy is None:
            return None
        if cur:
            return Resolution.of(shift_years(cur, fy - fy_of(cur[1])), relative=True, role="comparison")
        return Resolution.of(fy_span(fy), role="comparison")
    y = int(m["y"])
    if cur:
        return Resolution.of(shift_years(cur, y - cur[1].year), relative=True, role="comparison")
    return Resolution(date(y, 1, 1), date(y, 12, 31), role="comparison")


def _h_first_n(m: re.Match[str], ctx: PeriodContext) -> Resolution | None:
    n = 6 if m["half"] else 3 if m["qtr"] else number_of(m["n"])
    if not 1 <= n <= 12:
        return None
    label = m["fy"] or m["fy2"]
    relative = label is None
    anchor = ctx.data_end  # the paper's reporting year: its recent current period's, else its date's
    if (m["fin"] or "").lower() == "calendar":
        if anchor is None:
            return Resolution(None, None, relative=True)
        first = date(anchor.year, 1, 1)
    else:
        fy = fy_label(label) if label else (fy_of(anchor) if anchor else None)
        if fy is None:
            return Resolution(None, None, relative=True)
        first = date(fy, 4, 1)
    return Resolution(first, first + relativedelta(months=n) - DAY1, relative=relative)


def _h_last_n(m: re.Match[str], ctx: PeriodContext) -> Resolution | None:
    unit = m["u"].lower()
    n = number_of(m["n"])
    if unit.startswith("quarter"):
        n *= 3
    elif not unit.startswith("month") or not 1 <= n <= 60:
        return Resolution(None, None, relative=True)  # "the last three years": left to the caller
    span = last_full_months(ctx, n)
    return Resolution.of((span or (None, None)), relative=True)


def _h_n_prior(m: re.Match[str], ctx: PeriodContext) -> Resolution | None:
    n = number_of(m["n"]) * (3 if m["u"].lower().startswith("quarter") else 1)
    if ctx.current:
        span: tuple[date, date] | None = months_ending(ctx.current[0] - DAY1, n)
    else:
        latest = last_full_months(ctx, n)
        span = months_ending(latest[0] - DAY1, n) if latest else None
    return Resolution.of((span or (None, None)), relative=True, role="comparison")


def _h_ytd(m: re.Match[str], ctx: PeriodContext) -> Resolution | None:
    calendar = (m["fin"] or "").lower() == "calendar"
    end = ctx.data_end
    if m["fy"]:
        fy = fy_label(m["fy"])
        if fy is None:
            return None
        start, fy_end = fy_span(fy)
        end = min(end, fy_end) if end and end >= start else fy_end
        return Resolution(start, end, relative=True)
    if end is None:
        return Resolution(None, None, relative=True)
    if ctx.furthest and ctx._recent(ctx.furthest):
        # "YTD" again after "the first 6 months": to the latest data the paper has stated in that year
        far = ctx._to_date(ctx.furthest)[1]
        if far > end and (far.year == end.year if calendar else fy_of(far) == fy_of(end)):
            end = far
    start = date(end.year, 1, 1) if calendar else date(fy_of(end), 4, 1)
    return Resolution(start, end, relative=True)


def _this_last_year(
    m: re.Match[str], ctx: PeriodContext, anchor: date, back: bool, fin: str, role: str | None
) -> Resolution:
    """ "this year", "last financial year", "Last year's performance"."""
    data_end = ctx.data_end or anchor
    if back and m.group(0).lower().startswith("last") and re.match(r"'s\b", m.string[m.end() :]):
        # "Last year's performance": the whole year before the paper's reporting year, the
        # subject of what follows (not the same period a year earlier)
        if fin == "calendar":
            return Resolution(date(anchor.year - 1, 1, 1), date(anchor.year - 1, 12, 31), relative=True, role="current")
        return Resolution.of(fy_span(fy_of(data_end) - 1), relative=True, role="current")
    if back and not fin and ctx.now:
        return Resolution.of(shift_years(ctx.now, -1), relative=True, role=role)
    if fin == "calendar":
        y = (anchor if back else data_end).year - back
        span = (date(y, 1, 1), date(y, 12, 31))
    else:
        span = fy_span(fy_of(anchor) - back) if back else fy_span(fy_of(data_end))
    if not back and span[0] <= data_end < span[1]:
        span = (span[0], data_end)
    return Resolution.of(span, relative=True, role=role)


def _this_last_quarter(m: re.Match[str], ctx: PeriodContext, anchor: date, back: bool) -> Resolution:
    """ "this quarter", "last quarter", "so far this quarter" (still under way)."""
    if not back and ctx.reference and re.search(r"\bso\s+far\s+(?:in\s+)?$", m.string[: m.start()], re.I):
        return Resolution.of(quarter_of(ctx.reference), relative=True)
    if back:
        return Resolution.of(quarter_of(quarter_of(anchor)[0] - DAY1), relative=True)
    return Resolution.of(quarter_of(ctx.data_end or anchor), relative=True)


def _h_this_last(m: re.Match[str], ctx: PeriodContext) -> Resolution | None:
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
        return Resolution.of((ctx.current or (None, None)), relative=True)
    anchor = ctx.anchor
    role = "comparison" if back and unit == "year" else None
    if anchor is None:
        return Resolution(None, None, relative=True, role=role)
    # "this year/quarter" is the one the paper's data runs to; a level observed in it ends there
    if unit == "year":
        return _this_last_year(m, ctx, anchor, back, fin, role)
    if unit == "quarter":
        return _this_last_quarter(m, ctx, anchor, back)
    month = anchor - relativedelta(months=1) if back else anchor
    return Resolution.of(month_span(month.year, month.month), relative=True)


def _h_bare_month(m: re.Match[str], ctx: PeriodContext) -> Resolution | None:
    anchor = ctx.anchor
    if anchor is None:
        return Resolution(None, None, relative=True)
    # a month that is the subject of its clause ("with September recording 2599") is the figure's own
    role = "current" if m["ms"] else None
    return Resolution.of(latest_month(month_num(m["m"] or m["ms"]), anchor), relative=True, role=role)


HANDLERS: dict[str, _Handler] = {
    "date_range": _h_date_range,
    "yearless_range": _h_yearless_range,
    "month_range": _h_month_range,
    "ending": _h_ending,
    "as_at": _h_as_at,
    "since": _h_since,
    "quarter": _h_quarter,
    "fy": _h_fy,
    "year_span": _h_year_span,
    "calendar_year": _h_calendar_year,
    "date": _h_date,
    "month_year": _h_month_year,
    "same_period": _h_same_period,
    "first_n": _h_first_n,
    "last_n": _h_last_n,
    "n_prior": _h_n_prior,
    "ytd": _h_ytd,
    "this_last": _h_this_last,
    "bare_month": _h_bare_month,
}
assert set(HANDLERS) == {name for name, _ in RULES}, "every rule has its handler"
# the named groups each handler reads: those of its rule
HANDLER_GROUPS: dict[str, frozenset[str]] = {name: frozenset(re.compile(p).groupindex) for name, p in RULES}
