"""The "Claims to check" page (``/-/claims``): pure helpers without a server, the page through Datasette's
client on the corpus build (copied under another name), hostile text escaped, and a screenshot in Chromium."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from datasette.app import Datasette
from markupsafe import Markup

from datasette_plugins import claims
from extractor.serve import datasette_kwargs
from tests.serving import DatasetteClient

DB = "wm-archive"  # the archive_client's database: not the corpus_db's stem
HOSTILE = "<script>alert(1)</script>"


# ---- pure helpers -------------------------------------------------------------------------------


def test_parse_filters_keeps_known_values_and_ignores_the_rest():
    f = claims.parse_filters({"type": "conflict", "severity": "warning", "measure": "homicide", "page": "3"})
    assert (f.type, f.severity, f.measure, f.page) == ("conflict", "warning", "homicide", 3)
    f = claims.parse_filters({"type": "drop table", "severity": "<b>", "page": "-4", "measure": "  "})
    assert (f.type, f.severity, f.measure, f.page) == (None, None, None, 1)
    assert claims.parse_filters({"page": "x"}).page == 1
    assert claims.parse_filters({"page": "99999999"}).page == claims.MAX_PAGE
    assert claims.parse_filters({}) == claims.Filters()


def test_filter_params_round_trip_and_leave_out_empty_ones():
    f = claims.Filters(type="arithmetic", measure="homicide", page=2, db="wm")
    assert f.params() == {"db": "wm", "type": "arithmetic", "measure": "homicide", "page": "2"}
    assert f.params(page=1) == {"db": "wm", "type": "arithmetic", "measure": "homicide"}
    assert claims.parse_filters(f.params()) == f


def test_where_clause_binds_values_never_pastes_them():
    f = claims.Filters(show="all", type="conflict", severity="error", measure="x' or 1=1")
    where, params = claims.where_clause(f)
    assert where == "c.type = :type and c.severity = :severity and c.measure_id = :measure"
    assert params == {"type": "conflict", "severity": "error", "measure": "x' or 1=1"}
    assert claims.where_clause(claims.Filters(show="all", type="conflict"), skip="type") == ("1", {})
    assert claims.where_clause(claims.Filters(show="all", measure="-"))[0] == "c.measure_id is null"


def test_the_default_view_is_disagreements_and_verifications_are_one_click_away():
    assert claims.parse_filters({}).show == "disagreement"
    assert claims.where_clause(claims.Filters()) == ("c.outcome = :show", {"show": "disagreement"})
    assert claims.where_clause(claims.Filters(), skip="show") == ("1", {})
    assert claims.parse_filters({"show": "verified"}).show == "verified"
    assert claims.parse_filters({"show": "<b>"}).show == "disagreement"
    assert claims.Filters().params() == {}  # the default is left out of links
    tabs = claims.show_options(claims.Filters(measure="homicide"), {"disagreement": 2, "verified": 5, "note": 1})
    assert [(t["value"], t["n"], t["current"]) for t in tabs] == [
        ("disagreement", 2, True),
        ("verified", 5, False),
        ("note", 1, False),
        ("curation", 0, False),
        ("all", 8, False),
    ]
    assert tabs[1]["href"] == "?show=verified&measure=homicide"
    assert tabs[0]["href"] == "?measure=homicide"


def test_flags_of_flags_disagreements_only_and_marks_verified_figures_checked():
    rows = [
        {"observation_id": "a", "type": "arithmetic", "severity": "info", "outcome": "verified", "message": "ok"},
        {"observation_id": "b", "type": "conflict", "severity": "error", "outcome": "disagreement", "message": "no"},
        {"observation_id": "b", "type": "arithmetic", "severity": "info", "outcome": "verified", "message": "ok"},
        {"observation_id": "c", "type": "near_conflict", "severity": "info", "outcome": "note", "message": "fyi"},
        {"observation_id": "d", "type": "outlier", "severity": "info", "message": "link?"},  # outcome derived
        {"observation_id": "e", "type": "share", "severity": "warning", "message": "4% is 2.9%"},
    ]
    flags, checked = claims.flags_of(rows)
    assert flags == {"b": ["no"], "e": ["4% is 2.9%"]}
    assert checked == {"a"}


def test_observation_ids_tolerate_malformed_json():
    assert claims.observation_ids('["a", "b"]') == ["a", "b"]
    assert claims.observation_ids('["a", 3, null]') == ["a"]
    for bad in (None, "", "not json", '{"a": 1}', "42"):
        assert claims.observation_ids(bad) == []


def _obs(obs_id, date, figure, quote, **more):
    return {
        "id": obs_id,
        "document_id": f"doc-{date}",
        "document_title": f"Paper of {date}",
        "document_date": date,
        "figure": figure,
        "quote": quote,
        "page": 2,
        "paragraph": "7",
        "period_text": "2023/24",
        **more,
    }


def test_claim_cards_put_the_quotes_side_by_side_oldest_paper_first_and_escaped():
    observations = {
        "new": _obs("new", "2024-02-27", "47%", f"{HOSTILE} a rise of 47% & more"),
        "old": _obs("old", "2021-10-26", "42%", "a rise of 42%"),
    }
    check = {
        "id": "c1",
        "type": "conflict",
        "severity": "warning",
        "measure_id": "homicide",
        "measure": "Homicides",
        "measure_name": "Homicide",
        "message": "42% but 47%",
        "observation_ids": json.dumps(["new", "old", "gone"]),
    }
    [card] = claims.claim_cards(
        [check],
        observations,
        observation_url=lambda i: f"/db/observations/{i}",
        measure_url=lambda m: f"/db/measures/{m}",
    )
    assert [s["id"] for s in card["sides"]] == ["old", "new"]
    assert card["missing"] == 1
    assert card["measure"] == "Homicide" and card["measure_href"] == "/db/measures/homicide"
    assert card["severity_label"] == "Warning" and card["type_label"] == "Conflict"
    quote = card["sides"][1]["quote"]
    assert isinstance(quote, Markup)
    assert "<script>" not in quote and "&lt;script&gt;" in quote
    assert "<mark>47%</mark>" in quote and "&amp; more" in quote
    assert card["sides"][0]["href"] == "/db/observations/old"


def test_the_figure_is_marked_where_the_offsets_put_it_not_at_its_first_occurrence():
    passage = "Reduce crime DW 3,574 35,813 1,516 4.5 % 3,574"
    quote = passage
    obs = _obs(
        "o",
        "2014-05-13",
        "3,574",
        quote,
        passage_text=passage,
        passage_start=100,
        char_start=100 + passage.rindex("3,574"),
        char_end=100 + len(passage),
    )
    marked = claims.marked_quote(obs)
    assert marked.endswith("4.5 % <mark>3,574</mark>") and marked.count("<mark>") == 1
    # offsets that don't line up fall back to the first occurrence
    assert claims.marked_quote({**obs, "char_start": 5, "char_end": 9}).startswith("Reduce crime DW <mark>3,574</mark>")


ROW = ["Reduce Business Crime DW", "34,297", "35,813", "1,516", "-6 %", "4.5 %", "3,574"]
HEADER = ["Force Objectives", "2012/13", "2013/14", "Difference", "Milestone", "Performance", "Variance"]


def test_a_table_cell_quote_is_its_row_under_the_column_headings_with_the_cell_marked():
    from datasette_plugins import text

    row_text = " ".join(ROW)
    at = row_text.index("1,516")
    html = str(text.table_quote(ROW, HEADER, row_text, 1000, 1000 + at, 1000 + at + 5, "1,516"))
    assert html.count('<th scope="col">') == 7 and html.count("<td") == 7
    assert '<th scope="col">Difference</th>' in html
    assert '<td class="bp-cell-marked"><mark>1,516</mark></td>' in html
    assert html.index("Difference") < html.index("<mark>")  # headings above the row


def test_a_repeated_figure_marks_the_cell_its_offsets_point_to():
    from datasette_plugins import text

    row = ["BLANK", "14", "25%", "16", "25%"]
    row_text = " ".join(row)
    second = row_text.rindex("25%")
    html = str(
        text.table_quote(row, ["", "2012-13 No.", "%", "2013-14 No.", "%"], row_text, 0, second, second + 3, "25%")
    )
    assert html.endswith('<td>16</td><td class="bp-cell-marked"><mark>25%</mark></td></tr></tbody></table>')
    # without offsets, the first cell that is the figure
    html = str(text.table_quote(row, None, None, None, None, None, "25%"))
    assert "<thead>" not in html and '<td>14</td><td class="bp-cell-marked"><mark>25%</mark></td>' in html


def test_a_table_quote_escapes_every_cell_and_heading():
    from datasette_plugins import text

    html = str(text.table_quote([HOSTILE, "41"], [HOSTILE, "<b>2023</b>"], figure="41"))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;2023&lt;/b&gt;" in html
    assert text.table_quote(["only one cell"], None) is None and text.table_quote(None, None) is None


def test_claim_sides_show_a_table_row_as_a_table_and_prose_as_a_quote():
    row_text = " ".join(ROW)
    obs = _obs("t", "2014-05-13", "3,574", row_text, passage_kind="table_row", passage_text=row_text)
    obs.update(passage_cells=json.dumps(ROW), passage_header=json.dumps(HEADER), passage_start=0)
    obs.update(char_start=row_text.index("3,574"), char_end=row_text.index("3,574") + 5)
    side = claims.side(obs, lambda i: f"/obs/{i}", lambda o: None)
    assert '<th scope="col">Variance</th>' in str(side["table"])
    assert '<td class="bp-cell-marked"><mark>3,574</mark></td>' in str(side["table"])
    prose = claims.side(_obs("p", "2024-02-27", "41", "There were 41 homicides."), lambda i: i, lambda o: None)
    assert prose["table"] is None and str(prose["quote"]) == "There were <mark>41</mark> homicides."


@pytest.mark.parametrize(
    "obs,expected",
    [
        ({"document_url": "https://example.org/paper.pdf", "page": 4}, "https://example.org/paper.pdf#page=4"),
        (
            {"document_url": "https://example.org/p", "document_format": "pdf", "page": 2},
            "https://example.org/p#page=2",
        ),
        ({"document_url": "https://example.org/paper.html", "page": 4}, "https://example.org/paper.html"),
        ({"document_url": "https://example.org/a.pdf#page=9", "page": 4}, "https://example.org/a.pdf#page=9"),
        ({"document_url": "https://example.org/paper.pdf", "page": None}, "https://example.org/paper.pdf"),
        ({"document_url": "javascript:alert(1)", "page": 4}, "/corpus/served.txt"),  # never linked
        ({"document_url": None}, "/corpus/served.txt"),
    ],
)
def test_the_paper_links_to_the_published_original_when_the_manifest_gives_one(obs, expected):
    assert claims.paper_link(obs, "/corpus/served.txt") == expected


def test_a_card_without_a_measure_or_observations_still_renders():
    [card] = claims.claim_cards(
        [
            {
                "id": "c",
                "type": "arithmetic",
                "severity": "bogus",
                "measure_id": None,
                "measure": None,
                "message": None,
                "observation_ids": None,
            }
        ],
        {},
        observation_url=str,
        measure_url=str,
    )
    assert card["measure_href"] is None and card["sides"] == [] and card["severity"] == "info"


def test_page_links():
    paging = claims.page_links(claims.Filters(type="conflict", page=2), total=120, page_size=50)
    assert (paging["page"], paging["pages"], paging["first"], paging["last"]) == (2, 3, 51, 100)
    assert paging["prev"] == "?type=conflict" and paging["next"] == "?type=conflict&page=3"
    assert claims.page_links(claims.Filters(page=9), total=0)["first"] == 0


# ---- the page, through Datasette's client ------------------------------------------------------------


@pytest.fixture
def client(archive_client):
    """The session's Datasette over the corpus build, copied as ``wm-archive.db``."""
    return archive_client


