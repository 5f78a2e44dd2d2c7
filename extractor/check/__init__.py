"""Scrutiny checks over observation rows: figures that disagree across papers, and
stated changes the stated numbers do not support.

    checks = run_checks(observation_rows, {doc_id: document_row})
    db["checks"].upsert_all([c.to_row() for c in checks], pk="id")
    print(format_report(checks))

Each check type lives in its own module (``conflicts``, ``baselines``, ``arithmetic``);
each is a pure function over rows, tested on its own in ``tests/test_checks.py``.
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
