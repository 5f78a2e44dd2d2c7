"""Build or update the archive database from a manifest, atomically.

The build works on a copy of the database beside it and moves the copy into place
with one rename at the end, so an interrupted build (even ``kill -9``) leaves the
previous database as it was. Papers whose bytes (sha256) and pipeline are unchanged
are not extracted again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import sqlite_utils

from ..manifest import ManifestEntry, load_manifest
from ..models import Document
from ..pipeline import ExtractedDocument, extract_document, sha256_of
from ..read.errors import MissingDocument, UnreadableDocument
from .schema import SCHEMA_DIR, create_schema
from .write import delete_document, document_row, renumber_observations, write_error, write_extracted

PACKAGE_DIR = Path(__file__).resolve().parents[1]
SCHEMA_VERSION = "1"


@dataclass
class BuildResult:
    db_path: Path
    documents: int = 0
    extracted: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    observations: int = 0
    checks: int = 0

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0

    def summary(self) -> str:
        lines = [
            f"{self.documents} papers in the manifest: {len(self.extracted)} extracted, "
            f"{len(self.skipped)} unchanged, {len(self.removed)} removed",
            f"{self.observations} observations, {self.checks} checks in {self.db_path}",
        ]
        if self.errors:
            lines.append(
                f"{len(self.errors)} of {self.documents} papers could not be read; see ingest_errors:"
            )
            lines.extend(f"  {doc_id}: {message}" for doc_id, message in sorted(self.errors.items()))
        return "\n".join(lines)


def pipeline_fingerprint() -> str:
    """A hash of the extractor's code, patterns and the measure catalogue.

    When it changes, every paper is extracted again, so the archive never mixes
    observations made by two versions of the pipeline.
    """
    h = hashlib.sha256(SCHEMA_VERSION.encode())
    files = sorted(
        p for p in PACKAGE_DIR.rglob("*") if p.is_file() and p.suffix in {".py", ".jsonl", ".json", ".yml", ".yaml"}
    )
    files.append(SCHEMA_DIR / "measures.yml")
    files.append(SCHEMA_DIR / "tables.yml")
    for p in files:
        if p.exists():
            h.update(p.relative_to(PACKAGE_DIR.parent).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


def _extract(item: tuple[Document, Path]) -> ExtractedDocument | UnreadableDocument:
    document, file = item
    try:
        return extract_document(document, file)
    except UnreadableDocument as error:
        return error
    except Exception as error:  # noqa: BLE001 - one paper must never sink the build
        return UnreadableDocument(
            str(file),
            f"could not extract {file.name}: {type(error).__name__}: {error}. "
            "The other papers were built; please report this paper as a bug.",
        )


def _run(items: list[tuple[Document, Path]], jobs: int) -> Iterator[ExtractedDocument | UnreadableDocument]:
    if jobs <= 1 or len(items) <= 1:
        yield from map(_extract, items)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(_extract, items, chunksize=1)


def _state(db: sqlite_utils.Database, key: str) -> str | None:
    row = db.execute("select value from archive_state where key = ?", [key]).fetchone()
    return row[0] if row else None


def _load_measures(db: sqlite_utils.Database) -> None:
    from ..link.measures import load_catalogue

    db["measures"].delete_where()  # type: ignore[union-attr]
    db["measures"].insert_all(  # type: ignore[union-attr]
        (
            {
                "id": m.id,
                "name": m.name,
                "category": m.category,
                "description": m.description,
                "unit": m.unit,
                "better": m.better,
                "aliases": json.dumps(list(m.aliases)),
            }
            for m in load_catalogue()
        ),
        pk="id",
    )


def _run_checks(db: sqlite_utils.Database) -> int:
    from ..check import run_checks

    observations = [dict(r) for r in db.query("select * from observations order by seq")]
    documents = {r["id"]: dict(r) for r in db.query("select * from documents")}
    checks = run_checks(observations, documents)
    db["checks"].delete_where()  # type: ignore[union-attr]
    db["checks"].insert_all((c.to_row() for c in checks), pk="id", replace=True)  # type: ignore[union-attr]
    return len(checks)


def _open_copy(db_path: Path) -> tuple[Path, sqlite_utils.Database]:
    work = db_path.with_name(f".{db_path.name}.building-{os.getpid()}")
    if work.exists():
        work.unlink()
    if db_path.exists():
        try:
            with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as src, sqlite3.connect(work) as dst:
                src.backup(dst)
        except sqlite3.DatabaseError:
            work.unlink(missing_ok=True)  # an unreadable old file: start afresh
    db = sqlite_utils.Database(work)
    if db["archive_state"].exists() and _state(db, "schema_version") != SCHEMA_VERSION:
        db.close()
        work.unlink()
        db = sqlite_utils.Database(work)
    create_schema(db)
    return work, db


def build_archive(
    manifest: str | Path,
    db_path: str | Path,
    *,
    jobs: int = 1,
    force: bool = False,
    progress: Callable[[Iterator, int], Iterator] | None = None,
) -> BuildResult:
    """Build (or bring up to date) the archive at ``db_path`` from ``manifest``."""
    entries: list[ManifestEntry] = load_manifest(manifest)
    db_path = Path(db_path)
    result = BuildResult(db_path=db_path, documents=len(entries))
    fingerprint = pipeline_fingerprint()

    work, db = _open_copy(db_path)
    try:
        same_pipeline = not force and _state(db, "fingerprint") == fingerprint
        known = {r["id"]: r for r in db.query("select * from documents")}
        failed = {r["document_id"] for r in db.query("select document_id from ingest_errors")}
        wanted = {e.document.id for e in entries}
        todo: list[tuple[Document, Path]] = []
        for entry in entries:
            doc, file = entry.document, entry.file
            if not file.is_file():
                write_error(db, doc, MissingDocument(str(file), f"file not found: {file}: check its path in the manifest"))
                result.errors[doc.id] = f"file not found: {file}"
                continue
            sha = sha256_of(file)
            old = known.get(doc.id)
            if same_pipeline and old and old["sha256"] == sha and doc.id not in failed:
                result.skipped.append(doc.id)
                current = replace(doc, sha256=sha, pages=old["pages"], title=doc.title or old["title"],
                                  date=doc.date or old["date"])
                row = document_row(current, passages=old["passages"], observations=old["observations"])
                if any(row[k] != old[k] for k in row):
                    db["documents"].upsert(row, pk="id")  # type: ignore[union-attr]
                continue
            todo.append((replace(doc, sha256=sha), file))
        for stale in sorted(set(known) - wanted):
            delete_document(db, stale)
            result.removed.append(stale)
        db.execute("delete from ingest_errors where document_id not in ({})".format(",".join("?" * len(wanted))), list(wanted))

        changed = bool(todo or result.removed or not same_pipeline or result.errors)
        if changed:
            _load_measures(db)
            outcomes = _run(todo, jobs)
            if progress is not None:
                outcomes = progress(outcomes, len(todo))
            for (doc, _file), outcome in zip(todo, outcomes):
                if isinstance(outcome, UnreadableDocument):
                    write_error(db, doc, outcome)
                    result.errors[doc.id] = str(outcome)
                else:
                    write_extracted(db, outcome)
                    result.extracted.append(doc.id)
            renumber_observations(db)
            result.checks = _run_checks(db)
            db["archive_state"].upsert_all(  # type: ignore[union-attr]
                [{"key": "fingerprint", "value": fingerprint}, {"key": "schema_version", "value": SCHEMA_VERSION}],
                pk="key",
            )
        else:
            result.checks = db["checks"].count
        result.observations = db["observations"].count
        db.conn.commit()
        db.close()
        if changed or not db_path.exists():
            os.replace(work, db_path)
        else:
            work.unlink()
    except BaseException:
        db.close()
        work.unlink(missing_ok=True)
        raise
    return result
