"""The checks STYLE.md asks CI to run: ruff on the code, mypy on extractor/."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)


def test_ruff_finds_nothing():
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.fail("ruff is in the test extra: pip install -e '.[test]'")
    result = _run(ruff, "check", "extractor", "datasette_plugins", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_passes_on_the_library():
    result = _run(sys.executable, "-m", "mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_check_passes():
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.fail("ruff is in the test extra: pip install -e '.[test]'")
    result = _run(ruff, "format", "--check", "extractor", "datasette_plugins", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


# The library is held to the project's limits: no function over 60 lines (ruff's C901 <= 12
# is in pyproject's per-file settings) and mypy strict.
STRICT = ("extractor",)
MAX_FUNCTION_LINES = 60


def test_no_function_in_the_library_is_over_60_lines():
    import ast

    files = [p for s in STRICT for p in ((REPO / s).rglob("*.py") if (REPO / s).is_dir() else [REPO / s])]
    long = [
        f"{f.relative_to(REPO)}:{n.lineno} {n.name} ({n.end_lineno - n.lineno + 1} lines)"
        for f in files
        for n in ast.walk(ast.parse(f.read_text(encoding="utf-8")))
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.end_lineno - n.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not long, "split these functions: " + "; ".join(long)


def test_mypy_strict_on_the_library():
    result = _run(sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent", *STRICT)
    assert result.returncode == 0, result.stdout + result.stderr
