"""A broken pattern file or catalogue stops the build before any work, naming the file (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import cli
from extractor.link import measures


@pytest.fixture
def one_paper(tmp_path: Path) -> Path:
    (tmp_path / "p.txt").write_text("Burglary fell by 8% in 2023/24.\n", encoding="utf-8")
    manifest = tmp_path / "manifest.yml"
    manifest.write_text("documents:\n  - id: p\n    path: p.txt\n    date: 2024-05-01\n", encoding="utf-8")
    return manifest


def test_broken_catalogue_stops_the_build_with_its_file_and_line(one_paper: Path, tmp_path: Path, monkeypatch):
    broken = tmp_path / "measures.yml"
    broken.write_text("measures:\n  - id: burglary\n    name: Burglary\n    unit: furlongs\n", encoding="utf-8")
    monkeypatch.setattr(measures, "DEFAULT_CATALOGUE", broken)
    measures._cached_linker.cache_clear()
    db = tmp_path / "a.db"
    try:
        result = CliRunner().invoke(cli, ["build", "--manifest", str(one_paper), "--db", str(db)])
    finally:
        measures._cached_linker.cache_clear()
    assert result.exit_code == 2, result.output
    assert str(broken) in result.output
    assert "nothing was changed" in result.output
    assert not db.exists()


def test_a_broken_share_pattern_names_its_file_line_and_key(tmp_path: Path):
    from extractor.check import shares
    from extractor.extract.vocabulary import PatternError

    good = shares.PATTERNS.read_text(encoding="utf-8")
    broken = tmp_path / "shares.yml"
    broken.write_text(good.replace("total_row: '", "total_row: '(unclosed", 1), encoding="utf-8")
    line = good[: good.index("total_row:")].count("\n") + 1
    with pytest.raises(PatternError, match=rf"{broken}:{line}: 'total_row': missing \)"):
        shares.patterns(broken)
    missing = tmp_path / "missing.yml"
    missing.write_text(good.replace("total_row:", "totals_row:", 1), encoding="utf-8")
    with pytest.raises(PatternError, match="'total_row': expected one regular expression"):
        shares.patterns(missing)
