"""Scrutiny checks over observation rows: figures that disagree across papers, and
stated changes the stated numbers do not support.

    checks = run_checks(observation_rows, {doc_id: document_row})
    db["checks"].upsert_all([c.to_row() for c in checks], pk="id")
    print(format_report(checks))

Each check type lives in its own module (``conflicts``, ``baselines``, ``arithmetic``);
each is a pure function over rows, tested on its own in ``tests/test_checks.py``.

Types and severities:

==================  ====================================================  ==================
type                raised when                                           severity
==================  ====================================================  ==================
conflict            same measure, place, unit, period; two papers of the  warning; error over
                    same date (or undated) disagree beyond rounding       10% apart
restatement         a later paper gives a different value for a period    info; warning over
                    the most recent earlier paper reported                10% apart
near_conflict       periods nearly coincide (80% overlap, or ends and     info; warning over
                    lengths within a month), values disagree              10% apart
baseline_change     named baselines of different periods; same current    warning; info for
                    period against different comparison periods; or       comparison periods
                    different baseline levels for one period
arithmetic          a stated change recomputed from its two levels        info when verified;
                                                                          warning when only the
                                                                          sign differs; error
percentage_points   a "percent" change of a rate that is really the       warning
                    difference in points (57% vs 50%: "improved by 7%")
==================  ====================================================  ==================

"Disagree" always means beyond half a unit of the last decimal place written in each
figure (``precision``), so "31%" and "30.6%" agree and a repeated figure raises nothing.
Cross-paper checks compare only rows with a ``measure_id``; the same pair of rows is
reported once (restatement *or* conflict; value-value pairs are never baseline_change),
and each distinct baseline once (against the previous one), so the number of checks
grows with the distinct figures, not with pairs of papers.
"""

from __future__ import annotations

from .arithmetic import arithmetic_checks
from .baselines import baseline_changes
from .conflicts import conflicts, near_conflicts
from .engine import run_checks
from .model import CHECK_TYPES, SEVERITIES, Check
from .report import format_report, summary

__all__ = [
    "CHECK_TYPES",
    "SEVERITIES",
    "Check",
    "arithmetic_checks",
    "baseline_changes",
    "conflicts",
    "format_report",
    "near_conflicts",
    "run_checks",
    "summary",
]
