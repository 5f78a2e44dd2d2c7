"""Several manifests, one archive: a build never loses papers another manifest brought.

Issue 15: following the README, ``boardpapers build --manifest mypapers/manifest.yml``
(default ``--db``) removed the five corpus papers. These tests build a second manifest into
a copy of the corpus archive and check what stays, what goes, and what is printed.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from extractor.cli import cli
from tests.conftest import CORPUS

CORPUS_IDS = sorted(d["id"] for d in yaml.safe_load((CORPUS / "manifest.yml").read_text())["documents"])
PAPER = "1. Residential burglary fell by 3% in 2022/23, to 4,120 offences.\n"


def _ids(db: Path) -> list[str]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return [r[0] for r in conn.execute("select id from documents order by id")]


def _manifests(db: Path) -> dict[str, str]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return dict(conn.execute("select id, manifest from documents"))


def _mine(folder: Path, *ids: str) -> Path:
    """A made-up manifest of small text papers, in its own folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for doc_id in ids:
        (folder / f"{doc_id}.txt").write_text(PAPER)
    docs = [{"id": doc_id, "path": f"{doc_id}.txt", "date": "2023-06-01"} for doc_id in ids]
    manifest = folder / "manifest.yml"
    manifest.write_text(yaml.safe_dump({"documents": docs}))
    return manifest


def _build(*args: str) -> Result:
    return CliRunner().invoke(cli, ["build", "--silent", *args])


@pytest.fixture
def archive(corpus_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The corpus archive, copied to ``boardpapers.db`` (the default --db) in an empty working folder."""
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "boardpapers.db"
    shutil.copyfile(corpus_db, db)
    return db


def test_a_second_manifest_adds_its_paper_and_keeps_every_corpus_paper(archive: Path, tmp_path: Path) -> None:
    mine = _mine(tmp_path / "mypapers", "my-paper")
    run = _build("--manifest", "mypapers/manifest.yml")  # the README's step, default --db
    assert run.exit_code == 0, run.output
    assert "1 paper in the manifest: 1 extracted, 0 unchanged, 0 removed" in run.output
    assert "5 papers from other manifests kept as they are (--prune removes them)" in run.output
    assert _ids(archive) == sorted([*CORPUS_IDS, "my-paper"])
    brought = _manifests(archive)
    assert brought["my-paper"] == str(mine.resolve())
    assert {brought[i] for i in CORPUS_IDS} == {str((CORPUS / "manifest.yml").resolve())}
    # and the corpus build again keeps the new paper
    again = _build("--manifest", str(CORPUS / "manifest.yml"))
    assert again.exit_code == 0, again.output
    assert "0 extracted, 5 unchanged, 0 removed" in again.output
    assert _ids(archive) == sorted([*CORPUS_IDS, "my-paper"])


def test_dry_run_says_what_would_change_and_changes_nothing(archive: Path, tmp_path: Path) -> None:
    _mine(tmp_path / "mypapers", "my-paper")
    before = archive.read_bytes()
    run = _build("--manifest", "mypapers/manifest.yml", "--dry-run")
    assert run.exit_code == 0, run.output
    lines = run.output.splitlines()
    assert lines[0] == (
        "dry run, nothing changed: 1 paper in the manifest: would add 1, update 0, remove 0; 0 unchanged"
    )
    assert "  add my-paper" in lines
    assert archive.read_bytes() == before
    assert not list(tmp_path.glob(".boardpapers.db.building-*"))


def test_a_paper_dropped_from_its_manifest_is_removed_by_name_and_no_other(archive: Path, tmp_path: Path) -> None:
    manifest = _mine(tmp_path / "mypapers", "my-paper", "my-other-paper")
    assert _build("--manifest", str(manifest)).exit_code == 0
    _mine(tmp_path / "mypapers", "my-paper")  # my-other-paper is no longer listed
    dry = _build("--manifest", str(manifest), "--dry-run")
    assert f"  remove my-other-paper: {manifest.resolve()} no longer lists it" in dry.output.splitlines()
    run = _build("--manifest", str(manifest))
    assert run.exit_code == 0, run.output
    assert "1 paper in the manifest: 0 extracted, 1 unchanged, 1 removed" in run.output
    assert f"  removed my-other-paper: {manifest.resolve()} no longer lists it" in run.output.splitlines()
    assert _ids(archive) == sorted([*CORPUS_IDS, "my-paper"])


def test_prune_removes_the_papers_no_manifest_of_the_build_lists_each_by_name(archive: Path, tmp_path: Path) -> None:
    manifest = _mine(tmp_path / "mypapers", "my-paper")
    run = _build("--manifest", str(manifest), "--prune")
    assert run.exit_code == 0, run.output
    assert "1 paper in the manifest: 1 extracted, 0 unchanged, 5 removed" in run.output
    for doc_id in CORPUS_IDS:
        assert any(line.startswith(f"  removed {doc_id}: --prune: brought by ") for line in run.output.splitlines())
    assert _ids(archive) == ["my-paper"]


def test_two_manifests_in_one_build_keep_both(archive: Path, tmp_path: Path) -> None:
    mine = _mine(tmp_path / "mypapers", "my-paper")
    run = _build("--manifest", str(CORPUS / "manifest.yml"), "--manifest", str(mine), "--prune")
    assert run.exit_code == 0, run.output
    assert "6 papers in the 2 manifests: 1 extracted, 5 unchanged, 0 removed" in run.output
    assert _ids(archive) == sorted([*CORPUS_IDS, "my-paper"])


def test_an_id_in_two_manifests_of_one_build_is_an_error(archive: Path, tmp_path: Path) -> None:
    one = _mine(tmp_path / "one", "shared-paper")
    two = _mine(tmp_path / "two", "shared-paper")
    before = archive.read_bytes()
    run = _build("--manifest", str(one), "--manifest", str(two))
    assert run.exit_code == 2
    assert f"id 'shared-paper' is in both {one.resolve()} and {two.resolve()}: ids must be unique" in run.output
    assert archive.read_bytes() == before


def test_an_empty_manifest_is_an_error_unless_prune(archive: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.yml"
    empty.write_text("documents: []\n")
    before = archive.read_bytes()
    run = _build("--manifest", str(empty))
    assert run.exit_code == 2
    assert "lists no papers" in run.output and "pass --prune to empty the archive on purpose" in run.output
    assert archive.read_bytes() == before
    pruned = _build("--manifest", str(empty), "--prune")
    assert pruned.exit_code == 0, pruned.output
    assert "0 papers in the manifest: 0 extracted, 0 unchanged, 5 removed" in pruned.output
    assert _ids(archive) == []


def test_a_new_pipeline_extracts_other_manifests_papers_again_from_their_files(
    archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The archive never mixes two pipelines' figures: another manifest's papers are extracted
    again from the files their manifest named, and stay that manifest's."""
    from extractor import build

    mine = _mine(tmp_path / "mypapers", "my-paper")
    monkeypatch.setattr(build, "pipeline_fingerprint", lambda: "another-pipeline")
    result = build.build_archive(mine, archive)
    assert sorted(result.extracted) == sorted([*CORPUS_IDS, "my-paper"])
    assert result.removed == []
    assert "5 papers from other manifests extracted again: the pipeline changed" in result.summary().splitlines()
    assert {v for k, v in _manifests(archive).items() if k != "my-paper"} == {str((CORPUS / "manifest.yml").resolve())}


def test_outside_the_repository_the_manifest_must_be_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = _build()
    assert run.exit_code == 2
    assert "no --manifest given and no corpus/manifest.yml in" in run.output
    assert "pass --manifest PATH" in run.output
    assert not (tmp_path / "boardpapers.db").exists()


def test_in_the_repository_the_corpus_is_the_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CORPUS.parent)
    run = _build("--db", str(tmp_path / "a.db"), "--dry-run")
    assert run.exit_code == 0, run.output
    assert run.output.splitlines()[0] == (
        "dry run, nothing changed: 5 papers in the manifest: would add 5, update 0, remove 0; 0 unchanged"
    )


