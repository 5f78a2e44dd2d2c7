"""Sentence boundaries for board papers: the "board_sentences" spaCy component.

A sentence ends at ".", "!" or "?" followed by a space and a capital, digit, quote or
bracket, except after abbreviations board papers use ("No.", "i.e.", "approx.", "Dec.",
"e.g.", "vs.") and inside decimals ("12.8"), which never have a space after the point.
"""

from __future__ import annotations

import re
from typing import cast

import numpy
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc
from thinc.types import Ints2d

ABBREVIATIONS = frozenset(
    """no nos i.e ie e.g eg approx c ca circa cf etc vs v viz al fig figs para paras
    jan feb mar apr jun jul aug sep sept oct nov dec mr mrs ms dr cllr supt ch insp sgt
    det pc dc st co ltd inc est incl excl min mins max avg approx. op ops ref nr tel""".split()
)
_END = re.compile(r"[.!?]+[\"'’”)]*\s+(?=[A-Z0-9\"'‘“(£•\-–])|;\s+(?=[A-Z])")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` offsets of the sentences of ``text``."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        head = text[start : m.start() + 1]
        word = re.search(r"(\S+?)\.?$", text[start : m.start()])
        last = (word.group(1) if word else "").lower().rstrip(".")
        if text[m.start()] == "." and (last in ABBREVIATIONS or re.fullmatch(r"[a-z]", last)):
            continue
        if not head.strip():
            continue
        end = m.start() + len(m.group().rstrip())
        spans.append((start, end))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


class BoardSentences:
    """Sets ``token.is_sent_start`` from ``sentence_spans``."""

    def __init__(self, nlp: Language | None = None, name: str = "board_sentences") -> None:
        self.name = name

    def spans(self, text: str) -> list[tuple[int, int]]:
        """The sentences of ``text`` that hold more than spaces: what ``doc.sents`` gives of
        a doc this component has run on, without tokenising (the extraction driver needs
        only the offsets)."""
        return [(s, e) for s, e in sentence_spans(text) if text[s:e].strip()]

    def __call__(self, doc: Doc) -> Doc:
        starts = {s for s, _ in sentence_spans(doc.text)}
        # one array for the whole doc: setting ``token.is_sent_start`` token by token
        # re-checks the doc's annotations each time, the most of this component's cost
        if not len(doc):
            return doc
        flags = numpy.where(numpy.isin(doc.to_array(IDX), list(starts)), 1, -1).astype("int64")
        flags[0] = 1
        column = cast(Ints2d, flags.view("uint64").reshape(-1, 1))
        return doc.from_array([SENT_START], column)


@Language.factory("board_sentences")
def make_board_sentences(nlp: Language, name: str) -> BoardSentences:
    return BoardSentences(nlp, name)
