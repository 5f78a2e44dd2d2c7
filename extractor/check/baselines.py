"""Comparisons for one measure that use different baselines across papers.

A *baseline* is what a change is measured against: the comparison period and value of a
``change`` row, or a ``value`` row that gives the level of the comparison period (its
period text says "baseline", or a change in the same passage compares with its period,
or it is the earlier of two levels, for periods that do not overlap, in a passage that
compares them).

``baseline_change`` is raised when:

* papers name a *baseline* ("the national baseline") but give it different periods
  (year ending June 2019 in one, calendar 2019 in another): warning;
* changes for the same current period are measured against different comparison
  periods in different papers: info;
* papers give different values for the same baseline period (beyond rounding): warning.
  Pairs of two ``value`` rows are left to the conflict and restatement checks, so the
  same pair of figures is never reported twice.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from .describe import Documents, figure, number, where
from .model import Check
from .periods import Period, label, period_of
from .precision import agree

Row = dict[str, Any]
_NAMED = re.compile(r"\bbase\s?line\b", re.IGNORECASE)
_COMPARES = re.compile(r"\b(?:base\s?line|compared|comparison|than|versus|vs|since|from)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Baseline:
    row: Row
    period: Period
    value: float | None
    unit: str | None
    named: bool  # the paper calls it a baseline
    current: Period | None  # the period compared with it, for change rows

    @property
    def document_id(self) -> str:
        return str(self.row["document_id"])

    def as_row(self) -> Row:
        """A row-like view of the baseline's value, for precision comparisons."""
        if self.row.get("kind") == "value":
            return self.row
        return {"value": self.value, "unit": self.unit, "figure": None}


def _passage_key(row: Row) -> tuple[str, str]:
    return (str(row.get("document_id")), str(row.get("passage_id") or row.get("quote") or row.get("id")))


def _text(row: Row, *names: str) -> str:
    return " ".join(str(row.get(n) or "") for n in names)


def find_baselines(rows: list[Row]) -> list[Baseline]:
    """The baselines stated by rows of one measure."""
    passages: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in rows:
        passages[_passage_key(row)].append(row)
    found: list[Baseline] = []
    for row in rows:
        if row.get("kind") == "change":
            period = period_of(row, "comparison_")
            if period is None:
                continue
            value = row.get("comparison_value")
            found.append(
                Baseline(
                    row, period, None if value is None else float(value), row.get("comparison_unit") or None,
                    bool(_NAMED.search(_text(row, "comparison_text", "quote"))), period_of(row),
                )
            )
        elif row.get("kind") == "value" and _is_baseline_level(row, passages[_passage_key(row)]):
            period = period_of(row)
            assert period is not None
            named = bool(_NAMED.search(_text(row, "period_text", "quote")))
            found.append(Baseline(row, period, float(row["value"]), row.get("unit"), named, None))
    return found


def _is_baseline_level(row: Row, passage: list[Row]) -> bool:
    period = period_of(row)
    if period is None:
        return False
    if _NAMED.search(str(row.get("period_text") or "")):
        return True
    for other in passage:
        if other is row:
            continue
        if other.get("kind") == "change" and period_of(other, "comparison_") == period:
            return True
        later = period_of(other)
        if (
            other.get("kind") == "value"
            and other.get("unit") == row.get("unit")
            and later is not None
            and later[0] > period[1]  # wholly after this row's period
            and _COMPARES.search(str(row.get("quote") or ""))
        ):
            return True
    return False


def baseline_changes(rows: list[Row], documents: Documents) -> list[Check]:
    """``baseline_change`` checks for rows of one measure and place."""
    baselines = sorted(find_baselines(rows), key=lambda b: (b.period, b.document_id, str(b.row["id"])))
    return (
        _named_periods(baselines, documents)
        + _comparison_periods(baselines, documents)
        + _values(baselines, documents)
    )


def _representatives(baselines: list[Baseline]) -> dict[Period, list[Baseline]]:
    by_period: dict[Period, list[Baseline]] = defaultdict(list)
    for b in baselines:
        by_period[b.period].append(b)
    return by_period


