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


def test_timeline_data_dates_by_period_end_or_paper_date_and_links_each_point():
    data = charts.timeline_data(ROWS, {"a": ["disagree"]}, lambda i: f"/db/observations/{i}")
    assert [d["id"] for d in data] == ["a", "b", "c"]  # no value or no date: not charted
    by_id = {d["id"]: d for d in data}
    assert by_id["a"]["date"] == "2014-03-31" and by_id["a"]["date_source"] == "period end"
    assert by_id["b"]["date"] == "2014-05-13" and by_id["b"]["date_source"].startswith("paper date")
    assert by_id["a"]["check"] == charts.FLAGGED and by_id["c"]["check"] == charts.UNFLAGGED
    assert by_id["b"]["series"] == "percent (change)"
    assert by_id["c"]["href"] == "/db/observations/c"


def test_timeline_spec_is_faceted_by_unit_and_kind_coloured_by_paper_and_marks_flagged_figures():
    data = charts.timeline_data(ROWS, {"a": ["disagree"]}, lambda i: f"/o/{i}")
    spec = charts.timeline_spec(data, title="Residential burglary")
    assert spec["$schema"].endswith("vega-lite/v5.json")
    assert spec["facet"]["row"]["field"] == "series"
    assert spec["resolve"]["scale"]["y"] == "independent"
    points, rings = spec["spec"]["layer"]
    assert points["encoding"]["x"]["field"] == "date" and points["encoding"]["y"]["field"] == "value"
    assert points["encoding"]["color"]["field"] == "paper"
    assert points["encoding"]["href"]["field"] == "href"
    assert points["encoding"]["shape"]["scale"]["domain"] == [charts.UNFLAGGED, charts.FLAGGED]
    assert {t["field"] for t in points["encoding"]["tooltip"]} >= {"figure", "quote", "paper"}
    assert rings["transform"] == [{"filter": {"field": "check", "equal": charts.FLAGGED}}]
    assert len(spec["data"]["values"]) == 3


def test_spec_json_cannot_close_its_script_element():
    spec = charts.timeline_spec(charts.timeline_data(ROWS, {}, None))
    out = charts.spec_json(spec)
    assert "<" not in out and ">" not in out and "&" not in out
    assert json.loads(out)["data"]["values"][0]["quote"] == "Burglary " + HOSTILE


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
