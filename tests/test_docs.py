"""The docs, tested mechanically: every command has help and is in the README."""

from __future__ import annotations

import re

import pytest
import yaml
from click.testing import CliRunner

from extractor.cli import cli
from extractor.store.schema import table_specs
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_with_an_example_and_is_in_the_readme(name: str):
    for flag in ("-h", "--help"):
        result = CliRunner().invoke(cli, [name, flag])
        assert result.exit_code == 0
        assert "Example:" in result.output
    assert f"boardpapers {name}" in README


def test_the_readme_opens_with_the_two_commands():
    blocks = re.findall(r"```bash\n(.*?)\n```", README, re.S)
    assert blocks[0].startswith("pip install -e . &&") and "boardpapers build" in blocks[0] and "serve" in blocks[0]
    assert blocks[1] == "pip install -e '.[test]' && pytest"
    ci = (REPO / ".ci/run").read_text(encoding="utf-8")
    assert blocks[1] in ci


def test_metadata_describes_every_table_and_column():
    meta = yaml.safe_load((REPO / "metadata.yml").read_text(encoding="utf-8"))
    tables = meta["databases"]["*"]["tables"]
    for table, spec in table_specs().items():
        assert tables[table].get("description"), table
        described = set(tables[table].get("columns", {}))
        assert set(spec["columns"]) <= described, (table, set(spec["columns"]) - described)
    for key in ("title", "license", "source"):
        assert meta[key]
