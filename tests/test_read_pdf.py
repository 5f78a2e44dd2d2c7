"""Reading published PDFs: pages, paragraphs, tables, running lines and bad files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from extractor.models import SourceText
from extractor.read import read_source
from extractor.read.errors import EncryptedPDF, ScannedPDF, UnreadablePDF
from extractor.read.pdf import read_pdf
from extractor.read.pdf_layout import Line, Word, find_gutter, join_tokens, order_lines
from tests import pdf_factory as factory


@pytest.fixture(scope="module")
def reportlab_paper(tmp_path_factory: pytest.TempPathFactory) -> SourceText:
    return read_pdf(factory.reportlab_paper(tmp_path_factory.mktemp("rl")))


@pytest.fixture(scope="module")
def word_paper(tmp_path_factory: pytest.TempPathFactory) -> SourceText:
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice (soffice) is not on PATH: install it to test Word papers converted to PDF")
    return read_pdf(factory.word_pdf(tmp_path_factory.mktemp("word")))


def page_of(src: SourceText, needle: str) -> int | None:
    at = src.text.index(needle)
    return src.page_at(at)


def word_page(src: SourceText, needle: str) -> int:
    at = src.text.index(needle)
    return next(w.page_number for w in src.words if w.start <= at < w.end)


def paragraphs(src: SourceText) -> list[str]:
    return [p for p in src.text.split("\n\n") if p.strip()]


# --- a reportlab paper: table, two columns, running lines ----------------------------------


def test_reportlab_pages_of_known_sentences(reportlab_paper: SourceText) -> None:
    assert reportlab_paper.page_count == 3
    assert page_of(reportlab_paper, factory.ONE_COLUMN_SENTENCE) == 1
    assert page_of(reportlab_paper, factory.LEFT_SENTENCE) == 2
    assert page_of(reportlab_paper, factory.RIGHT_SENTENCE) == 2
    assert page_of(reportlab_paper, "The Board is asked to note the report") == 3


def test_ruled_table_rows_are_tab_separated_in_order(reportlab_paper: SourceText) -> None:
    lines = reportlab_paper.text.split("\n")
    rows = ["\t".join(r) for r in factory.TABLE_ROWS]
    first = lines.index(rows[0])
    assert lines[first : first + len(rows)] == rows
    assert lines[first - 1] == "" and lines[first + len(rows)] == ""  # a blank line either side
    assert lines[first - 2].startswith("2. " + factory.TABLE_SENTENCE)  # at the table's place
    assert "Reduce Burglary Dwelling 13,559" not in reportlab_paper.text  # not also in the prose


def test_two_column_page_reads_left_column_then_right(reportlab_paper: SourceText) -> None:
    text = reportlab_paper.text
    left, right = text.index(factory.LEFT_SENTENCE), text.index(factory.RIGHT_SENTENCE)
    assert left < text.index("5. The left column continues") < right
    para4 = next(p for p in paragraphs(reportlab_paper) if p.startswith("4. "))
    assert "Right column" not in para4 and para4.endswith("area to the next.")


def test_running_header_and_footer_are_dropped(reportlab_paper: SourceText) -> None:
    text = reportlab_paper.text
    assert "OFFICIAL" not in text
    assert "Page 2 of 3" not in text and "of 3" not in text
    assert "13 May 2014" not in text


def test_unruled_aligned_table_becomes_rows_and_prose_stays_prose(tmp_path: Path) -> None:
    src = read_pdf(factory.unruled_table_pdf(tmp_path))
    blocks = paragraphs(src)
    assert blocks[0].startswith("1. Recorded crime fell") and blocks[0].endswith("main crime types.")
    assert blocks[1].split("\n") == ["\t".join(r) for r in factory.UNRULED_ROWS]
    assert blocks[2].startswith("2. The Board is asked") and "\t" not in blocks[0] + blocks[2]


def test_table_with_horizontal_rules_only(tmp_path: Path) -> None:
    src = read_pdf(factory.booktabs_table_pdf(tmp_path))
    blocks = paragraphs(src)
    assert blocks[1].split("\n") == ["\t".join(r) for r in factory.TABLE_ROWS]
    assert blocks[2].strip() == "2. The Board is asked to note the report."


def test_title_comes_from_metadata(reportlab_paper: SourceText) -> None:
    assert reportlab_paper.title == "Police and Crime Plan Milestones 2013/14"


def test_every_word_has_a_box_on_its_page(reportlab_paper: SourceText) -> None:
    src = reportlab_paper
    assert "".join(src.text[w.start : w.end] for w in src.words) == "".join(src.text.split())
    figure = src.text.index("12,735")
    box = src.bbox(figure, figure + len("12,735"))
    assert box is not None
    x0, top, x1, bottom = box
    assert 0 <= x0 < x1 <= 595.3 and 0 <= top < bottom <= 841.9
    assert word_page(src, "12,735") == 1


def test_figures_in_paragraph_text_have_boxes(reportlab_paper: SourceText) -> None:
    src = reportlab_paper
    at = src.text.index("4.2%")
    box = src.bbox(at, at + 4)
    assert box is not None
    x0, top, x1, bottom = box
    assert 0 <= x0 < x1 <= 595.3 and 0 <= top < bottom <= 841.9
    assert 5 < x1 - x0 < 40  # four characters of body text, not the whole line
    assert src.text[at : at + 4] in {src.text[w.start : w.end] for w in src.words}


# --- a Word paper converted by LibreOffice ----------------------------------------------------


def test_word_paper_paragraph_crossing_a_page_break_is_one_paragraph(word_paper: SourceText) -> None:
    n = factory.WORD_LONG_PARAGRAPH
    para = next(p for p in paragraphs(word_paper) if p.startswith(f"{n}. "))
    assert para.endswith("The long paragraph ends here.")
    assert "\n" not in para
    start = word_paper.text.index(para)
    assert word_paper.page_at(start) == 1  # it belongs to the page where it starts
    assert word_page(word_paper, "The long paragraph ends here") == 2  # its words keep their page
    assert page_of(word_paper, f"{n + 1}. The Board is asked") == 2


def test_word_paper_header_footer_and_numbers(word_paper: SourceText) -> None:
    text = word_paper.text
    assert "OFFICIAL" not in text
    assert "Page 1 of 2" not in text and "Page 2 of 2" not in text
    numbers = [p.split(" ", 1)[0] for p in paragraphs(word_paper) if p[0].isdigit()]
    assert numbers == ["1.", "2.", "3.", "4.", "5.", "6."]
    assert factory.WORD_HEADING in paragraphs(word_paper)
    assert page_of(word_paper, factory.WORD_SENTENCE) == 1
    assert word_paper.page_count == 2


def test_word_paper_bullets_and_table(word_paper: SourceText) -> None:
    blocks = paragraphs(word_paper)
    for bullet in factory.WORD_BULLETS:
        assert "• " + bullet in blocks
    assert "\n".join("\t".join(r) for r in factory.WORD_TABLE) in blocks
    assert blocks[-1].startswith("6. Recorded crime fell by 4%")


def test_word_paper_title_from_largest_line_or_metadata(word_paper: SourceText) -> None:
    assert word_paper.title and "Performance Report" in word_paper.title


def test_read_source_dispatches_pdf(tmp_path: Path) -> None:
    src = read_source(factory.reportlab_paper(tmp_path))
    assert src.page_count == 3


# --- bad files ----------------------------------------------------------------------------------

BAD_FILES = [
    (factory.encrypted_pdf, EncryptedPDF, ["password-protected", "qpdf --decrypt"]),
    (factory.truncated_pdf, UnreadablePDF, ["truncated", "download the paper again"]),
    (factory.html_pdf, UnreadablePDF, ["is not a PDF", "HTML"]),
    (factory.empty_pdf, UnreadablePDF, ["empty", "0 bytes"]),
    (factory.image_only_pdf, ScannedPDF, ["no text layer", "OCR"]),
]


@pytest.mark.parametrize(("make", "error", "words"), BAD_FILES, ids=[m.__name__ for m, _, _ in BAD_FILES])
def test_bad_files_raise_a_readable_error(tmp_path: Path, make, error: type[Exception], words: list[str]) -> None:
    path = make(tmp_path)
    with pytest.raises(error) as info:
        read_pdf(path)
    message = str(info.value)
    assert path.name in message
    for w in words:
        assert w in message
    assert "Traceback" not in message
    assert info.value.__cause__ is None or not isinstance(info.value.__cause__, error)


def test_damaged_body_after_a_valid_end_marker(tmp_path: Path) -> None:
    """Garbage with a PDF header and end marker: pdfminer fails; we say so plainly."""
    path = tmp_path / "garbled.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"\x00garbage\xff" * 200 + b"\n%%EOF\n")
    with pytest.raises(UnreadablePDF) as info:
        read_pdf(path)
    assert "garbled.pdf" in str(info.value) and "download the paper again" in str(info.value)


# --- line joining -------------------------------------------------------------------------------


def _line(*texts: str) -> Line:
    return Line([Word(t, i * 40.0, 0.0, i * 40.0 + 30, 10.0) for i, t in enumerate(texts)], 1)


@pytest.mark.parametrize(
    ("first", "second", "joined"),
    [
        (("the", "polic-"), ("ing", "plan"), "the policing plan"),
        (("a", "year-on-"), ("year", "fall"), "a year-on-year fall"),
        (("a", "10-"), ("15", "minute"), "a 10-15 minute"),
        (("West", "Mid-"), ("Lands",), "West Mid-Lands"),
        (("up", "-"), ("down",), "up - down"),
        (("circa", "-"), ("6.3%", "fewer"), "circa -6.3% fewer"),
        (("from", "\u2013"), ("2013",), "from \u2013 2013"),
        (("rose", "by"), ("4%",), "rose by 4%"),
    ],
)
def test_end_of_line_hyphenation(first: tuple[str, ...], second: tuple[str, ...], joined: str) -> None:
    tokens = join_tokens([_line(*first), _line(*second)])
    assert "".join(sep + text for sep, _, _, text in tokens) == joined


# --- columns and running lines, on synthetic word boxes -------------------------------------


def _row(top: float, *spans: tuple[float, float, str]) -> Line:
    return Line([Word(text, x0, top, x1, top + 10, 10.0) for x0, x1, text in spans], 1)


def test_two_prose_columns_are_found() -> None:
    lines = [_row(100 + 13 * i, (72, 280, f"left {i}"), (315, 523, f"right {i}")) for i in range(20)]
    gutter = find_gutter(lines, 595, 842)
    assert gutter is not None and gutter[0] <= 281 and gutter[1] >= 314
    ordered = order_lines(lines, 595, 842)
    assert [ln.text for ln in ordered[:2]] == ["left 0", "left 1"] and ordered[20].text == "right 0"


def test_label_value_lists_are_not_columns() -> None:
    lines = [_row(100 + 13 * i, (90, 150, f"-{i}, --opt"), (330, 470, "what the option does")) for i in range(20)]
    assert find_gutter(lines, 595, 842) is None


def test_a_running_header_with_a_page_counter_is_dropped_even_on_few_pages() -> None:
    from extractor.read.pdf import _drop_running_lines, _Page

    def page(n: int, header: str) -> _Page:
        body = [_row(200 + 13 * i, (72, 500, f"body line {i} of page {n} says something different")) for i in range(3)]
        return _Page(n, 842.0, [_row(40, (72, 300, header), (500, 510, str(n))), *body])

    pages = [page(1, "Chapter 1: Introduction"), page(2, "Chapter 2: Utilities"), page(3, "Chapter 2: Utilities")]
    pages += [page(n, f"Chapter {n}: Reference") for n in range(4, 8)]
    _drop_running_lines(pages)
    assert all(not it.text.startswith("Chapter 2") for p in pages for it in p.items if isinstance(it, Line))
    assert any(it.text.startswith("Chapter 1") for it in pages[0].items if isinstance(it, Line))  # said once


def test_body_lines_alike_but_for_numbers_at_page_tops_are_kept() -> None:
    """Regression: a long first line repeated (digits aside) is prose, not a page counter."""
    from extractor.read.pdf import _drop_running_lines, _Page

    first = "{n}. In Coventry, recorded burglary offences moved from {n},137 in 2012/13 to {n},046 in 2013/14"
    pages = [_Page(n, 842.0, [_row(60, (72, 520, first.format(n=n)))]) for n in range(1, 7)]
    pages += [_Page(n, 842.0, [_row(60, (72, 520, f"Other text on page {n} and more words"))]) for n in range(7, 15)]
    _drop_running_lines(pages)
    assert all(p.items for p in pages[:6])
