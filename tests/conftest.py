"""Shared fixtures: the corpus built once per session into a temporary database, one Datasette over a
renamed copy of it, one real ``boardpapers serve`` of it, and headless Chromium for the browser tests."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.serving import CHROMIUM, CHROMIUM_ARGS, DatasetteClient, serve_archive

# Progress bars show only on a terminal, and pytest captures stderr, so tests need no switch for them.
# ``CI`` means what CI systems mean by it: a run that must not skip the browser or PDF tests.
IN_CI = os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}
NEEDS_A_TOOL = re.compile(r"chromium|playwright|soffice|libreoffice", re.IGNORECASE)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """With ``CI`` set, a browser or PDF test that would skip (no Chromium, no Playwright, no LibreOffice)
    fails instead: a green CI means every test ran."""
    outcome = yield
    report = outcome.get_result()
    if not (IN_CI and report.skipped) or hasattr(report, "wasxfail"):
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    if item.get_closest_marker("browser") or NEEDS_A_TOOL.search(reason):
        report.outcome = "failed"
        report.longrepr = (
            f"CI is set, so this test must run, but it would have been skipped: {reason}. "
            "Install what it needs (.ci/run does: apt-get install chromium libreoffice-writer-nogui), "
            "or unset CI for a local run."
        )


REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
PAPERS = Path(__file__).parent / "papers"
GOLD = Path(__file__).parent / "gold"
ARCHIVE_NAME = "wm-archive"  # the archive_client's database: not the corpus_db's stem


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where browser tests save page screenshots: a temporary folder, or the folder named by
    BOARDPAPERS_SCREENSHOTS (``BOARDPAPERS_SCREENSHOTS=docs pytest -m browser`` refreshes the README's)."""
    target = os.environ.get("BOARDPAPERS_SCREENSHOTS")
    folder = Path(target) if target else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


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


@pytest.fixture(scope="session")
def archive_client(corpus_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatasetteClient]:
    """Datasette's in-process client over the corpus build copied as ``wm-archive.db``, immutable and
    configured as ``boardpapers serve`` configures it: every page must work whatever the file is called."""
    from datasette.app import Datasette

    from extractor.serve import datasette_kwargs

    db = tmp_path_factory.mktemp("renamed") / f"{ARCHIVE_NAME}.db"
    shutil.copy(corpus_db, db)
    client = DatasetteClient(Datasette(immutables=[str(db)], **datasette_kwargs()), ARCHIVE_NAME)
    yield client
    client.close()


@pytest.fixture(scope="session")
def served_corpus(corpus_db: Path) -> Iterator[str]:
    """The base URL of a real ``boardpapers serve`` of the corpus build, started once per session."""
    with serve_archive(corpus_db) as base:
        yield base


@pytest.fixture
def browser() -> Iterator[object]:
    """Headless Chromium (Debian's, through Playwright); skips when either is missing.

    Per test, not per session: a live Playwright keeps an event loop running, and other tests call ``asyncio.run``.
    """
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
