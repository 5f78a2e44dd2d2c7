"""Build or update the archive from one or more manifests: the stages' driver.

This module decides and orchestrates: it reads the manifests, compares them with what the
archive holds (``plan_build``), runs the pipeline over the papers that need it in a worker
pool, loads the measure catalogue, runs the checks and publishes the file. ``store/``
only writes.

Several manifests share one archive. Each paper records the manifest (by its resolved
path) that brought it; a build adds and updates its manifests' papers and removes only
those papers its manifests brought before and no longer list. ``prune=True`` also removes
the papers no manifest of this build lists. ``dry_run=True`` says what would change and
changes nothing.

The build works on a copy beside the archive and moves it into place with one rename
(``store/files.py``), so an interrupted build leaves the previous archive as it was.
Papers whose bytes, metadata and pipeline are unchanged are not extracted again; when
nothing at all changed, the archive is only read (read-only) and the file is not touched.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import sqlite_utils
import yaml

from .manifest import Manifest, ManifestError, read_manifest
from .models import Document
from .pipeline import ExtractedDocument, extract_document, sha256_of
from .read.errors import MissingDocument, UnreadableDocument
from .resources import PACKAGE_DIR, schema_dir
from .store.files import ArchiveInUse as ArchiveInUse
from .store.files import build_lock, open_work_copy, publish, remove_stale_work_files, settle
from .store.queries import ArchiveSnapshot, check_inputs, read_snapshot
from .store.summary import write_measure_summary
from .store.write import (
    delete_document,
    document_row,
    renumber_observations,
    write_checks,
    write_error,
    write_extracted,
    write_measures,
    write_state,
)

Progress = Callable[[Iterator[Any], int], Iterator[Any]]


def _schema_version() -> str:
    """A hash of ``schema/tables.yml``: an archive made with other tables is rebuilt afresh.

    That is the archive's migration: every paper is extracted again anyway when the
    pipeline changes, so a new schema starts from an empty file instead of altering tables.
    """
    return "tables-" + hashlib.sha256((schema_dir() / "tables.yml").read_bytes()).hexdigest()[:12]


SCHEMA_VERSION = _schema_version()


def pipeline_fingerprint() -> str:
    """A hash of the extractor's code, patterns and the measure catalogue.

    When it changes, every paper is extracted again, so the archive never mixes
    observations made by two versions of the pipeline.
    """
    h = hashlib.sha256(SCHEMA_VERSION.encode())
    suffixes = {".py", ".jsonl", ".json", ".yml", ".yaml"}
    files = sorted(p for p in PACKAGE_DIR.rglob("*") if p.is_file() and p.suffix in suffixes)
    files += [schema_dir() / "measures.yml", schema_dir() / "tables.yml"]
    for p in files:
        if p.exists():
            h.update(p.relative_to(p.parents[1]).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


# -- deciding what to do -------------------------------------------------------------
@dataclass
class Paper:
    """One paper a build considers: its record, its file, the manifest that lists it, its bytes' hash."""

    document: Document
    file: Path
    manifest: str
    sha256: str | None
    old: dict[str, Any] | None = None  # its documents row in the archive, if any

    @property
    def id(self) -> str:
        return self.document.id

    def row(self) -> dict[str, Any]:
        """The documents row an unchanged paper should have (its manifest metadata may have changed)."""
        assert self.old is not None and self.sha256 is not None
        old = self.old
        current = replace(
            self.document, sha256=self.sha256, pages=old["pages"], title=self.document.title or old["title"]
        )
        current = replace(current, date=self.document.date or old["date"])
        return document_row(current, passages=old["passages"], observations=old["observations"], manifest=self.manifest)


@dataclass
class BuildPlan:
    """What a build will do, decided from the manifests and the archive before anything is written."""

    manifests: list[str]
    listed: int = 0
    add: list[Paper] = field(default_factory=list)
    update: list[Paper] = field(default_factory=list)  # extracted again: new bytes, a new pipeline, or failed before
    relabel: list[Paper] = field(default_factory=list)  # same bytes, new manifest metadata: the row only
    unchanged: list[Paper] = field(default_factory=list)
    missing: list[Paper] = field(default_factory=list)
    carried: list[Paper] = field(default_factory=list)  # other manifests' papers, extracted again for a new pipeline
    remove: dict[str, str] = field(default_factory=dict)  # id -> why it goes
    kept: list[str] = field(default_factory=list)  # other manifests' papers, left as they are
    notes: list[str] = field(default_factory=list)
    new_pipeline: bool = False

    @property
    def todo(self) -> list[Paper]:
        return self.add + self.update + self.carried

    @property
    def changes_anything(self) -> bool:
        return bool(self.todo or self.relabel or self.remove or self.missing or self.new_pipeline)


