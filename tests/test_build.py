"""The build is incremental, deterministic and atomic, with the exit codes the README's "Command reference" names.

Observation counts change as extraction improves, so these tests compare builds with each
other and never assert an exact count.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from extractor.build import build_archive
from extractor.cli import cli
from extractor.store.files import remove_stale_work_files

CORPUS = Path(__file__).resolve().parents[1] / "corpus"

CHANGED = "spcb-2021-07-20-crime-performance"


def _writable_corpus(target: Path) -> Path:
    shutil.copytree(CORPUS, target)
    for p in target.iterdir():
        p.chmod(0o644)
    return target


def _rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute(sql).fetchall()


def _count(db: Path, table: str) -> int:
    return _rows(db, f"select count(*) from [{table}]")[0][0]


def _manifest_docs(manifest: Path) -> list[dict]:
    return yaml.safe_load(manifest.read_text())["documents"]


def _write_manifest(manifest: Path, docs: list[dict]) -> None:
    manifest.write_text(yaml.safe_dump({"documents": docs}, sort_keys=False))


OBSERVATIONS = (
    "select seq, id, document_id, passage_id, measure_id, measure, value, unit, kind, period_start, period_end, "
    "figure, quote from observations order by seq"
)
PASSAGES = (
    "select id, document_id, kind, page, paragraph, section, text, char_start, char_end from passages "
    "order by document_id, char_start, id"
)


@pytest.fixture(scope="module", autouse=True)
def frozen_fingerprint() -> object:
    """Hold the pipeline fingerprint still for this module.

    It hashes the extractor's code, so an edit to it while the tests run (or between two
    builds of one test) would rightly re-extract everything and blur what is tested here.
    ``test_a_new_pipeline_re_extracts_everything`` checks the fingerprint itself.
    """
    from extractor import build

    value = build.pipeline_fingerprint()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(build, "pipeline_fingerprint", lambda: value)
        yield value


@pytest.fixture(scope="module")
def built(frozen_fingerprint: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A writable corpus copy and the archive built from it (copy the db before changing it)."""
    root = tmp_path_factory.mktemp("built")
    corpus = _writable_corpus(root / "corpus")
    db = root / "base.db"
    result = build_archive(corpus / "manifest.yml", db)
    assert result.exit_code == 0, result.summary()
    assert sorted(result.extracted) == sorted(d["id"] for d in _manifest_docs(corpus / "manifest.yml"))
    return corpus, db


