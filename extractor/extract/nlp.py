"""The blank English pipeline the extraction stage reads passages with: "board_sentences"
(sentence starts for board papers' abbreviations and decimals) and "figure_finder"
(the figures of ``patterns/figures.jsonl``). The catalogue's "measure_linker" runs in the
link stage's own pipeline (``extractor.link.measures.MeasureLinker``)."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from . import figures as _figures  # noqa: F401  (registers "figure_finder")
from . import sentences as _sentences  # noqa: F401  (registers "board_sentences")


@lru_cache(maxsize=1)
def build_pipeline() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("board_sentences")
    nlp.add_pipe("figure_finder")
    return nlp