def cards(html: str) -> list[str]:
    return re.findall(r"<article class=\"bp-claim bp-sev-(\w+) ", html)


def test_the_page_lists_every_check_with_its_quotes_and_links(client):
    total = client.rows("select count(*) as n from checks")[0]["n"]
    assert total, "the corpus build has checks (tests/test_checks.py pins them)"
    r = client.get("/-/claims?show=all")
    assert r.status_code == 200
    assert len(cards(r.text)) == min(total, claims.PAGE_SIZE)
    assert f"of {total} check" in r.text
    assert "<blockquote" in r.text and "<mark>" in r.text
    assert f'href="/{DB}/observations/' in r.text
    linked = client.rows("select measure_id from checks where measure_id is not null order by id limit 1")
    if linked:
        assert f'href="/{DB}/measures/{linked[0]["measure_id"]}"' in r.text
    # labelled selects for each filter, and the most serious checks first
    for name in ("type", "severity", "measure"):
        assert f'<label for="bp-claims-{name}">' in r.text and f'id="bp-claims-{name}" name="{name}"' in r.text
    order = [claims.SEVERITIES.index(s) for s in cards(r.text)]
    assert order == sorted(order)


def test_severity_is_shown_in_words_not_only_colour(client):
    r = client.get("/-/claims")
    assert cards(r.text)
    for severity in set(cards(r.text)):
        assert f'bp-sev-badge-{severity}"><span aria-hidden="true">' in r.text
        assert claims.SEVERITY_LABELS[severity] in r.text


