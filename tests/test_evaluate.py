"""Strict scoring (``extractor/evaluate.py``): measure by catalogue id, the
period's start and end with no invented periods, the figure's semantics, and the series
scores (recall, purity, chart accuracy, level periods) of ``evaluate --series``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import cli
from extractor.evaluate import score, score_series
from tests.conftest import GOLD

QUOTE = "Burglary: 1,200 offences from April 2023 to March 2024, averaging 100 a month."


def _obs(**over) -> dict:
    base = {
        "id": "o1",
        "document_id": "p",
        "value": 1200.0,
        "unit": "count",
        "quote": QUOTE,
        "measure": "Burglary",
        "measure_id": "all_burglary",
        "kind": "value",
        "period_start": "2023-04-01",
        "period_end": "2024-03-31",
        "figure": "1,200",
        "basis": "total",
        "area": None,
        "breakdown": None,
        "bound": "exact",
        "measure_name": "Burglary (all)",
        "is_level": 1,
    }
    return {**base, **over}


def _key(**over) -> dict:
    base = {
        "doc": "p",
        "quote": QUOTE,
        "figure": "1,200",
        "value": 1200,
        "unit": "count",
        "measure": "Burglary",
        "measure_id": "all_burglary",
        "basis": "total",
        "area": None,
        "breakdown": None,
        "bound": "exact",
        "keywords": ["burglary"],
        "kind": "value",
        "period_start": "2023-04-01",
        "period_end": "2024-03-31",
    }
    return {**base, **over}


def _counts(key: dict, obs: dict) -> dict:
    return score([obs], [key], []).overall.counts


def test_measure_is_scored_by_id_not_by_keywords():
    assert _counts(_key(), _obs())["measure_ok"] == 1
    # the label still says burglary, but the child measure is a wrong link
    assert _counts(_key(), _obs(measure_id="residential_burglary"))["measure_ok"] == 0
    # a key of null wants no link
    assert _counts(_key(measure_id=None), _obs(measure_id=None))["measure_ok"] == 1
    assert _counts(_key(measure_id=None), _obs())["measure_ok"] == 0


def test_old_keys_without_measure_id_fall_back_to_keywords():
    key = {k: v for k, v in _key().items() if k != "measure_id"}
    assert _counts(key, _obs(measure_id="residential_burglary"))["measure_ok"] == 1


@pytest.mark.parametrize(
    "key_period, obs_period, ok",
    [
        (("2023-04-01", "2024-03-31"), ("2023-04-01", "2024-03-31"), True),
        (("2023-04-01", "2024-03-31"), ("2024-03-01", "2024-03-31"), False),  # start is scored too
        ((None, None), ("2023-04-01", "2024-03-31"), False),  # an invented period
        ((None, None), (None, None), True),
        (("2023-04-01", "2024-03-31"), (None, None), False),
    ],
)
def test_period_start_end_and_no_invented_period(key_period, obs_period, ok):
    key = _key(period_start=key_period[0], period_end=key_period[1])
    obs = _obs(period_start=obs_period[0], period_end=obs_period[1])
    counts = _counts(key, obs)
    assert (counts["period_checked"], counts["period_ok"]) == (1, int(ok))


@pytest.mark.parametrize(
    "key_over, obs_over, ok",
    [
        ({"basis": "average"}, {"basis": "average"}, True),
        ({"basis": "average"}, {}, False),
        ({"bound": "approximate"}, {}, False),
        ({"area": "Coventry"}, {"area": "Coventry LPA"}, True),  # area and breakdown: set or not
        ({"area": "Coventry"}, {}, False),
        ({}, {"breakdown": "knives"}, False),
    ],
)
def test_semantics_are_judged_where_the_key_names_them(key_over, obs_over, ok):
    counts = _counts(_key(**key_over), _obs(**obs_over))
    assert (counts["semantics_checked"], counts["semantics_ok"]) == (1, int(ok))


AVERAGE = {"figure": "100", "value": 100}


def _series_key() -> list[dict]:
    level = {
        "measure_id": "all_burglary",
        "doc": "p",
        "quote": QUOTE,
        "figure": "1,200",
        "value": 1200,
        "unit": "count",
        "level": True,
        "period_start": "2023-04-01",
        "period_end": "2024-03-31",
    }
    average = {**level, **AVERAGE, "level": False, "period_start": None, "period_end": None}
    return [level, average]


def test_series_scores_recall_purity_chart_and_level_periods():
    right_level = _obs()
    average_drawn_as_level = _obs(id="o2", figure="100", value=100.0, period_start="2024-03-01")
    stray = _obs(id="o3", figure="9", value=9.0, quote="9 cars were stolen", is_level=0)
    s = score_series([right_level, average_drawn_as_level, stray], _series_key())["all_burglary"].summary()
    assert s["recall"] == 1.0  # both figures filed under the measure
    assert s["purity"] == round(2 / 3, 3)  # the stray does not belong
    assert s["chart_accuracy"] == 0.5  # the average is not a level
    assert s["level_period_accuracy"] == 1.0


def test_series_level_period_must_match():
    wrong_period = _obs(period_start="2023-01-01", period_end="2023-12-31")
    s = score_series([wrong_period], _series_key())["all_burglary"].summary()
    assert (s["chart_accuracy"], s["level_period_accuracy"]) == (1.0, 0.0)


def test_series_recall_needs_the_right_measure():
    s = score_series([_obs(measure_id="residential_burglary")], _series_key())["all_burglary"].summary()
    assert s["recall"] == 0.0 and s["filed"] == 0


def test_series_key_covers_fifteen_measures_in_two_or_more_papers():
    rows = [json.loads(line) for line in (GOLD / "series.jsonl").read_text(encoding="utf-8").splitlines()]
    papers: dict[str, set[str]] = {}
    for r in rows:
        papers.setdefault(r["measure_id"], set()).add(r["doc"])
        assert r["level"] == (r["period_end"] is not None), r
    assert len([m for m, docs in papers.items() if len(docs) >= 2]) >= 15


def test_corpus_key_names_every_figure_semantics():
    rows = [json.loads(line) for line in (GOLD / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    for r in rows:
        assert {"measure_id", "basis", "area", "breakdown", "bound"} <= set(r), r["quote"]
        assert r["basis"] in ("total", "average", "share", "rank", "other")
        assert r["bound"] in ("exact", "approximate", "at_least", "at_most")


def test_cli_series_prints_each_measure(corpus_db: Path):
    result = CliRunner().invoke(cli, ["evaluate", "--db", str(corpus_db), "--series", str(GOLD / "series.jsonl")])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[-1].startswith("all series: recall ")
    assert any(line.startswith("homicide: recall ") and " purity " in line and " chart " in line for line in lines)


def test_cli_evaluate_needs_a_key(corpus_db: Path):
    result = CliRunner().invoke(cli, ["evaluate", "--db", str(corpus_db)])
    assert result.exit_code != 0
    assert "nothing to score against: pass --gold KEY, --series KEY or both" in result.output
