"""The command line, tested in-process with click's CliRunner."""

from __future__ import annotations

import csv
import io
import json
import socket
import sqlite3
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


def test_extract_of_a_missing_file_says_so_without_a_manifest(runner: CliRunner, tmp_path: Path):
    """Issue 15: ``extract`` reads no manifest, so its message must not send people to one."""
    result = runner.invoke(cli, ["extract", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert result.output == f"Error: no file at {tmp_path / 'nope.txt'}: check the path (a .pdf, .txt or .md paper)\n"
    assert "manifest" not in result.output


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
    with sqlite3.connect(f"file:{corpus_db}?mode=ro", uri=True) as conn:
        checks = conn.execute("select count(*) from checks").fetchone()[0]
    assert result.output.splitlines()[-1].endswith(f" ({checks} checks)")
    result = runner.invoke(
        cli,
        ["evaluate", "--db", str(corpus_db), "--gold", str(REPO / "tests/gold/corpus.jsonl"), "--json"],
    )
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert set(scores["per_doc"]) == {p.stem for p in CORPUS.glob("*.txt")}
    assert 0 < scores["summary"]["recall"] <= 1


def test_commands_without_an_archive_say_how_to_make_one(runner: CliRunner, tmp_path: Path):
    none = tmp_path / "none.db"
    for command in (["check"], ["serve"]):
        result = runner.invoke(cli, [*command, "--db", str(none)])
        assert result.exit_code == 2
        assert result.output == f"Error: no archive at {none}: run `boardpapers build --db {none}` first\n"


def test_version_is_the_package_version(runner: CliRunner):
    """One version number: pyproject reads extractor.__version__, and --version prints it."""
    from importlib.metadata import version

    from extractor import __version__

    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"boardpapers, version {__version__}\n"
    assert version("boardpapers") == __version__
    assert 'dynamic = ["version"]' in (REPO / "pyproject.toml").read_text()


def test_help_summaries_are_not_cut_off(runner: CliRunner):
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    commands = result.output.split("Commands:\n", 1)[1].splitlines()
    assert {line.split()[0] for line in commands} == set(cli.commands)
    for line in commands:
        assert not line.rstrip().endswith("..."), line


def test_build_help_gives_the_exit_codes(runner: CliRunner):
    result = runner.invoke(cli, ["build", "--help"])
    assert result.exit_code == 0
    assert "Exit status:" in result.output
    for code in ("0  every paper was built", "1  one or more papers could not be read", "2  bad usage"):
        assert code in result.output


def test_serve_says_clearly_when_its_port_is_taken(runner: CliRunner, corpus_db: Path):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(cli, ["serve", "--db", str(corpus_db), "--port", str(port)])
    assert result.exit_code == 2
    assert f"Error: port {port} on 127.0.0.1 is already in use" in result.output
    assert f"pass another port, e.g. --port {port + 1}" in result.output
