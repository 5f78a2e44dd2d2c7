"""The semantics step (``extract/steps/semantics.py``): what each figure is.

Each case is a made-up sentence of a fictional force's paper, read through the whole
extraction, and what the figure in it must say: its basis, whether it names an area or a
breakdown, its bound, and its measure. The words come from ``patterns/semantics.yml``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from extractor.extract.steps.semantics import read_bound
from extractor.extract.vocabulary import PATTERNS, PatternError, vocabulary
from extractor.pipeline import extract_file

HEAD = "Northshire Police\nPerformance Report\n9th July 2024\n\n"


def _rows(tmp_path: Path, body: str, heading: str = "Measure: Reduce Crime") -> list[dict]:
    paper = tmp_path / "paper.txt"
    paper.write_text(f"{HEAD}{heading}\n1. {body}\n", encoding="utf-8")
    return [o.to_row() for o in extract_file(paper, date="2024-07-09").observations]


def _one(tmp_path: Path, body: str, figure: str, heading: str = "Measure: Reduce Crime") -> dict:
    rows = [r for r in _rows(tmp_path, body, heading) if r["figure"] == figure]
    assert rows, f"{figure!r} not extracted from {body!r}"
    return rows[0]


@pytest.mark.parametrize(
    "before, bound",
    [
        ("there were nearly ", "approximate"),
        ("approx. ", "approximate"),
        ("with circa ", "approximate"),
        ("the removal of over ", "at_least"),
        ("more than ", "at_least"),
        ("to no less than ", "at_least"),
        ("averaging less than ", "at_most"),
        ("Fewer than ", "at_most"),
        ("up to ", "at_most"),
        ("There were ", "exact"),
        ("over the last year ", "exact"),
    ],
)
def test_bound_reads_the_words_right_before(before: str, bound: str) -> None:
    assert read_bound(before, vocabulary().semantics) == bound


@pytest.mark.parametrize(
    "body, figure, basis, measure_id",
    [
        ("Homicides remain stable, averaging 5 a month.", "5", "average", "homicide"),
        (
            "Residential burglary is stable at an average of 1,841 per month.",
            "1,841",
            "average",
            "residential_burglary",
        ),
        ("Live chats averaged 615 chats per day in May 2024.", "615", "average", None),
        (
            "The control room took a record 2916 emergency calls in a 24 hour period in May 2024.",
            "2916",
            "average",
            None,
        ),
        ("19% of all homicides in 2023 were domestic-related.", "19%", "share", "homicide"),
        ("Hate crime accounted for 1.5% of total recorded crime in 2023.", "1.5%", "share", "total_recorded_crime"),
        ("Northshire has the third lowest homicide rate among the most similar forces.", "third lowest", "rank", None),
        ("106% of the annual target of county lines closures was met in 2023.", "106%", "other", None),
        ("The median response time in 2023 was 12 minutes and 44 seconds.", "12 minutes and 44 seconds", "total", None),
    ],
)
def test_basis(tmp_path: Path, body: str, figure: str, basis: str, measure_id: str | None) -> None:
    row = _one(tmp_path, body, figure)
    assert row["basis"] == basis, row
    if measure_id:
        assert row["measure_id"] == measure_id, row


def test_a_share_of_them_takes_the_whole_before(tmp_path: Path) -> None:
    rows = _rows(tmp_path, "There were 20 homicides in 2023. One in four of them took place in the city centre.")
    share = next(r for r in rows if r["figure"] == "One in four")
    assert (share["measure_id"], share["basis"], share["area"]) == ("homicide", "share", "the city centre")


@pytest.mark.parametrize(
    "body, figure, area",
    [
        ("Eastbridge Local Policing Area recorded 7 homicides in 2023.", "7", "Eastbridge Local Policing Area"),
        ("Neighbouring Westshire Police recorded 11 homicides in 2023.", "11", "Neighbouring Westshire Police"),
        ("England and Wales recorded 590 homicides in 2023.", "590", "England and Wales"),
        ("Northshire recorded 18 homicides in 2023.", "18", None),
    ],
)
def test_area_is_named_in_the_figures_own_clause(tmp_path: Path, body: str, figure: str, area: str | None) -> None:
    row = _one(tmp_path, body, figure, "Measure: Reduce Homicide")
    assert row["area"] == area, row
    assert row["measure_id"] == "homicide"


def test_the_boards_neighbours_come_from_its_overlay() -> None:
    west_midlands = vocabulary("Strategic Policing and Crime Board").semantics.lists["other_force"]
    assert "Staffordshire" in west_midlands
    assert "Staffordshire" not in vocabulary().semantics.lists["other_force"]


@pytest.mark.parametrize(
    "body, figure, breakdown",
    [
        ("The Force recovered 64 firearms in 2023, including 22 handguns and 9 shotguns.", "22", "handguns"),
        ("The Force recovered 64 firearms in 2023, including 22 handguns and 9 shotguns.", "9", "shotguns"),
        ("The Force recovered 64 firearms in 2023, including 22 handguns and 9 shotguns.", "64", None),
    ],
)
def test_parts_of_a_whole(tmp_path: Path, body: str, figure: str, breakdown: str | None) -> None:
    row = _one(tmp_path, body, figure, "Measure: Firearms")
    assert row["breakdown"] == breakdown, row
    assert row["measure_id"] == "firearms_recovered", row


@pytest.mark.parametrize(
    "body, figure, measure_id, part",
    [
        ("Officers made 214 arrests for knife crime in 2023.", "214", "arrests", True),
        ("In 2023, 96 people were charged with knife crime offences.", "96", "charges", True),
        ("There were 301 burglary detections in 2023.", "301", "detections", True),
        ("Knife crime offences numbered 612 in 2023.", "612", "knife_crime", False),
    ],
)
def test_responses_are_measures_of_their_own(
    tmp_path: Path, body: str, figure: str, measure_id: str, part: bool
) -> None:
    row = _one(tmp_path, body, figure, "Measure: Reduce Knife Crime")
    assert row["measure_id"] == measure_id, row
    assert (row["breakdown"] is not None) == part, row


def test_a_detected_column_is_a_response_and_a_recorded_one_the_crime(tmp_path: Path) -> None:
    paper = tmp_path / "table.txt"
    paper.write_text(
        f"{HEAD}Crime and outcomes 2023/24\tRecorded\tDetected\nDetect Robbery\t1,102\t187\n", encoding="utf-8"
    )
    rows = {r["figure"]: r for r in (o.to_row() for o in extract_file(paper, date="2024-07-09").observations)}
    assert rows["1,102"]["measure_id"] == "all_robbery"
    assert (rows["187"]["measure_id"], rows["187"]["breakdown"]) == ("detections", "Robbery")


@pytest.mark.parametrize(
    "body, figure",
    [
        ("The effect of a patrol on violence with injury lasts for 3 days.", "3 days"),
        ("To reduce violence with injury we released an extra £166,000 in 2023.", "£166,000"),
    ],
)
def test_a_duration_or_a_sum_is_never_a_count(tmp_path: Path, body: str, figure: str) -> None:
    assert _one(tmp_path, body, figure)["measure_id"] is None


def test_a_broken_semantics_pattern_names_its_line(tmp_path: Path) -> None:
    patterns = tmp_path / "patterns"
    shutil.copytree(PATTERNS, patterns)
    (patterns / "semantics.yml").write_text("national:\n  - '(unclosed'\n", encoding="utf-8")
    with pytest.raises(PatternError, match=r"semantics\.yml:2: not a valid regular expression"):
        vocabulary(None, patterns)
