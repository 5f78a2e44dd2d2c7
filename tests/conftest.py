"""Shared fixtures: the corpus built once per session into a temporary database."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("CI", "1")  # no progress bars in tests

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
PAPERS = Path(__file__).parent / "papers"
GOLD = Path(__file__).parent / "gold"


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default corpus built into a fresh archive (once per test session)."""
    from extractor.store import build_archive

    db = tmp_path_factory.mktemp("archive") / "boardpapers.db"
    result = build_archive(CORPUS / "manifest.yml", db)
    assert result.exit_code == 0, result.summary()
    return db


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the corpus folder, for tests that change papers."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target
