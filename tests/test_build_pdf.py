"""Building an archive from PDF papers as published, good and bad, side by side.

One manifest mixes a good PDF paper, a good text paper and every kind of bad file. The
build goes on past the bad ones (each becomes a row of ``ingest_errors`` that a person
can act on), exits 1, and builds the good papers in full, with page-exact provenance.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import cli
from tests import pdf_factory as factory

A4_WIDTH, A4_HEIGHT = 595.28, 841.89

# id -> (how to make it in its own folder, words its ingest_errors message must hold)
BAD: dict[str, tuple[Callable[[Path], Path] | None, list[str]]] = {
    "bad-encrypted": (factory.encrypted_pdf, ["password-protected", "qpdf --decrypt"]),
    "bad-truncated": (factory.truncated_pdf, ["truncated", "download the paper again"]),
    "bad-not-a-pdf": (factory.html_pdf, ["is not a PDF", "HTML"]),
    "bad-empty": (factory.empty_pdf, ["empty", "0 bytes"]),
    "bad-image-only": (factory.image_only_pdf, ["no text layer", "OCR", "ocrmypdf"]),
    "bad-missing": (None, ["file not found", "missing.pdf"]),
}


def write_corpus(folder: Path) -> Path:
    """The papers and their manifest; returns the manifest's path."""
    entries = [
        ("good-pdf", factory.board_paper_pdf(folder).name),
        ("good-txt", factory.board_paper_txt(folder).name),
    ]
    for doc_id, (make, _words) in BAD.items():
        if make is None:
            entries.append((doc_id, "missing.pdf"))
            continue
        sub = folder / doc_id
        sub.mkdir()
        entries.append((doc_id, make(sub).relative_to(folder).as_posix()))
    lines = ["documents:"]
    for doc_id, path in entries:
        lines += [f"  - id: {doc_id}", f"    path: {path}", "    date: 2014-05-13"]
    manifest = folder / "manifest.yml"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return manifest


def invoke_build(manifest: Path, db: Path, *extra: str):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(
        cli, ["build", "--manifest", str(manifest), "--db", str(db), "--silent", *extra], catch_exceptions=False
    )
    return result


def query(db: Path, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, object]:
    folder = tmp_path_factory.mktemp("mixed")
    manifest = write_corpus(folder)
    db = folder / "archive.db"
    return manifest, db, invoke_build(manifest, db)


@pytest.fixture(scope="module")
def db(built: tuple[Path, Path, object]) -> Path:
    return built[1]


def pdf_obs(db: Path, figure: str) -> sqlite3.Row:
    rows = query(db, "select * from observations where document_id = 'good-pdf' and figure = ?", (figure,))
    assert len(rows) == 1, f"{figure!r}: {[dict(r) for r in rows]}"
    return rows[0]


# --- the build as a whole ---------------------------------------------------------------------


def test_build_exits_1_and_counts_the_failures(built: tuple[Path, Path, object]) -> None:
    _manifest, _db, result = built
    assert result.exit_code == 1, result.output  # type: ignore[attr-defined]
    out = result.output  # type: ignore[attr-defined]
    assert "8 papers in the manifest: 2 extracted" in out
    assert f"{len(BAD)} of 8 papers could not be read; see ingest_errors" in out
    assert "Traceback" not in out


def test_every_bad_file_is_an_ingest_error_a_person_understands(db: Path) -> None:
    errors = {r["document_id"]: r["error"] for r in query(db, "select * from ingest_errors")}
    assert set(errors) == set(BAD)
    for doc_id, (_make, words) in BAD.items():
        message = errors[doc_id]
        assert "Traceback" not in message and 'File "' not in message, message
        assert "\n" not in message.strip(), message
        for w in words:
            assert w in message, (doc_id, message)
    assert "run OCR (for example ocrmypdf) and add it again" in errors["bad-image-only"]


def test_bad_files_leave_no_documents_or_observations(db: Path) -> None:
    ids = [r[0] for r in query(db, "select id from documents order by id")]
    assert ids == ["good-pdf", "good-txt"]
    bad = query(db, "select count(*) from observations where document_id like 'bad-%'")[0][0]
    assert bad == 0


def test_the_good_papers_are_fully_built(db: Path) -> None:
    docs = {r["id"]: r for r in query(db, "select * from documents")}
    assert docs["good-pdf"]["pages"] == 2 and docs["good-pdf"]["format"] == "pdf"
    assert docs["good-pdf"]["title"] == "Performance against the 2013/14 Milestones"  # from the PDF's metadata
    assert docs["good-txt"]["pages"] is None
    txt = {r["figure"]: r for r in query(db, "select * from observations where document_id = 'good-txt'")}
    assert txt["12 minutes and 44 seconds"]["value"] == 764 and txt["12 minutes and 44 seconds"]["page"] is None
    assert txt["9%"]["value"] == -9 and txt["9%"]["kind"] == "change"
    pdf_figures = {r["figure"] for r in query(db, "select figure from observations where document_id = 'good-pdf'")}
    expected = {cell for row in factory.BOARD_TABLE[1:] for cell in row[1:]} | {"4.2%", "1,234", "86.3%"}
    assert expected <= pdf_figures


