"""Run every check over a set of observation rows.

Rows are grouped first (by measure and place for the cross-paper checks, by paper for
the arithmetic), so the work grows with the size of each group, not with all pairs of
the whole archive.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from .arithmetic import arithmetic_checks
from .baselines import baseline_changes
from .conflicts import conflicts, near_conflicts, within_paper
from .describe import Documents
from .model import Check
from .outliers import series_outliers
from .shares import share_checks
from .table_shares import table_share_checks, tables

Row = dict[str, Any]


def _place(row: Row) -> str:
    """What a figure is, apart from its measure: basis, area and breakdown (``total`` and the
    board's own area when unstated), so only figures of the same thing are compared."""
    parts = (row.get("basis") or "total", row.get("area") or row.get("geo") or "", row.get("breakdown") or "")
    return "|".join(str(p).strip().casefold() for p in parts)


def run_checks(
    observations: list[Row],
    documents: Documents,
    measures: dict[str, str] | None = None,
    passages: Iterable[Row] = (),
) -> list[Check]:
    """All checks for ``observations`` (rows of ``observations``), sorted and de-duplicated.

    ``documents`` maps document ids to rows with at least ``title`` and ``date``; a paper
    missing from it is named by its id and treated as undated. ``measures`` optionally
    maps measure ids to catalogue names (the ``measures`` table), which then name the
    measure in checks and messages instead of each paper's own wording. ``passages``
    (rows of ``passages``: ``id``, ``text``, ``char_start``, ``paragraph``, ``page``) are
    read for the share statements of ``shares``; without them shares are not checked.
    """
    groups = _Groups(observations, measures)
    found: list[Check] = []
    for key in sorted(groups.by_measure):
        rows = groups.by_measure[key]
        found += within_paper(rows, documents) + conflicts(rows, documents) + near_conflicts(rows, documents)
        found += baseline_changes(rows, documents)
    for doc_id in sorted(groups.by_document):
        found += arithmetic_checks(groups.by_document[doc_id], documents)
    passages = list(passages)
    for passage in passages:
        found += share_checks(passage, groups.by_passage.get(str(passage.get("id")), []), documents)
    for table in tables(passages):
        found += table_share_checks(table, groups.by_passage, documents)
    found += series_outliers(observations, documents, measures)
    unique: dict[str, Check] = {}
    for check in found:
        unique.setdefault(check.id, check)  # the first finding of a pair of figures wins
    return sorted(unique.values(), key=sort_key)


class _Groups:
    """The rows with a value, named by the catalogue, by measure and place, by paper and by passage."""

    def __init__(self, observations: list[Row], measures: dict[str, str] | None) -> None:
        self.by_measure: dict[tuple[str, str], list[Row]] = defaultdict(list)
        self.by_document: dict[str, list[Row]] = defaultdict(list)
        self.by_passage: dict[str, list[Row]] = defaultdict(list)
        for row in observations:
            if row.get("value") is None:
                continue
            if measures and row.get("measure_id") in measures:
                row = {**row, "measure": measures[row["measure_id"]]}
            self.by_document[str(row.get("document_id"))].append(row)
            self.by_passage[str(row.get("passage_id"))].append(row)
            if row.get("measure_id"):
                self.by_measure[(str(row["measure_id"]), _place(row))].append(row)


def sort_key(check: Check) -> tuple[str, str, str, str]:
    return (check.measure_id or "", check.measure.casefold(), check.type, check.id)
