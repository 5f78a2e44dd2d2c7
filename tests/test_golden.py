"""Golden-output tests: small made-up papers in ``tests/papers/`` against hand-written keys
in ``tests/golden/`` (see ``tests/golden/README.md``).

One test case per golden figure (recall, with kind, period and measure), one per paper for
precision (nothing extracted that the key lacks), and one per trap of ``traps.txt``.
Known extraction bugs are marked ``xfail(strict=True)`` one figure at a time, so each
shows up by name and a fix turns it into an XPASS that asks for the mark to go.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from extractor.pipeline import extract_file

HERE = Path(__file__).parent
PAPERS = HERE / "papers"
GOLDEN = HERE / "golden"

# Each paper's meeting date: relative periods ("YTD", "the last 12 months") count from it.
PAPER_DATES: dict[str, str] = yaml.safe_load((HERE / "paper-dates.yml").read_text(encoding="utf-8"))

# Extraction bugs a careful reader would not make: (paper, golden figure) -> reason.
XFAIL_FIGURES: dict[tuple[str, str], str] = {
    ("averages-shares-ranks-bounds.txt", figure): "invented period: a figure whose sentence gives no period "
    "takes the one an earlier sentence gave (no invented periods is the period step's work)"
    for figure in ("two", "One in four", "840", "third lowest", "2,000", "12%", "5")
}
# Papers whose precision check fails for a known bug: paper -> reason.
XFAIL_PRECISION: dict[str, str] = {}
# Traps (of ``<stem>.traps.jsonl``) that the extractor takes as a figure: (paper, trap context) -> reason.
XFAIL_TRAPS: dict[tuple[str, str], str] = {}

# Known misses on the papers in other boards' styles (issue 12), one case at a time, as
# measured when they were written: `benchmarks/score_fixtures.py --show` says why.
# BEGIN issue-12 known misses
ISSUE12_FIGURES: dict[tuple[str, str], str] = {
    ("press-statement-crime-statistics.txt", "7%"): "found but wrong",
    ("end-of-term-report.txt", "Two-thirds"): "found but wrong",
}
ISSUE12_PRECISION: dict[str, str] = {}
ISSUE12_TRAPS: dict[tuple[str, str], str] = {}
# END issue-12 known misses
XFAIL_FIGURES.update(ISSUE12_FIGURES)
XFAIL_PRECISION.update(ISSUE12_PRECISION)
XFAIL_TRAPS.update(ISSUE12_TRAPS)

VALUE_TOLERANCE = 0.005  # relative


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip().lower()


def _golden(paper: str, suffix: str = ".jsonl") -> list[dict[str, Any]]:
    path = GOLDEN / (Path(paper).stem + suffix)
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@cache
def _rows(paper: str) -> tuple[dict[str, Any], ...]:
    doc = extract_file(PAPERS / paper, date=PAPER_DATES[paper])
    return tuple(o.to_row() for o in doc.observations)


def _same_figure(gold: dict[str, Any], row: dict[str, Any]) -> bool:
    """Same figure text (either may carry a few more words), in the quote, same value and unit."""
    g, f = _norm(gold["figure"]), _norm(row["figure"])
    if not f or not (g == f or g in f or f in g) or g not in _norm(row["quote"]):
        return False
    if row["unit"] != gold["unit"]:
        return False
    want, got = float(gold["value"]), float(row["value"])
    return abs(got - want) <= VALUE_TOLERANCE * max(abs(want), 1e-9)


def _describe(row: dict[str, Any]) -> str:
    return (
        f"{row['figure']!r} value={row['value']} unit={row['unit']} kind={row['kind']} "
        f"period={row['period_start']}..{row['period_end']} measure={row['measure']!r} "
        f"measure_id={row['measure_id']!r} quote={row['quote'][:90]!r}"
    )


def _figure_cases() -> list[Any]:
    cases = []
    for paper in PAPER_DATES:
        for i, gold in enumerate(_golden(paper)):
            reason = XFAIL_FIGURES.get((paper, gold["figure"]))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            cases.append(pytest.param(paper, gold, id=f"{Path(paper).stem}#{i}:{gold['figure']}", marks=marks))
    return cases


def _precision_cases() -> list[Any]:
    return [
        pytest.param(
            paper,
            id=Path(paper).stem,
            marks=[pytest.mark.xfail(strict=True, reason=XFAIL_PRECISION[paper])] if paper in XFAIL_PRECISION else [],
        )
        for paper in PAPER_DATES
    ]


def _trap_cases() -> list[Any]:
    cases = []
    for paper in PAPER_DATES:
        if not (GOLDEN / (Path(paper).stem + ".traps.jsonl")).exists():
            continue
        for trap in _golden(paper, ".traps.jsonl"):
            reason = XFAIL_TRAPS.get((paper, trap["context"]))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            cases.append(pytest.param(paper, trap, id=f"{Path(paper).stem}:{trap['context']}", marks=marks))
    return cases


def test_every_paper_has_a_golden_file() -> None:
    papers = {p.name for p in PAPERS.iterdir() if p.suffix in {".txt", ".md"}}
    assert papers == set(PAPER_DATES)
    for paper in papers:
        assert (GOLDEN / (Path(paper).stem + ".jsonl")).exists(), paper


@pytest.mark.parametrize(("paper", "gold"), _figure_cases())
def test_golden_figure_is_extracted(paper: str, gold: dict[str, Any]) -> None:
    rows = _rows(paper)
    found = [r for r in rows if _same_figure(gold, r)]
    if not found:
        near = [
            _describe(r)
            for r in rows
            if _norm(gold["figure"]) in _norm(r["figure"]) or _norm(r["figure"]) in _norm(gold["figure"])
        ]
        want = f"{gold['figure']!r} ({gold['value']} {gold['unit']})"
        pytest.fail(f"{want} not extracted; near misses: {near or 'none'}")
    problems_per_row = []
    for row in found:
        problems = []
        if row["kind"] != gold["kind"]:
            problems.append(f"kind {row['kind']!r} != {gold['kind']!r}")
        if gold["period_start"] or gold["period_end"]:
            got = (row["period_start"], row["period_end"])
            want = (gold["period_start"], gold["period_end"])
            if got != want:
                problems.append(f"period {got[0]}..{got[1]} != {want[0]}..{want[1]}")
        problems += _semantics_problems(gold, row)
        label = _norm(f"{row['measure'] or ''} {row['measure_id'] or ''}")
        if not any(k in label for k in gold["measure_keywords"]):
            keywords = gold["measure_keywords"]
            problems.append(f"measure {row['measure']!r}/{row['measure_id']!r} lacks any of {keywords}")
        if not problems:
            return
        problems_per_row.append(f"{_describe(row)}: " + "; ".join(problems))
    pytest.fail(f"{gold['figure']!r} found but wrong:\n  " + "\n  ".join(problems_per_row))


def _semantics_problems(gold: dict[str, Any], row: dict[str, Any]) -> list[str]:
    """What each figure is, where the key names them: the catalogue measure, basis and bound
    exactly, area and breakdown set or not (papers name places and parts in many ways), and
    no period where ``no_period`` says the paper gives none."""
    problems = []
    if "measure_id" in gold and row["measure_id"] != gold["measure_id"]:
        problems.append(f"measure_id {row['measure_id']!r} != {gold['measure_id']!r}")
    for field in ("basis", "bound"):
        if field in gold and row[field] != gold[field]:
            problems.append(f"{field} {row[field]!r} != {gold[field]!r}")
    for field in ("area", "breakdown"):
        if field in gold and (row[field] is None) != (gold[field] is None):
            problems.append(f"{field} {row[field]!r}, the key has {gold[field]!r}")
    if gold.get("no_period") and (row["period_start"] or row["period_end"]):
        problems.append(f"period {row['period_start']}..{row['period_end']} where the paper gives none")
    return problems


@pytest.mark.parametrize("paper", _precision_cases())
def test_nothing_extracted_beyond_golden(paper: str) -> None:
    golden = _golden(paper)
    rows = _rows(paper)
    extra = [_describe(r) for r in rows if not any(_same_figure(g, r) for g in golden)]
    # One observation per golden figure: the same figure taken twice is a duplicate.
    taken = Counter(
        next(i for i, g in enumerate(golden) if _same_figure(g, r))
        for r in rows
        if any(_same_figure(g, r) for g in golden)
    )
    twice = [f"{golden[i]['figure']!r} x{n}" for i, n in taken.items() if n > 1]
    assert not extra and not twice, "not in the golden file:\n  " + "\n  ".join(extra) + f"\nduplicates: {twice}"


@pytest.mark.parametrize(("paper", "trap"), _trap_cases())
def test_trap_is_not_a_figure(paper: str, trap: dict[str, Any]) -> None:
    """No observation's character span overlaps the trap's number where its context occurs."""
    text = (PAPERS / paper).read_text(encoding="utf-8")
    offset = trap["context"].index(trap["figure"])
    spans = [
        (m.start() + offset, m.start() + offset + len(trap["figure"]))
        for m in re.finditer(re.escape(trap["context"]), text)
    ]
    assert spans, f"trap context {trap['context']!r} is not in {paper}"
    hits = [
        _describe(r)
        for r in _rows(paper)
        if any(r["char_start"] < end and start < r["char_end"] for start, end in spans)
    ]
    assert not hits, f"trap {trap['context']!r} ({trap['why']}) taken as a figure: {hits}"
