"""The papers in other boards' styles read the same from a PDF as from their text.

Each paper is printed to a PDF the way a spreadsheet or a word processor prints it: its
lines drawn in a monospaced font where they stand, so that aligned columns stay aligned.
The observations read from the PDF must be those read from the text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extractor.pipeline import extract_file
from tests.test_golden import PAPER_DATES

PAPERS = Path(__file__).parent / "papers"


def _print_pdf(text: str, out: Path) -> Path:
    c = canvas.Canvas(str(out), pagesize=A4)
    y = 800
    c.setFont("Courier", 9)
    for line in text.splitlines():
        c.drawString(40, y, line)
        y -= 12
        if y < 60:
            c.showPage()
            c.setFont("Courier", 9)
            y = 800
    c.save()
    return out


def _key(paper: Path, date: str) -> set[tuple[object, ...]]:
    return {
        (o.figure, o.value, o.unit, o.kind, o.period_start, o.period_end)
        for o in extract_file(paper, date=date).observations
    }


@pytest.mark.parametrize(
    "paper", ["scrutiny-table-spaces.txt", "indicator-table-separators.txt", "press-statement-crime-statistics.txt"]
)
def test_a_paper_printed_to_pdf_gives_the_same_figures(paper: str, tmp_path: Path) -> None:
    text = PAPERS / paper
    pdf = _print_pdf(text.read_text(encoding="utf-8"), tmp_path / (text.stem + ".pdf"))
    from_text, from_pdf = _key(text, PAPER_DATES[paper]), _key(pdf, PAPER_DATES[paper])
    assert from_text == from_pdf, (sorted(from_text - from_pdf)[:5], sorted(from_pdf - from_text)[:5])
