"""The extraction stage: passages in, measure observations out.

``extract_observations(document, source, passages)`` is what the pipeline calls; the
spaCy pipeline it reads with is ``nlp.build_pipeline()`` (components "board_sentences",
"figure_finder" and the catalogue's "measure_linker").
"""

from __future__ import annotations

from .figures import Figure, FigureFinder, parse_figure
from .observe import extract_observations

__all__ = ["extract_observations", "Figure", "FigureFinder", "parse_figure"]
