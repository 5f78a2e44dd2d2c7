"""Score an archive's observations against hand-made answer keys (GOLD-SPEC format).

Scored the way the project's shared ``evaluate.py`` scores: a gold figure matches an
extracted one of the same paper, unit and absolute value (within 0.5%) whose quote
overlaps the gold quote (rapidfuzz partial ratio of 60 or more, or the figure inside
the quote); pairs are taken best first, one to one. Measure, period, sign and kind are
then judged on the matched pairs.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

UNIT_SYNONYMS = {
    "%": "percent",
    "percentage": "percent",
    "pct": "percent",
    "per cent": "percent",
    "percentage_points": "percent",
    "pp": "percent",
    "percentage points": "percent",
    "£": "GBP",
    "gbp": "GBP",
    "pounds": "GBP",
    "pound": "GBP",
    "second": "seconds",
    "s": "seconds",
    "secs": "seconds",
    "sec": "seconds",
    "day": "days",
    "working_days": "days",
    "working days": "days",
    "number": "count",
    "n": "count",
    "": "count",
    "people": "count",
    "per million": "per_million",
    "per_1m": "per_million",
    "per 1,000": "per_1000",
    "per_thousand": "per_1000",
}
COUNTERS = (
    "gold",
    "extracted",
    "matched",
    "sign_ok",
    "measure_ok",
    "period_checked",
    "period_ok",
    "kind_ok",
    "trap_hits",
    "traps",
)


def norm_unit(unit: Any) -> str:
    if unit is None:
        return "count"
    low = str(unit).strip().lower()
    return UNIT_SYNONYMS.get(low, "GBP" if low == "gbp" else low)


def ws(s: str | None) -> str:
    return re.sub(r"\s+", " ", s or "").strip()


def close(a: float, b: float) -> bool:
    return abs(a - b) <= max(1e-6, 0.005 * abs(b))


@dataclass
class PaperScore:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTERS, 0))

    def ratio(self, n: str, d: str) -> float | None:
        return round(self.counts[n] / self.counts[d], 3) if self.counts[d] else None

    def summary(self) -> dict[str, Any]:
        r = self.ratio("matched", "gold") or 0.0
        p = self.ratio("matched", "extracted") or 0.0
        return {
            "recall": self.ratio("matched", "gold"),
            "precision": self.ratio("matched", "extracted"),
            "f1": round(2 * r * p / (r + p), 3) if r + p else 0.0,
            "sign_accuracy": self.ratio("sign_ok", "matched"),
            "measure_accuracy": self.ratio("measure_ok", "matched"),
            "period_accuracy": self.ratio("period_ok", "period_checked"),
            "kind_accuracy": self.ratio("kind_ok", "matched"),
            **self.counts,
        }


@dataclass
class Scores:
    papers: dict[str, PaperScore]
    overall: PaperScore
    misses: list[tuple[Any, ...]]
    false_positives: list[tuple[Any, ...]]

    def as_dict(self) -> dict[str, Any]:
        return {"summary": self.overall.summary(), "per_doc": {d: s.summary() for d, s in self.papers.items()}}


def read_jsonl(paths: Sequence[str | Path]) -> list[dict[str, Any]]:
    return [
        json.loads(line) for p in paths for line in Path(p).read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def load_observations(db_path: str | Path) -> list[dict[str, Any]]:
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    try:
        rows = con.execute(
            "select o.document_id, o.value, o.unit, o.quote, o.measure, o.kind, o.period_start, o.period_end,"
            " o.figure, m.name as measure_name from observations o left join measures m on m.id = o.measure_id"
            " order by o.seq"
        ).fetchall()
    finally:
        con.close()
    return [dict(r) for r in rows if r["value"] is not None]


def _candidates(gold: list[dict[str, Any]], obs: list[dict[str, Any]]) -> list[tuple[float, int, int]]:
    pairs = []
    for gi, g in enumerate(gold):
        gq, gf = ws(g["quote"]), ws(g.get("figure", ""))
        for oi, o in enumerate(obs):
            if o["_unit"] != g["_unit"] or not close(abs(float(o["value"])), abs(float(g["value"]))):
                continue
            score = fuzz.partial_ratio(gq, o["_quote"]) if o["_quote"] else 0
            if gf and gf in o["_quote"]:
                score = max(score, 90)
            if score >= 60:
                pairs.append((score, gi, oi))
    return sorted(pairs, reverse=True)


def _judge(g: dict[str, Any], o: dict[str, Any], c: dict[str, int]) -> None:
    c["sign_ok"] += close(float(o["value"]), float(g["value"]))
    label = " ".join(x for x in (o.get("measure"), o.get("measure_name")) if x).lower()
    if label and any(k.lower() in label or fuzz.partial_ratio(k.lower(), label) >= 85 for k in g.get("keywords", [])):
        c["measure_ok"] += 1
    if g.get("period_end"):
        c["period_checked"] += 1
        c["period_ok"] += (o.get("period_end") or "")[:7] == g["period_end"][:7]
    c["kind_ok"] += (o.get("kind") or "").lower() == g.get("kind")


def _trap_hits(traps: list[dict[str, Any]], obs: list[dict[str, Any]], matched: set[int]) -> int:
    hits = 0
    for t in traps:
        digits = re.sub(r"[^\d.]", "", t["figure"])
        try:
            tv = float(digits or "nan")
        except ValueError:
            continue
        tq = ws(t["quote"])
        hits += any(
            oi not in matched and close(float(o["value"]), tv) and fuzz.partial_ratio(tq, o["_quote"]) >= 70
            for oi, o in enumerate(obs)
        )
    return hits


def score(observations: list[dict[str, Any]], gold: list[dict[str, Any]], traps: list[dict[str, Any]]) -> Scores:
    docs = sorted({g["doc"] for g in gold})
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for o in observations:
        if o["document_id"] in docs:
            by_doc[o["document_id"]].append({**o, "_unit": norm_unit(o["unit"]), "_quote": ws(o["quote"])})
    papers: dict[str, PaperScore] = {}
    overall = PaperScore()
    misses: list[tuple[Any, ...]] = []
    fps: list[tuple[Any, ...]] = []
    for d in docs:
        golds = [{**g, "_unit": norm_unit(g["unit"])} for g in gold if g["doc"] == d]
        found = by_doc.get(d, [])
        match: dict[int, int] = {}
        for _, gi, oi in _candidates(golds, found):
            if gi not in match and oi not in match.values():
                match[gi] = oi
        s = PaperScore()
        s.counts.update(gold=len(golds), extracted=len(found), matched=len(match))
        for gi, oi in match.items():
            _judge(golds[gi], found[oi], s.counts)
        matched = set(match.values())
        misses += [(d, g["figure"], g["measure"], g["quote"][:110]) for gi, g in enumerate(golds) if gi not in match]
        fps += [
            (d, o["value"], o["unit"], (o.get("measure") or "")[:40], o["_quote"][:110])
            for oi, o in enumerate(found)
            if oi not in matched
        ]
        doc_traps = [t for t in traps if t["doc"] == d]
        s.counts.update(trap_hits=_trap_hits(doc_traps, found, matched), traps=len(doc_traps))
        papers[d] = s
        for k, v in s.counts.items():
            overall.counts[k] += v
    return Scores(papers, overall, misses, fps)


def evaluate_db(db_path: str | Path, gold_paths: list[str], trap_paths: list[str]) -> Scores:
    return score(load_observations(db_path), read_jsonl(gold_paths), read_jsonl(trap_paths))


def format_scores(scores: Scores, *, show_misses: int = 0, show_fps: int = 0) -> str:
    def line(name: str, s: dict[str, Any]) -> str:
        return (
            f"{name}: recall {s['recall']} precision {s['precision']} f1 {s['f1']} | measure "
            f"{s['measure_accuracy']} period {s['period_accuracy']} sign {s['sign_accuracy']} kind "
            f"{s['kind_accuracy']} | gold {s['gold']} extracted {s['extracted']} matched {s['matched']} "
            f"traps hit {s['trap_hits']}/{s['traps']}"
        )

    out = [line(d, s.summary()) for d, s in scores.papers.items()]
    out.append(line("overall", scores.overall.summary()))
    out += [f"MISS {m}" for m in scores.misses[:show_misses]]
    out += [f"FP   {f}" for f in scores.false_positives[:show_fps]]
    return "\n".join(out)
