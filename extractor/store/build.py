"""Build or update the archive database from a manifest, atomically.

The build works on a copy of the database beside it (``.NAME.building-PID``) and
moves the copy into place with one rename at the end, after an fsync, so an
interrupted build (even ``kill -9`` or a power cut) leaves the previous database as it
was. Work files left by dead builds are removed by the next build.

Papers whose bytes (sha256) and pipeline are unchanged are not extracted again. When
nothing at all changed, the build only reads the existing file (opened read-only) and
returns without copying it, so a re-run over an unchanged corpus costs one sha256 per
paper.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import sqlite_utils

from ..manifest import ManifestEntry, load_manifest
from ..models import Document
from ..pipeline import ExtractedDocument, extract_document, sha256_of
from ..read.errors import MissingDocument, UnreadableDocument
from .files import ArchiveInUse as ArchiveInUse
from .files import _build_lock, _publish, _settle, _work_path, remove_stale_work_files
from .schema import SCHEMA_DIR, create_schema
from .summaries import refresh_summaries
from .write import delete_document, document_row, renumber_observations, write_error, write_extracted

PACKAGE_DIR = Path(__file__).resolve().parents[1]


def _schema_version() -> str:
    """A hash of ``schema/tables.yml``: an archive made with other tables is rebuilt afresh.

    That is the archive's migration: every paper is extracted again anyway when the
    pipeline changes, so a new schema starts from an empty file instead of altering tables.
    """
    return "tables-" + hashlib.sha256((SCHEMA_DIR / "tables.yml").read_bytes()).hexdigest()[:12]


SCHEMA_VERSION = _schema_version()


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
            lines.append(f"{len(self.errors)} of {self.documents} papers could not be read; see ingest_errors:")
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
    from ..extract.nlp import build_pipeline
    from ..link.measures import get_linker

    build_pipeline()  # load spaCy and the catalogue once; forked workers inherit them
    get_linker()
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
    measures = {r["id"]: r["name"] for r in db.query("select id, name from measures")}
    checks = run_checks(observations, documents, measures)
    db["checks"].delete_where()  # type: ignore[union-attr]
    db["checks"].insert_all((c.to_row() for c in checks), pk="id", replace=True)  # type: ignore[union-attr]
    # one row per (check, observation it names), indexed by observation: what the served pages look up
    db.execute("delete from check_observations")
    db.execute(CHECK_OBSERVATIONS_SQL)
    return len(checks)


CHECK_OBSERVATIONS_SQL = """
insert or ignore into check_observations (check_id, observation_id)
select c.id, j.value
from checks c, json_each(case when json_valid(c.observation_ids) then c.observation_ids else '[]' end) j
where j.type = 'text'
"""


def _tune(db: sqlite_utils.Database) -> None:
    """The work file is thrown away if the build fails, so it needs no crash safety of its own."""
    db.execute("pragma journal_mode = memory")
    db.execute("pragma synchronous = off")
    db.execute("pragma cache_size = -65536")  # 64 MB
    db.execute("pragma temp_store = memory")
    db.execute("pragma recursive_triggers = on")  # a REPLACE also clears the replaced row's FTS entry


def _open_copy(db_path: Path) -> tuple[Path, sqlite_utils.Database]:
    work = _work_path(db_path)
    work.unlink(missing_ok=True)
    if db_path.exists():
        try:
            # Builds never write the published file in place (they replace it whole) and
            # _settle folded in any WAL, so a plain file copy is a consistent snapshot, and
            # much faster than the backup API.
            shutil.copyfile(db_path, work)
            with closing(sqlite3.connect(f"file:{work}?mode=ro", uri=True)) as check:
                check.execute("select count(*) from sqlite_master").fetchone()
        except sqlite3.DatabaseError:
            work.unlink(missing_ok=True)  # an unreadable old file: start afresh
    db = sqlite_utils.Database(work)
    if db["archive_state"].exists() and _state(db, "schema_version") != SCHEMA_VERSION:
        db.close()
        work.unlink()
        db = sqlite_utils.Database(work)
    _tune(db)
    create_schema(db)
    return work, db


# -- deciding what to do -------------------------------------------------------------
def _skipped_row(doc: Document, sha: str, old: dict[str, Any]) -> dict[str, Any]:
    """The documents row an unchanged paper should have (manifest metadata may have changed)."""
    current = replace(
        doc, sha256=sha, pages=old["pages"], title=doc.title or old["title"], date=doc.date or old["date"]
    )
    return document_row(current, passages=old["passages"], observations=old["observations"])


def _unchanged_result(
    db_path: Path, entries: list[ManifestEntry], shas: dict[str, str | None], fingerprint: str
) -> BuildResult | None:
    """A result for a build with nothing to do, read from ``db_path`` opened read-only; else None.

    Nothing to do means: same schema and pipeline fingerprint, the same papers with the
    same bytes and the same manifest metadata, and no paper that failed before.
    """
    if not db_path.is_file() or any(sha is None for sha in shas.values()):
        return None
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        conn.row_factory = sqlite3.Row
        state = dict(conn.execute("select key, value from archive_state").fetchall())
        if state.get("schema_version") != SCHEMA_VERSION or state.get("fingerprint") != fingerprint:
            return None
        if conn.execute("select count(*) from ingest_errors").fetchone()[0]:
            return None
        known = {r["id"]: dict(r) for r in conn.execute("select * from documents")}
        if set(known) != {e.document.id for e in entries}:
            return None
        for entry in entries:
            old = known[entry.document.id]
            sha = shas[entry.document.id]
            if old["sha256"] != sha:
                return None
            row = _skipped_row(entry.document, sha, old)  # type: ignore[arg-type]
            if any(row[k] != old.get(k) for k in row):
                return None
        result = BuildResult(db_path=db_path, documents=len(entries))
        result.skipped = [e.document.id for e in entries]
        result.observations = conn.execute("select count(*) from observations").fetchone()[0]
        result.checks = conn.execute("select count(*) from checks").fetchone()[0]
        return result
    except (sqlite3.Error, KeyError):
        return None  # an old or damaged file: let the full build deal with it
    finally:
        conn.close()


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
    if db_path.parent and not db_path.parent.is_dir():
        db_path.parent.mkdir(parents=True, exist_ok=True)
    with _build_lock(db_path):
        _settle(db_path)
        return _build(entries, db_path, jobs=jobs, force=force, progress=progress)


def _build(
    entries: list[ManifestEntry],
    db_path: Path,
    *,
    jobs: int,
    force: bool,
    progress: Callable[[Iterator, int], Iterator] | None,
) -> BuildResult:
    result = BuildResult(db_path=db_path, documents=len(entries))
    fingerprint = pipeline_fingerprint()
    remove_stale_work_files(db_path)

    shas = {e.document.id: (sha256_of(e.file) if e.file.is_file() else None) for e in entries}
    if not force:
        unchanged = _unchanged_result(db_path, entries, shas, fingerprint)
        if unchanged is not None:
            return unchanged

    work, db = _open_copy(db_path)
    try:
        same_pipeline = not force and _state(db, "fingerprint") == fingerprint
        known = {r["id"]: r for r in db.query("select * from documents")}
        failed = {r["document_id"] for r in db.query("select document_id from ingest_errors")}
        wanted = {e.document.id for e in entries}
        todo: list[tuple[Document, Path]] = []
        for entry in entries:
            doc, file = entry.document, entry.file
            sha = shas[doc.id]
            if sha is None:
                write_error(
                    db, doc, MissingDocument(str(file), f"file not found: {file}: check its path in the manifest")
                )
                result.errors[doc.id] = f"file not found: {file}"
                continue
            old = known.get(doc.id)
            if same_pipeline and old and old["sha256"] == sha and doc.id not in failed:
                result.skipped.append(doc.id)
                row = _skipped_row(doc, sha, old)
                if any(row[k] != old[k] for k in row):
                    db["documents"].upsert(row, pk="id")  # type: ignore[union-attr]
                continue
            todo.append((replace(doc, sha256=sha), file))
        for stale in sorted(set(known) - wanted):
            delete_document(db, stale)
            result.removed.append(stale)
        db.execute(
            "delete from ingest_errors where document_id not in ({})".format(",".join("?" * len(wanted))), list(wanted)
        )

        changed = bool(todo or result.removed or not same_pipeline or result.errors)
        if changed:
            _load_measures(db)
            outcomes = _run(todo, jobs)
            if progress is not None:
                outcomes = progress(outcomes, len(todo))
            for (doc, _file), outcome in zip(todo, outcomes, strict=True):
                if isinstance(outcome, UnreadableDocument):
                    write_error(db, doc, outcome)
                    result.errors[doc.id] = str(outcome)
                else:
                    write_extracted(db, outcome)
                    result.extracted.append(doc.id)
            renumber_observations(db)
            result.checks = _run_checks(db)
            refresh_summaries(db)  # totals the served pages read instead of counting on each visit
            db["archive_state"].upsert_all(  # type: ignore[union-attr]
                [{"key": "fingerprint", "value": fingerprint}, {"key": "schema_version", "value": SCHEMA_VERSION}],
                pk="key",
            )
            db.conn.commit()
            db.execute("analyze")  # statistics for the query planner of the served pages
        else:
            result.checks = db["checks"].count
        result.observations = db["observations"].count
        db.conn.commit()
        db.close()
        _publish(work, db_path)
    except BaseException:
        db.close()
        work.unlink(missing_ok=True)
        raise
    return result
