"""Read back what the archive holds, for the commands that report on it."""

from __future__ import annotations

import json

import sqlite_utils

from ..check import Check


def load_checks(db: sqlite_utils.Database) -> list[Check]:
    """Every row of ``checks`` as a ``Check``."""
    return [
        Check(
            id=r["id"],
            type=r["type"],
            severity=r["severity"],
            measure_id=r["measure_id"],
            measure=r["measure"] or "",
            observation_ids=json.loads(r["observation_ids"] or "[]"),
            message=r["message"],
            stated=r["stated"],
            expected=r["expected"],
            details=json.loads(r["details"]) if r["details"] else None,
        )
        for r in db.query("select * from checks order by measure_id, type, id")
    ]