def _classify(plan: BuildPlan, paper: Paper, failed: dict[str, str | None]) -> None:
    if paper.sha256 is None:
        plan.missing.append(paper)
    elif paper.old is None:
        plan.add.append(paper)
    elif plan.new_pipeline or paper.old["sha256"] != paper.sha256 or paper.id in failed:
        plan.update.append(paper)
    elif any(value != paper.old.get(key) for key, value in paper.row().items()):
        plan.relabel.append(paper)
    else:
        plan.unchanged.append(paper)


def _carry(row: dict[str, Any]) -> Paper | None:
    """Another manifest's paper, to extract again from its recorded file; None when the file is gone."""
    if not row.get("manifest"):
        return None
    file = (Path(row["manifest"]).parent / row["path"]).resolve()
    if not file.is_file():
        return None
    fields = ("title", "date", "url", "publisher", "board")
    extra = json.loads(row["extra"]) if row.get("extra") else {}
    document = Document(id=row["id"], path=row["path"], extra=extra, **{k: row.get(k) for k in fields})
    return Paper(document, file, row["manifest"], sha256_of(file), old=row)


def _others(plan: BuildPlan, snapshot: ArchiveSnapshot, listed: set[str], prune: bool) -> None:
    """Papers in the archive that no manifest of this build lists: removed, kept or carried."""
    brought = {**snapshot.failed, **{doc_id: row.get("manifest") for doc_id, row in snapshot.documents.items()}}
    for doc_id, manifest in sorted(brought.items()):
        if doc_id in listed:
            continue
        if manifest in plan.manifests:
            plan.remove[doc_id] = f"{manifest} no longer lists it"
        elif prune:
            plan.remove[doc_id] = f"--prune: brought by {manifest or 'an unknown manifest'}, not listed in this build"
        elif doc_id not in snapshot.documents:
            plan.kept.append(doc_id)  # another manifest's paper that could not be read: its error row stays
        elif plan.new_pipeline and (carried := _carry(snapshot.documents[doc_id])) is not None:
            plan.carried.append(carried)
        else:
            plan.kept.append(doc_id)
            if plan.new_pipeline:
                plan.notes.append(
                    f"{doc_id} (from {manifest}) keeps figures from the previous pipeline: its file is gone; "
                    "build its manifest again"
                )


def plan_build(
    manifests: Sequence[Manifest],
    snapshot: ArchiveSnapshot | None,
    *,
    fingerprint: str,
    force: bool = False,
    prune: bool = False,
) -> BuildPlan:
    """Decide what a build of ``manifests`` does to the archive ``snapshot`` (None: no archive yet)."""
    plan = BuildPlan(manifests=[m.key for m in manifests])
    if snapshot is not None and snapshot.state.get("schema_version") != SCHEMA_VERSION:
        for doc_id in sorted(snapshot.documents):
            plan.remove[doc_id] = "the archive was made with other tables and starts afresh"
        snapshot = None
    snapshot = snapshot or ArchiveSnapshot({}, {}, {}, 0, 0)
    plan.new_pipeline = force or snapshot.state.get("fingerprint") != fingerprint
    listed: set[str] = set()
    for manifest in manifests:
        for entry in manifest.entries:
            file = entry.file
            sha = sha256_of(file) if file.is_file() else None
            paper = Paper(entry.document, file, manifest.key, sha, snapshot.documents.get(entry.document.id))
            previous = (paper.old or {}).get("manifest") or snapshot.failed.get(paper.id)
            if previous and previous != manifest.key:
                plan.notes.append(
                    f"{paper.id} was brought by {previous}; {manifest.key} lists it too and now brings it"
                )
            _classify(plan, paper, snapshot.failed)
            listed.add(paper.id)
            plan.remove.pop(paper.id, None)
    plan.listed = len(listed)
    _others(plan, snapshot, listed, prune)
    return plan


