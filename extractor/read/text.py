"""Read text and Markdown exports of papers."""

from __future__ import annotations

from pathlib import Path

from ..models import SourceText
from .errors import UnreadableDocument


def read_text(path: Path) -> SourceText:
    data = path.read_bytes()
    if not data.strip():
        raise UnreadableDocument(
            str(path), f"{path.name} is empty: replace it with the paper's text, or remove it from the manifest"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceText(text=text)
