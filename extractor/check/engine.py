"""Run every check over a set of observation rows.

Rows are grouped first (by measure and place for the cross-paper checks, by paper for
the arithmetic), so the work grows with the size of each group, not with all pairs of
the whole archive.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .arithmetic import arithmetic_checks
from .baselines import baseline_changes
from .conflicts import conflicts, near_conflicts
from .describe import Documents
from .model import Check

Row = dict[str, Any]


def _place(row: Row) -> str:
    return str(row.get("geo") or "").strip().casefold()


def run_checks(observations: list[Row], documents: Documents, measures: dict[str, str] | None = None) -> list[Check]:
    """All checks for ``observations`` (rows of ``observations``), sorted and de-duplicated.

    ``documents`` maps document ids to rows with at least ``title`` and ``date``; a paper
    missing from it is named by its id and treated as undated. ``measures`` optionally
    maps measure ids to catalogue names (the ``measures`` table), which then name the
    measure in checks and messages instead of each paper's own wording.
    """
    by_measure: dict[tuple[str, str], list[Row]] = defaultdict(list)
    by_document: dict[str, list[Row]] = defaultdict(list)
    for row in observations:
        if row.get("value") is None:
            continue
        if measures and row.get("measure_id") in measures:
            row = {**row, "measure": measures[row["measure_id"]]}
        by_document[str(row.get("document_id"))].append(row)
        if row.get("measure_id"):
            by_measure[(str(row["measure_id"]), _place(row))].append(row)

    found: dict[str, Check] = {}
    for key in sorted(by_measure):
        rows = by_measure[key]
        for check in conflicts(rows, documents) + near_conflicts(rows, documents) + baseline_changes(rows, documents):
            found.setdefault(check.id, check)
    for doc_id in sorted(by_document):
        for check in arithmetic_checks(by_document[doc_id], documents):
            found.setdefault(check.id, check)
    return sorted(found.values(), key=sort_key)


def sort_key(check: Check) -> tuple[str, str, str, str]:
    return (check.measure_id or "", check.measure.casefold(), check.type, check.id)
