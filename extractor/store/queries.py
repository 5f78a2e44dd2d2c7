"""Read back what the archive holds, for the commands that report on it."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


@dataclass
class ArchiveSnapshot:
    """What an existing archive holds, read before a build decides what to do."""

    state: dict[str, str]  # archive_state: schema_version, fingerprint
    documents: dict[str, dict[str, Any]]  # documents rows by id
    failed: dict[str, str | None]  # ingest_errors: document id -> the manifest that listed it
    observations: int
    checks: int


def read_snapshot(db_path: Path) -> ArchiveSnapshot | None:
    """The archive at ``db_path``, opened read-only; None when there is none or it cannot be read."""
    if not db_path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        conn.row_factory = sqlite3.Row
        state = {r["key"]: r["value"] for r in conn.execute("select key, value from archive_state")}
        documents = {r["id"]: dict(r) for r in conn.execute("select * from documents")}
        failed = {r["document_id"]: dict(r).get("manifest") for r in conn.execute("select * from ingest_errors")}
        observations = conn.execute("select count(*) from observations").fetchone()[0]
        checks = conn.execute("select count(*) from checks").fetchone()[0]
        return ArchiveSnapshot(state, documents, failed, observations, checks)
    except sqlite3.Error:
        return None  # an old or damaged file: the build starts it afresh
    finally:
        conn.close()


def check_inputs(
    db: sqlite_utils.Database,
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]], dict[str, str], list[dict[str, Any]]]:
    """What the checks compare: every observation in order, the papers, the measures' names and
    the passages (for statements of a part and its share within one passage)."""
    observations = [dict(r) for r in db.query("select * from observations order by seq")]
    documents = {r["id"]: dict(r) for r in db.query("select * from documents")}
    measures = {r["id"]: r["name"] for r in db.query("select id, name from measures")}
    passages = [dict(r) for r in db.query("select * from passages order by char_start")]
    return observations, documents, measures, passages
