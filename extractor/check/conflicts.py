"""Figures for the same measure and period that disagree across papers.

* ``conflict``: two papers give different values for exactly the same period, and
  either they carry the same date or one of them has no date.
* ``restatement``: a later paper (by document date) gives a different value for a
  period an earlier paper reported. Each later paper is compared only with the most
  recent earlier paper(s) for that period, so a chain of revisions 41 -> 42 -> 43
  gives two restatements, not three, and a pair is never also reported as a conflict.
* ``conflict`` within one paper: the paper itself gives different values for the same
  measure, period, basis, area and breakdown (an error: the paper contradicts itself).
  When it gives three or more such values, they are likely parts of a breakdown the
  extraction did not label, so they are paired by nearest value and only noted; so are
  two values more than three times apart (a part, an average or another measure).
* ``near_conflict``: different values for periods that nearly coincide (see
  ``periods.nearly_coincide``) in two different papers; papers giving the same figures
  are compared once, so many papers repeating two figures give one finding.

Values "differ" only beyond what the rounding of the two figures explains; a paper that
repeats a figure exactly, or to a different precision, raises nothing.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from itertools import combinations, pairwise
from typing import Any

from .describe import Documents, document_date, figure, number, signed_change, subject, where
from .model import Check
from .periods import Period, label, nearly_coincide, period_of
from .precision import agree, relative_difference, tolerance
from .shares import patterns

Row = dict[str, Any]
SERIOUS = 0.10  # a relative difference above this raises the severity
FACTOR = 3.0  # figures of one paper this many times apart are noted, not flagged (see ``outliers``)


def _statements(rows: list[Row]) -> list[Row]:
    """One row per paper and distinct value: repeats of a figure within a paper collapse."""
    kept: list[Row] = []
    by_doc: dict[str, list[Row]] = defaultdict(list)
    widest: dict[str, float] = defaultdict(float)  # the largest tolerance kept per paper
    for row in sorted(rows, key=lambda r: (str(r["document_id"]), float(r["value"]), str(r["id"]))):
        doc = str(row["document_id"])
        seen, value = by_doc[doc], float(row["value"])
        reach = math.inf if row.get("bound") == "at_most" else tolerance(row) + widest[doc]
        # ``seen`` is in value order: stop where no kept figure can reach this one
        if not any(agree(row, other) for other in _within(seen, value, reach)):
            seen.append(row)
            kept.append(row)
            # a kept "over N" reaches every higher value
            widest[doc] = max(widest[doc], math.inf if row.get("bound") == "at_least" else tolerance(row))
    return kept


def _within(seen: list[Row], value: float, reach: float) -> Iterator[Row]:
    for other in reversed(seen):
        if value - float(other["value"]) > reach:
            return
        yield other


def _by_period(rows: list[Row]) -> dict[tuple[str, Period], list[Row]]:
    groups: dict[tuple[str, Period], list[Row]] = defaultdict(list)
    for row in rows:
        period = period_of(row)
        if row.get("kind") == "value" and period is not None:
            groups[(str(row.get("unit")), period)].append(row)
    return groups


def _details(a: Row, b: Row) -> dict[str, Any]:
    return {
        "values": [float(a["value"]), float(b["value"])],
        "figures": [a.get("figure"), b.get("figure")],
        "documents": [a["document_id"], b["document_id"]],
        "periods": [[a.get("period_start"), a.get("period_end")], [b.get("period_start"), b.get("period_end")]],
        "relative_difference": round(relative_difference(float(a["value"]), float(b["value"])), 6),
    }


def _order(documents: Documents, rows: list[Row]) -> list[Row]:
    def key(r: Row) -> tuple[date, str, str]:
        return (document_date(documents, r["document_id"]) or date.max, str(r["document_id"]), str(r["id"]))

    return sorted(rows, key=key)


def paired(left: list[Row], right: list[Row]) -> list[tuple[Row, Row, bool]]:
    """The figures of two papers to compare, and whether the pairing is ambiguous.

    One figure each: that pair. When either paper gives several figures for the same
    measure, place and period (a breakdown, such as shares of homicides by cause), only
    mutually nearest values are paired, and the pair is flagged as ambiguous.
    """
    if len(left) == 1 and len(right) == 1:
        return [(left[0], right[0], False)]
    nearest_left, nearest_right = _Nearest(left), _Nearest(right)
    return [(a, b, True) for a in left for b in [nearest_right(a)] if nearest_left(b) is a]


class _Nearest:
    """The row of ``rows`` nearest in value to a given row (ties: the smaller id).

    ``rows`` are one paper's statements, whose values are distinct, so the nearest is
    one of the two neighbours in value order.
    """

    def __init__(self, rows: list[Row]) -> None:
        self.rows = sorted(rows, key=lambda r: (float(r["value"]), str(r["id"])))
        self.values = [float(r["value"]) for r in self.rows]

    def __call__(self, row: Row) -> Row:
        value = float(row["value"])
        i = bisect_left(self.values, value)
        near = self.rows[max(0, i - 1) : i + 1]
        return min(near, key=lambda o: (abs(float(o["value"]) - value), str(o["id"])))


def _by_document(statements: list[Row]) -> dict[str, list[Row]]:
    groups: dict[str, list[Row]] = defaultdict(list)
    for row in statements:
        groups[str(row["document_id"])].append(row)
    return groups


def conflicts(rows: list[Row], documents: Documents) -> list[Check]:
    """``conflict`` and ``restatement`` checks for rows of one measure and place."""
    checks: list[Check] = []
    for (unit, _), group in sorted(_by_period(rows).items()):
        papers = _by_document(_order(documents, _statements(group)))
        order = list(papers)  # by date, then id
        dates = {d: document_date(documents, d) for d in order}
        known = sorted({d for d in dates.values() if d is not None})
        previous = {later: earlier for earlier, later in pairwise(known)}  # each date -> the latest earlier date
        for first, second in _comparable(order, dates, previous):
            da, db = dates[first], dates[second]
            restated = da is not None and db is not None and da != db
            for a, b, ambiguous in paired(papers[first], papers[second]):
                if agree(a, b):
                    continue
                make = _restatement if restated else _conflict
                checks.append(_soften(make(a, b, unit, documents)) if ambiguous else make(a, b, unit, documents))
    return checks


def _comparable(order: list[str], dates: dict[str, date | None], previous: dict[date, date]) -> list[tuple[str, str]]:
    """Pairs of papers (in ``order``: by date, then id) whose figures for a period are compared:
    papers of the same date, a paper and those of the latest earlier date, and any pair with
    an undated paper. Found through the dates, so papers of other dates cost nothing.
    """
    by_date: dict[date | None, list[int]] = defaultdict(list)
    pairs: list[tuple[int, int]] = []
    for j, second in enumerate(order):
        day = dates[second]
        if day is None:
            earlier: list[int] = list(range(j))  # undated papers come last: compared with all
        else:
            earlier = by_date[day] + (by_date[previous[day]] if day in previous else [])
        pairs.extend((i, j) for i in earlier)
        by_date[day].append(j)
    return [(order[i], order[j]) for i, j in sorted(pairs)]


def _soften(check: Check) -> Check:
    """A finding from a breakdown: paired by nearest value, so only a note."""
    check.severity = "info"
    check.message += (
        " A paper gives several figures for this measure and period, so these were paired by nearest value;"
        " check that they describe the same thing."
    )
    check.details = {**(check.details or {}), "ambiguous": True}
    return check


def within_paper(rows: list[Row], documents: Documents) -> list[Check]:
    """``conflict`` checks for figures of one paper that disagree (rows of one measure and place).

    Only figures of different numbered paragraphs (or passages, where a paper has no
    numbers) are compared, and only a passage's sole figure for the measure and period: a
    sentence, paragraph or table giving several ("2,172 crimes, of which 63", a table of
    allocations and their total) is stating parts, not restating the figure. A figure given
    with its share of a whole ("153 skilled (47.8%)") is a part; ``shares`` checks it.
    """
    checks: list[Check] = []
    for (unit, _), group in sorted(_by_period(rows).items()):
        for statements in _by_document(_sole_in_passage(group)).values():
            kept = _statements(statements)
            if len({_paragraph(r) for r in kept}) < len(kept):
                continue
            if len(kept) < 2:
                continue
            ordered = sorted(kept, key=lambda r: (int(r.get("char_start") or 0), str(r["id"])))
            ambiguous = len(ordered) > 2
            pairs = list(pairwise(sorted(ordered, key=lambda r: float(r["value"])))) if ambiguous else [tuple(ordered)]
            for a, b in pairs:
                check = _within_conflict(a, b, unit, documents)
                if _far_apart(a, b):
                    check = _unlike(check)
                checks.append(_soften(check) if ambiguous else check)
    return checks


def _far_apart(a: Row, b: Row) -> bool:
    """Values more than ``FACTOR`` times apart: as with series outliers, usually not one figure
    restated but a part, an average or another measure's figure filed under this one."""
    low, high = sorted((abs(float(a["value"])), abs(float(b["value"]))))
    return high > FACTOR * low


