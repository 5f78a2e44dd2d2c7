"""Reading manifests: the interface's format, helpful errors, unknown keys kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.manifest import ManifestError, load_manifest
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
