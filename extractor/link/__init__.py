"""Link figures' phrases to the measure catalogue (``schema/measures.yml``)."""

from __future__ import annotations

from .measures import (
    DEFAULT_CATALOGUE,
    CatalogueError,
    Measure,
    MeasureLinker,
    MeasureRuler,
    ancestors,
    get_linker,
    link,
    load_catalogue,
)

__all__ = [
    "DEFAULT_CATALOGUE",
    "CatalogueError",
    "Measure",
    "MeasureLinker",
    "MeasureRuler",
    "ancestors",
    "get_linker",
    "link",
    "load_catalogue",
]
