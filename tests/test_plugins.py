"""The plugins' pure helpers, without a server: chart specs, marked passages, FTS queries, snippets."""

from __future__ import annotations

import json
import sqlite3

import pytest
from markupsafe import Markup

from datasette_plugins import charts, text

HOSTILE = "<script>alert(1)</script>"

ROWS = [
    {
        "id": "a",
        "value": 13559,
        "unit": "count",
        "kind": "value",
        "figure": "13,559",
        "quote": "Burglary " + HOSTILE,
        "period_end": "2014-03-31",
        "period_text": "2013/14",
        "document_title": "Milestones",
        "document_date": "2014-05-13",
        "page": 4,
    },
    {
        "id": "b",
        "value": -6.1,
        "unit": "percent",
        "kind": "change",
        "figure": "-6.1%",
        "quote": "6.1% lower",
        "period_end": None,
        "period_text": None,
        "document_title": "Milestones",
        "document_date": "2014-05-13",
        "page": None,
    },
    {
        "id": "c",
        "value": 12915,
        "unit": "count",
        "kind": "value",
        "figure": "12,915",
        "quote": "saw 12,915",
        "period_end": "2023-12-31",
        "period_text": "12 months ending Dec 23",
        "document_title": "Statement",
        "document_date": "2024-02-27",
        "page": None,
    },
    {
        "id": "d",
        "value": None,
        "unit": "count",
        "kind": "value",
        "figure": "?",
        "quote": "",
        "period_end": None,
        "document_title": "X",
        "document_date": None,
    },
]


def test_flagged_observations_reads_json_lists_and_ignores_junk():
    checks = [
        {"observation_ids": '["a", "c"]', "message": "disagree"},
        {"observation_ids": "not json"},
        {"observation_ids": '{"a": 1}'},
        {"observation_ids": None},
    ]
    assert charts.flagged_observations(checks) == {"a": ["disagree"], "c": ["disagree"]}


def test_chart_points_dates_by_period_end_or_paper_date_and_links_each_point():
    data = charts.chart_points(ROWS, {"a": ["disagree"]}, lambda i: f"/db/observations/{i}")
    assert [d["id"] for d in data] == ["a", "b", "c"]  # no value or no date: not charted
    by_id = {d["id"]: d for d in data}
    assert by_id["a"]["date"] == "2014-03-31" and by_id["a"]["dated_by"] == "end of its period"
    assert by_id["b"]["date"] == "2014-05-13" and "period unknown" in by_id["b"]["dated_by"]
    assert by_id["a"]["check"] == charts.FLAGGED and by_id["c"]["check"] == charts.UNFLAGGED
    assert by_id["c"]["href"] == "/db/observations/c"
    assert by_id["a"]["papers"] == "Milestones (2014-05-13)" and by_id["a"]["shown"] == "13,559"


def test_the_same_figure_from_several_papers_is_one_point_naming_every_paper():
    again = {**ROWS[0], "id": "a2", "document_title": "Later paper", "document_date": "2015-01-01"}
    other_value = {**ROWS[0], "id": "a3", "value": 13560}
    data = charts.chart_points([ROWS[0], again, other_value], {"a2": ["x"]}, None)
    assert len(data) == 2
    point = next(d for d in data if d["value"] == 13559)
    assert point["papers"] == "Milestones (2014-05-13); Later paper (2015-01-01)" and point["paper_count"] == 2
    assert point["check"] == charts.FLAGGED  # flagged when any of its figures is


def levels_and_others():
    levels = charts.chart_points([r for r in ROWS if r["kind"] == "value"], {"a": ["x"]}, lambda i: f"/o/{i}")
    rate = {**ROWS[2], "id": "r", "unit": "per_million", "value": 14.1, "period_end": "2023-10-31"}
    levels += charts.chart_points([rate], {}, None)
    others = charts.chart_points([r for r in ROWS if r["kind"] != "value"], {}, None)
    return levels, others


