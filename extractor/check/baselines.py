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

Each distinct baseline is reported once: a period against the latest earlier period
another paper uses, and a paper's level against the nearest level of the paper before
it (by date, then id). So the number of checks grows with the number of distinct
baselines, not with pairs of papers or figures, and papers that repeat the same
baselines (or the same breakdown of them) raise nothing.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Any

from .describe import Documents, document_date, figure, number, where
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
    passages: dict[tuple[str, str], _Passage] = defaultdict(_Passage)
    for row in rows:
        passages[_passage_key(row)].add(row)
    found: list[Baseline] = []
    for row in rows:
        if row.get("kind") == "change":
            period = period_of(row, "comparison_")
            if period is None:
                continue
            value = row.get("comparison_value")
            found.append(
                Baseline(
                    row,
                    period,
                    None if value is None else float(value),
                    row.get("comparison_unit") or None,
                    bool(_NAMED.search(_text(row, "comparison_text", "quote"))),
                    period_of(row),
                )
            )
        elif row.get("kind") == "value" and _is_baseline_level(row, passages[_passage_key(row)]):
            period = period_of(row)
            assert period is not None
            named = bool(_NAMED.search(_text(row, "period_text", "quote")))
            found.append(Baseline(row, period, float(row["value"]), row.get("unit"), named, None))
    return found


class _Passage:
    """What ``_is_baseline_level`` needs to know about the other rows of a passage, gathered
    once, so a passage with many rows costs linear time, not a scan per row."""

    def __init__(self) -> None:
        self.comparison_periods: set[Period] = set()  # of its change rows
        self.latest_start: dict[Any, date] = {}  # by unit: the latest start of a value row's period

    def add(self, row: Row) -> None:
        if row.get("kind") == "change":
            period = period_of(row, "comparison_")
            if period is not None:
                self.comparison_periods.add(period)
        elif row.get("kind") == "value":
            period = period_of(row)
            unit = row.get("unit")
            if period is not None and (unit not in self.latest_start or period[0] > self.latest_start[unit]):
                self.latest_start[unit] = period[0]


def _is_baseline_level(row: Row, passage: _Passage) -> bool:
    period = period_of(row)
    if period is None:
        return False
    if _NAMED.search(str(row.get("period_text") or "")):
        return True
    if period in passage.comparison_periods:  # a change in the passage compares with this period
        return True
    # a level of the same unit for a period wholly after this one (never the row itself: a
    # period does not start after it ends), in a passage that compares them
    latest = passage.latest_start.get(row.get("unit"))
    return latest is not None and latest > period[1] and bool(_COMPARES.search(str(row.get("quote") or "")))


def baseline_changes(rows: list[Row], documents: Documents) -> list[Check]:
    """``baseline_change`` checks for rows of one measure and place."""
    baselines = sorted(find_baselines(rows), key=lambda b: (b.period, b.document_id, str(b.row["id"])))
    return (
        _named_periods(baselines, documents) + _comparison_periods(baselines, documents) + _values(baselines, documents)
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
    """The first pair (in list order) of a baseline from each list, from two different papers."""
    if not first or not second:
        return None
    a = first[0]
    for b in second:
        if b.document_id != a.document_id:
            return a, b
    only = a.document_id  # every baseline of ``second`` is from a's paper
    for a in first:
        if a.document_id != only:
            return a, second[0]
    return None


def _changes_of_period(by_period: dict[Period, list[Baseline]]) -> list[tuple[Period, Period]]:
    """Each distinct period against the latest earlier one stated by another paper.

    A run of periods gives one finding per period, not one per pair of periods, so the
    count grows with the number of distinct periods.
    """
    periods = sorted(by_period)
    papers = {p: frozenset(b.document_id for b in by_period[p]) for p in periods}
    pairs = []
    for j, q in enumerate(periods):
        for p in reversed(periods[:j]):
            if len(papers[p] | papers[q]) > 1:  # a pair from two papers exists
                pairs.append((p, q))
                break
    return pairs


def _named_periods(baselines: list[Baseline], documents: Documents) -> list[Check]:
    by_period = _representatives([b for b in baselines if b.named])
    checks = []
    for p, q in _changes_of_period(by_period):
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
        for p, q in _changes_of_period(by_period):
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


NEIGHBOURS = 2  # levels each side, by value, that may agree with a new one


class _Levels:
    """One paper's baseline levels for a period and unit, sorted by value, for nearest look-ups."""

    def __init__(self, group: list[Baseline]) -> None:
        self.all = sorted(group, key=_by_value)
        self.values = [float(b.value or 0.0) for b in self.all]
        self.changes = [b for b in self.all if not _is_level(b)]
        self.change_values = [float(b.value or 0.0) for b in self.changes]

    def agrees_with(self, b: Baseline) -> bool:
        """Whether a level of this paper near ``b``'s value agrees with it (given rounding)."""
        i = bisect_left(self.values, float(b.value or 0.0))
        return any(agree(o.as_row(), b.as_row()) for o in self.all[max(0, i - NEIGHBOURS) : i + NEIGHBOURS])

    def nearest(self, b: Baseline) -> Baseline | None:
        """The nearest level by value (then id) that may be paired with ``b``: two value rows
        are left to the conflict and restatement checks."""
        pool, values = (self.changes, self.change_values) if _is_level(b) else (self.all, self.values)
        v = float(b.value or 0.0)
        i = bisect_left(values, v)
        near = pool[max(0, i - 1) : i + 1]
        return min(near, key=lambda o: (abs(float(o.value or 0.0) - v), str(o.row["id"])), default=None)


def _by_value(b: Baseline) -> tuple[float, str]:
    return (float(b.value or 0.0), str(b.row["id"]))


def _is_level(b: Baseline) -> bool:
    return b.row.get("kind") == "value"


def _runs(levels: list[Baseline]) -> list[list[Baseline]]:
    """Levels sorted by value, cut into runs that agree with the run's first level."""
    runs: list[list[Baseline]] = []
    for b in levels:
        if runs and agree(runs[-1][0].as_row(), b.as_row()):
            runs[-1].append(b)
        else:
            runs.append([b])
    return runs


def _values(baselines: list[Baseline], documents: Documents) -> list[Check]:
    """Each paper's baseline levels against those of the paper before it (by date, then id).

    A level that no nearby level of the previous paper agrees with is a change of
    baseline, reported once against the nearest level of the previous paper; a level the
    previous paper also gives is consistent. So the count grows with the number of
    distinct baselines, not with pairs of papers or of figures.
    """
    groups: dict[tuple[Period, str], dict[str, list[Baseline]]] = defaultdict(lambda: defaultdict(list))
    for b in baselines:
        if b.value is not None:
            groups[(b.period, str(b.unit))][b.document_id].append(b)
    checks = []
    for (period, unit), papers in sorted(groups.items()):
        order = sorted(papers, key=lambda d: (document_date(documents, d) or date.max, d))
        for before, after in pairwise(order):
            earlier = _Levels(papers[before])
            for run in _runs(sorted(papers[after], key=_by_value)):
                if any(earlier.agrees_with(b) for b in run):
                    continue
                b = next((x for x in run if not _is_level(x)), run[0])
                a = earlier.nearest(b)
                if a is None or agree(a.as_row(), b.as_row()):
                    continue
                checks.append(_value_check(a, b, period, unit, documents))
    return checks


def _value_check(a: Baseline, b: Baseline, period: Period, unit: str, documents: Documents) -> Check:
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
    return check
