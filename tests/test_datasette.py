"""The archive's pages through Datasette's own test client, configured as ``boardpapers serve`` configures it.

The database is the session's corpus build, copied under another name: every page must work whatever the
file is called (Datasette names the database after the file's stem).
"""

from __future__ import annotations

import csv
import io
import json
import urllib.parse

import markupsafe
import pytest

from tests.conftest import REPO
from tests.serving import DatasetteClient

DB = "wm-archive"  # the archive_client's database: not the corpus_db's stem


@pytest.fixture
def client(archive_client):
    """The session's Datasette over the corpus build, copied as ``wm-archive.db``."""
    return archive_client


def measure_with_most_figures(client: DatasetteClient) -> str:
    rows = client.rows(
        "select measure_id from observations where measure_id is not null "
        "group by measure_id order by count(*) desc limit 1"
    )
    if not rows:
        pytest.skip("the build extracted no catalogued figures")
    return rows[0]["measure_id"]


def test_plugins_are_loaded(client):
    names = {p["name"] for p in client.get("/-/plugins.json").json()}
    assert "boardpapers" in names


def test_home_page_has_a_labelled_search_box_and_a_skip_link(client):
    r = client.get("/")
    assert r.status_code == 200
    assert '<label for="bp-q">' in r.text and 'id="bp-q" name="q"' in r.text
    assert 'action="/-/archive-search"' in r.text
    assert 'href="#main-content"' in r.text and 'id="main-content"' in r.text
    assert "Strategic Policing and Crime Board" in r.text


@pytest.mark.parametrize("table", ["documents", "passages", "measures", "observations", "checks", "figures"])
def test_tables_render(client, table):
    r = client.get(f"/{DB}/{table}")
    assert r.status_code == 200, r.text[:500]


def test_observations_table_has_facets_by_measure_paper_year_kind_and_unit(client):
    facets = client.get(f"/{DB}/observations.json?_size=1").json()["facet_results"]
    assert {"measure_id", "document_id", "period_end (year)", "kind", "unit"} <= set(facets)
    years = [r["value"] for r in facets["period_end (year)"]["results"]]
    assert years == sorted(set(years), reverse=True) and all(len(y) == 4 for y in years)
    assert client.get(f"/{DB}/figures.json?_size=1").json()["facet_results"]
    r = client.get(f"/{DB}/documents")
    assert "The papers in the archive" in r.text  # metadata's "*" entry reaches a database of any name


def test_year_facet_filters_by_year(client):
    years = client.rows("select distinct substr(period_end, 1, 4) as y from observations where period_end is not null")
    if not years:
        pytest.skip("no dated figures")
    year = years[0]["y"]
    data = client.get(f"/{DB}/observations.json?_facet_year=period_end&period_end__startswith={year}&_size=5").json()
    assert all(row[data["columns"].index("period_end")].startswith(year) for row in data["rows"])


def test_search_for_burglary_finds_measures_figures_and_passages_highlighted(client):
    r = client.get("/-/archive-search?q=burglary")
    assert r.status_code == 200
    assert "Residential burglary" in r.text  # the catalogue measure
    assert f'href="/{DB}/measures/residential_burglary"' in r.text
    passages = r.text.split('id="bp-h-passages"', 1)[1]
    assert "<mark>" in passages and "No passage matches" not in passages
    assert "burglar" in passages.lower()


@pytest.mark.parametrize("q", ["2014/15", "50%", '"', "AND", "NEAR(", "(", "*", "<script>alert(1)</script>"])
def test_awkward_searches_do_not_error(client, q):
    r = client.get("/-/archive-search?" + urllib.parse.urlencode({"q": q}))
    assert r.status_code == 200
    assert "could not finish" not in r.text
    assert "<script>alert(1)" not in r.text
    for table in ("passages", "observations"):
        page = client.get(f"/{DB}/{table}?" + urllib.parse.urlencode({"_search": q}))
        assert page.status_code == 200
        # the search ran and the page says so, the query echoed escaped
        assert f'name="_search" value="{markupsafe.escape(q)}"' in page.text
        assert f"where search matches &#34;{markupsafe.escape(q)}&#34;" in page.text
    canned = client.get(f"/{DB}/search_figures.json?" + urllib.parse.urlencode({"q": q}))
    assert canned.status_code == 200, canned.text[:300]


def test_canned_queries_run(client):
    measure = measure_with_most_figures(client)
    assert client.get(f"/{DB}/measure_over_time.json?measure_id={measure}").json()["rows"]
    found = client.get(f"/{DB}/search_figures.json?q=burglary&_shape=objects").json()["rows"]
    assert found and all("burglary" in (r["quote"] + r["measure"]).lower() for r in found)
    dated = client.get(
        f"/{DB}/figures_in_date_range.json?q=burglary&from_date=2010-01-01&to_date=2030-12-31&_shape=objects"
    ).json()["rows"]
    assert {r["observation"] for r in dated} <= {r["observation"] for r in found}
    assert dated and all("2010-01-01" <= r["period_end"] <= "2030-12-31" for r in dated)
    disagree = client.get(f"/{DB}/figures_that_disagree")
    assert disagree.status_code == 200 and ">Figures that disagree</h1>" in disagree.text