def test_chart_has_a_panel_per_unit_titled_in_words_counts_from_zero_and_levels_joined_by_a_line():
    levels, others = levels_and_others()
    spec = charts.timeline_spec(levels, title="Homicides")
    assert spec["$schema"].endswith("vega-lite/v5.json")
    count, rate = spec["vconcat"]  # levels only: changes and targets are off by default
    line, points, rings = count["layer"]
    assert line["mark"]["type"] == "line" and points["mark"]["type"] == "point"
    y, x = points["encoding"]["y"], points["encoding"]["x"]
    assert y["title"] == "Number" and y["scale"]["zero"] is True
    assert rate["layer"][1]["encoding"]["y"]["title"] == "Per million people"
    assert count["title"]["text"] == "Levels: number" and rate["title"]["text"] == "Levels: per million people"
    assert x["type"] == "temporal" and x["axis"]["format"] == "%Y"
    assert x["axis"]["tickCount"] == {"interval": "year", "step": 1}  # each year once
    assert x["scale"]["domain"][0]["year"] == 2014 and x["scale"]["domain"][1]["year"] == 2024
    assert {t["field"] for t in points["encoding"]["tooltip"]} >= {"figure", "period", "papers", "quote"}
    assert points["encoding"]["href"]["field"] == "href"
    assert rings["transform"] == [{"filter": {"field": "check", "equal": charts.FLAGGED}}]
    assert "color" not in points["encoding"]  # one colour: points are not coloured by paper


def test_percentages_do_not_start_from_zero_but_amounts_do():
    assert (
        charts.panel_spec(
            {"unit": "percent", "kind": "value", "title": "", "points": []},
            charts.year_domain([]),
            width=300,
            height=180,
        )["layer"][1]["encoding"]["y"]["scale"]["zero"]
        is False
    )
    for unit in ("count", "per_million", "GBP", "seconds"):
        panel = {"unit": unit, "kind": "value", "title": "", "points": []}
        spec = charts.panel_spec(panel, charts.year_domain([]), width=300, height=180)
        assert spec["layer"][1]["encoding"]["y"]["scale"]["zero"] is True


def test_changes_and_targets_get_small_panels_of_their_own_with_no_line():
    levels, others = levels_and_others()
    spec = charts.timeline_spec(levels, others, title="Burglary")
    titles = [p.get("title", {}).get("text") for p in spec["vconcat"]]
    assert titles == ["Levels: number", "Levels: per million people", "Changes: per cent"]
    levels_only = charts.timeline_spec(levels, others, draw_others=False)["vconcat"]
    assert levels_only + charts.added_panels(levels, others) == spec["vconcat"]  # the page adds them when asked
    change = spec["vconcat"][2]
    assert change["height"] < spec["vconcat"][0]["height"]
    assert [layer["mark"]["type"] for layer in change["layer"]] == ["point", "point"]
    domains = {json.dumps(p["layer"][-1]["encoding"]["x"]["scale"]["domain"]) for p in spec["vconcat"]}
    assert len(domains) == 1  # every panel over the same years


def test_one_unit_needs_no_panel_title():
    levels = charts.chart_points([ROWS[0], ROWS[2]], {}, None)
    (panel,) = charts.timeline_spec(levels)["vconcat"]
    assert "title" not in panel


@pytest.mark.parametrize(
    "unit, words",
    [
        ("count", "Number"),
        ("percent", "Per cent"),
        ("per_1000", "Per 1,000 people"),
        ("odd_unit", "Odd unit"),
        (None, "Value"),
    ],
)
def test_unit_words(unit, words):
    assert charts.unit_words(unit) == words


@pytest.mark.parametrize(
    "value, unit, shown",
    [
        (13559, "count", "13,559"),
        (57, "percent", "57%"),
        (3200000, "GBP", "£3,200,000"),
        (14.1, "per_million", "14.1"),
        (764, "seconds", "764 seconds"),
        (-6.25, "percent", "-6.25%"),
    ],
)
def test_format_value(value, unit, shown):
    assert charts.format_value(value, unit) == shown


def test_sparkline_svg_is_a_line_from_zero_with_an_escaped_label():
    svg = charts.sparkline_svg([["2014-03-31", 100], ["2015-03-31", 50], ["2020-03-31", 100]], label=HOSTILE)
    assert isinstance(svg, Markup) and svg.startswith("<svg") and "<polyline" in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    ys = [float(p.split(",")[1]) for p in svg.split('points="')[1].split('"')[0].split()]
    assert ys[0] == ys[2] and ys[1] > ys[0]  # half the value is lower on the picture
    xs = [float(p.split(",")[0]) for p in svg.split('points="')[1].split('"')[0].split()]
    assert xs[1] - xs[0] < xs[2] - xs[1]  # x follows the dates: five years take more room than one
    assert charts.sparkline_svg([]) == ""
    assert "<circle" in charts.sparkline_svg([["2020-01-01", 5]])


def test_sparkline_words():
    assert charts.sparkline_words([], "count") == "no levels over time"
    assert charts.sparkline_words([["2014-03-31", 13559], ["2023-12-31", 12915]], "count") == (
        "13,559 (2014) to 12,915 (2023), 2 periods"
    )


