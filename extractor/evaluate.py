"""Score an archive's observations against hand-made answer keys (GOLD-SPEC format).

Scored the way the project's shared ``evaluate.py`` scores: a gold figure matches an
extracted one of the same paper, unit and absolute value (within 0.5%) whose quote
overlaps the gold quote (rapidfuzz partial ratio of 60 or more, or the figure inside
the quote); pairs are taken best first, one to one. Measure, period, sign and kind are
then judged on the matched pairs.

Strictly (the README's "What each figure is"): a key that names ``measure_id`` is scored by id (``null`` wants
no link); every matched figure's period is judged, start and end (to the month), and a
period stated where the key has none is wrong. ``basis``, ``bound``, and whether ``area``
and ``breakdown`` are set are judged where the key names them. Keys without ``measure_id``
(the older GOLD-SPEC ones) fall back to their ``keywords``.

``score_series`` reads a series key (one line per figure of a measure: its ``measure_id``,
the figure, and whether it is one of the measure's ``level``s, with its period) and says,
per measure, how much of the series the archive files under it (recall), how much of what
it files belongs (purity), how many of the rows ``measure_levels`` charts are true levels
(chart accuracy), and how many of those carry the right period.
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
    "semantics_checked",
    "semantics_ok",
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
            "semantics_accuracy": self.ratio("semantics_ok", "semantics_checked"),
            **self.counts,
        }


@dataclass
class Scores:
    papers: dict[str, PaperScore]
    overall: PaperScore
    misses: list[tuple[Any, ...]]
    false_positives: list[tuple[Any, ...]]
    wrong: list[tuple[Any, ...]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"summary": self.overall.summary(), "per_doc": {d: s.summary() for d, s in self.papers.items()}}


def read_jsonl(paths: Sequence[str | Path]) -> list[dict[str, Any]]:
    return [
        json.loads(line) for p in paths for line in Path(p).read_text(encoding="utf-8").splitlines() if line.strip()
    ]


SEMANTICS = ("basis", "area", "breakdown", "bound")


def load_observations(db_path: str | Path) -> list[dict[str, Any]]:
    """Every observation with a value, with its catalogue name and whether ``measure_levels``
    charts it (``is_level``)."""
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    try:
        rows = con.execute(
            "select o.id, o.document_id, o.value, o.unit, o.quote, o.measure, o.measure_id, o.kind,"
            " o.period_start, o.period_end, o.figure, o.basis, o.area, o.breakdown, o.bound,"
            " m.name as measure_name, o.id in (select observation_id from measure_levels) as is_level"
            " from observations o left join measures m on m.id = o.measure_id order by o.seq"
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
    c["measure_ok"] += _measure_ok(g, o)
    c["period_checked"] += 1
    c["period_ok"] += same_period(g, o)
    c["kind_ok"] += (o.get("kind") or "").lower() == g.get("kind")
    named = [k for k in SEMANTICS if k in g]
    if named:
        c["semantics_checked"] += 1
        c["semantics_ok"] += all(_same_semantics(k, g, o) for k in named)


def _measure_ok(g: dict[str, Any], o: dict[str, Any]) -> bool:
    """By catalogue id when the key names one (``null`` wants no link), else by keywords."""
    if "measure_id" in g:
        return bool(o.get("measure_id") == g["measure_id"])
    label = " ".join(x for x in (o.get("measure"), o.get("measure_name")) if x).lower()
    keys = [k.lower() for k in g.get("keywords", [])]
    return bool(label) and any(k in label or fuzz.partial_ratio(k, label) >= 85 for k in keys)


def same_period(g: dict[str, Any], o: dict[str, Any]) -> bool:
    """Start and end agree to the month; a period where the key has none (or none where it
    has one) is wrong."""
    return all((g.get(k) or "")[:7] == (o.get(k) or "")[:7] for k in ("period_start", "period_end"))


def _same_semantics(field_name: str, g: dict[str, Any], o: dict[str, Any]) -> bool:
    """``basis`` and ``bound`` as named; ``area`` and ``breakdown`` by whether they are set
    (papers name the same place or part in many ways)."""
    if field_name in ("area", "breakdown"):
        return (g.get(field_name) is None) == (o.get(field_name) is None)
    default = "total" if field_name == "basis" else "exact"
    return bool((o.get(field_name) or default) == (g.get(field_name) or default))


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
    wrong: list[tuple[Any, ...]] = []
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
            wrong += _differences(golds[gi], found[oi])
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
    return Scores(papers, overall, misses, fps, wrong)


def _differences(g: dict[str, Any], o: dict[str, Any]) -> list[tuple[Any, ...]]:
    """What a matched figure got wrong, as (paper, figure, field, key's answer, extracted)."""
    out: list[tuple[Any, ...]] = []
    if not _measure_ok(g, o):
        out.append((g["doc"], g["figure"], "measure", g.get("measure_id", g.get("keywords")), o.get("measure_id")))
    if not same_period(g, o):
        want, got = (g.get("period_start"), g.get("period_end")), (o.get("period_start"), o.get("period_end"))
        out.append((g["doc"], g["figure"], "period", want, got))
    out += [
        (g["doc"], g["figure"], k, g.get(k), o.get(k)) for k in SEMANTICS if k in g and not _same_semantics(k, g, o)
    ]
    return out


def evaluate_db(db_path: str | Path, gold_paths: list[str], trap_paths: list[str]) -> Scores:
    return score(load_observations(db_path), read_jsonl(gold_paths), read_jsonl(trap_paths))


def format_scores(scores: Scores, *, show_misses: int = 0, show_fps: int = 0) -> str:
    def line(name: str, s: dict[str, Any]) -> str:
        return (
            f"{name}: recall {s['recall']} precision {s['precision']} f1 {s['f1']} | measure "
            f"{s['measure_accuracy']} period {s['period_accuracy']} sign {s['sign_accuracy']} kind "
            f"{s['kind_accuracy']} semantics {s['semantics_accuracy']} | "
            f"gold {s['gold']} extracted {s['extracted']} matched {s['matched']} "
            f"traps hit {s['trap_hits']}/{s['traps']}"
        )

    out = [line(d, s.summary()) for d, s in scores.papers.items()]
    out.append(line("overall", scores.overall.summary()))
    out += [f"MISS {m}" for m in scores.misses[:show_misses]]
    out += [f"FP   {f}" for f in scores.false_positives[:show_fps]]
    out += [f"WRONG {w}" for w in scores.wrong[:show_misses]]
    return "\n".join(out)


# --------------------------------------------------------------------------- series


SERIES_COUNTERS = ("members", "found", "filed", "filed_ok", "charted", "charted_ok", "levels", "period_ok")


@dataclass
class SeriesScore:
    """How well the archive files one measure's series: its figures, and which are its levels."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SERIES_COUNTERS, 0))
    papers: set[str] = field(default_factory=set)

    def ratio(self, n: str, d: str) -> float | None:
        return round(self.counts[n] / self.counts[d], 3) if self.counts[d] else None

    def summary(self) -> dict[str, Any]:
        return {
            "recall": self.ratio("found", "members"),
            "purity": self.ratio("filed_ok", "filed"),
            "chart_accuracy": self.ratio("charted_ok", "charted"),
            "level_period_accuracy": self.ratio("period_ok", "levels"),
            "papers": len(self.papers),
            **self.counts,
        }


def _match(key: list[dict[str, Any]], obs: list[dict[str, Any]]) -> dict[int, int]:
    """Key figure index -> observation index, one to one, best pairs first."""
    match: dict[int, int] = {}
    for _, ki, oi in _candidates(key, obs):
        if ki not in match and oi not in match.values():
            match[ki] = oi
    return match


def score_series(observations: list[dict[str, Any]], key: list[dict[str, Any]]) -> dict[str, SeriesScore]:
    """Per measure of the series ``key``: recall (its figures filed under it), purity (the
    figures filed under it that belong), chart accuracy (its ``measure_levels`` rows that are
    true levels) and, of the true levels charted, the share with the key's period."""
    measures = sorted({k["measure_id"] for k in key})
    scores = {m: SeriesScore() for m in measures}
    for d in sorted({k["doc"] for k in key}):
        members = [{**k, "_unit": norm_unit(k["unit"])} for k in key if k["doc"] == d]
        found = [{**o, "_unit": norm_unit(o["unit"]), "_quote": ws(o["quote"])} for o in observations]
        found = [o for o in found if o["document_id"] == d]
        match = _match(members, found)
        owner = {oi: members[ki] for ki, oi in match.items()}
        for ki, k in enumerate(members):
            s = scores[k["measure_id"]]
            s.papers.add(d)
            s.counts["members"] += 1
            s.counts["found"] += ki in match and found[match[ki]].get("measure_id") == k["measure_id"]
        for oi, o in enumerate(found):
            s_or_none = scores.get(o.get("measure_id") or "")
            if s_or_none is not None:
                _judge_filed(s_or_none.counts, o, owner.get(oi))
    return scores


def _judge_filed(c: dict[str, int], o: dict[str, Any], k: dict[str, Any] | None) -> None:
    """Count one observation filed under a key measure: whether it belongs, and whether its
    place on the chart (``is_level``) is right."""
    belongs = k is not None and k["measure_id"] == o["measure_id"]
    c["filed"] += 1
    c["filed_ok"] += belongs
    if not o.get("is_level"):
        return
    c["charted"] += 1
    true_level = belongs and bool(k and k.get("level"))
    c["charted_ok"] += true_level
    if true_level and k is not None:
        c["levels"] += 1
        c["period_ok"] += same_period(k, o)


def evaluate_series(db_path: str | Path, key_paths: list[str]) -> dict[str, SeriesScore]:
    return score_series(load_observations(db_path), read_jsonl(key_paths))


def format_series(scores: dict[str, SeriesScore]) -> str:
    """One line per measure, then all measures together."""
    total = SeriesScore()
    lines = []
    for m, s in scores.items():
        for k, v in s.counts.items():
            total.counts[k] += v
        total.papers |= s.papers
        lines.append(_series_line(m, s))
    lines.append(_series_line("all series", total))
    return "\n".join(lines)


def _series_line(name: str, s: SeriesScore) -> str:
    x = s.summary()
    return (
        f"{name}: recall {x['recall']} purity {x['purity']} chart {x['chart_accuracy']} "
        f"level periods {x['level_period_accuracy']} | figures {x['members']} filed {x['filed']} "
        f"charted {x['charted']} papers {x['papers']}"
    )