def test_the_default_view_shows_disagreements_only_and_its_count_matches(client):
    n = client.rows("select count(*) as n from checks where outcome = 'disagreement'")[0]["n"]
    verified = client.rows("select count(*) as n from checks where outcome = 'verified'")[0]["n"]
    assert n and verified
    r = client.get("/-/claims")
    assert len(cards(r.text)) == n and f"of {n} check" in r.text
    assert "bp-outcome-verified" not in r.text and "bp-sev-info" not in r.text
    assert f'aria-current="page">Disagreements ({n})</a>' in r.text
    assert f'href="?show=verified">Verified ({verified})</a>' in r.text
    r = client.get("/-/claims?show=verified")
    assert len(cards(r.text)) == min(verified, claims.PAGE_SIZE)
    # a verification is a quiet "checked" mark, never a severity badge or flag
    assert r.text.count('<span class="bp-checked">') == len(cards(r.text))
    assert "bp-sev-badge-" not in r.text.split("</nav>", 1)[1].split("<article", 1)[1]


def test_measure_pages_flag_disagreements_only_and_their_counts_match_the_claims_page(client):
    measures = client.rows("select distinct measure_id from checks where measure_id is not null order by 1")
    assert measures
    for m in (r["measure_id"] for r in measures):
        sql = "select count(*) as n from checks where measure_id = ? and outcome = 'disagreement'"
        n = client.rows(sql, [m])[0]["n"]
        page = client.get(f"/{DB}/measures/{m}").text
        claims_page = client.get(f"/-/claims?measure={m}").text
        assert len(cards(claims_page)) == n, m
        if n:
            assert f"{n} disagreement{'' if n == 1 else 's'} flagged by the checks</a>" in page, m
            assert f'href="/-/claims?measure={m}"' in page
        else:
            assert "flagged by the checks" not in page and "⚑ flagged" not in page, m
    # a measure whose only checks verify its figures: a quiet mark, no flag
    page = client.get(f"/{DB}/measures/firearms_discharges").text
    assert "✓ checked" in page and "⚑" not in page and "bp-flagged" not in page


