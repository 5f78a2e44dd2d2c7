"""Read a manifest (YAML) of papers into ``Document`` records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .models import Document

KNOWN_KEYS = {"id", "path", "title", "date", "url", "publisher", "board"}


class ManifestError(Exception):
    """A manifest that cannot be used. The message says what to fix."""


@dataclass(frozen=True)
class ManifestEntry:
    document: Document
    file: Path  # absolute path of the paper on disk


def _date(value: Any, where: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise ManifestError(f"{where}: date {value!r} is not a date: write it as YYYY-MM-DD") from None


def load_manifest(path: str | Path) -> list[ManifestEntry]:
    """Parse the manifest at ``path``; paths inside it are relative to its folder."""
    p = Path(path)
    if not p.is_file():
        raise ManifestError(f"manifest not found: {p}: pass --manifest with the path of a manifest.yml")
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise ManifestError(f"{p} is not valid YAML ({e.__class__.__name__}): fix the manifest and run again") from None
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise ManifestError(f"{p} has no 'documents:' list: see the manifest format in the README")
    entries: list[ManifestEntry] = []
    seen: set[str] = set()
    for i, item in enumerate(data["documents"], start=1):
        where = f"{p}: document {i}"
        if not isinstance(item, dict):
            raise ManifestError(f"{where} is not a mapping of keys (id, path, ...)")
        doc_id = str(item.get("id") or "").strip()
        rel = str(item.get("path") or "").strip()
        if not doc_id or not rel:
            raise ManifestError(f"{where} needs both 'id' and 'path'")
        if doc_id in seen:
            raise ManifestError(f"{where}: id {doc_id!r} appears twice; ids must be unique")
        seen.add(doc_id)
        file = (p.parent / rel).resolve()
        extra = {k: v for k, v in item.items() if k not in KNOWN_KEYS}
        document = Document(
            id=doc_id,
            path=rel,
            title=(str(item["title"]).strip() if item.get("title") else None),
            date=_date(item.get("date"), f"{where} ({doc_id})"),
            url=item.get("url"),
            publisher=item.get("publisher"),
            board=item.get("board"),
            extra={k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in extra.items()},
        )
        entries.append(ManifestEntry(document, file))
    return entries
