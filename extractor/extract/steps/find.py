"""Step 1, find: the figures of a passage, and each sentence's figures as drafts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from spacy.tokens import Doc

from ...models import Figure, FigureDraft, Passage
from ..context import PaperContext
from ..labels import sentence_topic
from ..periods import PeriodMention, find_periods
from ..vocabulary import Vocabulary


@dataclass(frozen=True)
class Sentence:
    """One sentence of a passage, with the period phrases it states (read in its paper's context)."""

    index: int
    start: int  # offset in the passage's text
    text: str
    mentions: tuple[PeriodMention, ...]
    masked: str  # the text with its period phrases blanked out (same length), for labelling
    topic: str  # what the sentence says it is about ("For burglary, ...")


class Read(NamedTuple):
    """What the pipeline's components find in a passage's text: its figures (the
    "figure_finder" component's) and its sentences (the "board_sentences" component's), as
    character offsets, the same as ``figures_of`` and ``sentences_of`` read off a ``Doc``."""

    figures: list[Figure]
    sentences: list[tuple[int, int]]


def figures_of(doc: Doc) -> list[Figure]:
    """The figures the "figure_finder" component marked in a passage."""
    return [span._.figure for span in doc.spans["figures"] if span._.figure is not None]


def sentences_of(doc: Doc) -> list[tuple[int, int]]:
    """The sentences the "board_sentences" component marked, as character offsets."""
    return [(s.start_char, s.end_char) for s in doc.sents if s.text.strip()]


def mentions(text: str, ctx: PaperContext, vocab: Vocabulary) -> list[PeriodMention]:
    """The period phrases of ``text`` (with the board's own), relative ones counted from the paper's anchors."""
    return find_periods(
        text,
        reference=ctx.reference,
        current=ctx.section_current,
        latest=ctx.latest,
        furthest=ctx.furthest,
        rules=vocab.period_rules,
        words=vocab.period_words,
    )


def read_sentence(
    passage_text: str, index: int, span: tuple[int, int], ctx: PaperContext, vocab: Vocabulary
) -> Sentence:
    s0, s1 = span
    text = passage_text[s0:s1]
    found = mentions(text, ctx, vocab)
    chars = list(text)
    for m in found:
        chars[m.start : m.end] = " " * (m.end - m.start)
    masked = "".join(chars)
    return Sentence(index, s0, text, tuple(found), masked, sentence_topic(masked))


def drafts_in(passage: Passage, figures: list[Figure], sentence: Sentence) -> list[FigureDraft]:
    """A draft for each figure that lies wholly inside ``sentence``."""
    s0, s1 = sentence.start, sentence.start + len(sentence.text)
    return [
        FigureDraft(
            passage, f, sentence.text, sentence_id=sentence.index, sentence_start=s0, sentence_topic=sentence.topic
        )
        for f in figures
        if s0 <= f.start and f.end <= s1
    ]
