"""The word lists moved out of the extraction's Python: each is read from its pattern file,
an overlay's additions reach the step that reads them, and an overlay cannot silently add
to a list that is still read with the base words only."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
import yaml

from extractor.extract.filters import is_year, not_a_measure
from extractor.extract.periods import find_periods
from extractor.extract.steps.kind import refine_unit
from extractor.extract.vocabulary import BASE_ONLY, PATTERNS, PatternError, vocabulary
from extractor.models import Figure

BOARD = "Made-up Shire Police and Crime Panel"


def _patterns(tmp_path: Path, overlay: str) -> Path:
    """A copy of the pattern files with ``overlay`` (YAML text) as the board's overlay."""
    patterns = tmp_path / "patterns"
    shutil.copytree(PATTERNS, patterns)
    (patterns / "boards" / "madeup.yml").write_text(overlay, encoding="utf-8")
    with open(patterns / "boards.yml", "a", encoding="utf-8") as f:
        f.write(f'"{BOARD}": boards/madeup.yml\n')
    return patterns


def _count(text: str, number: str) -> Figure:
    start = text.index(number)
    return Figure(start, start + len(number), number, float(number), "count", "count", "count")


def test_every_base_only_list_is_a_list_of_its_base_file() -> None:
    for section, keys in BASE_ONLY.items():
        base = yaml.safe_load((PATTERNS / f"{section}.yml").read_text(encoding="utf-8"))
        for key in keys:
            assert isinstance(base.get(key), list) and base[key], f"{section}.yml has no list {key!r}"


def test_an_overlay_adding_to_a_base_only_list_stops_with_its_file_and_line(tmp_path: Path) -> None:
    patterns = _patterns(tmp_path, "cues:\n  up: [soared]\nlabels:\n  generic: [stuff]\n")
    with pytest.raises(PatternError, match=r"madeup\.yml:4: 'generic' is read with the base words only"):
        vocabulary(BOARD, patterns)


def test_an_overlays_example_words_make_a_figure_an_example(tmp_path: Path) -> None:
    text = "Officers were sent; to illustrate, 12 officers went to Anytown."
    fig = _count(text, "12")
    assert not not_a_measure(fig, text, vocabulary().cues)
    patterns = _patterns(tmp_path, "cues:\n  example_words: ['to illustrate']\n")
    assert not_a_measure(fig, text, vocabulary(BOARD, patterns).cues)


def test_an_overlays_duration_nouns_keep_a_hyphenated_duration_a_measure(tmp_path: Path) -> None:
    text = "Calls met the 15-minute pledge in most months."
    start = text.index("15-minute")
    fig = Figure(start, start + 9, "15-minute", 900.0, "seconds", "duration", "duration")
    assert not_a_measure(fig, text, vocabulary().cues)
    patterns = _patterns(tmp_path, "cues:\n  duration_measure_nouns: [pledge]\n")
    assert not not_a_measure(fig, text, vocabulary(BOARD, patterns).cues)


def test_an_overlays_time_units_keep_a_count_per_unit_a_count(tmp_path: Path) -> None:
    text = "There were 40 patrols per shift in the town centre."
    fig = _count(text, "40")
    assert refine_unit(fig, text, vocabulary().cues) == "other"
    patterns = _patterns(tmp_path, "cues:\n  time_units: [shift]\n")
    assert refine_unit(fig, text, vocabulary(BOARD, patterns).cues) == "count"


def test_an_overlays_table_words_name_a_days_row(tmp_path: Path) -> None:
    assert not vocabulary().tables.days_row.search("Average shifts lost to sickness")
    patterns = _patterns(tmp_path, "tables:\n  days_rows: ['\\bshifts\\s+lost\\b']\n")
    assert vocabulary(BOARD, patterns).tables.days_row.search("Average shifts lost to sickness")


def test_an_overlays_comparison_words_make_a_period_a_comparison(tmp_path: Path) -> None:
    text = "Burglary was 412 in 2023/24, as opposed to 398 in 2022/23."

    def roles(board: str | None, patterns: Path = PATTERNS) -> list[tuple[str, str]]:
        words = vocabulary(board, patterns).period_words
        return [(m.text, m.role) for m in find_periods(text, reference=datetime.date(2024, 5, 1), words=words)]

    assert roles(None) == [("2023/24", "current"), ("2022/23", "current")]
    patterns = _patterns(tmp_path, "periods:\n  comparison_words: ['as\\s+opposed\\s+to']\n")
    assert roles(BOARD, patterns) == [("2023/24", "current"), ("2022/23", "comparison")]


def test_an_overlays_year_words_make_a_number_a_year(tmp_path: Path) -> None:
    text = "Most of the intake 2019 recruits finished training."
    fig = _count(text, "2019")
    assert not is_year(fig, text, vocabulary().cues)
    patterns = _patterns(tmp_path, "cues:\n  year_lead_words: [intake]\n")
    assert is_year(fig, text, vocabulary(BOARD, patterns).cues)