def test_plan_build_sorts_every_paper_without_touching_a_file(tmp_path: Path) -> None:
    """The plan is a pure decision over the manifests and a snapshot of the archive."""
    from extractor.build import SCHEMA_VERSION, plan_build, read_manifests
    from extractor.pipeline import sha256_of
    from extractor.store.queries import ArchiveSnapshot

    mine = _mine(tmp_path / "mine", "same", "changed", "new")
    (tmp_path / "mine" / "changed.txt").write_text(PAPER + "2. Robbery rose by 4%.\n")
    sha = sha256_of(tmp_path / "mine" / "same.txt")
    key = str(mine.resolve())

    def row(doc_id: str, manifest: str) -> dict[str, object]:
        return {
            "id": doc_id, "title": None, "date": "2023-06-01", "path": f"{doc_id}.txt", "sha256": sha, "url": None,
            "publisher": None, "board": None, "pages": None, "format": "txt", "source_url": None, "extra": None,
            "passages": 1, "observations": 2, "manifest": manifest,
        }  # fmt: skip

    documents = {
        "same": row("same", key),
        "changed": row("changed", key),
        "dropped": row("dropped", key),
        "theirs": row("theirs", "/elsewhere/manifest.yml"),
    }
    snapshot = ArchiveSnapshot({"schema_version": SCHEMA_VERSION, "fingerprint": "f"}, documents, {}, 8, 0)
    plan = plan_build(read_manifests(mine), snapshot, fingerprint="f")
    assert [p.id for p in plan.unchanged] == ["same"]
    assert [p.id for p in plan.update] == ["changed"]
    assert [p.id for p in plan.add] == ["new"]
    assert plan.remove == {"dropped": f"{key} no longer lists it"}
    assert plan.kept == ["theirs"] and not plan.new_pipeline
    pruned = plan_build(read_manifests(mine), snapshot, fingerprint="f", prune=True)
    assert set(pruned.remove) == {"dropped", "theirs"}
    fresh = plan_build(read_manifests(mine), None, fingerprint="f")
    assert sorted(p.id for p in fresh.add) == ["changed", "new", "same"] and fresh.new_pipeline
