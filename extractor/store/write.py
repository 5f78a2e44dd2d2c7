"""Write documents, passages, observations, measures and checks into the archive."""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from ..models import Document, Passage
from ..pipeline import ExtractedDocument


def document_row(document: Document, *, passages: int | None = None, observations: int | None = None) -> dict[str, Any]:
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


def write_extracted(db: sqlite_utils.Database, result: ExtractedDocument) -> None:
    """Replace everything the archive holds for this paper with ``result``."""
    doc = result.document
    delete_document(db, doc.id)
    db["documents"].insert(  # type: ignore[union-attr]
        document_row(doc, passages=len(result.passages), observations=len(result.observations))
    )
    db["passages"].insert_all(  # type: ignore[union-attr]
        (passage_row(p) for p in result.passages), pk="id", replace=True, batch_size=500
    )
    rows = sorted((o.to_row() for o in result.observations), key=lambda r: (r["char_start"], r["char_end"], r["id"]))
    db["observations"].insert_all(rows, pk="id", replace=True, batch_size=500)  # type: ignore[union-attr]


def write_error(db: sqlite_utils.Database, document: Document, error: Exception) -> None:
    delete_document(db, document.id)
    db["ingest_errors"].insert(  # type: ignore[union-attr]
        {"document_id": document.id, "path": document.path, "error": str(error), "error_type": type(error).__name__},
        replace=True,
    )


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
