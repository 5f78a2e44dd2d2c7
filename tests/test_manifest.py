"""Reading manifests: the interface's format, helpful errors, unknown keys kept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractor.manifest import ManifestError, load_manifest, read_manifest
from tests.conftest import CORPUS


def test_the_corpus_manifest_lists_five_papers_with_their_metadata():
    entries = load_manifest(CORPUS / "manifest.yml")
    assert len(entries) == 5
    for e in entries:
        assert e.file.is_file()
        d = e.document
        assert d.title and d.date and d.publisher and d.board


def test_unknown_keys_are_kept(tmp_path: Path):
    m = tmp_path / "m.yml"
    m.write_text("documents:\n  - id: a\n    path: a.txt\n    committee: panel\n    date: 2024-01-02\n")
    (entry,) = load_manifest(m)
    assert entry.document.extra == {"committee": "panel"}
    assert entry.document.date == "2024-01-02"
    assert entry.file == (tmp_path / "a.txt").resolve()


@pytest.mark.parametrize(
    "text, message",
    [
        ("documents: 3\n", "no 'documents:' list"),
        ("documents:\n  - path: a.txt\n", "needs both 'id' and 'path'"),
        ("documents:\n  - {id: a, path: a.txt}\n  - {id: a, path: b.txt}\n", "appears twice"),
        ("documents:\n  - {id: a, path: a.txt, date: 13/05/2014}\n", "YYYY-MM-DD"),
        ("documents: [\n", "not valid YAML"),
    ],
)
def test_bad_manifests_say_what_to_fix(tmp_path: Path, text: str, message: str):
    m = tmp_path / "m.yml"
    m.write_text(text)
    with pytest.raises(ManifestError, match=message):
        load_manifest(m)


@pytest.mark.parametrize(
    "key, near",
    [("dat", "date"), ("titel", "title"), ("ulr", "url"), ("Publisher", "publisher"), ("committee", None)],
)
def test_unknown_keys_are_named_with_the_nearest_known_key(tmp_path: Path, key: str, near: str | None):
    m = tmp_path / "m.yml"
    m.write_text(f"documents:\n  - id: a\n    path: a.txt\n    {key}: 2024-01-02\n")
    manifest = read_manifest(m)
    hint = f" (did you mean '{near}'?)" if near else ""
    assert manifest.warnings == [
        f"{m.resolve()}: document 1 (id: a): unknown key '{key}'{hint}; it is kept in documents.extra, "
        "not used as metadata"
    ]
    assert key in manifest.entries[0].document.extra


def test_a_misspelt_documents_key_is_named(tmp_path: Path):
    m = tmp_path / "m.yml"
    m.write_text("document:\n  - id: a\n    path: a.txt\n")
    with pytest.raises(ManifestError, match=r"has no 'documents:' list \('document' should be 'documents'\)"):
        read_manifest(m)


def test_a_yaml_error_gives_its_line_and_column(tmp_path: Path):
    m = tmp_path / "m.yml"
    m.write_text("documents:\n  - id: a\n    path: a.txt\n  - id: b\n   path: b.txt\n")
    with pytest.raises(ManifestError) as error:
        read_manifest(m)
    assert str(error.value).startswith(f"{m.resolve()} is not valid YAML at line 5, column 4: ")
    assert str(error.value).endswith(": fix the manifest and run again")


@pytest.mark.parametrize(
    "item, message",
    [
        ("{id: a}", "document 2 (id: a) has no 'path'"),
        ("{path: b.txt}", "document 2 (path: b.txt) has no 'id'"),
        ("{title: Third}", "document 2 (title: Third) has no 'id' and no 'path'"),
    ],
)
def test_a_missing_id_or_path_names_the_entry(tmp_path: Path, item: str, message: str):
    m = tmp_path / "m.yml"
    m.write_text(f"documents:\n  - {{id: first, path: first.txt}}\n  - {item}\n")
    with pytest.raises(ManifestError, match=re.escape(f"{m.resolve()}: {message}: every document needs both")):
        read_manifest(m)


def test_the_build_prints_manifest_warnings(tmp_path: Path):
    """Issue 15: typo'd keys (dat:, titel:) were accepted without a word."""
    from click.testing import CliRunner

    from extractor.cli import cli

    (tmp_path / "a.txt").write_text("1. Burglary fell by 3% in 2022/23.\n")
    m = tmp_path / "m.yml"
    m.write_text("documents:\n  - id: a\n    path: a.txt\n    dat: 2024-01-02\n    titel: A paper\n")
    run = CliRunner().invoke(cli, ["build", "--manifest", str(m), "--db", str(tmp_path / "x.db"), "--silent"])
    assert run.exit_code == 0, run.output
    assert f"warning: {m.resolve()}: document 1 (id: a): unknown key 'dat' (did you mean 'date'?)" in run.output
    assert f"warning: {m.resolve()}: document 1 (id: a): unknown key 'titel' (did you mean 'title'?)" in run.output
