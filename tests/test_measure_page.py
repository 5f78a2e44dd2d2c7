"""A measure's page from what the build stored: the same page as counting it all on each visit, at its
two URLs, with Datasette's row view still answering where this page does not apply; and the helpers that
build its rows (and the index's, the search's and a paper's) escaping whatever a paper says."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from datasette.app import Datasette

from datasette_plugins import browse, provenance, search
from extractor.serve import datasette_kwargs
from extractor.store import summary
from tests.serving import DatasetteClient

HOSTILE = '<script>alert(1)</script> " onmouseover="alert(1)'


@pytest.fixture(scope="module")
def stored_and_live(corpus_db: Path, tmp_path_factory: pytest.TempPathFactory):
    """The corpus build served as built (``new``) and as an archive built before the page tables (``old``)."""
    folder = tmp_path_factory.mktemp("measure-page")
    for name in ("new", "old"):
        shutil.copy(corpus_db, folder / f"{name}.db")
    with sqlite3.connect(folder / "old.db") as conn:
        conn.execute("drop table measure_summary")
        conn.execute("drop table measure_figures")
    c = DatasetteClient(Datasette(immutables=[str(folder / "new.db"), str(folder / "old.db")], **datasette_kwargs()))
    yield c
    c.close()


def _page(c: DatasetteClient, database: str, measure: str, page: int = 1) -> dict:
    return c.loop.run_until_complete(provenance.measure_context(c.ds, database, measure, page))["boardpapers_measure"]


def test_the_stored_page_is_the_page_counting_gives(stored_and_live):
    c = stored_and_live
    with sqlite3.connect(c.ds.get_database("new").path) as conn:
        measures = [
            r[0] for r in conn.execute("select distinct measure_id from observations where measure_id is not null")
        ]
    assert len(measures) > 10
    keys = ("total", "papers", "flagged", "group_counts", "levels", "charted", "points", "others", "pages")
    for measure in measures:
        new, old = _page(c, "new", measure), _page(c, "old", measure)
        assert {k: new[k] for k in keys} == {k: old[k] for k in keys}, measure
        # the same chart, point for point, with the new page's links (only the database's name differs)
        assert new["spec_json"] == old["spec_json"].replace("/old/", "/new/"), measure
        assert (new["spec_all_json"] or "") == (old["spec_all_json"] or "").replace("/old/", "/new/"), measure
        fields = ("id", "grp", "shown", "checks", "more_checks", "checked", "date", "about")
        assert [[r[f] for f in fields] for r in new["rows"]] == [[r[f] for f in fields] for r in old["rows"]], measure


def test_the_chart_sends_its_levels_once_and_its_changes_and_targets_apart(stored_and_live):
    c = stored_and_live
    page = _page(c, "new", "residential_burglary")
    levels = json.loads(page["spec_json"])["vconcat"]
    added = json.loads(page["spec_all_json"])
    assert isinstance(added, list) and added  # panels timeline.js adds below the levels' own
    assert {p["layer"][-1]["mark"]["color"] for p in levels} == {"#c00"}  # the rings over each panel's points
    drawn = {v["id"] for p in levels for v in p["data"]["values"]}
    assert drawn.isdisjoint({v["id"] for p in added for v in p["data"]["values"]})
    assert all(v["kind"] in ("change", "target") for p in added for v in p["data"]["values"])


def test_a_measure_page_answers_at_its_row_url_and_under_the_archives_pages(stored_and_live):
    c = stored_and_live
    row = c.get("/new/measures/residential_burglary")
    alias = c.get("/-/measures/residential_burglary?db=new")
    assert row.status_code == alias.status_code == 200
    assert row.text == alias.text and 'id="bp-timeline-spec"' in row.text
    assert "vega-embed.min.js" in row.text and "timeline.js" in row.text
    assert 'href="/new/measures/residential_burglary.json"' in row.text  # the record's every column
    assert c.get("/new/measures/residential_burglary.json").json()["rows"]  # Datasette's JSON, as before
    assert c.get("/new/measures/no-such-measure").status_code == 404
    assert c.get("/-/measures/no-such-measure").status_code == 404
    assert c.get("/-/measures/residential_burglary").status_code == 200  # the first archive served


def test_another_databases_measures_rows_are_datasettes_own_row_pages(tmp_path):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table measures (id text primary key, name text)")
        conn.execute("insert into measures values ('m1', 'Not an archive')")
    c = DatasetteClient(Datasette(immutables=[str(other)], **datasette_kwargs()))
    try:
        r = c.get("/other/measures/m1")
        assert r.status_code == 200 and "Not an archive" in r.text and "bp-timeline" not in r.text
        assert c.get("/other/measures/m2").status_code == 404
        assert c.get("/-/measures/m1").status_code == 404
    finally:
        c.close()


def test_a_figures_checks_are_its_disagreements_most_severe_first_and_a_verification_only_without_them():
    rows = [
        {"observation_id": "a", "outcome": "disagreement", "message": "first  " + "x" * 300, "type": "t"},
        {"observation_id": "a", "outcome": "disagreement", "message": None, "type": "restated"},
        {"observation_id": "a", "outcome": "disagreement", "message": "third", "type": "t"},
        {"observation_id": "a", "outcome": "verified", "message": "ok", "type": "t"},
        {"observation_id": "b", "outcome": "verified", "message": "ok", "type": "t"},
    ]
    found = {
        obs: (flags, checked, json.loads(messages)) for flags, checked, messages, obs in summary.figure_checks(rows)
    }
    flags, checked, messages = found["a"]
    assert (flags, checked, len(messages)) == (3, 0, summary.MESSAGES_PER_FIGURE)
    assert messages[0].startswith("first x") and messages[0].endswith("…")
    assert len(messages[0]) == summary.MESSAGE_CHARS and messages[1] == "restated"
    assert found["b"] == (0, 1, [])


def _row(**given):
    row = {
        "id": "o1",
        "href": "/db/observations/o1",
        "date": "2024-03-31",
        "dated_by_paper": False,
        "figure": HOSTILE,
        "shown": "12",
        "period_text": HOSTILE,
        "about": HOSTILE,
        "document_title": HOSTILE,
        "document_date": "2024-05-01",
        "page": 3,
        "paragraph": HOSTILE,
        "checks": [HOSTILE],
        "more_checks": 2,
        "checked": False,
    }
    return {**row, **given}


def test_the_table_rows_built_in_python_escape_what_a_paper_says():
    html = str(provenance.figure_rows_html([_row(), _row(checks=[], checked=True, dated_by_paper=True)], with_of=True))
    assert "<script>" not in html and '" onmouseover' not in html and "&lt;script&gt;" in html
    assert html.count("<tr") == 2 and 'class="bp-flagged"' in html and "⚑ flagged" in html and "and 2 more" in html
    assert "✓ checked" in html and "(paper)</abbr>" in html and "p. 3 ¶&lt;script&gt;" in html
    assert html.count("<td>") == 2 * 8  # with the "Of" column
    index = str(
        browse.index_rows_html(
            [
                {
                    "search_text": HOSTILE,
                    "href": "/db/measures/m",
                    "name": HOSTILE,
                    "figures": 3,
                    "papers": 2,
                    "first_year": "2014",
                    "last_year": "2024",
                    "spark_words": HOSTILE,
                    "spark": "",
                }
            ]
        )
    )
    assert "<script>" not in index and '" onmouseover' not in index and "2014–2024" in index
    paper = str(
        browse.paper_rows_html(
            [
                {
                    "href": "/o",
                    "figure": HOSTILE,
                    "measure_href": None,
                    "measure": HOSTILE,
                    "about": HOSTILE,
                    "period_text": HOSTILE,
                    "page": 1,
                    "paragraph": "4",
                }
            ]
        )
    )
    assert "<script>" not in paper and '" onmouseover' not in paper and "(not in the catalogue)" in paper
    found = {"href": "/p", "document_title": HOSTILE, "document_date": "2024", "page": None, "paragraph": None}
    passages = str(search.passages_html([{**found, "section": HOSTILE, "snip": "<mark>x</mark>"}]))
    assert "<script>" not in passages and "<mark>x</mark>" in passages  # the snippet is text.highlight's
