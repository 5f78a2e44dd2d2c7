"""The archive as its users meet it: the measure index, papers, a paper's page, downloads, the menu.

Pure helpers are tested alone; the pages through Datasette's test client over the corpus build copied
as ``wm-archive.db`` (every page must work whatever the file is called).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from datasette_plugins import browse, downloads, menus
from extractor.store import summary

DB = "wm-archive"
HOSTILE = "<script>alert(1)</script>"


@pytest.fixture
def client(archive_client):
    return archive_client


# -- pure helpers ----------------------------------------------------------------------------------
def test_sparkline_takes_the_commonest_unit_one_median_per_period_oldest_first():
    levels = [
        {"unit": "count", "period_end": "2014-03-31", "value": 10},
        {"unit": "count", "period_end": "2014-03-31", "value": 30},
        {"unit": "count", "period_end": "2014-03-31", "value": 1000},  # a misread figure does not spike it
        {"unit": "count", "period_end": "2013-03-31", "value": 5},
        {"unit": "per_million", "period_end": "2014-03-31", "value": 1.5},
        {"unit": "count", "period_end": None, "value": 7},
    ]
    assert summary.sparkline(levels) == ("count", [["2013-03-31", 5.0], ["2014-03-31", 30.0]])
    assert summary.sparkline([]) == (None, [])
    tie = [
        {"unit": "percent", "period_end": "2020-01-01", "value": 1},
        {"unit": "count", "period_end": "2020-01-01", "value": 2},
    ]
    assert summary.sparkline(tie, "count")[0] == "count"  # a tie goes to the catalogue's unit


def test_measure_summary_counts_every_measure_and_only_levels_in_its_sparkline(corpus_db: Path):
    with sqlite3.connect(corpus_db) as conn:
        conn.row_factory = sqlite3.Row
        rows = {r["measure_id"]: dict(r) for r in conn.execute("select * from measure_summary")}
        measures = conn.execute("select count(*) from measures").fetchone()[0]
        expected = conn.execute(
            "select count(*), count(distinct document_id) from observations where measure_id = 'residential_burglary'"
        ).fetchone()
        levels = conn.execute(
            "select count(*) from measure_levels where measure_id = 'residential_burglary'"
        ).fetchone()[0]
    assert len(rows) == measures
    burglary = rows["residential_burglary"]
    assert (burglary["figures"], burglary["papers"], burglary["levels"]) == (expected[0], expected[1], levels)
    assert burglary["first_year"] <= burglary["last_year"] and burglary["spark_unit"] == "count"
    assert json.loads(burglary["sparkline"]) and all(len(p) == 2 for p in json.loads(burglary["sparkline"]))
    assert any(r["figures"] == 0 and json.loads(r["sparkline"]) == [] for r in rows.values())


def test_write_measure_summary_replaces_the_table(tmp_path: Path, corpus_db: Path):
    shutil.copy(corpus_db, tmp_path / "copy.db")
    db = sqlite_utils.Database(tmp_path / "copy.db")
    before = db["measure_summary"].count
    db.execute("delete from observations where measure_id = 'residential_burglary'")
    assert summary.write_measure_summary(db) == before
    row = db["measure_summary"].get("residential_burglary")
    assert row["figures"] == 0 and row["sparkline"] == "[]"


def test_group_measures_by_category_hides_the_empty_ones_and_filters_by_every_word():
    rows = [
        {"measure_id": "rb", "name": "Residential burglary", "category": "Neighbourhood crime", "figures": 3},
        {"measure_id": "h", "name": "Homicides", "category": "Homicide", "figures": 2},
        {"measure_id": "e", "name": "Empty one", "category": "Homicide", "figures": 0},
    ]
    aliases = {"rb": ["domestic burglary"], "h": ["murder"]}
    categories, empty = browse.group_measures(rows, aliases)
    assert [c["name"] for c in categories] == ["Neighbourhood crime", "Homicide"]
    assert [m["measure_id"] for m in empty] == ["e"]
    categories, empty = browse.group_measures(rows, aliases, "DOMESTIC burg")  # aliases count, any case
    assert [m["measure_id"] for c in categories for m in c["measures"]] == ["rb"] and not empty
    assert browse.group_measures(rows, aliases, "murder")[0][0]["measures"][0]["measure_id"] == "h"


def test_by_section_keeps_the_papers_order():
    figures = [{"section": "A"}, {"section": "A"}, {"section": None}, {"section": "A"}]
    assert [(g["section"], len(g["figures"])) for g in browse.by_section(figures)] == [("A", 2), ("", 1), ("A", 1)]


@pytest.mark.parametrize(
    "figure, words",
    [
        ({"kind": "value", "basis": "total"}, ""),
        ({"kind": "change", "basis": "total"}, "change"),
        ({"kind": "value", "basis": "average", "area": "Coventry"}, "average, for Coventry"),
        ({"kind": "value", "basis": "total", "breakdown": "knives"}, "part: knives"),
    ],
)
def test_describe_says_what_a_figure_is_beyond_its_measure(figure, words):
    assert browse.describe(figure) == words


@pytest.mark.parametrize(
    "query, expected",
    [
        (b"", {"_stream": "on", "_size": "max", "_dl": "1"}),
        (b"measure_id=x&_size=10", {"measure_id": "x", "_size": "10", "_stream": "on", "_dl": "1"}),
        (b"_bom=1&_stream=off", {"_stream": "off", "_size": "max", "_dl": "1"}),
        (b"sql=select+1", {"sql": "select 1", "_dl": "1"}),
    ],
)
def test_table_csv_links_stream_every_row_as_a_download(query, expected):
    rewritten, bom = downloads.export_query(query)
    assert dict(re.findall(r"([^&=]+)=([^&]*)", rewritten.decode().replace("+", " "))) == expected
    assert bom == (b"_bom=1" in query)


def test_download_file_names_are_safe():
    assert downloads.filename('a/b"c\r\n', ".csv") == "a-b-c.csv"
    assert downloads.filename("", ".csv") == "figures.csv"
    assert downloads.csv_text(["a", "b"], [[None, "x,y"]]) == 'a,b\r\n,"x,y"\r\n'


def test_menu_drops_links_that_lead_nowhere():
    hidden = ("/-/dashboards", "/-/search")
    assert not menus.keep_link({"href": "/-/dashboards", "label": "Dashboards"}, hidden)
    assert not menus.keep_link({"href": "/prefix/-/search?q=", "label": "Search all tables"}, hidden)
    assert menus.keep_link({"href": "/-/archive-search", "label": "Search"}, hidden)
    assert menus.keep_link({"href": "/-/claims"}, hidden)


# -- pages ---------------------------------------------------------------------------------------
def measures_with_figures(client) -> list[dict]:
    return client.rows("select measure_id, name, figures from measure_summary where figures > 0")


def test_home_page_lists_every_measure_with_figures_one_click_from_its_page(client):
    r = client.get("/")
    assert r.status_code == 200
    index = r.text.split('id="bp-index-title"', 1)[1]
    for m in measures_with_figures(client):
        assert f'href="/{DB}/measures/{m["measure_id"]}"' in index.split("bp-index-empty", 1)[0]
    assert '<svg class="bp-spark"' in index
    empty = client.rows("select count(*) as n from measure_summary where figures = 0")[0]["n"]
    assert f"{empty} measures in the catalogue with no figures yet" in index and "<details" in index
    assert 'href="/-/papers"' in r.text and 'href="/-/measures"' in r.text


def test_measure_index_page_and_its_search(client):
    r = client.get("/-/measures")
    assert r.status_code == 200 and "<h1>Measures</h1>" in r.text
    assert 'id="bp-index-q"' in r.text and "measure-index.js" in r.text
    found = client.get("/-/measures?q=burglary").text
    assert f'href="/{DB}/measures/residential_burglary"' in found
    assert f'href="/{DB}/measures/homicide"' not in found
    assert HOSTILE not in client.get("/-/measures", params={"q": HOSTILE}).text


def test_a_papers_figures_are_two_clicks_from_home(client):
    home = client.get("/").text
    assert 'href="/-/papers"' in home
    papers = client.get("/-/papers")
    assert papers.status_code == 200
    paper = client.rows("select id, title, observations from documents order by observations desc limit 1")[0]
    assert f'href="/-/papers/{paper["id"]}"' in papers.text
    r = client.get(f"/-/papers/{paper['id']}")
    assert r.status_code == 200
    assert f"<h1>{paper['title']}</h1>" in r.text and "Figures by section" in r.text
    assert r.text.count(f'href="/{DB}/observations/') == paper["observations"]  # each linked to its provenance
    assert f'href="/{DB}/measures/' in r.text and 'href="/corpus/' in r.text
    assert client.get("/-/papers/no-such-paper").status_code == 404


def test_a_paper_page_links_the_original_only_when_it_is_http(client, corpus_db, tmp_path):
    from datasette.app import Datasette

    from extractor.serve import datasette_kwargs
    from tests.serving import DatasetteClient

    shutil.copy(corpus_db, tmp_path / "urls.db")
    with sqlite3.connect(tmp_path / "urls.db") as conn:
        conn.execute(
            "update documents set url = 'https://example.org/paper.pdf' where id = 'spcb-2014-05-13-milestones'"
        )
        conn.execute(
            "update documents set url = 'javascript:alert(1)', title = ? where id != 'spcb-2014-05-13-milestones'",
            [HOSTILE],
        )
    c = DatasetteClient(Datasette(immutables=[str(tmp_path / "urls.db")], **datasette_kwargs()), "urls")
    try:
        assert 'href="https://example.org/paper.pdf"' in c.get("/-/papers/spcb-2014-05-13-milestones").text
        other = c.get("/-/papers/spcb-2021-07-20-crime-performance").text
        assert "javascript:" not in other and HOSTILE not in other and "&lt;script&gt;" in other
    finally:
        c.close()


def test_measure_page_speaks_the_readers_words(client):
    r = client.get(f"/{DB}/measures/residential_burglary")
    assert r.status_code == 200
    assert "<title>Residential burglary</title>" in r.text
    assert "measures: residential_burglary" not in r.text
    assert "schema/measures.yml" not in r.text
    assert 'id="bp-group-levels"' in r.text and 'id="bp-group-changes"' in r.text
    assert 'id="bp-timeline-spec-all"' in r.text and 'id="bp-timeline-others"' in r.text


def test_measure_page_groups_every_figure_under_what_it_is(client):
    groups = client.rows(
        "select count(*) as n from observations where measure_id = 'residential_burglary' and kind = 'change'"
    )[0]["n"]
    r = client.get(f"/{DB}/measures/residential_burglary")
    section = r.text.split('id="bp-group-changes"', 1)[1].split("</section>", 1)[0]
    assert f"({groups})" in section and section.count(f'href="/{DB}/observations/') == groups
    levels = client.rows("select count(*) as n from measure_levels where measure_id = 'residential_burglary'")[0]["n"]
    section = r.text.split('id="bp-group-levels"', 1)[1].split("</section>", 1)[0]
    assert section.count(f'href="/{DB}/observations/') == levels


def test_no_menu_item_leads_nowhere_and_there_is_one_search(client):
    for path in ("/", f"/{DB}", f"/{DB}/observations", "/-/measures"):
        text = client.get(path).text
        assert "Dashboards" not in text and "Search all tables" not in text
        assert 'id="search-all-q"' not in text
    r = client.get("/-/search?q=burglary")
    assert r.status_code == 200 and 'url=/-/archive-search?q=burglary"' in r.text


# -- downloads -----------------------------------------------------------------------------------
def test_a_measures_csv_and_json_are_every_row_as_named_files(client):
    csv_r = client.get(f"/{DB}/measures/homicide/figures.csv")
    assert csv_r.headers["content-disposition"] == 'attachment; filename="homicide.csv"'
    json_r = client.get(f"/{DB}/measures/homicide/figures.json")
    assert json_r.headers["content-disposition"] == 'attachment; filename="homicide.json"'
    expected = {r["id"] for r in client.rows("select id from observations where measure_id = 'homicide'")}
    assert {r["id"] for r in csv.DictReader(io.StringIO(csv_r.text))} == expected
    assert {r["id"] for r in json_r.json()} == expected
    assert client.get(f"/{DB}/measures/nope/figures.json").status_code == 404


def test_the_bom_option_is_for_excel(client):
    plain = client.get(f"/{DB}/measures/homicide/figures.csv").content
    excel = client.get(f"/{DB}/measures/homicide/figures.csv?bom=1").content
    assert not plain.startswith(b"\xef\xbb\xbf") and excel == b"\xef\xbb\xbf" + plain
    table = client.get(f"/{DB}/figures.csv?_bom=1&measure_id=homicide").content
    assert table.startswith(b"\xef\xbb\xbf") and b"\xef\xbb\xbf" not in table[3:]


def test_every_figure_csv_has_as_many_rows_as_observations_and_the_columns_users_need(client):
    total = client.rows("select count(*) as n from observations")[0]["n"]
    for url in (f"/-/downloads/{DB}/figures.csv", f"/{DB}/figures.csv"):  # the home page's link; the view's CSV link
        r = client.get(url)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        assert r.headers["content-disposition"].startswith("attachment; filename=")
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert len(rows) == total and len({row["id"] for row in rows}) == total
        assert {"basis", "area", "bound", "page", "passage_id", "document_url"} <= set(rows[0])


def test_the_whole_figures_csv_streams_in_chunks(client, monkeypatch):
    monkeypatch.setattr(downloads, "CHUNK", 7)
    total = client.rows("select count(*) as n from observations")[0]["n"]
    rows = list(csv.DictReader(io.StringIO(client.get(f"/-/downloads/{DB}/figures.csv").text)))
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)) == total
    order = [r["id"] for r in client.rows("select id from observations order by seq")]
    assert ids == order  # the archive's stable order


def test_the_archive_file_downloads_whole(client, corpus_db):
    r = client.get(f"/-/downloads/{DB}.db")
    assert r.status_code == 200 and r.headers["content-disposition"] == f'attachment; filename="{DB}.db"'
    assert r.content == corpus_db.read_bytes()
    assert client.get("/-/downloads/nope.db").status_code == 404
    home = client.get("/").text
    assert f'href="/-/downloads/{DB}.db"' in home and f'href="/-/downloads/{DB}/figures.csv"' in home


def test_table_pages_have_plain_titles_and_a_papers_row_links_its_page(client):
    assert "<h1>Figures (view)</h1>" in client.get(f"/{DB}/figures").text
    assert "<h1>Papers</h1>" in client.get(f"/{DB}/documents").text
    r = client.get(f"/{DB}/documents/spcb-2014-05-13-milestones")
    assert 'href="/-/papers/spcb-2014-05-13-milestones"' in r.text


def test_the_builds_figure_order_is_the_order_the_page_would_sort_to(client):
    """The measure page reads a page of ``measure_figures`` through its index; an archive without it is
    sorted on the fly. Both must list the same figures in the same order, for every measure."""
    from datasette_plugins import provenance

    catalogued = client.rows("select count(*) as n from observations where measure_id is not null")[0]["n"]
    assert client.rows("select count(*) as n from measure_figures")[0]["n"] == catalogued
    for m in measures_with_figures(client):
        params = {"measure_id": m["measure_id"], "limit": 10_000, "offset": 0}
        ordered = [(r["id"], r["grp"]) for r in client.rows(provenance.ORDERED_SQL, params)]
        assert ordered == [(r["id"], r["grp"]) for r in client.rows(provenance.MEASURE_SQL, params)]
        assert len(ordered) == m["figures"]


def test_an_archive_built_before_the_summary_tables_still_serves_every_page(corpus_db, tmp_path):
    from datasette.app import Datasette

    from extractor.serve import datasette_kwargs
    from tests.serving import DatasetteClient

    shutil.copy(corpus_db, tmp_path / "old.db")
    with sqlite3.connect(tmp_path / "old.db") as conn:
        conn.execute("drop table measure_summary")
        conn.execute("drop table measure_figures")
    c = DatasetteClient(Datasette(immutables=[str(tmp_path / "old.db")], **datasette_kwargs()), "old")
    try:
        home = c.get("/")
        assert home.status_code == 200 and 'href="/old/measures/residential_burglary"' in home.text
        page = c.get("/old/measures/residential_burglary")
        assert page.status_code == 200 and 'id="bp-group-levels"' in page.text and "bp-timeline-spec" in page.text
    finally:
        c.close()


def test_without_an_archive_the_home_page_is_datasettes_own(tmp_path):
    from datasette.app import Datasette

    from extractor.serve import datasette_kwargs
    from tests.serving import DatasetteClient

    sqlite3.connect(tmp_path / "other.db").execute("create table t (a)").connection.commit()
    c = DatasetteClient(Datasette(immutables=[str(tmp_path / "other.db")], **datasette_kwargs()), "other")
    try:
        r = c.get("/")
        assert r.status_code == 200 and 'href="/other"' in r.text and "bp-index" not in r.text
        assert c.get("/-/measures").status_code == 404
    finally:
        c.close()


def test_canned_query_csv_is_a_download_too(client):
    r = client.get(f"/{DB}/measure_over_time.csv?measure_id=homicide")
    assert r.status_code == 200 and r.headers["content-disposition"].startswith("attachment")
    expected = client.rows("select count(*) as n from observations where measure_id = 'homicide'")[0]["n"]
    assert len(list(csv.DictReader(io.StringIO(r.text)))) == expected


def test_the_chart_reads_the_same_levels_through_the_builds_index(client):
    from datasette_plugins import provenance
    from extractor.store import summary

    for m in measures_with_figures(client):
        params = {"measure_id": m["measure_id"], "limit": 10_000}
        ordered = sorted(r["id"] for r in client.rows(summary.CHART_LEVELS_SQL, params))
        assert ordered == sorted(r["id"] for r in client.rows(provenance.LEVELS_CHART_SQL, params))


def test_a_child_measure_links_its_parent_and_the_parent_lists_its_parts(client):
    """Residential burglary is part of all burglary: each page says so and links the other,
    so a researcher who opened the narrower measure finds the broader one's figures."""
    child = client.get("/wm-archive/measures/residential_burglary").text
    assert 'Part of <a href="/wm-archive/measures/all_burglary">Burglary (all)</a>' in child
    parent = client.get("/wm-archive/measures/all_burglary").text
    assert "Parts of this measure" in parent
    assert 'href="/wm-archive/measures/residential_burglary"' in parent
