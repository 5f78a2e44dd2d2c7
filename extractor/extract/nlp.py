"""The blank English pipeline the extraction stage reads passages with."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from . import figures as _figures  # noqa: F401  (registers "figure_finder")
from . import sentences as _sentences  # noqa: F401  (registers "board_sentences")


@lru_cache(maxsize=1)
def build_pipeline() -> Language:
    """A blank ``en`` pipeline: "board_sentences", "figure_finder", then "measure_linker"
    (the catalogue's phrases, marked in ``doc.spans["measures"]``) when the link stage is there."""
    nlp = spacy.blank("en")
    nlp.add_pipe("board_sentences")
    nlp.add_pipe("figure_finder")
    try:
        from ..link.measures import get_linker

        ruler = nlp.add_pipe("measure_linker")
        ruler.add_patterns(list(get_linker().measures.values()))  # type: ignore[attr-defined]
    except (ImportError, ValueError, KeyError, OSError):
        pass
    return nlp
