"""A green CI means everything ran: with ``CI`` set, a browser or PDF test that would skip fails.

Runs pytest in a subprocess over made-up tests, with this suite's conftest loaded as a plugin.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

TESTS = """
import pytest

@pytest.mark.browser
def test_browser_without_chromium():
    pytest.skip("no Chromium at /nowhere/chromium (apt-get install chromium)")

def test_pdf_without_libreoffice():
    pytest.skip("LibreOffice (soffice) is not on PATH: install libreoffice-writer-nogui")

def test_without_playwright():
    pytest.importorskip("playwright_that_is_not_installed")

def test_a_skip_about_the_data():
    pytest.skip("the build found no checks")
"""


def _pytest(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_made_up.py").write_text(TESTS)
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci is not None:
        env["CI"] = ci
    argv = [sys.executable, "-m", "pytest", "-p", "tests.conftest", "-p", "no:cacheprovider", "-q", "-rfs"]
    argv += ["--rootdir", str(tmp_path), str(tmp_path / "test_made_up.py")]
    return subprocess.run(argv, cwd=REPO, env={**env, "PYTHONPATH": str(REPO)}, capture_output=True, text=True)


@pytest.mark.parametrize("ci", ["true"])
def test_in_ci_a_browser_or_pdf_test_that_would_skip_fails(tmp_path: Path, ci: str) -> None:
    run = _pytest(tmp_path, ci)
    assert run.returncode == 1, run.stdout
    assert run.stdout.splitlines()[-1].startswith("3 failed, 1 skipped")
    for name in ("test_browser_without_chromium", "test_pdf_without_libreoffice", "test_without_playwright"):
        assert f"test_made_up.py::{name} - CI is set, so this test must run" in run.stdout
    assert "SKIPPED [1]" in run.stdout and "the build found no checks" in run.stdout


@pytest.mark.parametrize("ci", [None, "false"])
def test_outside_ci_they_skip(tmp_path: Path, ci: str | None) -> None:
    run = _pytest(tmp_path, ci)
    assert run.returncode == 0, run.stdout
    assert run.stdout.splitlines()[-1].startswith("4 skipped")


RUNTIME = re.compile(
    r"(^|/)(\.venv|__pycache__|build|dist|[^/]*\.egg-info)/|\.db$|\.lock$|\.building-|\.db-(wal|shm|journal)$"
)


def test_no_runtime_file_is_in_git() -> None:
    """Issue 15: a build's lock file had been committed. Databases, locks, work files and venvs stay out."""
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    listed = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    assert [path for path in listed.splitlines() if RUNTIME.search(path)] == []
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", "boardpapers.db", ".boardpapers.db.lock", ".x.db.building-12", ".venv/"],
        cwd=REPO,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert ignored == ["boardpapers.db", ".boardpapers.db.lock", ".x.db.building-12", ".venv/"]