@pytest.fixture
def work(built: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """A private corpus copy and a private copy of the built archive, as if built from that copy.

    An archive records which manifest (by resolved path) brought each paper, so the copy's
    rows are pointed at the private manifest: otherwise it would take the papers over.
    """
    corpus = _writable_corpus(tmp_path / "corpus")
    db = tmp_path / "archive.db"
    shutil.copyfile(built[1], db)
    with sqlite3.connect(db) as conn:
        conn.execute("update documents set manifest = ?", [str((corpus / "manifest.yml").resolve())])
    conn.close()
    return corpus, db


def test_rerun_over_unchanged_corpus_extracts_nothing_and_leaves_the_file(work: tuple[Path, Path]) -> None:
    corpus, db = work
    before = os.stat(db)
    result = build_archive(corpus / "manifest.yml", db)
    assert result.exit_code == 0
    assert result.extracted == []
    assert len(result.skipped) == result.documents
    assert result.observations == _count(db, "observations") > 0
    after = os.stat(db)
    # decided from the file opened read-only: no copy was made, the file was not replaced
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (before.st_ino, before.st_mtime_ns, before.st_size)
    assert not list(db.parent.glob(f".{db.name}.building-*"))


def test_one_changed_paper_is_the_only_one_extracted(work: tuple[Path, Path]) -> None:
    corpus, db = work
    paper = corpus / f"{CHANGED}.txt"
    paper.write_text(paper.read_text() + "\n\n99. Burglary fell by 7% in 2020/21 compared to 2019/20.\n")
    result = build_archive(corpus / "manifest.yml", db)
    assert result.exit_code == 0
    assert result.extracted == [CHANGED]
    assert len(result.skipped) == result.documents - 1
    assert _rows(db, "pragma integrity_check") == [("ok",)]


def test_incremental_build_equals_a_fresh_build(work: tuple[Path, Path], tmp_path: Path) -> None:
    """Updating an archive paper by paper gives the same rows as building it from nothing."""
    corpus, db = work
    paper = corpus / f"{CHANGED}.txt"
    paper.write_text(paper.read_text().replace("\n\n", "\n\nExtra line.\n\n", 1))
    build_archive(corpus / "manifest.yml", db)
    fresh = tmp_path / "fresh.db"
    build_archive(corpus / "manifest.yml", fresh)
    assert _rows(db, OBSERVATIONS) == _rows(fresh, OBSERVATIONS)
    assert _rows(db, PASSAGES) == _rows(fresh, PASSAGES)
    # full-text indexes agree with their tables
    for table in ("observations", "passages"):
        assert _count(db, f"{table}_fts") == _count(db, table)


def test_two_builds_of_the_same_corpus_are_identical(built: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, first = built
    second = tmp_path / "second.db"
    assert build_archive(corpus / "manifest.yml", second, jobs=2).exit_code == 0
    assert _rows(first, OBSERVATIONS) == _rows(second, OBSERVATIONS)
    assert _rows(first, PASSAGES) == _rows(second, PASSAGES)
    seqs = [r[0] for r in _rows(second, "select seq from observations order by seq")]
    assert seqs == list(range(1, len(seqs) + 1))
    assert _rows(first, "select id from checks order by id") == _rows(second, "select id from checks order by id")


def test_force_extracts_every_paper(work: tuple[Path, Path]) -> None:
    corpus, db = work
    before = _rows(db, OBSERVATIONS)
    result = build_archive(corpus / "manifest.yml", db, force=True)
    assert sorted(result.extracted) == sorted(d["id"] for d in _manifest_docs(corpus / "manifest.yml"))
    assert result.skipped == []
    assert _rows(db, OBSERVATIONS) == before


def test_removing_a_paper_removes_its_rows(work: tuple[Path, Path]) -> None:
    corpus, db = work
    manifest = corpus / "manifest.yml"
    _write_manifest(manifest, [d for d in _manifest_docs(manifest) if d["id"] != CHANGED])
    result = build_archive(manifest, db)
    assert result.removed == [CHANGED]
    assert result.extracted == []
    for table, key in (("documents", "id"), ("passages", "document_id"), ("observations", "document_id")):
        assert _rows(db, f"select count(*) from {table} where {key} = '{CHANGED}'") == [(0,)]
    assert _count(db, "observations_fts") == _count(db, "observations")
    assert _count(db, "passages_fts") == _count(db, "passages")
    # no check points at an observation that is gone
    ids = {r[0] for r in _rows(db, "select id from observations")}
    for (refs,) in _rows(db, "select observation_ids from checks"):
        assert set(yaml.safe_load(refs or "[]")) <= ids


def test_a_new_pipeline_re_extracts_everything(work: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    from extractor import build

    corpus, db = work
    monkeypatch.setattr(build, "pipeline_fingerprint", lambda: "another-pipeline")
    result = build_archive(corpus / "manifest.yml", db)
    assert len(result.extracted) == result.documents
    assert _rows(db, "select value from archive_state where key = 'fingerprint'") == [("another-pipeline",)]


def test_manifest_metadata_change_updates_the_row_without_extracting(work: tuple[Path, Path]) -> None:
    corpus, db = work
    manifest = corpus / "manifest.yml"
    docs = _manifest_docs(manifest)
    docs[0]["title"] = "A corrected title"
    _write_manifest(manifest, docs)
    result = build_archive(manifest, db)
    assert result.extracted == []
    assert _rows(db, f"select title from documents where id = '{docs[0]['id']}'") == [("A corrected title",)]


def test_stale_work_files_of_dead_builds_are_removed(work: tuple[Path, Path]) -> None:
    corpus, db = work
    dead = db.with_name(f".{db.name}.building-999999999")  # no such process
    dead.write_bytes(b"half a database")
    live = db.with_name(f".{db.name}.building-1")  # pid 1 is alive: a build in progress
    live.write_bytes(b"someone else's work")
    (corpus / f"{CHANGED}.txt").write_text("1. Burglary fell by 3% in 2022/23.\n")
    result = build_archive(corpus / "manifest.yml", db)
    assert result.exit_code == 0 and result.extracted == [CHANGED]
    assert not dead.exists()
    assert live.exists()
    live.unlink()
    assert remove_stale_work_files(db) == []


def test_cli_missing_paper_exits_1_and_builds_the_rest(work: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, _db = work
    (corpus / f"{CHANGED}.txt").unlink()
    db = tmp_path / "missing.db"
    run = CliRunner().invoke(cli, ["build", "--manifest", str(corpus / "manifest.yml"), "--db", str(db), "--silent"])
    assert run.exit_code == 1, run.output
    assert "1 of 5 papers could not be read; see ingest_errors" in run.output
    errors = _rows(db, "select document_id, error from ingest_errors")
    assert [e[0] for e in errors] == [CHANGED]
    assert "file not found" in errors[0][1] and "manifest" in errors[0][1]
    built = {r[0] for r in _rows(db, "select id from documents")}
    assert built == {d["id"] for d in _manifest_docs(corpus / "manifest.yml")} - {CHANGED}
    # the error row survives a re-run, and goes once the paper is back
    again = CliRunner().invoke(cli, ["build", "--manifest", str(corpus / "manifest.yml"), "--db", str(db), "--silent"])
    assert again.exit_code == 1
    shutil.copyfile(CORPUS / f"{CHANGED}.txt", corpus / f"{CHANGED}.txt")
    fixed = CliRunner().invoke(cli, ["build", "--manifest", str(corpus / "manifest.yml"), "--db", str(db), "--silent"])
    assert fixed.exit_code == 0, fixed.output
    assert _count(db, "ingest_errors") == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("documents: [\n  - id: a\n    path: [unclosed\n", "is not valid YAML"),
        ("papers:\n  - id: a\n", "has no 'documents:' list"),
        ("documents:\n  - id: a\n", "needs both 'id' and 'path'"),
        ("documents:\n  - {id: a, path: a.txt}\n  - {id: a, path: b.txt}\n", "appears twice"),
        ("documents:\n  - {id: a, path: a.txt, date: 13/05/2014}\n", "write it as YYYY-MM-DD"),
    ],
)
def test_cli_bad_manifest_exits_2_with_a_clear_message(tmp_path: Path, text: str, message: str) -> None:
    manifest = tmp_path / "manifest.yml"
    manifest.write_text(text)
    db = tmp_path / "out.db"
    run = CliRunner().invoke(cli, ["build", "--manifest", str(manifest), "--db", str(db), "--silent"])
    assert run.exit_code == 2, run.output
    assert message in run.output
    assert not db.exists()


def test_cli_missing_manifest_exits_2(tmp_path: Path) -> None:
    run = CliRunner().invoke(cli, ["build", "--manifest", str(tmp_path / "nope.yml"), "--db", str(tmp_path / "x.db")])
    assert run.exit_code == 2
    assert "manifest not found" in run.output


def test_cli_rerun_reports_unchanged(work: tuple[Path, Path]) -> None:
    corpus, db = work
    run = CliRunner().invoke(cli, ["build", "--manifest", str(corpus / "manifest.yml"), "--db", str(db), "--silent"])
    assert run.exit_code == 0, run.output
    assert "0 extracted, 5 unchanged, 0 removed" in run.output


def test_an_unreadable_old_database_is_rebuilt(work: tuple[Path, Path]) -> None:
    corpus, db = work
    db.write_bytes(b"this is not a database" * 100)
    result = build_archive(corpus / "manifest.yml", db)
    assert result.exit_code == 0
    assert len(result.extracted) == result.documents
    assert _rows(db, "pragma integrity_check") == [("ok",)]


def test_a_write_in_place_in_wal_mode_is_kept_and_never_corrupts(work: tuple[Path, Path]) -> None:
    """Another tool wrote to the archive in WAL mode: the build refuses while it holds the file
    open (its WAL would corrupt the renamed file), then keeps what it wrote."""
    from extractor.build import ArchiveInUse

    corpus, db = work
    paper = corpus / f"{CHANGED}.txt"
    paper.write_text(paper.read_text() + "\n\n99. Burglary fell by 7% in 2020/21.\n")
    writer = sqlite3.connect(db)
    try:
        writer.execute("pragma journal_mode = wal")
        writer.execute("insert into archive_state (key, value) values ('note', 'written in place')")
        writer.commit()
        assert Path(f"{db}-wal").stat().st_size > 0  # still in the WAL, not yet in the main file
        before = db.read_bytes()
        with pytest.raises(ArchiveInUse, match="close that program"):
            build_archive(corpus / "manifest.yml", db)
        assert db.read_bytes() == before
    finally:
        writer.close()
    result = build_archive(corpus / "manifest.yml", db)
    assert result.extracted == [CHANGED]
    assert _rows(db, "select value from archive_state where key = 'note'") == [("written in place",)]
    assert _rows(db, "pragma integrity_check") == [("ok",)]
    assert not Path(f"{db}-wal").exists()


def test_an_archive_made_with_other_tables_is_rebuilt_afresh(tmp_path):
    """The schema's migration: a changed tables.yml starts from an empty file."""
    import sqlite_utils

    from extractor.store import build_archive
    from tests.conftest import CORPUS

    db_path = tmp_path / "a.db"
    build_archive(CORPUS / "manifest.yml", db_path)
    db = sqlite_utils.Database(db_path)
    db["archive_state"].upsert({"key": "schema_version", "value": "tables-old"}, pk="key")
    db["leftover"].insert({"x": 1})
    db.close()
    result = build_archive(CORPUS / "manifest.yml", db_path)
    assert len(result.extracted) == 5
    db = sqlite_utils.Database(db_path)
    assert "leftover" not in db.table_names()
    assert db["check_observations"].exists()
