"""Read a paper's file into a ``SourceText``: .txt and .md as text, .pdf with pdfplumber."""

from __future__ import annotations

from pathlib import Path

from ..models import SourceText
from .errors import MissingDocument, UnreadableDocument, UnsupportedFormat
from .text import read_text

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
SUFFIXES = TEXT_SUFFIXES | {".pdf"}

__all__ = ["read_source", "UnreadableDocument", "SUFFIXES"]


def read_source(path: str | Path) -> SourceText:
    """Read the paper at ``path``; raise ``UnreadableDocument`` with a helpful message."""
    p = Path(path)
    if not p.exists():
        raise MissingDocument(
            str(p), f"file not found: {p}: check the path in the manifest (it is relative to the manifest's folder)"
        )
    if p.is_dir():
        raise MissingDocument(str(p), f"{p} is a folder, not a paper: give the path of a .pdf, .txt or .md file")
    suffix = p.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return read_text(p)
    if suffix == ".pdf":
        from .pdf import read_pdf  # pdfplumber is imported only when a PDF is read

        return read_pdf(p)
    raise UnsupportedFormat(
        str(p), f"cannot read {p.name}: the archive reads .pdf, .txt and .md papers; convert it to PDF or text first"
    )