@pytest.mark.parametrize("column", ["type", "severity"])
def test_filters_by_type_and_severity(client, column):
    counts = client.rows(f"select {column} as v, count(*) as n from checks group by {column}")
    assert counts, "the corpus build has checks"
    for row in counts:
        r = client.get(f"/-/claims?show=all&{column}={row['v']}")
        assert r.status_code == 200
        assert len(cards(r.text)) == min(row["n"], claims.PAGE_SIZE)
        assert f'<option value="{row["v"]}" selected>' in r.text
        if column == "severity":
            assert set(cards(r.text)) == {row["v"]}
    # the counts per type are shown beside the filter
    if column == "type":
        r = client.get("/-/claims?show=all")
        for row in counts:
            assert f"{claims.TYPE_LABELS.get(row['v'], row['v'])} ({row['n']})</option>" in r.text


def test_filter_by_measure(client):
    rows = client.rows(
        "select measure_id, count(*) as n from checks where measure_id is not null "
        "group by measure_id order by n desc limit 1"
    )
    assert rows, "a corpus check names a catalogue measure"
    measure, n = rows[0]["measure_id"], rows[0]["n"]
    r = client.get(f"/-/claims?show=all&measure={measure}")
    assert len(cards(r.text)) == min(n, claims.PAGE_SIZE)
    assert set(re.findall(rf'class="bp-claim-measure"><a href="/{DB}/measures/([^"]+)"', r.text)) == {measure}
    assert client.get("/-/claims?measure=no-such-measure").text.count("<article") == 0


