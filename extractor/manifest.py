"""Read a manifest (YAML) of papers into ``Document`` records, with warnings a person can act on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from .models import Document

KNOWN_KEYS = ("id", "path", "title", "date", "url", "publisher", "board")
TOP_KEYS = ("documents",)
NEAR_ENOUGH = 0.6  # normalised Damerau-Levenshtein similarity: dat -> date, titel -> title, ulr -> url


class ManifestError(Exception):
    """A manifest that cannot be used. The message says what to fix."""


@dataclass(frozen=True)
class ManifestEntry:
    document: Document
    file: Path  # absolute path of the paper on disk


@dataclass(frozen=True)
class Manifest:
    """A manifest read from ``path`` (resolved): its papers, and what a person should look at."""

    path: Path
    entries: list[ManifestEntry]
    warnings: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        """How the archive records which manifest brought a paper: its resolved path."""
        return str(self.path)


def nearest_key(key: str, known: tuple[str, ...] = KNOWN_KEYS) -> str | None:
    """The known key a misspelt ``key`` was most likely meant to be, if one is close."""
    match = process.extractOne(
        key, known, scorer=DamerauLevenshtein.normalized_similarity, processor=str.lower, score_cutoff=NEAR_ENOUGH
    )
    return match[0] if match else None


def _unknown_key_warning(where: str, key: str, known: tuple[str, ...]) -> str:
    near = nearest_key(key, known)
    hint = f" (did you mean '{near}'?)" if near else ""
    return f"{where}: unknown key '{key}'{hint}; it is kept in documents.extra, not used as metadata"


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


def _parse(p: Path) -> Any:
    if not p.is_file():
        raise ManifestError(f"manifest not found: {p}: pass --manifest with the path of a manifest.yml")
    try:
        return yaml.safe_load(p.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ManifestError(f"{p} is not UTF-8 text: save the manifest as UTF-8 and run again") from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "somewhere"
        problem = " ".join(str(part) for part in (e.context, e.problem) if part)
        raise ManifestError(f"{p} is not valid YAML at {where}: {problem}: fix the manifest and run again") from None
    except yaml.YAMLError as e:
        raise ManifestError(f"{p} is not valid YAML ({e}): fix the manifest and run again") from None


def _entry_name(i: int, item: dict[Any, Any]) -> str:
    """How a message names a manifest entry: its position and whichever of id or path it has."""
    for key in ("id", "path", "title"):
        if item.get(key):
            return f"document {i} ({key}: {item[key]})"
    return f"document {i}"


def _entry(p: Path, i: int, item: Any, warnings: list[str]) -> ManifestEntry:
    if not isinstance(item, dict):
        raise ManifestError(f"{p}: document {i} is not a mapping of keys (id, path, ...): write it as '- id: ...'")
    where = f"{p}: {_entry_name(i, item)}"
    doc_id = str(item.get("id") or "").strip()
    rel = str(item.get("path") or "").strip()
    missing = [key for key, value in (("id", doc_id), ("path", rel)) if not value]
    if missing:
        raise ManifestError(
            f"{where} has no {' and no '.join(repr(k) for k in missing)}: every document needs both 'id' and 'path'"
        )
    extra = {str(k): v for k, v in item.items() if k not in KNOWN_KEYS}
    warnings.extend(_unknown_key_warning(where, key, KNOWN_KEYS) for key in extra)
    document = Document(
        id=doc_id,
        path=rel,
        title=(str(item["title"]).strip() if item.get("title") else None),
        date=_date(item.get("date"), where),
        url=item.get("url"),
        publisher=item.get("publisher"),
        board=item.get("board"),
        extra={k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in extra.items()},
    )
    return ManifestEntry(document, (p.parent / rel).resolve())


def read_manifest(path: str | Path) -> Manifest:
    """Parse the manifest at ``path``; paths inside it are relative to its folder.

    Raises ``ManifestError`` for a manifest that cannot be used; returns the warnings
    (unknown keys, with the nearest known key) for one that can.
    """
    p = Path(path).resolve()
    data = _parse(p)
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        near = [k for k in data if nearest_key(str(k), TOP_KEYS)] if isinstance(data, dict) else []
        hint = f" ('{near[0]}' should be 'documents')" if near and near[0] != "documents" else ""
        raise ManifestError(f"{p} has no 'documents:' list{hint}: see the manifest format in the README")
    warnings = [_unknown_key_warning(str(p), str(k), TOP_KEYS) for k in data if k not in TOP_KEYS]
    entries: list[ManifestEntry] = []
    seen: set[str] = set()
    for i, item in enumerate(data["documents"], start=1):
        entry = _entry(p, i, item, warnings)
        if entry.document.id in seen:
            raise ManifestError(f"{p}: document {i}: id {entry.document.id!r} appears twice; ids must be unique")
        seen.add(entry.document.id)
        entries.append(entry)
    return Manifest(p, entries, warnings)


def load_manifest(path: str | Path) -> list[ManifestEntry]:
    """The papers the manifest at ``path`` lists (``read_manifest`` also gives its warnings)."""
    return read_manifest(path).entries
