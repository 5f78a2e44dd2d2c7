"""Date arithmetic for period expressions: UK financial years, months, quarters, spans.

Also ``PeriodContext``, what relative forms ("the last 12 months", "this FY") count from: the
paper's date and the reporting periods stated around a mention.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import NamedTuple

from dateutil.relativedelta import relativedelta

# --- date arithmetic ----------------------------------------------------------------

_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_WORDS = dict(zip("one two three four five six seven eight nine ten eleven twelve".split(), range(1, 13), strict=False))
_WORDS.update({"eighteen": 18, "twentyfour": 24, "thirtysix": 36})
QUARTER_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
DAY1 = timedelta(days=1)


def financial_year(start_year: int) -> tuple[str, str]:
    """The UK financial year that starts in ``start_year``: 1 April to 31 March."""
    return (date(start_year, 4, 1).isoformat(), date(start_year + 1, 3, 31).isoformat())


def fy_span(start_year: int) -> tuple[date, date]:
    return date(start_year, 4, 1), date(start_year + 1, 3, 31)


def fy_of(d: date) -> int:
    return d.year if d.month >= 4 else d.year - 1


def month_num(name: str) -> int:
    return _MONTHS[name.lower()[:3]]


_SPACE_OR_DASH = re.compile(r"[\s-]")
_NOT_DIGIT = re.compile(r"\D")
_FY_SPLIT = re.compile(r"\s*[/-]\s*")


def number_of(text: str) -> int:
    t = _SPACE_OR_DASH.sub("", text.lower())
    return int(t) if t.isdigit() else _WORDS[t]


def year_of(text: str) -> int:
    digits = _NOT_DIGIT.sub("", text)
    y = int(digits)
    if len(digits) == 2:
        y += 1900 if y >= 70 else 2000
    return y


def month_span(y: int, m: int) -> tuple[date, date]:
    first = date(y, m, 1)
    return first, first + relativedelta(day=31)


def months_ending(end: date, n: int) -> tuple[date, date]:
    return end + DAY1 - relativedelta(months=n), end


def shift_years(span: tuple[date, date], k: int) -> tuple[date, date]:
    return span[0] + relativedelta(years=k), span[1] + DAY1 + relativedelta(years=k) - DAY1


def quarter_of(d: date) -> tuple[date, date]:
    first = date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)
    return first, first + relativedelta(months=3) - DAY1


def fy_label(text: str) -> int | None:
    """The start year of a financial-year label ("2013/14", "21-22"), or None if it is not one."""
    parts = _FY_SPLIT.split(text.strip())
    if len(parts) != 2 or len(parts[0]) not in (2, 4) or len(parts[1]) not in (2, 4):
        return None
    a, b = parts
    start = year_of(a)
    if len(b) == 4:
        return start if int(b) == start + 1 else None
    return start if int(b) == (start + 1) % 100 else None


def latest_month(month: int, anchor: date) -> tuple[date, date]:
    """The latest whole or current month named ``month`` not after ``anchor``."""
    return month_span(anchor.year if month <= anchor.month else anchor.year - 1, month)


# --- the resolution context ---------------------------------------------------------

# A stated period that ended more than this long before the paper's date is history the
# paper recounts ("in 2019", "April 2020 to March 2021" in an October 2021 paper), not its
# reporting period: "the last 12 months", "Q2" or "this FY" then count from the paper's date.
_STALE = relativedelta(months=6)


class PeriodContext(NamedTuple):
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
            last = self.reference.replace(day=1) - DAY1
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
        return self.reference.replace(day=1) - DAY1 if self.reference else None


def last_full_months(ctx: PeriodContext, n: int) -> tuple[date, date] | None:
    end = ctx.data_end
    return months_ending(end, n) if end else None
