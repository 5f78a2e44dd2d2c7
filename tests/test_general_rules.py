"""Rules for papers nobody here has read (issue 12): figures in words, note markers,
kinds and signs from meaning, periods by syntax and labels that name the thing counted.

Each case is a made-up sentence in the style of some board's papers; the fixture papers
of ``tests/papers/`` (with their hand keys) exercise the same rules in whole papers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.extract.figures import FigureFinder, words_number
from extractor.pipeline import extract_file


@pytest.fixture(scope="module")
def finder() -> FigureFinder:
    return FigureFinder()


def observations(tmp_path: Path, text: str, date: str = "2024-04-25") -> list[dict[str, object]]:
    paper = tmp_path / "paper.txt"
    paper.write_text(text, encoding="utf-8")
    return [o.to_row() for o in extract_file(paper, date=date).observations]


def one(rows: list[dict[str, object]], figure: str) -> dict[str, object]:
    found = [r for r in rows if r["figure"] == figure]
    assert len(found) == 1, (figure, [r["figure"] for r in rows])
    return found[0]


@pytest.mark.parametrize(
    ("text", "figure", "value", "unit"),
    [
        ("crime has fallen by eight per cent.", "eight per cent", 8, "percent"),
        ("Two-thirds of victims are satisfied", "Two-thirds", 2 / 3, "ratio"),
        ("Nine in ten victims were contacted", "Nine in ten", 0.9, "ratio"),
        ("our teams rank 15th nationally for confidence", "15th", 15, "rank"),
        ("the second lowest rate of burglary", "second lowest", 2, "rank"),
        ("was 11 minutes, 11 seconds, down from", "11 minutes, 11 seconds", 671, "seconds"),
        ("numbers rose by four hundred over the term", "four hundred", 400, "count"),
        ("we recruited twenty-five detectives", "twenty-five", 25, "count"),
        ("a fifth more than last year", "a fifth", 0.2, "ratio"),
    ],
)
def test_figures_written_in_words(finder: FigureFinder, text: str, figure: str, value: float, unit: str) -> None:
    found = [(f.text, round(f.value, 4), f.unit) for f in finder.find(text)]
    assert found == [(figure, round(value, 4), unit)]


def test_words_number_reads_compounds() -> None:
    assert words_number("two thousand four hundred") == 2400
    assert words_number("one hundred and five officers") == 105
    assert words_number("no number here") is None


@pytest.mark.parametrize(
    "text",
    [
        "figures published by the Office for National Statistics (1).",
        "(1) Crime in England and Wales, Office for National Statistics.",
        "the 15th June 2024 meeting",
    ],
)
def test_note_markers_and_dates_are_not_figures(finder: FigureFinder, text: str) -> None:
    assert finder.find(text) == []


def test_a_count_in_brackets_after_a_crime_type_is_a_figure(finder: FigureFinder) -> None:
    assert [f.value for f in finder.find("robbery (45) and burglary (3)")] == [45, 3]


@pytest.mark.parametrize(
    ("text", "figure", "kind", "value"),
    [
        ("Since 2010 the force has lost 310 police staff posts.", "310", "change", -310),
        ("on top of the £48m slashed from the budget since 2010.", "£48m", "change", -48e6),
        ("The force gained 120 officers in 2023.", "120", "change", 120),
        ("Officers made more than 9,000 arrests.", "9,000", "value", 9000),
        ("The Commissioner has pledged to recruit 120 more officers by March 2025.", "120", "target", 120),
        ("Capital spending of £18.9m is planned in 2024/25, including £4.2m on vans.", "£18.9m", "target", 18.9e6),
        ("Capital spending of £18.9m is planned in 2024/25, including £4.2m on vans.", "£4.2m", "target", 4.2e6),
        ("The precept will rise to £284.04 in 2024/25, an increase of £13 a year.", "£284.04", "target", 284.04),
        ("The precept will rise to £284.04 in 2024/25, an increase of £13 a year.", "£13", "change", 13),
        ("Incidents fell by 11% (2,315 incidents) over the year.", "2,315", "change", -2315),
        ("Knife crime and violence with injury fell by 7% and 5% respectively.", "5%", "change", -5),
        ("Satisfaction was 71.8% (+0.8%) in 2023.", "71.8%", "value", 71.8),
        ("there are 196 Initial and 955 Refresher planned course spaces", "955", "value", 955),
    ],
)
def test_kinds_and_signs_from_meaning(tmp_path: Path, text: str, figure: str, kind: str, value: float) -> None:
    row = one(observations(tmp_path, text, "2024-02-08"), figure)
    assert (row["kind"], row["value"]) == (kind, value)


@pytest.mark.parametrize(
    ("text", "figure", "label"),
    [
        ("Compared with last year:\n- theft down 4%, robbery down 9%, burglary down 12%\n", "9%", "robbery"),
        ("Compared with last year:\n- theft down 4%, robbery down 9%\n- vehicle crime up 3%\n", "3%", "vehicle crime"),
        ("There were 1,240 fewer victims of burglary than in 2022.", "1,240", "victims of burglary"),
        ("The room answered 182,400 emergency calls, and 94% of them within the target.", "94%", "emergency calls"),
    ],
)
def test_labels_name_the_thing_counted(tmp_path: Path, text: str, figure: str, label: str) -> None:
    row = one(observations(tmp_path, text), figure)
    assert str(row["measure"]).startswith(label), row["measure"]


@pytest.mark.parametrize(
    ("text", "figure", "period"),
    [
        # a "since" aside gives a change no period, and the level over it its span
        ("Since 2010 the force has lost 310 police staff posts.", "310", (None, None)),
        ("Since October 2010, confidence has averaged 83.1% per wave.", "83.1%", ("2010-10-01", "2024-05-14")),
        # a bare quarter is the latest one that ended by the paper's date
        ("In Q4 the unit contacted 3,412 victims, up from 3,010 in Q3.", "3,412", ("2024-01-01", "2024-03-31")),
        ("In Q4 the unit contacted 3,412 victims, up from 3,010 in Q3.", "3,010", ("2023-10-01", "2023-12-31")),
    ],
)
def test_periods_by_syntax(tmp_path: Path, text: str, figure: str, period: tuple[str | None, str | None]) -> None:
    row = one(observations(tmp_path, text, "2024-05-14"), figure)
    assert (row["period_start"], row["period_end"]) == period


def test_a_footnote_states_the_papers_period_and_a_passages_own_period_does_not_carry(tmp_path: Path) -> None:
    text = (
        "Quarterly report\n\n"
        "- In Q4 the unit contacted 3,412 victims.\n"
        "- Repeat victimisation stood at 27.5%.\n"
        "- Since the project began last year, vehicle crime has fallen by 14%.\n"
        "- Robbery fell by 9%.\n\n"
        "* Data covers April 2023 to March 2024 unless stated.\n"
    )
    rows = observations(tmp_path, text, "2024-05-14")
    fy = ("2023-04-01", "2024-03-31")
    assert (one(rows, "3,412")["period_start"], one(rows, "3,412")["period_end"]) == ("2024-01-01", "2024-03-31")
    assert (one(rows, "27.5%")["period_start"], one(rows, "27.5%")["period_end"]) == fy
    assert (one(rows, "14%")["period_start"], one(rows, "14%")["period_end"]) == (None, None)
    assert (one(rows, "9%")["period_start"], one(rows, "9%")["period_end"]) == fy


def test_a_date_line_and_a_byline_are_no_figures_topic(tmp_path: Path) -> None:
    text = (
        "Budget and council tax\n\n8th February 2024\n\n"
        "The budget is £412.6m, an increase of £21.3m (5.4%) on 2023/24.\n\n"
        'Chief Constable Mark Owen said: "Every one of our 2,140 officers can be proud."\n'
    )
    rows = observations(tmp_path, text, "2024-02-08")
    assert all("February" not in str(r["measure"]) for r in rows)
    assert str(one(rows, "2,140")["measure"]).startswith("officers")
    assert "Owen" not in str(one(rows, "2,140")["measure"])


def test_a_total_after_a_pledge_counts_what_the_pledge_counts(tmp_path: Path) -> None:
    text = "The Commissioner has pledged to recruit 120 more police officers by March 2025, taking the total to 3,450."
    rows = observations(tmp_path, text, "2024-02-08")
    assert str(one(rows, "3,450")["measure"]).startswith("police officers")


def test_a_label_holds_no_figure(tmp_path: Path) -> None:
    rows = observations(tmp_path, "Savings of £6.8m have been found for 2024/25.", "2024-02-08")
    assert str(one(rows, "£6.8m")["measure"]).startswith("Savings")
    assert "£" not in str(one(rows, "£6.8m")["measure"])


def test_a_spreadsheet_table_reads_its_caption_columns_and_signs(tmp_path: Path) -> None:
    text = (
        "Table 1: Recorded crime, April to January\n\n"
        "Crime type              2022/23     2023/24     Change    % change\n"
        "Violence with injury      8,412       7,960      - 452      -5.4%\n"
        "Robbery                     905         948       + 43      +4.8%\n\n"
        "Table 2: Charge rate (%)\n\n"
        "Offence group        Q2 2023/24   Q3 2023/24\n"
        "Sexual offences          5.2          4.6\n"
        "Drug offences           61.0         63.5\n"
    )
    rows = observations(tmp_path, text, "2024-03-12")
    assert (one(rows, "8,412")["period_start"], one(rows, "8,412")["period_end"]) == ("2022-04-01", "2023-01-31")
    assert (one(rows, "- 452")["value"], one(rows, "- 452")["kind"]) == (-452, "change")
    assert (one(rows, "+ 43")["value"], one(rows, "+ 43")["period_end"]) == (43, "2024-01-31")
    assert (one(rows, "61.0")["unit"], one(rows, "61.0")["period_start"]) == ("percent", "2023-07-01")


def test_a_target_column_before_any_period_column_has_no_period(tmp_path: Path) -> None:
    text = (
        "Quarter 1 2024/25\n\nResponse / Target / Q1 2024/25\n"
        "Urban / 15 minutes / 12 minutes\nRural / 20 minutes / 17 minutes\n"
    )
    rows = observations(tmp_path, text, "2024-07-23")
    assert (one(rows, "15 minutes")["kind"], one(rows, "15 minutes")["period_start"]) == ("target", None)
    assert one(rows, "12 minutes")["period_start"] == "2024-04-01"


def test_labels_set_apart_from_their_numbers_label_them(tmp_path: Path) -> None:
    text = (
        "Demand\n999 calls answered within 10 seconds\nSickness absence (working days lost per officer)\n91.2%\n4.2\n"
    )
    rows = observations(tmp_path, text, "2024-01-30")
    assert str(one(rows, "91.2%")["measure"]).startswith("999 calls answered within 10 seconds")
    assert (one(rows, "4.2")["unit"], one(rows, "4.2")["value"]) == ("days", 4.2)
    assert not [r for r in rows if r["figure"] in ("10 seconds", "999")]


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        (
            "Knife crime and violence with injury fell by 7% and 5% respectively.",
            ["Knife crime", "violence with injury"],
        ),
        ("Burglary, robbery and theft fell by 7%, 5% and 3% respectively.", ["Burglary", "robbery", "theft"]),
    ],
)
def test_each_of_a_respectively_list_names_its_figure(tmp_path: Path, text: str, labels: list[str]) -> None:
    assert [r["measure"] for r in observations(tmp_path, text)] == labels


def test_a_span_of_years_is_no_reporting_period_and_a_deadline_none_either(tmp_path: Path) -> None:
    text = (
        "End of Term Report 2021 to 2024\n\n"
        "Our teams rank 15th nationally for public confidence.\n\n"
        "The Commissioner has pledged to recruit 120 more police officers by March 2025.\n\n"
        "Officers made more than 9,000 arrests in 2023, the highest number since 2015.\n"
    )
    rows = observations(tmp_path, text, "2024-04-10")
    assert one(rows, "15th")["period_start"] is None
    assert one(rows, "120")["period_start"] is None
    assert (one(rows, "9,000")["period_start"], one(rows, "9,000")["period_end"]) == ("2023-01-01", "2023-12-31")


def test_a_number_in_words_after_a_change_verb_is_a_figure(tmp_path: Path) -> None:
    rows = observations(tmp_path, "Officer numbers rose by four hundred over the term.", "2024-04-10")
    assert (one(rows, "four hundred")["value"], one(rows, "four hundred")["kind"]) == (400, "change")


def test_a_service_threshold_is_a_target_with_no_period(tmp_path: Path) -> None:
    text = "In 2023/24, 87% of 999 calls were answered within 10 seconds."
    row = one(observations(tmp_path, text, "2024-05-14"), "10 seconds")
    assert (row["kind"], row["period_start"]) == ("target", None)


def test_halved_and_doubled_end_the_subject(tmp_path: Path) -> None:
    rows = observations(tmp_path, "ASB incidents were 6,100.\n\nFirearms discharges halved to 24.\n")
    assert str(one(rows, "24")["measure"]).startswith("Firearms discharges")


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("Burglary fell in 2023/24, at nearly 40 a week.", "40"),
        ("In 2023 burglary averaged 30 per month across the force.", "30"),
        ("Burglary in 2023 ran at about 6 each day.", "6"),
    ],
)
def test_a_rate_period_after_a_figure_is_not_its_label(tmp_path: Path, text: str, figure: str) -> None:
    """ "40 a week" says how often, not what is counted: the label comes from the sentence's
    noun (burglary), never "week" or the hedge before the figure."""
    row = one(observations(tmp_path, text), figure)
    label = str(row["measure"]).lower()
    assert "burglary" in label
    assert not any(word in label.split("; ")[0] for word in ("week", "month", "day", "nearly", "about"))
    assert row["basis"] == "average"


@pytest.mark.parametrize(
    ("heading", "mended"),
    [
        ("Differenc e", "Difference"),  # a narrow PDF cell broke the word
        ("Performa nce", "Performance"),
        ("Mileston e", "Milestone"),
        ("Total crime", "Total crime"),  # two words: neither glued makes a heading tables.yml knows
        ("Change in rate", "Change in rate"),  # already a known heading
        ("2013/14", "2013/14"),
    ],
)
def test_a_heading_a_narrow_cell_broke_is_made_whole(heading: str, mended: str) -> None:
    from extractor.extract.tables import mend_cell
    from extractor.extract.vocabulary import vocabulary

    assert mend_cell(heading, vocabulary().tables) == mended


@pytest.mark.parametrize(
    ("cell", "known", "mended"),
    [
        ("Burglar y", {"burglary"}, "Burglary"),  # the paper writes the word whole elsewhere
        ("Reduce Total Recorde d Crime", {"recorded", "crime"}, "Reduce Total Recorded Crime"),
        ("Under- represen ted groups", {"represented", "groups"}, "Under- represented groups"),
        ("Any one", {"any", "one", "anyone"}, "Any one"),  # both parts are words: left as written
        ("Total crime", {"total", "crime"}, "Total crime"),
        ("Burglar y", set(), "Burglar y"),  # nothing says it is one word
        ("Under- represen ted groups", {"under-represented", "represented"}, "Under-represented groups"),
        ("pre- and post-match", {"pre", "and", "post-match"}, "pre- and post-match"),  # a suspended hyphen
    ],
)
def test_a_cell_word_the_paper_writes_whole_elsewhere_is_mended(cell: str, known: set[str], mended: str) -> None:
    from extractor.extract.tables import mend_cell
    from extractor.extract.vocabulary import vocabulary

    assert mend_cell(cell, vocabulary().tables, frozenset(known)) == mended


def test_a_papers_words_are_those_of_its_prose_and_headings() -> None:
    from extractor.extract.tables import paper_words
    from extractor.models import Passage

    passages = [
        Passage("d", "heading", "Recorded Crime", 0, 14),
        Passage("d", "paragraph", "Burglary fell.", 15, 29),
        Passage("d", "table_row", "Burglar y\t12", 30, 42),
    ]
    assert paper_words(passages) == {"recorded", "crime", "burglary", "fell"}
    assert paper_words([Passage("d", "paragraph", "Under-represented groups", 0, 24)]) == {
        "under-represented",
        "under",
        "represented",
        "groups",
    }
