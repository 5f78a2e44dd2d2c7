"""One paper through the pipeline: read -> segment -> extract (and link)."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from dateutil import parser as date_parser

from .models import Document, Observation, Passage, SourceText
from .read import read_source
from .segment import segment

DATE_LINE = re.compile(
    r"^\s*(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(?:19|20)\d\d\s*$",
    re.IGNORECASE,
)


@dataclass
class ExtractedDocument:
    """A paper's record, its passages and its observations."""

    document: Document
    passages: list[Passage]
    observations: list[Observation]


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def infer_date(text: str) -> str | None:
    """The first line near the top of a paper that is a date alone ("13th May 2014")."""
    for line in text.splitlines()[:60]:
        if DATE_LINE.match(line):
            try:
                return date_parser.parse(line.strip(), dayfirst=True).date().isoformat()
            except (ValueError, OverflowError):
                continue
    return None


def infer_title(source: SourceText, passages: list[Passage]) -> str | None:
    if source.title:
        return source.title
    for p in passages[:12]:
        if p.text.lower().startswith("title:"):
            return p.text.split(":", 1)[1].strip() or None
    for p in passages[:12]:
        if p.kind == "heading" and not DATE_LINE.match(p.text) and len(p.text) > 12:
            return re.sub(r"<[^>]+>", "", p.text).strip()
    return None


def extract_document(document: Document, file: Path) -> ExtractedDocument:
    """Read, segment and extract one paper. Raises ``UnreadableDocument`` for bad files."""
    from .extract import extract_observations  # spaCy loads only when extraction runs

    source = read_source(file)
    passages = segment(document.id, source)
    document = dataclasses.replace(
        document,
        sha256=document.sha256 or sha256_of(file),
        pages=source.page_count,
        title=document.title or infer_title(source, passages),
        date=document.date or infer_date(source.text),
    )
    observations = extract_observations(document, source, passages)
    return ExtractedDocument(document, passages, observations)


def extract_file(path: str | Path, date: str | None = None, document_id: str | None = None) -> ExtractedDocument:
    """Extract a single file outside any manifest (the ``extract`` command)."""
    file = Path(path)
    document = Document(id=document_id or file.stem, path=str(file), date=date)
    return extract_document(document, file)
