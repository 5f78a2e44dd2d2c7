"""Arbitrary text never breaks the figure finder or the extraction stage."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.extract import extract_observations
from extractor.extract.figures import FigureFinder
from extractor.extract.sentences import sentence_spans
from extractor.models import Document, Passage, SourceText

FINDER = FigureFinder()
BOARD_WORDS = st.sampled_from(
    [
        "12 minutes and 44 seconds",
        "£3.2m",
        "-6.1 %",
        "a quarter",
        "second lowest",
        "138,804",
        "per 1,000",
        "Nov 2022 to Oct 2023",
        "P1",
        "23/34",
        "a reduction of",
        "compared to",
        "target",
        "within 15 minutes",
        "year ending Dec 2019",
        "1% 2023",
        "(+0.8%)",
        "No.",
        "approx.",
        "i.e.",
        "½",
        "7 fold",
        "\t",
        "\n",
        ". ",
        ";",
    ]
)
TEXT = st.lists(st.one_of(st.text(max_size=12), BOARD_WORDS), max_size=30).map(" ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_figure_finder_never_raises(text: str) -> None:
    for f in FINDER.find(text):
        assert 0 <= f.start <= f.end <= len(text)
        assert text[f.start : f.end] == f.text
        assert math.isfinite(f.value)


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_sentences_cover_the_text_in_order(text: str) -> None:
    last = 0
    for start, end in sentence_spans(text):
        assert last <= start <= end <= len(text)
        last = end


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, st.sampled_from(["paragraph", "bullet", "heading"]))
def test_extract_observations_on_one_passage_never_raises(text: str, kind: str) -> None:
    collapsed = " ".join(text.split())
    source = SourceText(collapsed)
    doc = Document(id="fuzz", path="fuzz.txt", date="2024-02-27")
    passages = [Passage("fuzz", kind, collapsed, 0, len(collapsed))] if collapsed else []
    for o in extract_observations(doc, source, passages):
        assert 0 <= o.provenance.char_start <= o.provenance.char_end <= len(collapsed)
        assert math.isfinite(o.value)
        assert o.provenance.quote


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.one_of(st.text(max_size=8), BOARD_WORDS), min_size=2, max_size=5), min_size=1, max_size=4))
def test_extract_observations_on_table_rows_never_raises(rows: list[list[str]]) -> None:
    lines = ["\t".join(" ".join(c.split()) for c in row) for row in rows]
    text = "\n".join(lines) + "\n"
    source = SourceText(text)
    doc = Document(id="fuzz", path="fuzz.txt", date="2014-05-13")
    from extractor.segment import segment

    for o in extract_observations(doc, source, segment("fuzz", source)):
        assert 0 <= o.provenance.char_start <= o.provenance.char_end <= len(text)
        assert math.isfinite(o.value)