def _unlike(check: Check) -> Check:
    check.severity = "info"
    check.message += (
        f" They are more than {FACTOR:g} times apart, so one is more likely a part, an average or another"
        " measure's figure than a restatement: check the link."
    )
    check.details = {**(check.details or {}), "far_apart": True}
    return check


def _sole_in_passage(rows: list[Row]) -> list[Row]:
    """The rows that are the only value their passage gives (repeats of one figure count once)."""
    by_passage: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_passage[str(row.get("passage_id") or row.get("quote") or row["id"])].append(row)
    return [
        group[0]
        for group in by_passage.values()
        if len({float(r["value"]) for r in group}) == 1 and not stated_as_part(group[0])
    ]


def _paragraph(row: Row) -> str:
    number = row.get("paragraph")
    return f"paragraph {number}" if number not in (None, "") else f"passage {row.get('passage_id') or row['id']}"


def stated_as_part(row: Row) -> bool:
    """Whether the row's figure is written with its share in brackets: "63 (4%)"."""
    quote, written = str(row.get("quote") or ""), str(row.get("figure") or "").strip()
    return bool(written) and any(m.group("part") == written for m in patterns().part_share.finditer(quote))


def _within_conflict(a: Row, b: Row, unit: str, documents: Documents) -> Check:
    va, vb = float(a["value"]), float(b["value"])
    message = (
        f"{subject(a)}: the same paper gives {figure(a)} in {where(a, documents)} and {figure(b)} "
        f"in {where(b, documents)}. The figures differ by {number(abs(va - vb), unit, 2)}, more than "
        "their rounding explains, for the same measure, period, basis, area and breakdown."
    )
    return _conflict_check(a, b, "error", message, {**_details(a, b), "within_paper": True})