# --- page-exact provenance from the PDF ----------------------------------------------------------


@pytest.mark.parametrize(
    ("figure", "page", "paragraph"),
    [("4.2%", 1, "1"), ("13,559", 1, "2"), ("1,234", 2, "4"), ("86.3%", 2, "5")],
)
def test_observations_carry_their_page_and_paragraph(db: Path, figure: str, page: int, paragraph: str) -> None:
    """A figure printed on page 2 says page 2, even inside a paragraph begun on page 1."""
    o = pdf_obs(db, figure)
    assert o["page"] == page
    assert o["paragraph"] == paragraph


def test_every_pdf_observation_has_a_box_inside_its_page(db: Path) -> None:
    rows = query(db, "select figure, x0, top, x1, bottom, page from observations where document_id = 'good-pdf'")
    assert rows
    for r in rows:
        assert r["page"] in (1, 2), dict(r)
        assert None not in (r["x0"], r["top"], r["x1"], r["bottom"]), dict(r)
        assert 0 <= r["x0"] < r["x1"] <= A4_WIDTH, dict(r)
        assert 0 <= r["top"] < r["bottom"] <= A4_HEIGHT, dict(r)
    # the carried-over figure sits near the top of page 2, below the running header's band
    carried = pdf_obs(db, "1,234")
    assert 0.1 * A4_HEIGHT < carried["top"] < 0.3 * A4_HEIGHT


def test_text_observations_have_no_box(db: Path) -> None:
    rows = query(db, "select x0, top, x1, bottom from observations where document_id = 'good-txt'")
    assert rows and all(tuple(r) == (None, None, None, None) for r in rows)


# --- the ruled table ---------------------------------------------------------------------------


def test_table_count_cell_is_a_value_for_its_financial_year(db: Path) -> None:
    o = pdf_obs(db, "13,559")
    assert (o["value"], o["unit"], o["kind"]) == (13559, "count", "value")
    assert (o["period_start"], o["period_end"]) == ("2012-04-01", "2013-03-31")
    assert "burglary" in o["measure"].lower()
    assert "Reduce Burglary Dwelling" in o["quote"] and "13,559" in o["quote"]
    later = pdf_obs(db, "12,721")
    assert (later["value"], later["period_start"], later["period_end"]) == (12721, "2013-04-01", "2014-03-31")


def test_table_milestone_is_a_target_and_performance_a_change(db: Path) -> None:
    milestone, performance = pdf_obs(db, "-8 %"), pdf_obs(db, "-6.1 %")
    assert (milestone["value"], milestone["unit"], milestone["kind"]) == (-8, "percent", "target")
    assert (performance["value"], performance["unit"], performance["kind"]) == (-6.1, "percent", "change")
    assert "burglary" in milestone["measure"].lower() and "burglary" in performance["measure"].lower()


def test_table_rows_are_passages_with_their_cells(db: Path) -> None:
    rows = query(db, "select * from passages where document_id = 'good-pdf' and kind = 'table_row' order by char_start")
    texts = [r["text"] for r in rows]
    assert "Reduce Burglary Dwelling 13,559 12,721 -8 % -6.1 %" in texts
    burglary = rows[texts.index("Reduce Burglary Dwelling 13,559 12,721 -8 % -6.1 %")]
    assert burglary["page"] == 1
    assert burglary["header"] and "Milestone" in burglary["header"]


# --- running lines ----------------------------------------------------------------------------------


def test_running_header_and_footer_are_in_no_passage(db: Path) -> None:
    texts = [r["text"] for r in query(db, "select text from passages where document_id = 'good-pdf'")]
    assert texts
    for t in texts:
        assert "OFFICIAL" not in t and "Page 2 of" not in t and "Page 1 of" not in t, t
    hits = query(db, "select count(*) from passages_fts where passages_fts match 'OFFICIAL'")[0][0]
    assert hits == 0


def test_carried_paragraph_is_one_passage(db: Path) -> None:
    rows = query(db, "select * from passages where document_id = 'good-pdf' and paragraph = '4'")
    assert len(rows) == 1
    assert rows[0]["page"] == 1
    assert rows[0]["text"].endswith(factory.BOARD_CARRIED_END)


def test_carried_paragraph_ends_on_page_2(db: Path) -> None:
    rows = query(db, "select page_end from passages where document_id = 'good-pdf' and paragraph = '4'")
    assert rows[0]["page_end"] == 2


# --- fixing a bad file --------------------------------------------------------------------------


