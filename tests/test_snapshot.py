"""Row-for-row snapshot of what extraction produces, so that a restructure of the extract
stage changes no observation by accident.

``tests/snapshots/<paper>.jsonl`` holds every observation column, sorted, for the five
corpus papers and every fixture paper of ``tests/papers/``. A difference fails the test; a
deliberate fix updates the snapshot in the same commit (with its own regression test):

    python tests/test_snapshot.py   # rewrite the snapshots from the current code
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from extractor.models import Document
from extractor.pipeline import extract_document

HERE = Path(__file__).parent
ROOT = HERE.parent
SNAPSHOTS = HERE / "snapshots"
PAPER_DATES: dict[str, str] = yaml.safe_load((HERE / "paper-dates.yml").read_text(encoding="utf-8"))


def _papers() -> list[tuple[str, Document, Path]]:
    manifest = ROOT / "corpus" / "manifest.yml"
    out = []
    for entry in yaml.safe_load(manifest.read_text(encoding="utf-8"))["documents"]:
        file = manifest.parent / entry["path"]
        doc = Document(
            id=entry["id"],
            path=str(file),
            date=str(entry["date"]),
            title=entry.get("title"),
            publisher=entry.get("publisher"),
            board=entry.get("board"),
        )
        out.append((entry["id"], doc, file))
    for name, date in sorted(PAPER_DATES.items()):
        file = HERE / "papers" / name
        out.append((Path(name).stem, Document(id=Path(name).stem, path=str(file), date=date), file))
    return out


def _rows(document: Document, file: Path) -> list[dict[str, Any]]:
    rows = [o.to_row() for o in extract_document(document, file).observations]
    return sorted(rows, key=lambda r: json.dumps(r, sort_keys=True))


def _lines(rows: list[dict[str, Any]]) -> list[str]:
    return [json.dumps(r, sort_keys=True, ensure_ascii=False) for r in rows]


@pytest.mark.parametrize("name,document,file", _papers(), ids=[p[0] for p in _papers()])
def test_extraction_matches_snapshot(name: str, document: Document, file: Path) -> None:
    expected = (SNAPSHOTS / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    got = _lines(_rows(document, file))
    missing = sorted(set(expected) - set(got))
    extra = sorted(set(got) - set(expected))
    assert not missing and not extra, (
        f"{name}: {len(missing)} snapshot rows changed or lost, {len(extra)} new rows;"
        f" first lost: {missing[:1]}; first new: {extra[:1]}"
    )
    assert got == expected


if __name__ == "__main__":
    SNAPSHOTS.mkdir(exist_ok=True)
    for name, document, file in _papers():
        lines = _lines(_rows(document, file))
        (SNAPSHOTS / f"{name}.jsonl").write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        print(name, len(lines))
