"""Write documents, passages, observations, measures and checks into the archive."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import sqlite_utils

from ..models import Document, Passage
from ..pipeline import ExtractedDocument

if TYPE_CHECKING:
    from ..check import Check
    from ..link.measures import Measure


def document_row(
    document: Document, *, passages: int | None = None, observations: int | None = None, manifest: str | None = None
) -> dict[str, Any]:
    """The ``documents`` row of a paper; ``manifest`` is the resolved path of the manifest that brought it."""
    suffix = document.path.rsplit(".", 1)[-1].lower() if "." in document.path else None
    return {
        "id": document.id,
        "title": document.title,
        "date": document.date,
        "path": document.path,
        "sha256": document.sha256,
        "url": document.url,
        "publisher": document.publisher,
        "board": document.board,
        "pages": document.pages,
        "format": suffix,
        "source_url": None,
        "extra": json.dumps(document.extra, sort_keys=True, default=str) if document.extra else None,
        "passages": passages,
        "observations": observations,
        "manifest": manifest,
    }


def passage_row(p: Passage) -> dict[str, Any]:
    return {
        "id": p.id,
        "document_id": p.document_id,
        "kind": p.kind,
        "page": p.page,
        "page_end": p.page_end,
        "paragraph": p.paragraph,
        "section": p.section,
        "text": p.text,
        "char_start": p.start,
        "char_end": p.end,
        "cells": json.dumps(list(p.cells)) if p.cells is not None else None,
        "header": json.dumps(list(p.header)) if p.header is not None else None,
    }


def delete_document(db: sqlite_utils.Database, document_id: str) -> None:
    for table in ("observations", "passages", "documents", "ingest_errors"):
        key = "id" if table == "documents" else "document_id"
        db.execute(f"delete from [{table}] where [{key}] = ?", [document_id])


def write_extracted(db: sqlite_utils.Database, result: ExtractedDocument, *, manifest: str | None = None) -> None:
    """Replace everything the archive holds for this paper with ``result``, brought by ``manifest``."""
    doc = result.document
    delete_document(db, doc.id)
    db["documents"].insert(  # type: ignore[union-attr]
        document_row(doc, passages=len(result.passages), observations=len(result.observations), manifest=manifest)
    )
    replace_rows(db, "passages", [passage_row(p) for p in result.passages])
    rows = sorted((o.to_row() for o in result.observations), key=lambda r: (r["char_start"], r["char_end"], r["id"]))
    replace_rows(db, "observations", rows)


def replace_rows(db: sqlite_utils.Database, table: str, rows: list[dict[str, Any]]) -> None:
    """``insert or replace`` rows of plain values (text, numbers, NULL) that all have the same keys,
    in one ``executemany``: the build writes every paper's passages and observations on one core,
    and ``insert_all``'s per-value conversions cost more than SQLite's own work."""
    if not rows:
        return
    columns = list(rows[0])
    names = ", ".join(f"[{c}]" for c in columns)
    marks = ", ".join("?" for _ in columns)
    db.conn.executemany(
        f"insert or replace into [{table}] ({names}) values ({marks})", [tuple(r[c] for c in columns) for r in rows]
    )


def write_error(
    db: sqlite_utils.Database, document: Document, error: Exception, *, manifest: str | None = None
) -> None:
    """Record that a paper could not be read (and drop what the archive held for it)."""
    delete_document(db, document.id)
    row = {
        "document_id": document.id,
        "path": document.path,
        "error": str(error),
        "error_type": type(error).__name__,
        "manifest": manifest,
    }
    db["ingest_errors"].insert(row, replace=True)  # type: ignore[union-attr]


def write_measures(db: sqlite_utils.Database, catalogue: Iterable[Measure]) -> None:
    """Replace the ``measures`` table with the catalogue."""
    db["measures"].delete_where()  # type: ignore[union-attr]
    rows = (
        {
            "id": m.id,
            "name": m.name,
            "category": m.category,
            "description": m.description,
            "unit": m.unit,
            "better": m.better,
            "aliases": json.dumps(list(m.aliases)),
            "parent": m.parent,
        }
        for m in catalogue
    )
    db["measures"].insert_all(rows, pk="id")  # type: ignore[union-attr]


CHECK_OBSERVATIONS_SQL = """
insert or ignore into check_observations (check_id, observation_id)
select c.id, j.value
from checks c, json_each(case when json_valid(c.observation_ids) then c.observation_ids else '[]' end) j
where j.type = 'text'
"""


def write_checks(db: sqlite_utils.Database, checks: Iterable[Check]) -> None:
    """Replace ``checks``, and ``check_observations`` (one row per check and observation it names,
    indexed by observation: what the served pages look up)."""
    db["checks"].delete_where()  # type: ignore[union-attr]
    db["checks"].insert_all((c.to_row() for c in checks), pk="id", replace=True)  # type: ignore[union-attr]
    db.execute("delete from check_observations")
    db.execute(CHECK_OBSERVATIONS_SQL)


def write_state(db: sqlite_utils.Database, **values: str) -> None:
    """Record the build's fingerprint and schema version in ``archive_state``."""
    rows = [{"key": key, "value": value} for key, value in values.items()]
    db["archive_state"].upsert_all(rows, pk="key")  # type: ignore[union-attr]


def renumber_observations(db: sqlite_utils.Database) -> None:
    """Give observations a stable order: by paper id, then position in the paper.

    Only rows whose number changes are written. ``seq`` is not a full-text column, so the
    FTS update trigger (which would delete and re-index every renumbered row) is set aside
    for the duration of this one statement and put back as it was.
    """
    triggers = db.execute(
        "select name, sql from sqlite_master where type = 'trigger' and tbl_name = 'observations' "
        "and upper(sql) like '%AFTER UPDATE ON%'"
    ).fetchall()
    with db.conn:
        for name, _sql in triggers:
            db.execute(f"drop trigger [{name}]")
        db.execute(
            """
            update observations set seq = ordered.n
            from (
                select id, row_number() over (order by document_id, char_start, char_end, id) as n
                from observations
            ) as ordered
            where ordered.id = observations.id and observations.seq is not ordered.n
            """
        )
        for _name, sql in triggers:
            db.execute(sql)
