"""PDFium and pdfplumber give the same observations, text and tables on the PDF fixtures.

PDFium (the default reader) reads words and ruling lines; pdfplumber (``--pdf-reader
pdfplumber``) parses each page with pdfminer. Words, text, pages, passages and figures
must agree exactly. Boxes agree across (x) and may differ up and down by a font's
descent where a PDF's font descriptor leaves it out (pdfminer then takes 0, PDFium the
font file's): LibreOffice writes such fonts, so Word papers' boxes sit up to ~3 pt apart.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner

from extractor.cli import cli
from extractor.models import Document
from extractor.pipeline import extract_document
from extractor.read.pdf import READER_ENV, WORD_SETTINGS, pdf_reader, read_pdf
from extractor.read.pdf_tables import RULED
from extractor.read.pdfium import EdgePage, NeedsPdfplumber, page_edges, page_words
from tests import pdf_factory as factory

BOX = ("x0", "top", "x1", "bottom")


def rotated_pdf(folder: Path) -> Path:
    """Page 1 turned a quarter (``/Rotate 90``) with a ruled table, its text upright once
    turned; page 2 upright, with a label printed sideways (as on a chart's axis)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = folder / "rotated.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    c.setPageRotation(90)
    c.saveState()
    c.translate(width, 0)
    c.rotate(90)
    c.setFont("Helvetica", 11)
    for i in range(6):
        c.drawString(
            72, width - 100 - 16 * i, f"{i + 1}. Recorded burglary fell by {12 + i}% to {1000 + 37 * i} in 2023/24."
        )
    for k in range(4):
        c.line(72, 200 + 20 * k, 400, 200 + 20 * k)
    for x in (72, 200, 300, 400):
        c.line(x, 200, x, 260)
    for row, cells in enumerate(
        (("Measure", "2022/23", "2023/24"), ("Burglary", "1,234", "1,100"), ("Robbery", "456", "430"))
    ):
        for x, cell in zip((80, 210, 310), cells, strict=True):
            c.drawString(x, 245 - 20 * row, cell)
    c.restoreState()
    c.showPage()
    c.setPageRotation(0)
    c.setFont("Helvetica", 11)
    c.drawString(72, 700, "Victim satisfaction was 81.2% in the year to March 2024.")
    c.saveState()
    c.translate(300, 400)
    c.rotate(90)
    c.drawString(0, 0, "Offences per 1000")
    c.restoreState()
    c.drawString(72, 300, "Response times averaged 12 minutes and 44 seconds.")
    c.showPage()
    c.save()
    return path


FIXTURES: dict[str, Callable[[Path], Path]] = {
    "reportlab_paper": factory.reportlab_paper,
    "board_paper": factory.board_paper_pdf,
    "unruled_table": factory.unruled_table_pdf,
    "booktabs_table": factory.booktabs_table_pdf,
    "two_tables": factory.two_tables_pdf,
    "split_table": factory.split_table_pdf,
    "split_table_repeated_header": factory.split_table_repeated_header_pdf,
    "one_page": factory.one_page_pdf,
    "rotated": rotated_pdf,
}


def _has_soffice() -> bool:
    return shutil.which("soffice") is not None or shutil.which("libreoffice") is not None


@pytest.fixture(scope="module", params=[*FIXTURES, "word_pdf"])
def fixture_pdf(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if request.param == "word_pdf":
        if not _has_soffice():
            pytest.skip("LibreOffice (soffice) is not on PATH: install it to print the Word fixture to PDF")
        return factory.word_pdf(tmp_path_factory.mktemp("word"))
    return FIXTURES[request.param](tmp_path_factory.mktemp(request.param))


def _observations(path: Path, reader: str, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    monkeypatch.setenv(READER_ENV, reader)
    result = extract_document(Document(id="paper", path=str(path), date="2014-05-13"), path)
    return [dataclasses.asdict(o) for o in result.observations]


def test_both_readers_give_the_same_observations(fixture_pdf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _observations(fixture_pdf, "pdfium", monkeypatch)
    slow = _observations(fixture_pdf, "pdfplumber", monkeypatch)
    assert fast, "the fixture should yield observations"
    assert len(fast) == len(slow)
    for a, b in zip(fast, slow, strict=True):
        assert _without_boxes(a) == _without_boxes(b)
        _assert_boxes_close(a, b)


def _without_boxes(row: dict[str, object]) -> dict[str, object]:
    out = dict(row)
    provenance = dict(out.pop("provenance", None) or {})  # type: ignore[call-overload]
    for key in BOX:
        out.pop(key, None)
        provenance.pop(key, None)
    out["provenance"] = provenance
    return out


def _assert_boxes_close(a: dict[str, object], b: dict[str, object]) -> None:
    pa = a.get("provenance") or a
    pb = b.get("provenance") or b
    assert isinstance(pa, dict) and isinstance(pb, dict)
    for key, tolerance in (("x0", 1.0), ("x1", 1.0), ("top", 3.5), ("bottom", 3.5)):
        if pa.get(key) is None:
            assert pb.get(key) is None
            continue
        assert abs(pa[key] - pb[key]) <= tolerance, (key, pa[key], pb[key])


def test_both_readers_give_the_same_text_pages_and_title(fixture_pdf: Path) -> None:
    fast, slow = read_pdf(fixture_pdf, "pdfium"), read_pdf(fixture_pdf, "pdfplumber")
    assert fast.text == slow.text
    assert fast.page_starts == slow.page_starts
    assert fast.title == slow.title
    spans = [[(w.start, w.end, w.page_number) for w in src.words] for src in (fast, slow)]
    assert spans[0] == spans[1]


def test_pdfium_words_are_pdfplumbers_words(fixture_pdf: Path) -> None:
    with pdfplumber.open(fixture_pdf) as plumber:
        pdf = pdfium.PdfDocument(fixture_pdf)
        try:
            for theirs, page in zip(plumber.pages, pdf, strict=True):
                try:
                    ours = page_words(page, WORD_SETTINGS)
                except NeedsPdfplumber:
                    continue  # read_pdf reads this page with pdfplumber

                expected = theirs.extract_words(**WORD_SETTINGS)
                assert [(w["text"], w["size"]) for w in ours] == [(w["text"], w["size"]) for w in expected]
                # pdfplumber keeps a subset font's "ABCDEF+" prefix; PDFium gives the base name
                assert [w["fontname"] for w in ours] == [w["fontname"].split("+")[-1] for w in expected]
                for a, b in zip(ours, expected, strict=True):
                    assert abs(a["x0"] - b["x0"]) < 1 and abs(a["x1"] - b["x1"]) < 1
                    assert abs(a["top"] - b["top"]) < 3.5
        finally:
            pdf.close()


def test_ruled_tables_from_pdfium_lines_match_pdfplumbers(tmp_path: Path) -> None:
    path = factory.two_tables_pdf(tmp_path)
    with pdfplumber.open(path) as plumber:
        pdf = pdfium.PdfDocument(path)
        try:
            for theirs, page in zip(plumber.pages, pdf, strict=True):
                edge_page = EdgePage(float(page.get_width()), float(page.get_height()), page_edges(page))
                ours = [tuple(round(v, 2) for v in t.bbox) for t in edge_page.find_tables(RULED)]
                expected = [tuple(round(v, 2) for v in t.bbox) for t in theirs.find_tables(RULED)]
                assert ours == expected and ours
        finally:
            pdf.close()


def test_reader_comes_from_the_argument_then_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(READER_ENV, raising=False)
    assert pdf_reader() == "pdfium"
    monkeypatch.setenv(READER_ENV, "pdfplumber")
    assert pdf_reader() == "pdfplumber"
    assert pdf_reader("pdfium") == "pdfium"
    with pytest.raises(ValueError, match="unknown PDF reader 'pdfminer': use one of pdfium, pdfplumber"):
        pdf_reader("pdfminer")


def test_extract_command_takes_pdf_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(READER_ENV, raising=False)
    monkeypatch.setenv(READER_ENV, "pdfium")  # restored after the test: the option sets it
    path = factory.reportlab_paper(tmp_path)
    outputs = {}
    for reader in ("pdfplumber", "pdfium"):
        result = CliRunner().invoke(cli, ["extract", str(path), "--date", "2014-05-13", "--pdf-reader", reader])
        assert result.exit_code == 0, result.output
        outputs[reader] = [json.loads(line)["figure"] for line in result.output.splitlines()]
    assert outputs["pdfium"] == outputs["pdfplumber"] and outputs["pdfium"]
    bad = CliRunner().invoke(cli, ["extract", str(path), "--pdf-reader", "pdfminer"])
    assert bad.exit_code == 2 and "'pdfminer' is not one of 'pdfium', 'pdfplumber'" in bad.output


def test_rotated_pages_and_sideways_text_are_handed_to_pdfplumber(tmp_path: Path) -> None:
    path = rotated_pdf(tmp_path)
    pdf = pdfium.PdfDocument(path)
    try:
        with pytest.raises(NeedsPdfplumber, match="rotated page"):
            page_words(pdf[0], WORD_SETTINGS)
        with pytest.raises(NeedsPdfplumber, match="not upright"):
            page_words(pdf[1], WORD_SETTINGS)
    finally:
        pdf.close()
    src = read_pdf(path, "pdfium")
    assert "1. Recorded burglary fell by 12% to 1000 in 2023/24." in src.text
    assert "Burglary\t1,234\t1,100" in src.text  # the turned page's ruled table
    assert src.text == read_pdf(path, "pdfplumber").text


def test_upright_pages_are_read_by_pdfium_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("pdfplumber opened for a page PDFium reads")

    monkeypatch.setattr(pdfplumber, "open", refuse)
    src = read_pdf(factory.two_tables_pdf(tmp_path), "pdfium")
    assert src.page_count == 2 and "\t" in src.text


def _grouped(chars: list[Any]) -> list[tuple[str, float, float]]:
    from extractor.read.pdfium import words_of

    words = words_of(chars, 2.0, 2.0)
    return [(w["text"], round(w["x0"], 3), round(w["top"], 3)) for w in words]


@pytest.mark.parametrize("seed", range(25))
def test_word_grouping_is_pdfplumbers_on_random_characters(seed: int) -> None:
    """Random runs of characters (gaps, overlaps, spaces, lines close together, font changes):
    the PDFium reader's grouping gives pdfplumber's ``WordExtractor`` words, in its order."""
    import random

    from pdfplumber.utils.text import WordExtractor

    from extractor.read.pdfium import _Char

    rng = random.Random(seed)
    chars: list[_Char] = []
    for _ in range(rng.randint(1, 6)):  # runs of one font and size, in content order
        font, size = rng.choice(["Helvetica", "Helvetica-Bold"]), rng.choice([9.0, 11.0])
        x, top = rng.uniform(50, 300), rng.choice([100.0, 101.5, 103.0, 120.0, 140.0])
        for _ in range(rng.randint(1, 40)):
            text = rng.choice("abcdefgh12.,% ﬁ")
            width = rng.uniform(2, 7)
            chars.append((text, x, top, x + width, top + size, (font, size)))
            x += width + rng.choice([0.0, 0.0, 0.5, 1.9, 2.1, 5.0, -3.0])
            top += rng.choice([0.0, 0.0, 0.0, 1.0, -1.0, 2.5, 18.0])
    dicts = [
        {"text": text, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
         "upright": True, "fontname": font, "size": size}
        for text, x0, top, x1, bottom, (font, size) in chars
    ]  # fmt: skip
    expected = WordExtractor(**WORD_SETTINGS).extract_words(dicts)
    assert _grouped(chars) == [(w["text"], round(w["x0"], 3), round(w["top"], 3)) for w in expected]


def test_pdfium_reads_at_least_twice_as_fast_as_pdfplumber(tmp_path: Path) -> None:
    """The point of the PDFium reader (about 4x in CPU time here; 2x leaves room for noise)."""
    import time

    path = factory.board_paper_pdf(tmp_path)
    best = {}
    for reader in ("pdfium", "pdfplumber"):
        read_pdf(path, reader)  # imports and caches outside the timing
        times = []
        for _ in range(3):
            t0 = time.process_time()
            read_pdf(path, reader)
            times.append(time.process_time() - t0)
        best[reader] = min(times)
    assert best["pdfplumber"] >= 2 * best["pdfium"], best


def test_a_hyphen_ending_a_line_is_a_hyphen(tmp_path: Path) -> None:
    """PDFium reports a line-ending hyphen as U+0002; read as "-", the word is joined again."""
    from reportlab.pdfgen import canvas

    path = tmp_path / "hyphen.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("Helvetica", 11)
    c.drawString(72, 700, "12. The neighbourhood polic-")
    c.drawString(72, 686, "ing teams cut burglary by 5.2% in 2023/24.")
    c.save()
    pdf = pdfium.PdfDocument(path)
    try:
        assert "polic-" in [w["text"] for w in page_words(pdf[0], WORD_SETTINGS)]
    finally:
        pdf.close()
    for reader in ("pdfium", "pdfplumber"):
        assert "The neighbourhood policing teams cut burglary" in read_pdf(path, reader).text


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_build_reads_with_the_chosen_reader_in_every_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    """``build --pdf-reader`` reaches the papers, in forked workers too (through the environment)."""
    import sqlite3

    monkeypatch.setenv(READER_ENV, "pdfium")  # restored after the test: the option sets it
    papers = [factory.reportlab_paper(tmp_path, "a.pdf"), factory.board_paper_pdf(tmp_path, "b.pdf")]
    manifest = tmp_path / "manifest.yml"
    manifest.write_text(
        "documents:\n" + "".join(f"  - id: {p.stem}\n    path: {p.name}\n    date: 2014-05-13\n" for p in papers),
        encoding="utf-8",
    )
    dbs = {}
    for reader in ("pdfplumber", "pdfium"):
        dbs[reader] = tmp_path / f"{reader}.db"
        result = CliRunner().invoke(
            cli,
            ["build", "--manifest", str(manifest), "--db", str(dbs[reader]), "--jobs", jobs, "--silent",
             "--pdf-reader", reader],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert os.environ[READER_ENV] == reader
    rows, tops = {}, {}
    for reader, db in dbs.items():
        with sqlite3.connect(db) as conn:
            order = " from observations order by document_id, page, char_start"
            rows[reader] = conn.execute("select document_id, page, figure, quote" + order).fetchall()
            tops[reader] = [r[0] for r in conn.execute("select top" + order)]
    assert rows["pdfium"] == rows["pdfplumber"] and rows["pdfium"]
    # each reader did the reading: their boxes differ by the fonts' descents (PDFium's vs pdfminer's)
    assert tops["pdfium"] != tops["pdfplumber"]
    assert all(abs(a - b) < 3.5 for a, b in zip(tops["pdfium"], tops["pdfplumber"], strict=True))


def test_a_page_whose_text_does_not_come_a_unit_a_character_is_read_character_by_character(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``_codes`` takes a page's characters from one GetText call; should PDFium ever write
    other than one unit a character, each character is asked for, and the words are the same."""
    from extractor.read import pdfium as reader

    path = factory.reportlab_paper(tmp_path)
    pdf = pdfium.PdfDocument(path)
    try:
        expected = page_words(pdf[0], WORD_SETTINGS)
        monkeypatch.setattr(reader.raw, "FPDFText_GetText", lambda *args: 0)
        assert page_words(pdf[0], WORD_SETTINGS) == expected
        assert expected
    finally:
        pdf.close()
