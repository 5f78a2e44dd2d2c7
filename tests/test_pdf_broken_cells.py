"""A made-up paper typed into Word with a seven-column table: LibreOffice breaks words too long for
the narrow cells ("Differenc e", "Recorde d"). The cells keep their kind and labels read whole."""

from __future__ import annotations

import shutil

import pytest

from extractor.pipeline import extract_file
from tests import pdf_factory as factory

PAPER = """Quarterly Performance Report

1. Recorded burglary fell this year across the force area, and the Board notes the improvement in detection.

Force Objectives\t2012/13\t2013/14\tDifference\tMilestone\tPerformance\tVariance
Reduce Recorded Burglary Dwelling\t12,721\t11,089\t-1,632\t-3%\t-12.8%\t-9.8%
"""


@pytest.fixture(scope="module")
def observations(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str]]:
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice (soffice) is not on PATH: install libreoffice-writer-nogui to print the paper to PDF")
    tmp = tmp_path_factory.mktemp("broken-cells")
    text = tmp / "paper.txt"
    text.write_text(PAPER, encoding="utf-8")
    pdf = factory.text_papers_pdf({"paper": text}, tmp)["paper"]
    result = extract_file(pdf, date="2014-05-13")
    headers = {h for p in result.passages if p.header for h in p.header}
    assert "Differenc e" in headers, f"the printer no longer breaks the heading: {sorted(headers)}"
    return {o.figure: (o.kind, o.measure) for o in result.observations}


@pytest.mark.parametrize(
    ("figure", "kind", "label"),
    [
        ("-1,632", "change", "Reduce Recorded Burglary Dwelling: Difference"),
        ("-3%", "target", "Reduce Recorded Burglary Dwelling: Milestone"),
        ("-12.8%", "change", "Reduce Recorded Burglary Dwelling: Performance"),
        ("11,089", "value", "Reduce Recorded Burglary Dwelling: 2013/14"),
    ],
)
def test_cells_under_a_broken_heading_keep_their_kind_and_read_whole(
    observations: dict[str, tuple[str, str]], figure: str, kind: str, label: str
) -> None:
    assert observations[figure] == (kind, label)
