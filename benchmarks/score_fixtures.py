"""Score the extractor on the fixture papers of ``tests/papers/`` against their hand keys.

Prints, per paper and averaged over papers, the scores the project is judged by on papers
nobody has seen: recall, precision, and on the matched figures the share whose measure
label holds one of the key's keywords, whose period is right (a key's null period must be
null: no invented periods), whose kind is right and whose sign is right; then the traps
of ``<stem>.traps.jsonl`` that an observation overlaps.

    python benchmarks/score_fixtures.py [--show] [--all] [PAPER ...]

By default it scores the papers in other boards' styles (``STYLES``); ``--all`` scores
every fixture paper (whose keys' null periods mean "not checked", see tests/golden/README.md).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.pipeline import extract_file  # noqa: E402
from tests.test_golden import PAPER_DATES  # noqa: E402

PAPERS = ROOT / "tests" / "papers"
GOLDEN = ROOT / "tests" / "golden"
# The papers in the styles other boards publish (issue 12); their keys' null periods are
# checked (a figure whose period the paper does not give must have none).
STYLES = (
    "press-statement-crime-statistics.txt",
    "budget-precept-release.txt",
    "scrutiny-table-spaces.txt",
    "dashboard-pdf-export.txt",
    "indicator-table-separators.txt",
    "end-of-term-report.txt",
    "quarterly-report-footnote-period.txt",
)
SCORES = ("recall", "precision", "label", "period", "kind", "sign")


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip().lower()


def _lines(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def _same(gold: dict[str, Any], row: dict[str, Any]) -> bool:
    """Same figure (either may carry more words), same unit, same size (sign apart)."""
    g, f = _norm(gold["figure"]), _norm(row["figure"])
    if not f or not (g == f or g in f or f in g) or g not in _norm(row["quote"]):
        return False
    want, got = abs(float(gold["value"])), abs(float(row["value"]))
    return row["unit"] == gold["unit"] and abs(got - want) <= 0.005 * max(want, 1e-9)


def _judge(gold: dict[str, Any], row: dict[str, Any]) -> dict[str, bool]:
    label = _norm(f"{row['measure'] or ''} {row['measure_id'] or ''}")
    sign = (float(gold["value"]) < 0) == (float(row["value"]) < 0)
    return {
        "label": any(k in label for k in gold["measure_keywords"]),
        "period": (row["period_start"], row["period_end"]) == (gold["period_start"], gold["period_end"]),
        "kind": row["kind"] == gold["kind"],
        "sign": sign,
    }


def _match(golden: list[dict[str, Any]], rows: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Pairs (gold index, row index), one to one, the best judged pair first."""
    pairs = []
    for gi, g in enumerate(golden):
        for ri, r in enumerate(rows):
            if _same(g, r):
                pairs.append((sum(_judge(g, r).values()), gi, ri))
    taken_g: set[int] = set()
    taken_r: set[int] = set()
    out = []
    for _, gi, ri in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if gi not in taken_g and ri not in taken_r:
            taken_g.add(gi)
            taken_r.add(ri)
            out.append((gi, ri))
    return out


def _trap_hits(paper: str, rows: list[dict[str, Any]]) -> tuple[int, int]:
    traps = _lines(GOLDEN / (Path(paper).stem + ".traps.jsonl"))
    text = (PAPERS / paper).read_text(encoding="utf-8")
    hits = 0
    for trap in traps:
        offset = trap["context"].index(trap["figure"])
        spans = [
            (m.start() + offset, m.start() + offset + len(trap["figure"]))
            for m in re.finditer(re.escape(trap["context"]), text)
        ]
        if any(r["char_start"] < e and s < r["char_end"] for r in rows for s, e in spans):
            hits += 1
    return hits, len(traps)


def score_paper(paper: str, show: bool = False) -> dict[str, float]:
    golden = _lines(GOLDEN / (Path(paper).stem + ".jsonl"))
    rows = [o.to_row() for o in extract_file(PAPERS / paper, date=PAPER_DATES[paper]).observations]
    pairs = _match(golden, rows)
    judged = [_judge(golden[gi], rows[ri]) for gi, ri in pairs]
    out = {
        "recall": len(pairs) / len(golden) if golden else 1.0,
        "precision": len(pairs) / len(rows) if rows else 1.0,
    }
    for key in ("label", "period", "kind", "sign"):
        out[key] = sum(j[key] for j in judged) / len(judged) if judged else 0.0
    out["traps_hit"], out["traps"] = _trap_hits(paper, rows)
    if show:
        _show(golden, rows, pairs)
    return out


def _show(golden: list[dict[str, Any]], rows: list[dict[str, Any]], pairs: list[tuple[int, int]]) -> None:
    matched_g = {gi for gi, _ in pairs}
    matched_r = {ri for _, ri in pairs}
    for gi, ri in pairs:
        g, r = golden[gi], rows[ri]
        bad = [k for k, ok in _judge(g, r).items() if not ok]
        if bad:
            print(
                f"  WRONG {','.join(bad)}: {g['figure']!r} got {r['value']} {r['kind']} "
                f"{r['period_start']}..{r['period_end']} {r['measure']!r} | want {g['value']} {g['kind']} "
                f"{g['period_start']}..{g['period_end']} {g['measure_keywords']}"
            )
    for gi, g in enumerate(golden):
        if gi not in matched_g:
            print(f"  MISSED {g['figure']!r} ({g['value']} {g['unit']})")
    for ri, r in enumerate(rows):
        if ri not in matched_r:
            print(f"  EXTRA {r['figure']!r} {r['value']} {r['unit']} {r['measure']!r} | {r['quote'][:70]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("papers", nargs="*", help="fixture papers (default: all)")
    parser.add_argument("--all", action="store_true", help="every fixture paper, not only STYLES")
    parser.add_argument("--show", action="store_true", help="list misses, extras and wrong fields")
    args = parser.parse_args()
    papers = args.papers or (list(PAPER_DATES) if args.all else list(STYLES))
    totals = dict.fromkeys(SCORES, 0.0)
    for paper in papers:
        s = score_paper(paper, args.show)
        for k in SCORES:
            totals[k] += s[k]
        cells = " ".join(f"{k} {s[k]:.2f}" for k in SCORES)
        print(f"{Path(paper).stem:45} {cells} traps {int(s['traps_hit'])}/{int(s['traps'])}")
    cells = " ".join(f"{k} {totals[k] / len(papers):.3f}" for k in SCORES)
    print(f"{'average over ' + str(len(papers)) + ' papers':45} {cells}")


if __name__ == "__main__":
    main()