def test_unknown_filters_are_ignored_and_the_database_is_found_whatever_its_name(client):
    r = client.get("/-/claims?type=%3Cscript%3E&severity=nope&page=-3&db=missing")
    assert r.status_code == 200 and "<script>" not in r.text.split("</head>")[1].replace("<script>\n", "")


def test_home_page_and_menu_link_to_the_claims(client):
    r = client.get("/")
    assert 'href="/-/claims"' in r.text and "Claims to check" in r.text


def test_the_paper_link_on_the_page_is_the_manifests_url(corpus_db, tmp_path):
    db = tmp_path / "linked.db"
    shutil.copy(corpus_db, db)
    conn = sqlite3.connect(db)
    conn.execute("update documents set url = 'https://example.org/' || id || '.pdf'")
    conn.commit()
    conn.close()
    c = DatasetteClient(Datasette(immutables=[str(db)], **datasette_kwargs()), "linked")
    try:
        r = c.get("/-/claims")
        assert 'href="https://example.org/spcb-' in r.text and 'href="/corpus/' not in r.text
    finally:
        c.close()


def rebuild_page_tables(db: Path) -> None:
    """The build's tables the pages read (``measure_summary``, ``check_order``...), for an archive changed here."""
    import sqlite_utils

    from extractor.store.summary import write_measure_summary

    archive = sqlite_utils.Database(db)
    write_measure_summary(archive)
    archive.conn.commit()
    archive.close()


def test_hostile_text_from_a_paper_is_escaped(corpus_db, tmp_path):
    db = tmp_path / "hostile.db"
    shutil.copy(corpus_db, db)
    conn = sqlite3.connect(db)
    doc = conn.execute("select id from documents limit 1").fetchone()[0]
    conn.execute("insert into measures (id, name) values (?, ?)", ["evil", f"Evil {HOSTILE} measure"])
    for obs_id, figure in (("hostile-1", "41"), ("hostile-2", "43")):
        conn.execute(
            "insert into observations (id, document_id, measure_id, measure, value, unit, kind, figure, "
            "quote, period_text) values (?, ?, 'evil', ?, ?, 'count', 'value', ?, ?, ?)",
            [obs_id, doc, HOSTILE, float(figure), figure, f"{HOSTILE} saw {figure} <b>crimes</b>", HOSTILE],
        )
    conn.execute(
        "insert into checks (id, type, severity, outcome, measure_id, measure, message, observation_ids) "
        "values ('hostile', 'conflict', 'error', 'disagreement', 'evil', ?, ?, ?)",
        [HOSTILE, f"41 but 43 {HOSTILE}", json.dumps(["hostile-1", "hostile-2"])],
    )
    conn.commit()
    conn.close()
    rebuild_page_tables(db)  # as a build does after its checks
    c = DatasetteClient(Datasette(immutables=[str(db)], **datasette_kwargs()), "hostile")
    try:
        r = c.get("/-/claims?measure=evil")
        body = r.text.split("</head>", 1)[1]
        assert r.status_code == 200 and len(cards(r.text)) == 1
        assert "alert(1)" in body and "<script>alert" not in body and "<b>crimes" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt; saw <mark>41</mark> &lt;b&gt;crimes&lt;/b&gt;" in body
        assert 'href="/hostile/observations/hostile-2"' in body
    finally:
        c.close()


