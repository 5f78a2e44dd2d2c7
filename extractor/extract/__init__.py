"""The extraction stage: passages in, measure observations out.

``extract_observations(document, source, passages)`` (``driver``) is what the pipeline
calls. It runs the declared steps of ``steps/`` in order, each a module with one job, on
frozen ``FigureDraft`` records; the words they read live in ``patterns/`` (``vocabulary``),
with the overlay of the paper's board.
"""

from __future__ import annotations

from ..models import Figure
from .driver import extract_observations
from .figures import FigureFinder, parse_figure

__all__ = ["extract_observations", "Figure", "FigureFinder", "parse_figure"]
