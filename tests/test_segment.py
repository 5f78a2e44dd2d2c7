"""Segmentation of text exports into passages, on real shapes from the corpus."""

from __future__ import annotations

import pytest

from extractor.models import SourceText
from extractor.segment import MappedText, segment
from tests.conftest import CORPUS


def passages_of(text: str):
    return segment("doc", SourceText(text=text))


def test_numbers_left_on_their_own_lines_go_to_the_paragraphs_that_follow():
    text = (
        "Measure: Reduce Serious Violence\n\n15.\n\n16.\n\n17.\n The national measure for Serious Violence relates to\n"
        "hospital admissions.\n\nBetween 01.01.2023 and 31.12.2023 WMP recorded 92 lethal barrelled firearms\n"
        "discharges.\n\nPistols were the most commonly used lethal barrelled\nfirearm during the last quarter.\n"
    )
    ps = [p for p in passages_of(text) if p.kind == "paragraph"]
    assert [p.paragraph for p in ps] == ["15", "16", "17"]
    assert ps[0].text.startswith("The national measure")
    assert ps[1].text.endswith("firearms discharges.")
    assert all(p.section == "Measure: Reduce Serious Violence" for p in ps)


def test_a_paragraph_wrapped_over_blank_lines_stays_one_passage():
    text = (
        "1. To provide an overview of performance against the National Crime and Policing\n"
        "Measures in a format to be used as West Midlands Police's (WMP) official\n\n"
        "statement on performance and activities undertaken.\n\n"
        "2. This statement will be published.\n"
    )
    ps = passages_of(text)
    assert [(p.kind, p.paragraph) for p in ps] == [("paragraph", "1"), ("paragraph", "2")]
    assert ps[0].text.endswith("statement on performance and activities undertaken.")


@pytest.mark.parametrize(
    "heading",
    [
        "Measure: Reduce Serious Violence",
        "A- Improving confidence in policing",
        "E - Reduce crime and offending",
        "C Delivering better value for money",
        "PURPOSE OF REPORT",
        "Reduce Murder and other Homicide",
    ],
)
def test_headings_become_sections(heading: str):
    ps = passages_of(f"{heading}\n\n5. The figures for the year are below.\n")
    assert ps[0].kind == "heading"
    assert ps[1].section and ps[1].section.endswith(heading.strip())


@pytest.mark.parametrize(
    "line",
    [
        "The last 12 months data from Homicide Index showed 19% of all Homicide was",
        "Between 01.01.2023 and 31.12.2023 WMP recorded 92 lethal barrelled firearms",
        "These factors will drive activity towards improving performance over the",
    ],
)
def test_a_wrapped_line_is_not_a_heading(line: str):
    ps = passages_of(f"3. An opening paragraph.\n\n{line}\ncontinues here.\n")
    assert [p.kind for p in ps] == ["paragraph", "paragraph"]


def test_tab_separated_lines_are_table_rows_under_their_headers():
    text = (
        "Force Objectives\t2012/13\t2013/14\tMilestone\n"
        "Reduce Burglary Dwelling DW\t13,559\t12,721\t-8 %\n"
        "Reduce Business Crime DW\t34,297\t35,813\t-6 %\n"
    )
    rows = [p for p in passages_of(text) if p.kind == "table_row"]
    assert len(rows) == 3
    assert rows[1].cells == ("Reduce Burglary Dwelling DW", "13,559", "12,721", "-8 %")
    assert rows[1].header == ("Force Objectives", "2012/13", "2013/14", "Milestone")


def test_two_header_rows_are_joined_per_column():
    text = "\t2012-13\t\t2013-14\t\n\tNo.\t%\tNo.\t%\nISLAM\t18\t32%\t27\t43%\n"
    rows = [p for p in passages_of(text) if p.kind == "table_row"]
    assert rows[-1].header == ("", "2012-13 No.", "%", "2013-14 No.", "%")


def test_bullets_are_passages():
    ps = passages_of("18. The strands are:\n - Racial\n - Religious\n")
    assert [p.kind for p in ps] == ["paragraph", "bullet", "bullet"]
    assert ps[2].text == "Religious"


def test_offsets_point_back_into_the_source():
    text = (CORPUS / "spcb-2024-02-wmp-national-measures.txt").read_text(encoding="utf-8")
    for p in segment("d", SourceText(text=text)):
        assert " ".join(text[p.start : p.end].split()) == p.text


def test_mapped_text_maps_collapsed_offsets_to_the_source():
    source = "xx 12 minutes and\n\n44 seconds yy"
    m = MappedText.from_source(source, 3, 30)
    i = m.text.index("44")
    s, e = m.source_span(i, i + 2)
    assert source[s:e] == "44"
    assert m.text == "12 minutes and 44 seconds"


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.txt")))
def test_every_corpus_paper_segments_with_ids_unique(name: str):
    ps = segment(name, SourceText(text=(CORPUS / name).read_text(encoding="utf-8")))
    assert len(ps) > 20
    assert len({p.id for p in ps}) == len(ps)
    numbered = [p for p in ps if p.paragraph]
    assert len(numbered) >= 25