# -- what a build did ------------------------------------------------------------------
def _papers(n: int) -> str:
    return f"{n} paper" if n == 1 else f"{n} papers"


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
    plan: BuildPlan | None = None
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0

    def _papers_line(self) -> str:
        manifests = len(self.plan.manifests) if self.plan else 1
        where = "the manifest" if manifests == 1 else f"the {manifests} manifests"
        if not self.dry_run:
            return (
                f"{_papers(self.documents)} in {where}: {len(self.extracted)} extracted, "
                f"{len(self.skipped)} unchanged, {len(self.removed)} removed"
            )
        assert self.plan is not None
        plan = self.plan
        return (
            f"dry run, nothing changed: {_papers(self.documents)} in {where}: would add {len(plan.add)}, "
            f"update {len(plan.update) + len(plan.relabel) + len(plan.carried)}, remove {len(plan.remove)}; "
            f"{len(plan.unchanged)} unchanged"
        )

    def _plan_lines(self) -> list[str]:
        plan = self.plan
        if plan is None:
            return []
        lines: list[str] = []
        if self.dry_run:
            lines += [f"  add {p.id}" for p in plan.add]
            lines += [f"  update {p.id} (extracted again)" for p in plan.update + plan.carried]
            lines += [f"  update {p.id} (metadata only)" for p in plan.relabel]
        verb = "remove" if self.dry_run else "removed"
        lines += [f"  {verb} {doc_id}: {why}" for doc_id, why in plan.remove.items()]
        if plan.carried:
            lines.append(f"{_papers(len(plan.carried))} from other manifests extracted again: the pipeline changed")
        if plan.kept:
            lines.append(f"{_papers(len(plan.kept))} from other manifests kept as they are (--prune removes them)")
        lines += [f"note: {n}" for n in plan.notes]
        return lines

    def summary(self) -> str:
        lines = [self._papers_line(), *self._plan_lines()]
        if not self.dry_run:
            lines.append(f"{self.observations} observations, {self.checks} checks in {self.db_path}")
        if self.errors:
            could = "would not be readable" if self.dry_run else "could not be read; see ingest_errors"
            lines.append(f"{len(self.errors)} of {self.documents} papers {could}:")
            lines.extend(f"  {doc_id}: {message}" for doc_id, message in sorted(self.errors.items()))
        return "\n".join(lines)


# -- doing it ----------------------------------------------------------------------------
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
    from .extract.nlp import build_pipeline
    from .link.measures import get_linker

    build_pipeline()  # load spaCy and the catalogue once; forked workers inherit them
    get_linker()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(_extract, items, chunksize=1)


class KnowledgeError(Exception):
    """A pattern file or the measure catalogue that cannot be read: the build stops before any work."""


def check_knowledge(papers: Sequence[Paper]) -> None:
    """Load every pattern file the papers' boards use and the catalogue once, before extracting,
    so that a broken file stops the build with its file and line instead of failing each paper."""
    from .check.shares import patterns as share_patterns
    from .extract.vocabulary import PatternError, vocabulary
    from .link.measures import get_linker

    try:
        for board in sorted({p.document.board or "" for p in papers}):
            vocabulary(board or None)
        get_linker()
        share_patterns()
    except (PatternError, ValueError, FileNotFoundError, yaml.YAMLError) as error:
        raise KnowledgeError(f"{error}. Fix that file, then build again: nothing was changed.") from None


def _missing_file(paper: Paper) -> MissingDocument:
    return MissingDocument(
        str(paper.file), f"file not found: {paper.file}: check its path in the manifest {paper.manifest}"
    )


def _extract_into(
    db: sqlite_utils.Database, plan: BuildPlan, result: BuildResult, jobs: int, progress: Progress | None
) -> None:
    todo = plan.todo
    items = [(replace(p.document, sha256=p.sha256), p.file) for p in todo]
    outcomes: Iterator[Any] = _run(items, jobs)
    if progress is not None:
        outcomes = progress(outcomes, len(items))
    for paper, (doc, _file), outcome in zip(todo, items, outcomes, strict=True):
        if isinstance(outcome, UnreadableDocument):
            write_error(db, doc, outcome, manifest=paper.manifest)
            result.errors[doc.id] = str(outcome)
        else:
            write_extracted(db, outcome, manifest=paper.manifest)
            result.extracted.append(doc.id)


