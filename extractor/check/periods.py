"""Periods of observations: parsing, near-coincidence and labels people read."""

from __future__ import annotations

import calendar
from datetime import date
from functools import lru_cache
from typing import Any

Period = tuple[date, date]

NEAR_DAYS = 31
NEAR_OVERLAP = 0.8


def _parse(text: Any) -> date | None:
    return _parse_text(str(text)[:10]) if text else None


@lru_cache(maxsize=65536)
def _parse_text(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def period_of(row: dict[str, Any], prefix: str = "") -> Period | None:
    """The row's (start, end) period, or its comparison period with ``prefix="comparison_"``."""
    start = _parse(row.get(f"{prefix}period_start"))
    end = _parse(row.get(f"{prefix}period_end"))
    if start is None or end is None or end < start:
        return None
    return (start, end)


def length(p: Period) -> int:
    return (p[1] - p[0]).days + 1


def overlap(a: Period, b: Period) -> int:
    return max(0, (min(a[1], b[1]) - max(a[0], b[0])).days + 1)


def nearly_coincide(a: Period, b: Period) -> bool:
    """Different periods that cover almost the same time.

    True when they overlap by at least 80% of the longer one, or when their ends are
    within a month of each other and their lengths differ by at most a month.
    """
    if a == b:
        return False
    if overlap(a, b) >= NEAR_OVERLAP * max(length(a), length(b)):
        return True
    return abs((a[1] - b[1]).days) <= NEAR_DAYS and abs(length(a) - length(b)) <= NEAR_DAYS


def _month_end(d: date) -> bool:
    return d.day == calendar.monthrange(d.year, d.month)[1]


def label(p: Period | None, fallback: str | None = None) -> str:
    """ "Nov 2022 – Oct 2023" for whole months, "1 Nov 2022 – 15 Oct 2023" otherwise."""
    if p is None:
        return fallback or "an unstated period"
    start, end = p
    if start.day == 1 and _month_end(end):
        if (start.year, start.month) == (end.year, end.month):
            return start.strftime("%b %Y")
        return f"{start.strftime('%b %Y')} – {end.strftime('%b %Y')}"
    if start == end:
        return f"{start.day} {start.strftime('%b %Y')}"
    return f"{start.day} {start.strftime('%b %Y')} – {end.day} {end.strftime('%b %Y')}"


def row_period_label(row: dict[str, Any], prefix: str = "") -> str:
    return label(period_of(row, prefix), row.get(f"{prefix}period_text") or None)
