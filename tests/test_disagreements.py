"""Disagreements a scrutiny panel can act on, and nothing else flagged (issue 13).

Each kind of disagreement and each kind of consistent statement, on made-up rows and on a
made-up paper built through the real pipeline (``tests/papers/checks/claims-to-check.txt``); the
consistent ones must never be flagged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from extractor.check import run_checks
from extractor.check.model import Check, outcome
from extractor.check.outliers import series_outliers
from extractor.check.precision import agree
from extractor.check.shares import share_checks, share_statements
from extractor.check.table_shares import table_share_checks, tables
from tests.test_checks import DOCS, PCC, WMP, obs

PAPERS = Path(__file__).parent / "papers"


def flagged(checks: list[Check]) -> list[Check]:
    return [c for c in checks if c.outcome == "disagreement"]


# --- outcomes: a verification is never a flag -------------------------------------------------------


@pytest.mark.parametrize(
    "check_type,severity,expected",
    [
        ("arithmetic", "info", "verified"),
        ("share", "info", "verified"),
        ("arithmetic", "warning", "disagreement"),
        ("share", "error", "disagreement"),
        ("conflict", "error", "disagreement"),
        ("near_conflict", "info", "note"),
        ("conflict", "info", "note"),
        ("outlier", "info", "curation"),
    ],
)
def test_outcome_of_each_kind_of_check(check_type, severity, expected):
    assert outcome(check_type, severity) == expected
    check = Check(check_type, severity, "m", "M", ["a"], "message")
    assert check.outcome == expected and check.to_row()["outcome"] == expected


# --- within one paper -------------------------------------------------------------------------------


def test_two_figures_in_one_paper_that_disagree_are_an_error():
    rows = [
        obs(4210, "4,210", measure_id="burglary", paragraph="1", passage="a"),
        obs(4780, "4,780", measure_id="burglary", paragraph="8", passage="b"),
    ]
    [check] = run_checks(rows, DOCS)
    assert (check.type, check.severity, check.outcome) == ("conflict", "error", "disagreement")
    assert "the same paper gives 4,210" in check.message and "4,780" in check.message
    assert check.details and check.details["within_paper"] is True


@pytest.mark.parametrize(
    "first,second",
    [
        ((41, "41", {}), (41, "41", {})),  # a repeat
        ((41, "41", {}), (41.2, "41.2", {})),  # a different precision
        ((2150, "2,150", {}), (2000, "over 2,000", {"bound": "at_least"})),  # a bound
        ((9, "9", {}), (10, "under 10", {"bound": "at_most"})),
        ((840, "840", {}), (850, "nearly 850", {"bound": "approximate"})),
    ],
)
def test_consistent_restatements_in_one_paper_are_not_flagged(first, second):
    rows = [
        obs(first[0], first[1], paragraph="1", passage="a", **first[2]),
        obs(second[0], second[1], paragraph="9", passage="b", **second[2]),
    ]
    assert run_checks(rows, DOCS) == []


@pytest.mark.parametrize(
    "extra",
    [
        {"basis": "average"},  # "a monthly average of 1,200" is not the year's total
        {"basis": "share"},
        {"area": "Coventry"},  # a part of the force area
        {"breakdown": "aged under 25"},
    ],
)
def test_figures_of_another_basis_area_or_breakdown_are_not_compared(extra):
    rows = [obs(14381, "14,381", paragraph="1", passage="a"), obs(1200, "1,200", paragraph="9", passage="b", **extra)]
    assert run_checks(rows, DOCS) == []
    # across papers too
    rows = [obs(14381, "14,381", doc=WMP), obs(1200, "1,200", doc=PCC, **extra)]
    assert run_checks(rows, DOCS) == []


def test_parts_stated_in_one_passage_or_paragraph_are_not_conflicts():
    # "2,172 hate crimes, of which 63": one sentence, two figures of one measure and period
    same_passage = [obs(2172, "2,172", passage="a"), obs(63, "63", passage="a")]
    # a table of allocations and its total under one numbered paragraph
    same_paragraph = [
        obs(6969, "6,969", paragraph="22", passage="t1"),
        obs(7319, "7,319", paragraph="22", passage="t2"),
    ]
    # "153 skilled (47.8%)": a figure given with its share of a whole is a part
    part = [
        obs(940, "940", paragraph="1", passage="a"),
        obs(153, "153", paragraph="2", passage="b", quote="There are 153 skilled (47.8%) currently."),
    ]
    for rows in (same_passage, same_paragraph, part):
        assert flagged(run_checks(rows, DOCS)) == []


def test_values_of_one_paper_more_than_three_times_apart_are_a_note_to_check_the_link():
    # "a monthly average of 14,381" beside the year's 174,526, before the average is labelled as such
    rows = [obs(174526, "174,526", paragraph="1", passage="a"), obs(14381, "14,381", paragraph="71", passage="b")]
    [check] = run_checks(rows, DOCS)
    assert (check.type, check.outcome) == ("conflict", "note")
    assert "check the link" in check.message


def test_three_or_more_values_in_one_paper_are_only_noted():
    rows = [obs(v, str(v), paragraph=str(i), passage=f"p{i}") for i, v in enumerate((6, 21, 41))]
    checks = run_checks(rows, DOCS)
    assert checks and {(c.type, c.outcome) for c in checks} == {("conflict", "note")}


# --- shares -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2,172 hate crimes, of which 63 (4%) had a marker.", ("63", "4", "2,172")),
        ("with 1,811 crimes reported in 2012. Of those 57 offences (3.1%) had a marker.", ("57", "3.1", "1,811")),
        ("There are 940 skilled Taser users (55.6%) of the required 1691.", ("940", "55.6", "1691")),
        ("Of the 500 victims, 40 (8 per cent) were repeat victims.", None),  # whole before without a cue: no
        ("There were 120 arrests (12%) last year.", None),  # no whole named
        ("In 2023 the Force recorded 480 crimes, of which 60 (12.5%) were solved.", ("60", "12.5", "480")),
    ],
)
def test_share_statements_are_read_with_the_whole_they_name(text, expected):
    found = share_statements(text)
    if expected is None:
        assert found == []
    else:
        [s] = found
        assert (s.part, s.share, s.whole) == expected
        for span, written in zip(s.spans, expected, strict=True):
            assert text[span[0] : span[1]] == written


def test_a_year_or_a_percentage_is_never_the_whole():
    text = "Hate crime was 1.8% of all crime in 2013, of which 63 (4%) had a marker."
    assert share_statements(text) == []


def _passage(text: str, *figures: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    passage = {"id": "p1", "document_id": WMP, "text": text, "char_start": 1000, "paragraph": "15", "page": None}
    rows = []
    for figure in figures:
        at = text.index(figure)
        row = obs(float(figure.replace(",", "").rstrip("%")), figure, passage="p1", measure_id="hate_crime")
        rows.append({**row, "char_start": 1000 + at, "char_end": 1000 + at + len(figure), "passage_id": "p1"})
    return passage, rows


def test_a_share_that_agrees_is_verified_and_one_that_does_not_is_flagged():
    passage, rows = _passage("In 2022 there were 1,811 hate crimes, of which 57 (3.1%) had a marker.", "1,811", "57")
    [check] = share_checks(passage, rows, DOCS)
    assert (check.type, check.outcome) == ("share", "verified")
    assert check.expected == pytest.approx(57 / 1811 * 100)
    passage, rows = _passage("In 2023 there were 2,172 hate crimes, of which 63 (4%) had a marker.", "2,172", "63")
    [check] = share_checks(passage, rows, DOCS)
    assert (check.type, check.severity) == ("share", "error")  # 2.9% is more than a point from 4%
    assert "63 of 2,172 is 2.9%" in check.message and "paragraph 15" in check.message
    assert sorted(check.observation_ids) == sorted(r["id"] for r in rows)


def test_a_share_off_by_less_than_a_point_is_a_warning_and_rounding_is_allowed():
    passage, rows = _passage("There were 1,000 calls, of which 44 (5%) were repeats.", "44")
    [check] = share_checks(passage, rows, DOCS)
    assert check.severity == "warning"  # 4.4% is not "5%" (4.5 to 5.5), but less than a point off
    passage, rows = _passage("There were 1,000 calls, of which 46 (5%) were repeats.", "46")
    [check] = share_checks(passage, rows, DOCS)
    assert check.outcome == "verified"


def _table(*rows: list[str], header: list[str]) -> list[dict[str, Any]]:
    import json

    passages = []
    for i, cells in enumerate([header, *rows]):
        passages.append(
            {
                "id": f"t{i}",
                "document_id": WMP,
                "kind": "table_row",
                "text": " ".join(cells),
                "char_start": 100 * i,
                "cells": json.dumps(cells),
                "header": json.dumps(header),
            }
        )
    return passages


def _cell_rows(passages: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    import json

    found: dict[str, list[dict[str, Any]]] = {}
    for p in passages[1:]:
        at = 0
        for cell in json.loads(p["cells"])[1:]:
            at = p["text"].index(cell, at)
            start = p["char_start"] + at
            row = {**obs(0, cell, passage=p["id"]), "char_start": start, "char_end": start + len(cell)}
            found.setdefault(p["id"], []).append(row)
            at += len(cell)
    return found


def test_a_table_share_column_is_checked_against_its_total_row():
    header = ["Area", "Crimes", "% of total"]
    passages = _table(
        ["North", "120", "40%"], ["South", "90", "30%"], ["East", "60", "25%"], ["Total", "300", "100%"], header=header
    )
    checks = [c for t in tables(passages) for c in table_share_checks(t, _cell_rows(passages), DOCS)]
    assert [(c.severity, c.stated) for c in checks] == [("error", 25.0)]  # 60 of 300 is 20%
    assert "East gives 60 as 25%, but 60 of the column's total of 300 is 20%" in checks[0].message
    passages = _table(["North", "120", "40%"], ["South", "90", "30%"], ["East", "90", "30%"], header=header)
    [check] = [c for t in tables(passages) for c in table_share_checks(t, _cell_rows(passages), DOCS)]
    assert check.outcome == "verified" and "its rows add up to 300" in check.message


def test_a_table_with_too_few_rows_or_no_share_heading_is_not_checked():
    passages = _table(["North", "120", "40%"], ["South", "90", "60%"], header=["Area", "Crimes", "%"])
    assert [c for t in tables(passages) for c in table_share_checks(t, _cell_rows(passages), DOCS)] == []
    passages = _table(
        ["North", "120", "40%"], ["South", "90", "9%"], ["East", "90", "5%"], header=["Area", "Crimes", "Change"]
    )
    assert [c for t in tables(passages) for c in table_share_checks(t, _cell_rows(passages), DOCS)] == []


def test_a_share_statement_with_no_observation_is_not_checked():
    passage, _ = _passage("2,172 hate crimes, of which 63 (4%) had a marker.")
    assert share_checks(passage, [], DOCS) == []


# --- series outliers --------------------------------------------------------------------------------


def _level(value: float, year: int, **extra: Any) -> dict[str, Any]:
    return obs(value, f"{value:,.0f}", measure_id="burglary", period=(f"{year}-01-01", f"{year}-12-31"), **extra)


def test_a_level_three_times_off_its_neighbours_is_listed_for_curation():
    rows = [_level(12000, 2020), _level(12500, 2021), _level(1300, 2022), _level(12900, 2023), _level(40000, 2024)]
    checks = series_outliers(rows, DOCS, {"burglary": "Residential burglary"})
    assert [(c.type, c.outcome, c.stated) for c in checks] == [("outlier", "curation", 1300)]
    assert checks[0].message.startswith("Check this link: 1,300 for Jan 2022 – Dec 2022")
    assert "Residential burglary" in checks[0].message
    # the last level has no level after it: not judged; nor are changes, averages, areas or parts
    rows += [
        _level(100, 2021, kind="change"),
        _level(100, 2021, basis="average"),
        _level(100, 2021, area="Coventry"),
        _level(100, 2021, breakdown="garages"),
    ]
    assert len(series_outliers(rows, DOCS)) == 1


def test_levels_of_periods_of_another_length_are_another_series():
    quarter = obs(3000, "3,000", measure_id="burglary", period=("2021-07-01", "2021-09-30"))
    rows = [_level(12000, 2020), quarter, _level(12900, 2022)]
    assert series_outliers(rows, DOCS) == []


def test_levels_within_three_times_are_not_outliers():
    rows = [_level(12000, 2020), _level(4100, 2021), _level(12000, 2022)]
    assert series_outliers(rows, DOCS) == []


def test_bounds_widen_agreement_only_on_their_open_side():
    assert agree({"value": 2150, "figure": "2,150"}, {"value": 2000, "figure": "over 2,000", "bound": "at_least"})
    assert not agree({"value": 1900, "figure": "1,900"}, {"value": 2000, "figure": "over 2,000", "bound": "at_least"})
    assert not agree({"value": 12, "figure": "12"}, {"value": 10, "figure": "under 10", "bound": "at_most"})


# --- a made-up paper through the real pipeline ------------------------------------------------------


@pytest.fixture(scope="module")
def paper_checks(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    import sqlite3

    from extractor.store import build_archive

    folder = tmp_path_factory.mktemp("claims")
    (folder / "manifest.yml").write_text(
        f"documents:\n  - id: claims-to-check\n    path: {PAPERS / 'checks' / 'claims-to-check.txt'}\n"
        "    date: 2024-03-12\n",
        encoding="utf-8",
    )
    result = build_archive(folder / "manifest.yml", folder / "claims.db")
    assert result.exit_code == 0, result.summary()
    conn = sqlite3.connect(folder / "claims.db")
    conn.row_factory = sqlite3.Row
    rows = [dict(r) for r in conn.execute("select * from checks order by type, message")]
    conn.close()
    return rows


def test_the_made_up_paper_flags_every_disagreement_and_nothing_else(paper_checks):
    disagreements = [c for c in paper_checks if c["outcome"] == "disagreement"]
    flags = sorted((c["type"], c["measure_id"] or "", c["stated"]) for c in disagreements)
    assert flags == [
        ("conflict", "residential_burglary", 4780.0),  # 4,210 in paragraph 1, 4,780 in paragraph 8
        ("share", "", 4.8),  # the table: 2 of the 2023 column's 62 is 3.2%, not 4.8%
        ("share", "", 30.0),  # 412 of 1,691 is 24.4%, not 30% (412 officers link to no measure)
        ("share", "", 43.0),  # the table: 27 of 62 is 43.55%, not 43% (minor: a warning)
        ("share", "hate_crime", 4.0),  # 63 of 2,172 is 2.9%, not 4%
    ]
    assert {c["stated"]: c["severity"] for c in disagreements if c["type"] == "share"} == {
        4.8: "error",
        30.0: "error",
        43.0: "warning",
        4.0: "error",
    }
    verified = sorted(str(c["stated"] or "") + c["message"][:40] for c in paper_checks if c["outcome"] == "verified")
    assert len(verified) == 3  # 57 of 1,811, 940 of 1,691 and the 2022 column of the table
    assert any("“2022 No.” and its shares" in c["message"] for c in paper_checks if c["outcome"] == "verified")
    # robbery and homicides are restated with the same figures: nothing names them
    assert not [c for c in paper_checks if c["measure_id"] in ("personal_robbery", "homicide")]