def _run_checks(db: sqlite_utils.Database) -> int:
    from .check import run_checks

    checks = run_checks(*check_inputs(db))
    write_checks(db, checks)
    return len(checks)


def _apply(
    db: sqlite_utils.Database, plan: BuildPlan, result: BuildResult, jobs: int, progress: Progress | None
) -> None:
    """Write the plan into the work copy ``db``."""
    from .link.measures import load_catalogue

    for paper in plan.missing:
        write_error(db, paper.document, _missing_file(paper), manifest=paper.manifest)
    for paper in plan.relabel:
        db["documents"].upsert(paper.row(), pk="id")  # type: ignore[union-attr]
    for doc_id in plan.remove:
        delete_document(db, doc_id)
    write_measures(db, load_catalogue())
    _extract_into(db, plan, result, jobs, progress)
    renumber_observations(db)
    result.checks = _run_checks(db)
    write_measure_summary(db)  # the measure index's counts, years and sparklines
    write_state(db, fingerprint=pipeline_fingerprint(), schema_version=SCHEMA_VERSION)
    db.conn.commit()
    db.execute("analyze")  # statistics for the query planner of the served pages
    result.observations = db["observations"].count
    db.conn.commit()


def _result(db_path: Path, plan: BuildPlan, snapshot: ArchiveSnapshot | None, warnings: list[str]) -> BuildResult:
    result = BuildResult(db_path=db_path, documents=plan.listed, plan=plan, warnings=warnings)
    result.skipped = [p.id for p in plan.unchanged + plan.relabel]
    result.removed = list(plan.remove)
    result.errors = {p.id: f"file not found: {p.file}" for p in plan.missing}
    if snapshot is not None:
        result.observations, result.checks = snapshot.observations, snapshot.checks
    return result


def read_manifests(manifests: str | Path | Sequence[str | Path], *, prune: bool = False) -> list[Manifest]:
    """Read every manifest of a build. Ids must be unique across them; an empty one needs ``prune``."""
    paths = [manifests] if isinstance(manifests, (str, Path)) else list(manifests)
    read = [read_manifest(p) for p in paths]
    seen: dict[str, str] = {}
    for manifest in read:
        if not manifest.entries and not prune:
            raise ManifestError(
                f"{manifest.path} lists no papers: a build with it would remove every paper it brought. "
                "List papers under 'documents:', or pass --prune to empty the archive on purpose"
            )
        for entry in manifest.entries:
            other = seen.setdefault(entry.document.id, manifest.key)
            if other != manifest.key:
                raise ManifestError(
                    f"id {entry.document.id!r} is in both {other} and {manifest.key}: ids must be unique"
                )
    return read


def build_archive(
    manifest: str | Path | Sequence[str | Path],
    db_path: str | Path,
    *,
    jobs: int = 1,
    force: bool = False,
    prune: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> BuildResult:
    """Build (or bring up to date) the archive at ``db_path`` from one or more manifests.

    Raises ``ManifestError`` for a manifest that cannot be used and ``ArchiveInUse`` when
    another program has the archive open for writing.
    """
    manifests = read_manifests(manifest, prune=prune)
    warnings = [w for m in manifests for w in m.warnings]
    db_path = Path(db_path)
    if dry_run:
        snapshot = read_snapshot(db_path)
        plan = plan_build(manifests, snapshot, fingerprint=pipeline_fingerprint(), force=force, prune=prune)
        result = _result(db_path, plan, snapshot, warnings)
        result.dry_run = True
        return result
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with build_lock(db_path):
        settle(db_path)
        remove_stale_work_files(db_path)
        snapshot = read_snapshot(db_path)
        plan = plan_build(manifests, snapshot, fingerprint=pipeline_fingerprint(), force=force, prune=prune)
        result = _result(db_path, plan, snapshot, warnings)
        if plan.changes_anything:
            check_knowledge(plan.todo)
            result.skipped = [p.id for p in plan.unchanged + plan.relabel]
            work, db = open_work_copy(db_path, SCHEMA_VERSION)
            try:
                _apply(db, plan, result, jobs, progress)
                db.close()
                publish(work, db_path)
            except BaseException:
                db.close()
                work.unlink(missing_ok=True)
                raise
    return result