def test_measure_page_has_chart_table_and_exports(client):
    measure = measure_with_most_figures(client)
    r = client.get(f"/{DB}/measures/{measure}")
    assert r.status_code == 200
    assert 'id="bp-timeline"' in r.text
    for js in ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js"):
        assert f'src="/-/static-plugins/datasette_dashboards/{js}"' in r.text
        script = client.get(f"/-/static-plugins/datasette_dashboards/{js}")
        assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
        assert len(script.content) > 10_000  # the library itself, not an error page
    timeline = client.get("/-/static-plugins/boardpapers/timeline.js")
    assert timeline.content == (REPO / "datasette_plugins/static/timeline.js").read_bytes()
    assert "cdn" not in r.text.lower().replace("cdn.jsdelivr", "")  # no assets from elsewhere
    spec_text = r.text.split('id="bp-timeline-spec">', 1)[1].split("</script>", 1)[0]
    spec = json.loads(spec_text)
    points = [v for panel in spec["vconcat"] for v in panel["data"]["values"]]
    assert points and all(v["href"].startswith(f"/{DB}/observations/") for v in points)
    tables = r.text.split('class="bp-figure-groups"', 1)[1]
    assert tables.count(f'href="/{DB}/observations/') >= len(points)
    assert f'href="/{DB}/measures/{measure}/figures.json"' in r.text
    # the CSV link gives every figure of the measure, with the figures view's columns
    csv_link = f"/{DB}/measures/{measure}/figures.csv"
    assert f'href="{csv_link}"' in r.text
    export = client.get(csv_link)
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    assert f'filename="{measure}.csv"' in export.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(export.text)))
    expected = client.rows("select * from figures where measure_id = ?", [measure])
    assert sorted(row["id"] for row in rows) == sorted(e["id"] for e in expected)
    assert list(rows[0]) == list(expected[0])
    streamed = list(
        csv.DictReader(io.StringIO(client.get(f"/{DB}/figures.csv?measure_id={measure}&_stream=on&_size=max").text))
    )
    assert sorted(rows, key=lambda row: row["id"]) == sorted(streamed, key=lambda row: row["id"])


def test_measure_csv_route_declines_unknown_measures_and_databases(client):
    assert client.get(f"/{DB}/measures/no-such-measure/figures.csv").status_code == 404
    assert client.get("/no-such-db/measures/x/figures.csv").status_code == 404


def test_measure_csv_export_streams_every_row_of_that_measure(client):
    measure = measure_with_most_figures(client)
    expected = client.rows("select id from observations where measure_id = ?", [measure])
    r = client.get(f"/{DB}/figures.csv?measure_id={measure}&_stream=on&_size=max")
    assert r.status_code == 200
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert {row["id"] for row in rows} == {e["id"] for e in expected}
    assert {row["measure_id"] for row in rows} == {measure}


def test_figures_view_streams_every_row_past_max_returned_rows(client):
    total = client.rows("select count(*) as n from figures")[0]["n"]
    r = client.get(f"/{DB}/figures.csv?_stream=on&_size=max")
    assert r.status_code == 200
    assert len(list(csv.DictReader(io.StringIO(r.text)))) == total


def test_observation_page_has_a_provenance_card_with_the_figure_marked(client):
    rows = client.rows(
        "select o.id, o.figure, o.measure_id from observations o join passages p on p.id = o.passage_id "
        "where o.measure_id is not null order by o.seq limit 1"
    )
    if not rows:
        pytest.skip("no observations")
    obs = rows[0]
    r = client.get(f"/{DB}/observations/{obs['id']}")
    assert r.status_code == 200
    card = r.text.split('class="bp-card"', 1)[1].split("</section>", 1)[0]
    assert "<mark>" in card
    assert f'href="/{DB}/measures/{obs["measure_id"]}"' in card
    assert 'href="/corpus/' in card
    assert "Paper</dt>" in card


def test_other_pages_are_untouched_by_the_row_hooks(client):
    r = client.get(f"/{DB}/documents/spcb-2014-05-13-milestones")
    assert r.status_code == 200 and "bp-card" not in r.text and "bp-timeline" not in r.text
    assert client.get(f"/{DB}/measures/no-such-measure").status_code == 404
    assert client.get(f"/{DB}/observations/no-such-id").status_code == 404


def test_checks_link_their_observations(client):
    rows = client.rows("select id, observation_ids from checks where observation_ids like '[%' limit 1")
    assert rows, "the corpus build has checks (tests/test_corpus_checks.py pins them)"
    first = json.loads(rows[0]["observation_ids"])[0]
    r = client.get(f"/{DB}/checks/{rows[0]['id']}")
    assert f'href="/{DB}/observations/{first}"' in r.text
