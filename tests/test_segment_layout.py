"""Tables that arrive without tab stops, and page furniture, read back by the segmenter."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extractor.models import Passage, SourceText
from extractor.read import read_source
from extractor.segment import segment
from extractor.segment.layout import is_value


def passages_of(text: str) -> list[Passage]:
    return segment("doc", SourceText(text=text))


def rows_of(text: str) -> list[Passage]:
    return [p for p in passages_of(text) if p.kind == "table_row"]


def test_columns_aligned_with_spaces_become_cells_under_their_headings() -> None:
    text = (
        "Crime type              2022/23     2023/24     Change\n"
        "Violence with injury      8,412       7,960      - 452\n"
        "Robbery                     905         948       + 43\n"
    )
    rows = rows_of(text)
    assert [r.cells for r in rows[1:]] == [
        ("Violence with injury", "8,412", "7,960", "- 452"),
        ("Robbery", "905", "948", "+ 43"),
    ]
    assert rows[1].header == ("Crime type", "2022/23", "2023/24", "Change")
    assert rows[1].text == "Violence with injury 8,412 7,960 - 452"


def test_a_heading_over_two_lines_and_an_empty_cell_keep_their_columns() -> None:
    text = (
        "                          Most similar    National\n"
        "Offence group      Force  group average   average\n"
        "Burglary            7.9       6.8           6.1\n"
        "Robbery             5.2                     4.4\n"
    )
    rows = rows_of(text)
    body = [r for r in rows if "Burglary" in r.text or "Robbery" in r.text]
    assert body[0].header == ("Offence group", "Force", "Most similar group average", "National average")
    assert body[1].cells == ("Robbery", "5.2", "", "4.4")


def test_prose_with_double_spaces_is_not_a_table() -> None:
    text = "Crime fell by 5%.  The Panel noted it.\nBurglary rose by 3%.  Robbery fell.\n"
    assert rows_of(text) == []


def test_cells_separated_by_bars_or_spaced_slashes() -> None:
    text = (
        "| Indicator | Baseline (2022/23) | Q1 2024/25 |\n"
        "|---|---|---|\n"
        "| Repeat victims (%) | 31.0 | 29.1 |\n\n"
        "Response / Target / Q1 2024/25\n"
        "Urban / 15 minutes / 12 minutes 30 seconds\n"
    )
    rows = rows_of(text)
    assert [r.cells for r in rows] == [
        ("Indicator", "Baseline (2022/23)", "Q1 2024/25"),
        ("Repeat victims (%)", "31.0", "29.1"),
        ("Response", "Target", "Q1 2024/25"),
        ("Urban", "15 minutes", "12 minutes 30 seconds"),
    ]
    assert rows[1].header == ("Indicator", "Baseline (2022/23)", "Q1 2024/25")
    assert rows[3].header == ("Response", "Target", "Q1 2024/25")


def test_a_slash_inside_a_year_or_a_single_spaced_slash_is_not_a_table() -> None:
    text = "In 2023/24 crime fell by 4% and / or stayed level.\nIn 2022/23 it rose by 2%.\n"
    assert rows_of(text) == []


def test_cells_one_per_line_after_their_column_headings() -> None:
    text = (
        "Offence\nQ2 2023/24\nQ3 2023/24\nChange\n"
        "All crime\n8,412\n8,106\n-3.6%\n"
        "Residential burglary\n702\n655\n-6.7%\n"
    )
    rows = rows_of(text)
    assert rows[1].cells == ("All crime", "8,412", "8,106", "-3.6%")
    assert rows[1].header == ("Offence", "Q2 2023/24", "Q3 2023/24", "Change")
    assert rows[2].text == "Residential burglary 702 655 -6.7%"


def test_a_block_of_labels_then_as_many_numbers_pairs_them_in_order() -> None:
    text = (
        "Demand\n999 calls answered within 10 seconds\n101 calls abandoned\n"
        "Average time to answer\n91.2%\n4.8%\n2 minutes 41 seconds\n"
    )
    rows = rows_of(text)
    assert [r.cells for r in rows] == [
        ("999 calls answered within 10 seconds", "91.2%"),
        ("101 calls abandoned", "4.8%"),
        ("Average time to answer", "2 minutes 41 seconds"),
    ]
    assert [r.text for r in rows] == ["91.2%", "4.8%", "2 minutes 41 seconds"]


def test_chart_axis_ticks_and_axis_names_are_not_passages() -> None:
    text = "Recorded crime by month\n3,000\n2,500\n2,000\n1,500\nOct\nNov\nDec\n\nCrime fell by 4% in December.\n"
    texts = [p.text for p in passages_of(text)]
    assert not any("2,500" in t or "Nov" in t for t in texts)
    assert "Crime fell by 4% in December." in texts


def test_numbers_that_are_not_evenly_spaced_are_not_an_axis() -> None:
    text = "Calls answered\nCalls abandoned\nCalls transferred\n3,000\n2,400\n1,100\n"
    assert [r.cells[1] for r in rows_of(text)] == ["3,000", "2,400", "1,100"]


def test_page_footers_and_contents_lines_are_left_out() -> None:
    text = (
        "Contents\nDemand .................. 2\nCrime . . . . . . 3\n\n"
        "Burglary fell by 4% over the\n\nSouthmere Police Dashboard            Page 3 of 12\n\nyear to March.\n"
    )
    texts = [p.text for p in passages_of(text)]
    assert not any("Page 3" in t or "...." in t or ". . ." in t for t in texts)
    assert "Burglary fell by 4% over the" in texts  # a footer inside a paragraph ends its passage


def test_a_value_alone_on_its_line() -> None:
    for value in ("8,412", "-3.6%", "+ 43", "- 452", "£1.2m", "4.2", "2 minutes 41 seconds", "11 minutes, 11 seconds"):
        assert is_value(value), value
    for not_value in ("2023/24", "2019", "Q3 2023/24", "101 calls", "15.", "Page 3"):
        assert not is_value(not_value), not_value


def test_column_headings_one_per_line_then_rows_on_one_line() -> None:
    text = "Q2 2023/24\nQ3 2023/24\nChange\nAll crime 8,412 8,106 -3.6%\nPersonal robbery 231 248 + 17\n"
    rows = rows_of(text)
    assert rows[1].cells == ("All crime", "8,412", "8,106", "-3.6%")
    assert rows[2].cells == ("Personal robbery", "231", "248", "+ 17")
    assert rows[2].header == ("", "Q2 2023/24", "Q3 2023/24", "Change")


def test_wrapped_prose_ending_in_numbers_is_not_a_table() -> None:
    text = "The force recorded burglaries\nand robberies as follows.\nIn the city 702 and 655\nIn the county 231 248\n"
    assert rows_of(text) == []


def _dashboard_pdf(path: Path) -> Path:
    """A dashboard page exported to PDF: labels in a block apart from their numbers, a
    chart's axis, then a paragraph wrapped over two lines."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 10)
    lines = [
        "Demand",
        "999 calls answered within 10 seconds",
        "101 calls abandoned",
        "Average time to answer a 101 call",
        "91.2%",
        "4.8%",
        "2 minutes 41 seconds",
        "",
        "Recorded crime by month",
        "3,000",
        "2,000",
        "1,000",
        "Oct",
        "Nov",
        "Dec",
    ]
    for k, line in enumerate(lines):
        c.drawString(60, 780 - 14 * k, line)
    c.drawString(60, 500, "Crime fell in the quarter, as the Board heard at its meeting in")
    c.drawString(60, 486, "January, by 4% against the last.")
    c.save()
    return path


def test_a_pdf_block_of_labels_and_numbers_is_read_back_from_its_word_boxes(tmp_path: Path) -> None:
    source = read_source(_dashboard_pdf(tmp_path / "dashboard.pdf"))
    passages = segment("doc", source)
    rows = [p for p in passages if p.kind == "table_row"]
    assert [r.cells for r in rows] == [
        ("999 calls answered within 10 seconds", "91.2%"),
        ("101 calls abandoned", "4.8%"),
        ("Average time to answer a 101 call", "2 minutes 41 seconds"),
    ]
    assert [r.page for r in rows] == [1, 1, 1]
    texts = [p.text for p in passages]
    assert not any("2,000" in t for t in texts)  # the chart's axis
    # a paragraph of prose keeps its lines together
    assert "Crime fell in the quarter, as the Board heard at its meeting in January, by 4% against the last." in texts


def test_a_line_that_leads_into_a_list_is_not_a_heading() -> None:
    text = "Crime fell.\n\nCompared with the previous twelve months:\n- theft down 4%\n- robbery down 9%\n"
    kinds = [(p.kind, p.text) for p in passages_of(text)]
    assert ("paragraph", "Compared with the previous twelve months:") in kinds
    assert all(p.section is None for p in passages_of(text))
