"""Series outliers: a level far from the levels either side of it, listed for curation.

A measure's series is what its page charts (the ``measure_levels`` view): ``value`` rows
with ``basis`` total, no ``area`` or ``breakdown``, and a stated period, in one unit.
A level more than ``FACTOR`` times, or less than 1/``FACTOR`` of, both neighbouring
levels (the nearest earlier and later periods of about the same length: a quarter's count
is compared with other quarters, never with years) is usually a figure filed under the wrong
measure, or a part or an average read as the whole: an ``outlier`` check (info, outcome
``curation``) asks a curator to check the link. It is never a disagreement.
"""

from __future__ import annotations

from collections import defaultdict
from statistics import median
from typing import Any

from .describe import Documents, figure, where
from .model import Check
from .periods import Period, label, length, period_of

Row = dict[str, Any]
FACTOR = 3.0
DAYS_PER_MONTH = 30.44  # levels of periods of the same number of months form one series


def in_series(row: Row) -> bool:
    """Whether a row is one of its measure's charted levels (the ``measure_levels`` view)."""
    return (
        bool(row.get("measure_id"))
        and row.get("kind") == "value"
        and (row.get("basis") or "total") == "total"
        and not row.get("area")
        and not row.get("breakdown")
        and row.get("value") is not None
        and period_of(row) is not None
    )


def series_outliers(rows: list[Row], documents: Documents, measures: dict[str, str] | None = None) -> list[Check]:
    """``outlier`` checks for every measure's series in ``rows``."""
    series: dict[tuple[str, str, int], dict[Period, list[Row]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        if in_series(row):
            period = period_of(row)
            assert period is not None
            months = round(length(period) / DAYS_PER_MONTH)
            series[(str(row["measure_id"]), str(row.get("unit")), months)][period].append(row)
    checks = []
    for (measure_id, _, _), points in sorted(series.items()):
        name = (measures or {}).get(measure_id) or measure_id
        checks.extend(_outliers(points, name, documents))
    return checks


def _outliers(points: dict[Period, list[Row]], measure: str, documents: Documents) -> list[Check]:
    periods = sorted(points, key=lambda p: (p[1], p[0]))
    levels = {p: median(float(r["value"]) for r in points[p]) for p in periods}
    checks = []
    for before, here, after in zip(periods, periods[1:], periods[2:], strict=False):
        low, high = sorted((levels[before], levels[after]))
        if low <= 0:
            continue
        for row in points[here]:
            value = float(row["value"])
            if value > FACTOR * high or value * FACTOR < low:
                neighbours = (_nearest(points[before], levels[before]), _nearest(points[after], levels[after]))
                checks.append(_check(row, neighbours, value > high, measure, documents))
    return checks


def _nearest(rows: list[Row], level: float) -> Row:
    return min(rows, key=lambda r: (abs(float(r["value"]) - level), str(r["id"])))


def _check(row: Row, neighbours: tuple[Row, Row], above: bool, measure: str, documents: Documents) -> Check:
    side = "more than three times" if above else "less than a third of"
    either = " and ".join(f"{figure(n)} for {label(period_of(n))}" for n in neighbours)
    message = (
        f"Check this link: {figure(row)} for {label(period_of(row))} in {where(row, documents)} is {side} "
        f"the levels either side of it in the series of {measure} ({either}). It may be a figure of another "
        "measure, a part or an average filed under this one."
    )
    return Check(
        type="outlier",
        severity="info",
        measure_id=str(row["measure_id"]),
        measure=measure,
        observation_ids=[row["id"], neighbours[0]["id"], neighbours[1]["id"]],
        message=message,
        stated=float(row["value"]),
        expected=median([float(n["value"]) for n in neighbours]),
        details={"neighbours": [n["id"] for n in neighbours], "outlier": row["id"], "factor": FACTOR},
    )