# ---- in a browser: a real ``boardpapers serve`` ----------------------------------------------------------


@pytest.mark.browser
@pytest.mark.slow
def test_claims_page_in_a_browser_is_keyboard_usable(browser, served_corpus, screenshots):
    base = served_corpus
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + "/-/claims")
    assert page.get_by_label("Severity").is_visible()
    # choose a severity with the keyboard only, and submit the form with Enter
    options = page.locator("#bp-claims-severity option").all_inner_texts()
    wanted = next((i for i, o in enumerate(options) if "(0)" not in o and i), None)
    if wanted is not None:
        page.focus("#bp-claims-severity")
        for _ in range(wanted):
            page.keyboard.press("ArrowDown")
        assert page.eval_on_selector("#bp-claims-severity", "e => e.selectedIndex") == wanted
        page.focus("#bp-claims-measure")
        page.keyboard.press("Tab")  # to the submit button
        assert page.evaluate("document.activeElement.type") == "submit"
        page.keyboard.press("Enter")
        page.wait_for_url("**/-/claims?**severity=**")
        assert page.locator("article.bp-claim").count() > 0
    page.goto(base + "/-/claims")
    page.screenshot(path=str(screenshots / "claims.png"))
    assert not errors, errors


def test_the_claims_page_from_the_builds_order_and_counts_is_the_page_counting_gives(corpus_db, tmp_path):
    """``check_order`` and ``check_counts`` give the same cards, in the same order, and the same counts as
    sorting and counting ``checks`` (an archive built without them), whatever the filters and page."""
    for name in ("new", "old"):
        shutil.copy(corpus_db, tmp_path / f"{name}.db")
    with sqlite3.connect(tmp_path / "old.db") as conn:
        conn.execute("drop table check_order")
        conn.execute("drop table check_counts")
        measure = conn.execute("select measure_id from checks group by 1 order by count(*) desc limit 1").fetchone()[0]
    c = DatasetteClient(
        Datasette(immutables=[str(tmp_path / "new.db"), str(tmp_path / "old.db")], **datasette_kwargs())
    )
    try:
        for args in ({}, {"show": "all", "page": "2"}, {"show": "verified"}, {"measure": measure}, {"measure": "-"},
                     {"type": "conflict", "severity": "warning"}, {"show": "note", "page": "9999"}):  # fmt: skip
            filters = claims.parse_filters(args)
            new, old = (c.loop.run_until_complete(claims.claims_context(c.ds, db, filters)) for db in ("new", "old"))
            for key in ("total", "paging", "type_options", "severity_options", "measure_options", "unlinked"):
                assert new[key] == old[key], (args, key)
            assert new["show_options"] == old["show_options"], args
            assert [card["id"] for card in new["cards"]] == [card["id"] for card in old["cards"]], args
            assert str(new["cards_html"]) == str(old["cards_html"]).replace("/old/", "/new/"), args
    finally:
        c.close()


def test_measure_options_are_escaped_and_mark_the_chosen_one():
    from datasette_plugins.claims import measure_options_html

    html = str(
        measure_options_html(
            [{"id": "a&b", "name": "<b>Robbery</b>", "n": 3}, {"id": "burglary", "name": "Burglary", "n": None}],
            "burglary",
        )
    )
    assert '<option value="a&amp;b">&lt;b&gt;Robbery&lt;/b&gt; (3)</option>' in html
    assert '<option value="burglary" selected>Burglary (0)</option>' in html
