"""Step 2, drop: the figures that are not measures.

A date, a reference number, a set's size ("all 43 forces") or a figure inside a period
phrase ("the 12 months to March") is no measure of anything.
"""

from __future__ import annotations

from ...models import FigureDraft
from ..filters import not_a_measure
from ..vocabulary import Vocabulary
from .find import Sentence


def drop(drafts: list[FigureDraft], sentence: Sentence, vocab: Vocabulary) -> list[FigureDraft]:
    out = []
    for d in drafts:
        if not_a_measure(d.figure, d.passage.text, vocab.cues):
            continue
        local = d.local
        if any(m.start < local.end and local.start < m.end for m in sentence.mentions):
            continue
        out.append(d)
    return out
