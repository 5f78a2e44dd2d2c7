"""The command line, tested in-process with click's CliRunner."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import cli
from extractor.models import OBSERVATION_COLUMNS
from tests.conftest import CORPUS, REPO

PAPER = CORPUS / "spcb-2024-02-27-pcc-statement.txt"


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def test_extract_prints_json_lines_with_the_observation_columns(runner: CliRunner):
    result = runner.invoke(cli, ["extract", str(PAPER), "--date", "2024-02-27"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) > 10
    assert set(OBSERVATION_COLUMNS) <= set(rows[0])
    homicides = [r for r in rows if r["figure"] == "41" and "homicide" in (r["measure"] or "").lower()]
    assert homicides and homicides[0]["value"] == 41 and homicides[0]["unit"] == "count"


def test_extract_writes_csv(runner: CliRunner):
    result = runner.invoke(cli, ["extract", str(PAPER), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert list(rows[0]) == list(OBSERVATION_COLUMNS)
    assert any(r["figure"] == "£166,000" and float(r["value"]) == 166000 for r in rows)


def test_extract_of_a_missing_file_says_so(runner: CliRunner, tmp_path: Path):
    result = runner.invoke(cli, ["extract", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert "file not found" in result.output


def test_extract_rejects_a_bad_date(runner: CliRunner):
    result = runner.invoke(cli, ["extract", str(PAPER), "--date", "27/02/2024"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_build_with_an_unreadable_manifest_exits_2(runner: CliRunner, tmp_path: Path):
    bad = tmp_path / "manifest.yml"
    bad.write_text("documents: [\n  - id: x\n", encoding="utf-8")
    result = runner.invoke(cli, ["build", "--manifest", str(bad), "--db", str(tmp_path / "a.db")])
    assert result.exit_code == 2
    assert "not valid YAML" in result.output
    assert not (tmp_path / "a.db").exists()


def test_check_and_evaluate_on_a_built_archive(runner: CliRunner, corpus_db: Path):
    result = runner.invoke(cli, ["check", "--db", str(corpus_db)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        cli,
        ["evaluate", "--db", str(corpus_db), "--gold", str(REPO / "tests/gold/corpus.jsonl"), "--json"],
    )
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert set(scores["per_doc"]) == {p.stem for p in CORPUS.glob("*.txt")}
    assert 0 < scores["summary"]["recall"] <= 1


def test_commands_without_an_archive_say_how_to_make_one(runner: CliRunner, tmp_path: Path):
    for command in (["check"], ["serve"]):
        result = runner.invoke(cli, [*command, "--db", str(tmp_path / "none.db")])
        assert result.exit_code == 2
        assert "boardpapers build" in result.output


def test_version(runner: CliRunner):
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0 and "boardpapers" in result.output
