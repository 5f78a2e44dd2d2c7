"""Recompute stated changes from the levels a paper gives.

For a ``change`` row with a baseline (its ``comparison_value``, or a level of the
comparison period in the same passage) and a current level (a ``value`` row of the same
paper found by ``find_current``):

* percent:  expected = (current - baseline) / baseline * 100
* absolute and points: expected = current - baseline

The stated change agrees when it is within half a unit of its last written decimal
place (wider when hedged, "almost 29 minutes"), plus what the rounding of the two levels
can move the result. Outcomes:

* agrees: ``arithmetic``, severity info ("verified");
* a percent change of a rate that equals the difference in points (57% against 50%
  stated as "improved by 7%"): ``percentage_points``, warning;
* the size agrees but the sign does not: ``arithmetic``, warning (the direction words,
  "quicker", "reduction", are easy to get wrong in the paper or in extraction);
* otherwise: ``arithmetic``, with a severity by the size of the gap: error when it is large
  (more than ``LARGE_POINTS`` percentage points for a percent or points change, more than
  ``LARGE_RELATIVE`` of the computed change for an absolute one) or the sign is wrong;
  warning when it is small (a table's "4.5 %" against +4.42% computed is real but minor),
  and when the current level is of another measure and was matched only by its unit and
  place in the passage.

A current level must be of the change's period (when both are known) and end after the
comparison period; a change with no such level is not checked.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from typing import Any

from .describe import Documents, figure, number, signed_change, where
from .model import Check
from .periods import label, period_of, row_period_label
from .precision import EPSILON, tolerance

Row = dict[str, Any]
RATE_UNITS = ("percent",)
LARGE_POINTS = 1.0  # a percent (or points) change this many points off the computed one is an error
LARGE_RELATIVE = 0.10  # an absolute change off by this share of the computed one is an error


def gap_is_large(kind: str, stated: float, expected: float) -> bool:
    """Whether a stated change that disagrees with the computed one is an error, not a warning:
    the sign is wrong, or the gap is more than ``LARGE_POINTS`` percentage points (percent and
    points changes) or ``LARGE_RELATIVE`` of the computed change (absolute changes)."""
    if stated * expected < 0:
        return True
    gap = abs(stated - expected)
    if kind in ("percent", "points"):
        return gap > LARGE_POINTS
    return gap > LARGE_RELATIVE * abs(expected)


def _same_measure(a: Row, b: Row) -> bool:
    if a.get("measure_id") and b.get("measure_id"):
        return bool(a["measure_id"] == b["measure_id"])
    return str(a.get("measure") or "").casefold() == str(b.get("measure") or "").casefold() != ""


def _passage_key(row: Row) -> str:
    return str(row.get("passage_id") or row.get("quote") or row.get("id"))


def _level_unit(change: Row) -> str | None:
    if change.get("comparison_unit"):
        return str(change["comparison_unit"])
    if change.get("change_type") == "points":
        return "percent"
    if change.get("change_type") == "absolute":
        return str(change.get("unit"))
    return None


def _rank(change: Row, candidate: Row, period: Any) -> tuple[int, int, int]:
    return (
        0 if _same_measure(change, candidate) else 1,
        0 if period is not None and period_of(candidate) == period else 1,
        abs(int(candidate.get("char_start") or 0) - int(change.get("char_start") or 0)),
    )


def find_baseline(change: Row, passage: list[Row]) -> Row | None:
    """A level of the comparison period stated in the same passage as the change."""
    period = period_of(change, "comparison_")
    unit = _level_unit(change)
    found = [
        r
        for r in passage
        if r.get("kind") == "value"
        and period is not None
        and period_of(r) == period
        and (unit is None or r.get("unit") == unit)
    ]
    return min(found, key=lambda r: (_rank(change, r, period), str(r["id"])), default=None)


def level_key(row: Row) -> tuple[str, str, str]:
    """How ``find_current`` looks up levels of the same measure and period in a paper."""
    return (str(row.get("measure_id") or ""), str(row.get("period_start")), str(row.get("period_end")))


Levels = dict[tuple[str, str, str], list[Row]]


def find_current(change: Row, base: float, passage: list[Row], document: Levels) -> Row | None:
    """The level the change leads to: in the same passage, else the same measure and period in the paper.

    ``document`` holds the paper's rows by ``level_key``.
    """
    unit = _level_unit(change)
    period, base_period = period_of(change), period_of(change, "comparison_")

    no_change = abs(float(change["value"])) <= tolerance(change)

    def is_baseline(r: Row) -> bool:
        p = period_of(r)
        if base_period is not None and p is not None:
            return p == base_period
        # Without periods, a level equal to the baseline is taken for the baseline itself,
        # unless the paper says nothing changed.
        return not no_change and math.isclose(float(r["value"]), base, rel_tol=1e-9, abs_tol=1e-9)

    def fits(r: Row) -> bool:
        if r.get("kind") != "value" or (unit is not None and r.get("unit") != unit) or is_baseline(r):
            return False
        p = period_of(r)
        if p is not None and period is not None and p != period:
            return False  # a level of another period is not what the change leads to
        return p is None or base_period is None or p[1] > base_period[1]

    near = [r for r in passage if fits(r) and (unit is not None or _same_measure(change, r))]
    if not near and period is not None and change.get("measure_id"):
        near = [r for r in document.get(level_key(change), []) if fits(r)]
    return min(near, key=lambda r: (_rank(change, r, period), str(r["id"])), default=None)


def arithmetic_checks(rows: list[Row], documents: Documents) -> list[Check]:
    """``arithmetic`` and ``percentage_points`` checks for the rows of one paper."""
    passages: dict[str, list[Row]] = defaultdict(list)
    levels: Levels = defaultdict(list)
    for row in rows:
        passages[_passage_key(row)].append(row)
        if row.get("kind") == "value" and row.get("measure_id"):
            levels[level_key(row)].append(row)
    checks = []
    for change in rows:
        if change.get("kind") != "change" or change.get("change_type") not in ("percent", "absolute", "points"):
            continue
        passage = passages[_passage_key(change)]
        base_row = None
        if change.get("comparison_value") is not None:
            base = float(change["comparison_value"])
            base_like: Row = {"value": base, "unit": _level_unit(change), "figure": None}
        else:
            base_row = find_baseline(change, passage)
            if base_row is None:
                continue
            base, base_like = float(base_row["value"]), base_row
        current = find_current(change, base, passage, levels)
        if current is None:
            continue
        check = recompute(change, current, base, base_like, base_row, documents)
        if check is not None:
            checks.append(check)
    return checks


def recompute(
    change: Row, current: Row, base: float, base_like: Row, base_row: Row | None, documents: Documents
) -> Check | None:
    """Compare the stated change with the one the two levels give."""
    kind = change["change_type"]
    stated, cur = float(change["value"]), float(current["value"])
    t_cur, t_base = tolerance(current), tolerance(base_like)
    given = _expected(kind, cur, base, t_cur, t_base)
    if given is None:
        return None
    expected, t_inputs = given
    allowed = tolerance(change) + t_inputs + EPSILON * max(1.0, abs(stated), abs(expected))
    ids = [change["id"], current["id"]] + ([base_row["id"]] if base_row else [])
    unit = str(current.get("unit"))
    levels = f"from {number(base, unit, 2)} ({_base_period(change, base_row)}) to {_level(current)}"
    said = _said(change, documents, stated, kind)
    details = {"change_type": kind, "current": cur, "baseline": base, "allowed_difference": round(allowed, 6)}
    common: dict[str, Any] = dict(
        measure_id=change.get("measure_id"),
        measure=str(change.get("measure") or change.get("measure_id") or ""),
        observation_ids=ids,
        stated=stated,
        details=details,
    )
    measure = str(change.get("measure") or "the measure")
    computed = signed_change(expected, kind, change.get("unit"))
    if abs(stated - expected) <= allowed:
        message = f"Verified: {measure} {levels} is a change of {computed}; {said}, which agrees."
        return Check(type="arithmetic", severity="info", message=message, expected=expected, **common)
    if kind == "percent" and unit in RATE_UNITS and str(base_like.get("unit")) in RATE_UNITS:
        points = cur - base
        if abs(stated - points) <= tolerance(change) + t_cur + t_base + EPSILON * max(1.0, abs(points)):
            message = (
                f"{measure[:1].upper()}{measure[1:]}: {said}, but {levels} is a change of "
                f"{signed_change(points, 'points', None)}, a relative change of {computed}. "
                "The stated figure is the difference in percentage points, not a percentage change."
            )
            details["points"] = points
            return Check(type="percentage_points", severity="warning", message=message, expected=points, **common)
    if stated and abs(stated + expected) <= allowed:
        message = (
            f"{measure[:1].upper()}{measure[1:]}: {said}, but {levels} is a change of {computed}: "
            "the size agrees but the direction is the opposite."
        )
        return Check(type="arithmetic", severity="warning", message=message, expected=expected, **common)
    message = (
        f"{measure[:1].upper()}{measure[1:]}: {said}, but {levels} is a change of {computed}, "
        "which the rounding of the figures does not explain."
    )
    if not _same_measure(change, current):
        message += " The level was matched by its place in the passage, so check it is the figure the change refers to."
        return Check(type="arithmetic", severity="warning", message=message, expected=expected, **common)
    severity = "error" if gap_is_large(kind, stated, expected) else "warning"
    return Check(type="arithmetic", severity=severity, message=message, expected=expected, **common)


def _level(row: Row) -> str:
    """A level as a check names it: the figure and its period."""
    return f"{figure(row)} ({row_period_label(row)})"


def _expected(kind: str, cur: float, base: float, t_cur: float, t_base: float) -> tuple[float, float] | None:
    """The change the two levels give, and how much their rounding could move it (None: no base)."""
    if kind == "percent":
        if base == 0:
            return None
        return (cur - base) / abs(base) * 100, 100 * (t_cur / abs(base) + abs(cur) * t_base / base**2)
    return cur - base, t_cur + t_base


def _said(change: Row, documents: Documents, stated: float, kind: str) -> str:
    """Where the change is stated and what it says, with how it was read when that differs."""
    as_read = signed_change(stated, kind, change.get("unit"))
    said = f'{where(change, documents)} states "{figure(change)}"'
    if figure(change) != as_read:
        said += f" (a change of {as_read})"
    return said


def _base_period(change: Row, base_row: Row | None) -> str:
    if base_row is not None:
        return row_period_label(base_row)
    period = period_of(change, "comparison_")
    text = str(change.get("comparison_text") or "")
    return label(period, text if re.search(r"[A-Za-z]", text) else "the comparison period")