def _conflict(a: Row, b: Row, unit: str, documents: Documents) -> Check:
    va, vb = float(a["value"]), float(b["value"])
    rel = relative_difference(va, vb)
    message = (
        f"{subject(a)}: {figure(a)} in {where(a, documents)} but {figure(b)} in {where(b, documents)}. "
        f"The papers differ by {number(abs(va - vb), unit, 2)}, more than the rounding of the figures explains."
    )
    return _conflict_check(a, b, "error" if rel > SERIOUS else "warning", message, _details(a, b))


def _conflict_check(a: Row, b: Row, severity: str, message: str, details: dict[str, Any]) -> Check:
    """Two figures for the same thing that disagree: ``b`` stated, ``a`` what it should agree with."""
    return Check(
        type="conflict",
        severity=severity,
        measure_id=a.get("measure_id"),
        measure=str(a.get("measure") or a.get("measure_id") or ""),
        observation_ids=[a["id"], b["id"]],
        message=message,
        stated=float(b["value"]),
        expected=float(a["value"]),
        details=details,
    )


def _restatement(earlier: Row, later: Row, unit: str, documents: Documents) -> Check:
    va, vb = float(earlier["value"]), float(later["value"])
    rel = relative_difference(va, vb)
    message = (
        f"{subject(later)} was restated: {figure(earlier)} in {where(earlier, documents)}, "
        f"then {figure(later)} in the later {where(later, documents)}. "
        f"The figure changed by {signed_change(vb - va, None, unit)}; "
        "check whether the later paper explains the revision."
    )
    return Check(
        type="restatement",
        severity="warning" if rel > SERIOUS else "info",
        measure_id=later.get("measure_id"),
        measure=str(later.get("measure") or later.get("measure_id") or ""),
        observation_ids=[earlier["id"], later["id"]],
        message=message,
        stated=vb,
        expected=va,
        details=_details(earlier, later),
    )