def _count(group: list[Baseline], period: str) -> str:
    papers = len({b.document_id for b in group})
    return f"1 paper uses {period}" if papers == 1 else f"{papers} papers use {period}"


def _period_check(a: Baseline, b: Baseline, severity: str, message: str, extra: dict[str, Any]) -> Check:
    row = a.row
    return Check(
        type="baseline_change",
        severity=severity,
        measure_id=row.get("measure_id"),
        measure=str(row.get("measure") or row.get("measure_id") or ""),
        observation_ids=[a.row["id"], b.row["id"]],
        message=message,
        details={
            "reason": extra.pop("reason"),
            "baseline_periods": [[d.isoformat() for d in a.period], [d.isoformat() for d in b.period]],
            **extra,
        },
    )


def _pick(first: list[Baseline], second: list[Baseline]) -> tuple[Baseline, Baseline] | None:
    for a in first:
        for b in second:
            if a.document_id != b.document_id:
                return a, b
    return None


def _named_periods(baselines: list[Baseline], documents: Documents) -> list[Check]:
    by_period = _representatives([b for b in baselines if b.named])
    checks = []
    for p, q in combinations(sorted(by_period), 2):
        pair = _pick(by_period[p], by_period[q])
        if pair is None:
            continue
        a, b = pair
        measure = str(a.row.get("measure") or a.row.get("measure_id"))
        message = (
            f"The baseline for {measure} is {label(p)} in {where(a.row, documents)} but {label(q)} in "
            f"{where(b.row, documents)} ({_count(by_period[p], label(p))}, {_count(by_period[q], label(q))}). "
            "Changes against these baselines cannot be compared directly."
        )
        checks.append(_period_check(a, b, "warning", message, {"reason": "baseline period differs"}))
    return checks


def _comparison_periods(baselines: list[Baseline], documents: Documents) -> list[Check]:
    by_current: dict[Period, list[Baseline]] = defaultdict(list)
    for b in baselines:
        if b.current is not None and not b.named:
            by_current[b.current].append(b)
    checks = []
    for current, group in sorted(by_current.items()):
        by_period = _representatives(group)
        for p, q in combinations(sorted(by_period), 2):
            pair = _pick(by_period[p], by_period[q])
            if pair is None:
                continue
            a, b = pair
            measure = str(a.row.get("measure") or a.row.get("measure_id"))
            message = (
                f"The change in {measure} for {label(current)} is measured against {label(p)} in "
                f"{where(a.row, documents)} but against {label(q)} in {where(b.row, documents)}, "
                f"so the two changes ({figure(a.row)} and {figure(b.row)}) are not like for like."
            )
            checks.append(_period_check(a, b, "info", message, {"reason": "comparison period differs"}))
    return checks


def _values(baselines: list[Baseline], documents: Documents) -> list[Check]:
    groups: dict[tuple[Period, str], list[Baseline]] = defaultdict(list)
    for b in baselines:
        if b.value is not None:
            groups[(b.period, str(b.unit))].append(b)
    checks = []
    for (period, unit), group in sorted(groups.items()):
        for a, b in combinations(group, 2):
            if a.document_id == b.document_id or (a.row.get("kind") == b.row.get("kind") == "value"):
                continue
            if agree(a.as_row(), b.as_row()):
                continue
            assert a.value is not None and b.value is not None
            measure = str(a.row.get("measure") or a.row.get("measure_id"))
            message = (
                f"The baseline level of {measure} for {label(period)} is {number(a.value, unit, 2)} in "
                f"{where(a.row, documents)} but {number(b.value, unit, 2)} in {where(b.row, documents)}. "
                "Changes measured from different baseline levels cannot be compared directly."
            )
            extra = {"reason": "baseline value differs", "values": [a.value, b.value]}
            check = _period_check(a, b, "warning", message, extra)
            check.stated, check.expected = b.value, a.value
            checks.append(check)
    return checks
