"""Segment a paper's text into passages."""

from .passages import segment
from .text_map import MappedText, collapse

__all__ = ["segment", "MappedText", "collapse"]
