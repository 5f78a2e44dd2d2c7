"""The extraction's words as data: one loader for the pattern files, board overlays chosen
by the manifest's `board:`, and errors that name the file and line of a broken pattern."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from extractor.extract import extract_observations
from extractor.extract.vocabulary import PATTERNS, PatternError, vocabulary
from extractor.models import Document, Observation, SourceText
from extractor.segment import segment

HERE = Path(__file__).parent
NORTHSHIRE = HERE / "boards" / "northshire"
BOARD = "Northshire Police and Crime Panel"


def _patterns_with(tmp_path: Path, overlay: Path | None = None, board: str = BOARD) -> Path:
    """A copy of the package's pattern files, with ``overlay`` added for ``board``: the one
    file (and its line in ``boards.yml``) a person adds to read a new board's papers."""
    patterns = tmp_path / "patterns"
    shutil.copytree(PATTERNS, patterns)
    if overlay is not None:
        shutil.copy(overlay, patterns / "boards" / "northshire.yml")
        with open(patterns / "boards.yml", "a", encoding="utf-8") as f:
            f.write(f'"{board}": boards/northshire.yml\n')
    return patterns


def _read(patterns: Path) -> dict[str, Observation]:
    source = SourceText((NORTHSHIRE / "paper.txt").read_text(encoding="utf-8"))
    doc = Document(id="northshire", path="paper.txt", date="2024-05-14", board=BOARD)
    obs = extract_observations(doc, source, segment(doc.id, source), vocab=vocabulary(BOARD, patterns))
    return {o.figure: o for o in obs}


def test_a_new_boards_wording_is_read_right_only_with_its_overlay(tmp_path: Path) -> None:
    without = _read(_patterns_with(tmp_path / "a"))
    # without the overlay, "shrank by 9%" is a level, "Tranche 3 of 2023/24" the whole year
    # and the tranche's number a figure
    assert (without["9%"].kind, without["9%"].value) == ("value", 9.0)
    assert (without["9%"].period_start, without["9%"].period_end) == ("2023-04-01", "2024-03-31")
    assert "3" in without

    with_overlay = _read(_patterns_with(tmp_path / "b", NORTHSHIRE / "overlay.yml"))
    assert set(with_overlay) == {"9%", "120", "1,450"}
    assert (with_overlay["9%"].kind, with_overlay["9%"].value) == ("change", -9.0)
    assert (with_overlay["120"].kind, with_overlay["120"].value) == ("change", -120.0)
    assert (with_overlay["1,450"].kind, with_overlay["1,450"].value) == ("value", 1450.0)
    for o in with_overlay.values():
        assert (o.period_start, o.period_end, o.period_text) == ("2023-10-01", "2023-12-31", "Tranche 3 of 2023/24")


def test_the_overlay_is_chosen_by_the_board_name_case_insensitively(tmp_path: Path) -> None:
    patterns = _patterns_with(tmp_path, NORTHSHIRE / "overlay.yml")
    assert vocabulary(BOARD.upper(), patterns).period_rules
    assert not vocabulary("Another Board", patterns).period_rules
    assert not vocabulary(None, patterns).period_rules


def test_west_midlands_words_live_in_its_overlay_not_in_the_base() -> None:
    west_midlands = vocabulary("Strategic Policing and Crime Board")
    base = vocabulary()
    assert west_midlands.grade.findall("For P2 Priority Response incidents") == ["2"]
    assert base.grade.findall("For P2 Priority Response incidents") == []
    assert west_midlands.refers_back.search("the SLA has improved") and not base.refers_back.search("the SLA has")
    assert west_midlands.junk_part.search("WMP recorded a total") and not base.junk_part.search("WMP recorded")
    assert west_midlands.tables.target.search("SLA (%)") and not base.tables.target.search("SLA (%)")
    assert west_midlands.cues.cue("set_nouns", anchored="start").match(" LPUs")
    assert not base.cues.cue("set_nouns", anchored="start").match(" LPUs")
    assert not any(
        "WMP" in p or "LPU" in p.upper() for p in (PATTERNS / "cues.yml").read_text().split("\n") if "#" not in p
    )


def _broken(tmp_path: Path, name: str, text: str) -> Path:
    patterns = _patterns_with(tmp_path)
    (patterns / name).write_text(text, encoding="utf-8")
    return patterns


@pytest.mark.parametrize(
    "name,text,line,message",
    [
        ("cues.yml", "down:\n  - reduc\\w*\n  - fell(\n", 3, "not a valid regular expression"),
        ("cues.yml", "down:\n  - reduc\\w*\n   - : [\n", 3, "not valid YAML"),
        ("link.yml", "grade: '\\bP([1-4])(x)'\n", 1, "exactly one group"),
        ("periods.yml", "rules:\n  - handler: fortnight\n    pattern: 'fortnight'\n", 2, "no period handler"),
        ("labels.yml", "junk_parts:\n  - ''\n", 2, "non-empty string"),
    ],
)
def test_a_broken_pattern_file_stops_with_its_file_and_line(
    tmp_path: Path, name: str, text: str, line: int, message: str
) -> None:
    patterns = _broken(tmp_path, name, text)
    with pytest.raises(PatternError, match=message) as e:
        vocabulary(None, patterns)
    assert f"{patterns / name}:{line}" in str(e.value)


def test_an_overlay_with_an_unknown_key_or_a_missing_file_is_an_error(tmp_path: Path) -> None:
    overlay = tmp_path / "bad.yml"
    overlay.write_text("cues:\n  sideways:\n    - askew\n", encoding="utf-8")
    patterns = _patterns_with(tmp_path, overlay)
    with pytest.raises(PatternError, match=r"northshire.yml:2: unknown key 'sideways'"):
        vocabulary(BOARD, patterns)
    (patterns / "boards" / "northshire.yml").unlink()
    with pytest.raises(PatternError, match="is not a file under"):
        vocabulary(BOARD, patterns)