def test_rebuild_after_fixing_a_bad_file_builds_it_and_clears_its_error(tmp_path: Path) -> None:
    manifest = write_corpus(tmp_path)
    db = tmp_path / "archive.db"
    first = invoke_build(manifest, db)
    assert first.exit_code == 1
    # replace the encrypted paper with a good one, at the same path
    bad = next((tmp_path / "bad-encrypted").glob("*.pdf"))
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    shutil.copyfile(factory.board_paper_pdf(fresh), bad)

    second = invoke_build(manifest, db)
    assert second.exit_code == 1, second.output  # the other bad files still fail
    assert "Traceback" not in second.output
    assert "8 papers in the manifest: 1 extracted, 2 unchanged" in second.output
    errors = {r["document_id"] for r in query(db, "select document_id from ingest_errors")}
    assert errors == set(BAD) - {"bad-encrypted"}
    doc = query(db, "select * from documents where id = 'bad-encrypted'")
    assert len(doc) == 1 and doc[0]["pages"] == 2
    fixed = query(db, "select * from observations where document_id = 'bad-encrypted' and figure = '13,559'")
    assert len(fixed) == 1 and fixed[0]["page"] == 1


def test_build_archive_reports_the_same_errors(tmp_path: Path) -> None:
    """The library call behind the command: exit_code 1 and one message per bad paper."""
    from extractor.store import build_archive

    manifest = write_corpus(tmp_path)
    result = build_archive(manifest, tmp_path / "lib.db")
    assert result.exit_code == 1
    assert set(result.errors) == set(BAD)
    assert sorted(result.extracted) == ["good-pdf", "good-txt"]
    assert all("Traceback" not in m for m in result.errors.values())


# --- regressions for reader bugs found by tests/test_pdf_accuracy.py ---------------------------


def test_table_split_by_a_page_break_keeps_its_header(tmp_path: Path) -> None:
    from extractor.read.pdf import read_pdf
    from extractor.segment import segment

    rows = [p for p in segment("split", read_pdf(factory.split_table_pdf(tmp_path))) if p.kind == "table_row"]
    assert {p.page for p in rows} == {1, 2}
    assert all(p.header == tuple(factory.SPLIT_TABLE[0]) for p in rows), [(p.text, p.header) for p in rows]


def test_numbered_paragraph_after_a_full_width_bold_heading_starts_a_paragraph() -> None:
    from extractor.read.pdf_layout import Line, Word, page_style, split_paragraphs

    def line(top: float, text: str, bold: bool = False, x1: float = 520.0) -> Line:
        toks = text.split()
        step = (x1 - 72) / len(toks)
        return Line(
            [Word(t, 72 + i * step, top, 68 + (i + 1) * step, top + 11, 11.0, bold) for i, t in enumerate(toks)], 1
        )

    lines = [
        line(100, "West Midlands Police and Crime Commissioner's Strategic Outcomes Framework", bold=True),
        line(124, "4. Progress against the milestones will be reviewed periodically throughout the"),
        line(137, "year and presented to the Board.", x1=260),
    ]
    paras = split_paragraphs(lines, page_style(lines, 11.0))
    assert [len(p.lines) for p in paras] == [1, 2]


def test_one_page_paper_drops_its_marking_and_page_footer(tmp_path: Path) -> None:
    """Running lines cannot be told by repetition on one page: a protective marking or a
    page number alone in the top or bottom band is dropped; the same words in the body stay."""
    from extractor.read.pdf import read_pdf

    src = read_pdf(factory.one_page_pdf(tmp_path))
    blocks = [b.strip() for b in src.text.split("\n\n") if b.strip()]
    assert blocks == factory.ONE_PAGE_BODY, blocks
    assert src.page_count == 1


def test_a_new_table_with_a_bold_header_at_a_page_top_is_not_joined(tmp_path: Path) -> None:
    from extractor.read.pdf import read_pdf
    from extractor.segment import segment

    rows = [p for p in segment("two", read_pdf(factory.two_tables_pdf(tmp_path))) if p.kind == "table_row"]
    second = [p for p in rows if p.page == 2]
    assert second and all(p.header == tuple(factory.SECOND_TABLE[0]) for p in second), [
        (p.text, p.header) for p in second
    ]


def test_table_split_by_a_page_break_with_its_header_repeated_is_one_table(tmp_path: Path) -> None:
    from extractor.read.pdf import read_pdf
    from extractor.segment import segment

    src = read_pdf(factory.split_table_repeated_header_pdf(tmp_path))
    assert src.text.count("\t".join(factory.SPLIT_TABLE[0])) == 1  # the repeat is dropped
    rows = [p for p in segment("split", src) if p.kind == "table_row"]
    assert [p.cells for p in rows] == [tuple(r) for r in factory.SPLIT_TABLE]
    assert {p.page for p in rows} == {1, 2}
    assert all(p.header == tuple(factory.SPLIT_TABLE[0]) for p in rows)