def test_spec_json_cannot_close_its_script_element():
    spec = charts.timeline_spec(charts.chart_points(ROWS, {}, None))
    out = charts.spec_json(spec)
    assert "<" not in out and ">" not in out and "&" not in out
    assert json.loads(out)["vconcat"][0]["data"]["values"][0]["quote"] == "Burglary " + HOSTILE


def test_mark_span_escapes_hostile_text_then_marks_the_figure():
    passage = HOSTILE + " recorded 13,559 & more"
    start = passage.index("13,559")
    out = text.mark_span(passage, start, start + len("13,559"))
    assert isinstance(out, Markup)
    assert "<script>" not in out
    assert out == "&lt;script&gt;alert(1)&lt;/script&gt; recorded <mark>13,559</mark> &amp; more"


def test_mark_span_in_a_hostile_figure_is_escaped_inside_the_mark():
    assert text.mark_span("a <b> c", 2, 5) == "a <mark>&lt;b&gt;</mark> c"


@pytest.mark.parametrize("start,end", [(None, 3), (5, 2), (-1, 2), (0, 999), (3, 3)])
def test_mark_span_with_unusable_offsets_escapes_without_marking(start, end):
    out = text.mark_span(HOSTILE, start, end)
    assert "<mark>" not in out and "<script>" not in out


def test_mark_in_passage_uses_offsets_relative_to_the_passage():
    passage = "77. Burglary was 6.1% lower"
    out = text.mark_in_passage(passage, 1000, 1000 + passage.index("6.1%"), 1000 + passage.index("6.1%") + 4, "6.1%")
    assert out == "77. Burglary was <mark>6.1%</mark> lower"


def test_mark_in_passage_falls_back_to_the_figure_when_offsets_do_not_line_up():
    out = text.mark_in_passage("saw <b>12,915</b>", 0, 0, 3, "12,915")
    assert out == "saw &lt;b&gt;<mark>12,915</mark>&lt;/b&gt;"


@pytest.mark.parametrize(
    "q",
    [
        "2014/15",
        "50%",
        '"unbalanced',
        "AND",
        "NEAR(a b)",
        "a OR",
        "(",
        "*",
        "burglary -x",
        "col:value",
        "^start",
        '"" ""',
        HOSTILE,
    ],
)
def test_fts_query_never_makes_fts5_syntax(q):
    conn = sqlite3.connect(":memory:")
    conn.execute("create virtual table t using fts5(body, tokenize='porter')")
    conn.execute("insert into t values ('In 2014/15 burglary fell 50% AND rose')")
    conn.execute("select * from t where t match ?", [text.fts_query(q)]).fetchall()


def test_fts_query_matches_every_word_with_stemming():
    conn = sqlite3.connect(":memory:")
    conn.execute("create virtual table t using fts5(body, tokenize='porter')")
    conn.executemany("insert into t values (?)", [("Burglaries fell in 2014/15",), ("robbery rose",)])
    hits = conn.execute("select body from t where t match ?", [text.fts_query("burglary 2014/15")]).fetchall()
    assert hits == [("Burglaries fell in 2014/15",)]
    assert text.fts_query('say "hi there"') == '"say" "hi there"'
    assert text.fts_query('a"b') == '"a""b"'
    assert text.fts_query("   ") == text.fts_query('"') == '""'


def test_escape_fts_is_replaced_in_datasette_connections():
    from datasette_plugins import search

    conn = sqlite3.connect(":memory:")
    search.prepare_connection(conn)
    assert conn.execute("select escape_fts(?)", ['"']).fetchone() == ('""',)


def test_highlight_escapes_the_snippet_before_marking_matches():
    snippet = f"…{text.OPEN}burglary{text.CLOSE} {HOSTILE} <mark>fake</mark>"
    out = text.highlight(snippet)
    assert out.startswith("…<mark>burglary</mark> &lt;script&gt;")
    assert out.count("<mark>") == 1 and "&lt;mark&gt;fake" in out


def test_highlight_closes_an_unclosed_mark():
    assert text.highlight(f"a {text.OPEN}b") == "a <mark>b</mark>"


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://www.westmidlands-pcc.gov.uk/paper.pdf", "https://www.westmidlands-pcc.gov.uk/paper.pdf"),
        ("http://example.org/a", "http://example.org/a"),
        ("javascript:alert(1)", None),
        (" JavaScript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("//evil.example/x", None),
        (None, None),
    ],
)
def test_only_http_links_to_published_papers(url, expected):
    from datasette_plugins.text import safe_link

    assert safe_link(url) == expected
