"""The passage segmenter never crashes, and every passage points at its own text.

Hypothesis feeds ``extractor.segment.segment`` arbitrary text and text assembled from the
fragments board papers are made of (paragraph numbers with dots on lines of their own,
tab-separated table rows, bullets, headings, blank lines, HTML-ish tags). For every input:

* ``segment`` returns without raising;
* every passage's ``start..end`` lies inside the text, in order;
* the passage's text is exactly the collapsed source span: ``collapse(text[start:end]) == p.text``.
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from extractor.models import SourceText
from extractor.segment import collapse, segment

FRAGMENTS = [
    "1.",
    "15.",
    "16.",
    "999.",
    "1000.",
    " 2. ",
    "3.The",
    "4. ",
    "(a) ",
    "a) ",
    "iv) ",
    "(ii) ",
    "o ",
    "• ",
    "- ",
    "– ",
    "* ",
    "▪ ",
    "➢ ",
    "✓ ",
    "\t",
    "\t\t",
    " \t ",
    "\n",
    "\n\n",
    "\n\n\n",
    "\r\n",
    "\r",
    " ",
    "  ",
    "--",
    "A - ",
    "B. ",
    "H ",
    "Measure: ",
    "Priority:",
    "Title: ",
    "# ",
    "## ",
    "**Bold**",
    "<p>",
    "</p>",
    "<b>",
    "<br>",
    "Burglary",
    "BURGLARY",
    "Homicide",
    "Recorded crime",
    "The figure was",
    "per 1,000 population",
    "57%",
    "-13%",
    "£3.2m",
    "12 minutes and 44 seconds",
    "2013/14",
    "2019-20",
    "April 2023",
    "the",
    "of",
    "and",
    ".",
    ",",
    ";",
    ":",
    "(",
    ")",
    '"',
    "’",
    "“",
    "”",
    "\u00a0",
    "\u2028",
    "\u2029",
    "\x0c",
    "\x0b",
    "\x1c",
    "\x85",
    "é",
    "İ",
    "ß",
    "ﬁ",
    "🙂",
    "\ufeff",
    "\u200b",
]

board_text = st.lists(st.sampled_from(FRAGMENTS), max_size=80).map("".join)
any_text = st.text(max_size=400)
mixed_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=60).map("".join)


def _check(text: str) -> None:
    passages = segment("fuzz", SourceText(text=text))
    previous_start = -1
    for p in passages:
        assert 0 <= p.start <= p.end <= len(text), (p, len(text))
        assert p.text, p
        assert collapse(text[p.start : p.end]) == p.text, (text[p.start : p.end], p.text)
        assert p.start >= previous_start, "passages come in reading order"
        previous_start = p.start
        if p.cells is not None:
            assert p.kind == "table_row"


FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(any_text)
@example("")
@example("\n\n\n")
@example("1.\n\n2.\n\n3.\nThe national measure.\n\nSecond paragraph.")
@example("\t\t\n\t")
@example("A - Heading\n(a) bullet\n\tcell\t57%\n")
def test_segment_arbitrary_text(text: str) -> None:
    _check(text)


@FUZZ
@given(board_text)
def test_segment_board_fragments(text: str) -> None:
    _check(text)


@FUZZ
@given(mixed_text)
def test_segment_mixed(text: str) -> None:
    _check(text)


def test_segment_long_paper_is_linear() -> None:
    """A long run of fragments segments in reasonable time (no quadratic blow-up)."""
    import time

    text = ("12.\n\nBurglary fell by 13% in 2019/20.\n\tCell\t57%\t£3.2m\n\n(a) a bullet;\n\nHEADING\n\n") * 3000
    t0 = time.perf_counter()
    passages = segment("long", SourceText(text=text))
    assert passages
    assert time.perf_counter() - t0 < 20