def near_conflicts(rows: list[Row], documents: Documents) -> list[Check]:
    """``near_conflict`` checks: different values for nearly the same period in two papers."""
    by_unit: dict[str, dict[Period, list[Row]]] = defaultdict(dict)
    for (unit, period), group in _by_period(rows).items():
        by_unit[unit][period] = _order(documents, _statements(group))
    checks: list[Check] = []
    for unit, periods in sorted(by_unit.items()):
        for p, q in combinations(sorted(periods), 2):
            if not nearly_coincide(p, q):
                continue
            left, right = _by_document(periods[p]), _by_document(periods[q])
            for first, second in _distinct_pairs(left, right):
                for a, b, ambiguous in paired(left[first], right[second]):
                    if not agree(a, b):
                        check = _near_conflict(a, p, b, q, unit, documents)
                        checks.append(_soften(check) if ambiguous else check)
    return checks


def _distinct_pairs(left: dict[str, list[Row]], right: dict[str, list[Row]]) -> list[tuple[str, str]]:
    """Pairs of different papers, one from each side, one pair per distinct pair of figures.

    Papers that give the same figures (values and wording) are interchangeable here, so
    many papers repeating two figures give one finding, not one per pair of papers.
    """

    def figures(rows: list[Row]) -> tuple[tuple[float, str], ...]:
        return tuple(sorted((float(r["value"]), str(r.get("figure") or "")) for r in rows))

    def by_figures(side: dict[str, list[Row]]) -> dict[tuple[tuple[float, str], ...], list[str]]:
        groups: dict[tuple[tuple[float, str], ...], list[str]] = defaultdict(list)
        for doc, rows in side.items():
            groups[figures(rows)].append(doc)
        return groups

    pairs = []
    rights = list(by_figures(right).values())
    for firsts in by_figures(left).values():
        for seconds in rights:
            pair = next(((f, s) for f in firsts for s in seconds if f != s), None)
            if pair is not None:
                pairs.append(pair)
    rank_left, rank_right = {d: i for i, d in enumerate(left)}, {d: i for i, d in enumerate(right)}
    return sorted(pairs, key=lambda fs: (rank_left[fs[0]], rank_right[fs[1]]))


def _near_conflict(a: Row, p: Period, b: Row, q: Period, unit: str, documents: Documents) -> Check:
    va, vb = float(a["value"]), float(b["value"])
    rel = relative_difference(va, vb)
    measure = str(a.get("measure") or a.get("measure_id") or "This measure")
    message = (
        f"{measure[:1].upper()}{measure[1:]}: {figure(a)} for {label(p)} in {where(a, documents)} "
        f"but {figure(b)} for {label(q)} in {where(b, documents)}. The periods almost coincide, "
        f"so readers may take these as the same figure; they differ by {number(abs(va - vb), unit, 2)}."
    )
    return Check(
        type="near_conflict",
        severity="warning" if rel > SERIOUS else "info",
        measure_id=a.get("measure_id"),
        measure=measure,
        observation_ids=[a["id"], b["id"]],
        message=message,
        stated=vb,
        expected=va,
        details=_details(a, b),
    )
