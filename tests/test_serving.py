"""Serving at scale: the response cache (pure, on a fake ASGI app, then through Datasette), the serving
settings and robots.txt, the ``check_observations`` table, the measure page's bounded chart and paged table,
and the escaped error page."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import shutil
import sqlite3
import types

import pytest
from datasette import hookimpl
from datasette.app import Datasette
from datasette.plugins import pm

from datasette_plugins import cache, provenance
from extractor.serve import SETTINGS, datasette_command, datasette_kwargs
from tests.serving import DatasetteClient

HOSTILE = "<script>alert(1)</script>"


# ---- the response cache, on a fake ASGI app -----------------------------------------------------


class FakeApp:
    """An ASGI app whose answer is a function of the request; counts its calls; can be slow."""

    def __init__(self, status=200, body=b"page", headers=(), chunks=1, delay=0.0):
        self.status, self.body, self.headers, self.chunks, self.delay = status, body, list(headers), chunks, delay
        self.calls = 0

    async def __call__(self, scope, receive, send):
        self.calls += 1
        if self.delay:
            await asyncio.sleep(self.delay)
        body = self.body + b" " + scope["path"].encode() + b"?" + scope["query_string"]
        await send(
            {
                "type": "http.response.start",
                "status": self.status,
                "headers": [(b"content-type", b"text/html"), *self.headers],
            }
        )
        step = max(1, -(-len(body) // self.chunks))
        parts = [body[i : i + step] for i in range(0, len(body), step)] or [b""]
        for i, part in enumerate(parts):
            await send({"type": "http.response.body", "body": part, "more_body": i < len(parts) - 1})


def scope(path="/db/table", query=b"", method="GET", headers=(), host=b"localhost"):
    return {
        "type": "http",
        "method": method,
        "path": path,
        "query_string": query,
        "scheme": "http",
        "root_path": "",
        "headers": [(b"host", host), *headers],
    }


async def call(app, s):
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    await app(s, receive, send)
    start = sent[0]
    headers = dict(start["headers"])
    return start["status"], headers.get(b"x-cache"), b"".join(m.get("body", b"") for m in sent[1:])


def run(coro):
    return asyncio.run(coro)


def gather(*coros):
    async def go():
        return await asyncio.gather(*coros)

    return run(go())


def test_a_page_is_computed_once_then_served_from_the_cache():
    app = FakeApp()
    c = cache.ResponseCache(app)

    async def go():
        return [await call(c, scope(query=b"a=1")) for _ in range(3)]

    results = run(go())
    assert [r[1] for r in results] == [b"miss", b"hit", b"hit"]
    assert len({r[2] for r in results}) == 1 and results[0][2] == b"page /db/table?a=1"
    assert app.calls == 1 and c.hits == 2


def test_query_strings_paths_and_hosts_are_different_pages():
    app = FakeApp()
    c = cache.ResponseCache(app)

    async def go():
        return [
            await call(c, s)
            for s in (
                scope(query=b"a=1"),
                scope(query=b"a=2"),
                scope(path="/other/table", query=b"a=1"),
                scope(query=b"a=1", host=b"example.org"),
                scope(query=b"a=1"),
            )
        ]

    results = run(go())
    assert [r[1] for r in results] == [b"miss", b"miss", b"miss", b"miss", b"hit"]
    assert results[1][2].endswith(b"?a=2") and results[2][2].startswith(b"page /other/table")
    assert app.calls == 4


@pytest.mark.parametrize(
    "s",
    [
        scope(headers=[(b"cookie", b"ds_actor=x")]),
        scope(headers=[(b"authorization", b"Bearer x")]),
        scope(query=b"measure_id=x&_stream=on"),
        scope(method="POST"),
        scope(method="HEAD"),
        scope(path="/-/threads"),
        scope(path="/-/actor.json"),
        scope(path="/_internal/tables"),
    ],
)
def test_requests_that_are_not_cached_pass_straight_through(s):
    app = FakeApp()
    c = cache.ResponseCache(app)
    results = gather(call(c, s), call(c, dict(s)))
    assert all(r[1] is None for r in results) and app.calls == 2 and not c.entries


def test_plugin_pages_under_dash_are_cached():
    assert cache.request_key(scope(path="/-/archive-search", query=b"q=x")) == (
        "http",
        "localhost",
        "",
        "/-/archive-search",
        "q=x",
    )
    assert cache.request_key(scope(path="/-/claims")) == ("http", "localhost", "", "/-/claims", "")
    timeline = "/-/static-plugins/boardpapers/timeline.js"
    assert cache.request_key(scope(path=timeline)) == ("http", "localhost", "", timeline, "")
    for path in ("/-/measures", "/-/papers", "/-/papers/spcb-2014-05-13-milestones"):  # the index, papers, a paper
        assert cache.request_key(scope(path=path)) == ("http", "localhost", "", path, "")


@pytest.mark.parametrize(
    "app", [FakeApp(status=500), FakeApp(status=404), FakeApp(status=302), FakeApp(headers=[(b"set-cookie", b"a=b")])]
)
def test_errors_redirects_and_cookies_are_not_kept(app):
    c = cache.ResponseCache(app)
    results = gather(call(c, scope()), call(c, scope()))
    assert app.calls == 2 and not c.entries
    assert all(r[0] == app.status for r in results)


def test_a_response_over_the_item_limit_is_sent_whole_but_not_kept():
    app = FakeApp(body=b"x" * 5000, chunks=7)
    c = cache.ResponseCache(app, max_bytes=100_000, max_item_bytes=1000)
    first = run(call(c, scope()))
    assert first[1] == b"miss" and first[2].startswith(b"x" * 5000)
    assert not c.entries and run(call(c, scope()))[1] == b"miss" and app.calls == 2


def test_the_cache_evicts_the_least_recently_used_pages_to_stay_under_its_size():
    app = FakeApp(body=b"y" * 400)
    c = cache.ResponseCache(app, max_bytes=2000, max_item_bytes=2000)

    async def go():
        for q in (b"1", b"2", b"3"):
            await call(c, scope(query=q))
        await call(c, scope(query=b"1"))  # 1 is now the most recently used
        for q in (b"4", b"5"):
            await call(c, scope(query=q))

    run(go())
    assert c.size <= 2000
    kept = {key[-1] for key in c.entries}
    assert "1" in kept and "2" not in kept and "5" in kept
    assert c.size == sum(e.size for e in c.entries.values())


def test_concurrent_identical_requests_are_computed_once():
    app = FakeApp(delay=0.05)
    c = cache.ResponseCache(app)

    async def go():
        return await asyncio.gather(*(call(c, scope(query=b"q=burglary")) for _ in range(10)))

    results = run(go())
    assert app.calls == 1
    assert sorted(r[1] for r in results) == [b"hit"] * 9 + [b"miss"]
    assert len({r[2] for r in results}) == 1 and not c.inflight


def test_waiters_compute_their_own_when_the_first_answer_cannot_be_kept():
    app = FakeApp(status=500, delay=0.02)
    c = cache.ResponseCache(app)
    results = gather(*(call(c, scope()) for _ in range(4)))
    assert app.calls == 4 and all(r[0] == 500 for r in results) and not c.inflight


def test_entries_expire_and_the_cache_can_be_turned_off():
    app = FakeApp()
    c = cache.ResponseCache(app, max_age=0)
    run(call(c, scope()))
    assert run(call(c, scope()))[1] == b"miss" and app.calls == 2
    off = cache.ResponseCache(app, max_bytes=0)
    assert run(call(off, scope()))[1] is None
    disabled = cache.ResponseCache(app, enabled=lambda: False)
    assert run(call(disabled, scope()))[1] is None and not disabled.entries


def test_settings_come_from_plugin_config_then_the_environment():
    assert cache.settings(None, {}) == {k: float(v) for k, v in cache.DEFAULTS.items()}
    s = cache.settings({"response_cache": {"max_mb": 8, "max_item_mb": "x"}}, {})
    assert s["max_mb"] == 8 and s["max_item_mb"] == cache.DEFAULTS["max_item_mb"]
    assert cache.settings({"response_cache": {"max_mb": 8}}, {cache.ENV_MB: "0"})["max_mb"] == 0


# ---- through Datasette ----------------------------------------------------------------------------


@pytest.fixture
def two_archives(corpus_db, tmp_path):
    """The corpus build served twice, as ``alpha`` and ``beta``, immutable, configured as ``serve`` does."""
    paths = []
    for name in ("alpha", "beta"):
        shutil.copy(corpus_db, tmp_path / f"{name}.db")
        paths.append(str(tmp_path / f"{name}.db"))
    c = DatasetteClient(Datasette(immutables=paths, **datasette_kwargs()))
    yield c
    c.close()


def measure_with_most_figures(db_path) -> str:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(
            "select measure_id from observations where measure_id is not null "
            "group by measure_id order by count(*) desc limit 1"
        ).fetchone()[0]


def test_datasette_pages_are_cached_per_database_and_query_string(two_archives, corpus_db):
    c = two_archives
    measure = measure_with_most_figures(corpus_db)
    first = c.get(f"/alpha/measures/{measure}")
    again = c.get(f"/alpha/measures/{measure}")
    assert (first.status_code, first.headers["x-cache"], again.headers["x-cache"]) == (200, "miss", "hit")
    assert again.text == first.text
    other = c.get(f"/beta/measures/{measure}")
    assert other.headers["x-cache"] == "miss" and 'href="/beta/' in other.text and 'href="/alpha/' not in other.text
    a = c.get("/alpha/observations.json?_size=1")
    b = c.get("/alpha/observations.json?_size=2")
    assert (a.headers["x-cache"], b.headers["x-cache"]) == ("miss", "miss")
    assert len(a.json()["rows"]) == 1 and len(b.json()["rows"]) == 2
    assert c.get("/alpha/observations.json?_size=1").json() == a.json()
    assert "x-cache" not in c.get("/alpha/observations.json?_size=1", cookies={"ds_actor": "x"}).headers
    assert "x-cache" not in c.get(f"/alpha/figures.csv?measure_id={measure}&_stream=on").headers


def test_a_mutable_database_turns_the_cache_off(corpus_db, tmp_path):
    shutil.copy(corpus_db, tmp_path / "live.db")
    c = DatasetteClient(Datasette([str(tmp_path / "live.db")], **datasette_kwargs()))
    try:
        r = c.get("/live/documents")
        assert r.status_code == 200 and "x-cache" not in r.headers
    finally:
        c.close()


def test_serving_settings_and_robots(two_archives):
    assert SETTINGS["suggest_facets"] == 0 and SETTINGS["sql_time_limit_ms"] == 1000
    assert SETTINGS["max_returned_rows"] == 1000 and SETTINGS["num_sql_threads"] == 3
    assert SETTINGS["allow_download"] == 0
    assert "--immutable" in datasette_command(pytest.importorskip("pathlib").Path("x.db"))
    settings = two_archives.get("/-/settings.json").json()
    assert settings["suggest_facets"] is False or settings["suggest_facets"] == 0
    assert two_archives.get("/alpha/documents.json").json().get("suggested_facets") in ([], None)
    robots = two_archives.get("/robots.txt").text.splitlines()
    assert robots[0] == "User-agent: *"
    for rule in ("/-/", "/*.csv", "/*.json", "/*?sql=", "/*_search=", "/*_facet", "/*_sort", "/*_next=", "/*?q="):
        assert f"Disallow: {rule}" in robots
    assert "Disallow: /" not in robots  # the pages themselves may be crawled


def test_check_observations_lists_each_check_and_observation_it_names(corpus_db):
    with sqlite3.connect(corpus_db) as conn:
        pairs = set(conn.execute("select check_id, observation_id from check_observations"))
        expected = {
            (cid, oid) for cid, ids in conn.execute("select id, observation_ids from checks") for oid in json.loads(ids)
        }
        plan = " ".join(
            r[3] for r in conn.execute("explain query plan select * from check_observations where observation_id = 'x'")
        )
    assert pairs == expected and pairs
    assert "USING" in plan and "SCAN" not in plan


def measure_with_most_levels(db_path) -> str:
    """The measure whose chart has the most points (``measure_levels`` rows)."""
    with sqlite3.connect(db_path) as conn:
        return conn.execute(
            "select measure_id from measure_levels group by measure_id order by count(*) desc, measure_id limit 1"
        ).fetchone()[0]


def test_measure_page_bounds_its_chart_and_pages_its_table(two_archives, corpus_db, monkeypatch):
    measure = measure_with_most_levels(corpus_db)  # a chart of more than CHART_POINTS levels
    with sqlite3.connect(corpus_db) as conn:
        total = conn.execute("select count(*) from observations where measure_id = ?", [measure]).fetchone()[0]
        # flags are disagreements only; the count is the claims page's for the measure
        flagged_ids = {
            r[0]
            for r in conn.execute(
                "select co.observation_id from check_observations co join observations o on o.id = co.observation_id "
                "join checks c on c.id = co.check_id where o.measure_id = ? and c.outcome = 'disagreement'",
                [measure],
            )
        }
        disagreements = conn.execute(
            "select count(*) from checks where measure_id = ? and outcome = 'disagreement'", [measure]
        ).fetchone()[0]
    assert total >= 3
    monkeypatch.setattr(provenance, "TABLE_ROWS", 2)
    ds = two_archives.ds
    loop = two_archives.loop
    ctx = loop.run_until_complete(provenance.measure_context(ds, "alpha", measure, page=2))["boardpapers_measure"]
    assert ctx["total"] == total and ctx["page"] == 2 and len(ctx["rows"]) <= 2
    assert ctx["prev_url"] == f"/alpha/measures/{measure}?page=1"
    assert ctx["flagged"] == disagreements
    pages = [
        loop.run_until_complete(provenance.measure_context(ds, "alpha", measure, page=p))["boardpapers_measure"]
        for p in range(1, ctx["pages"] + 1)
    ]
    ids = [r["id"] for p in pages for r in p["rows"]]
    assert len(ids) == len(set(ids)) == total  # the pages together list every figure once
    assert {r["id"] for p in pages for r in p["rows"] if r["checks"]} == flagged_ids
    last = loop.run_until_complete(provenance.measure_context(ds, "alpha", measure, page=10**6))
    assert last["boardpapers_measure"]["page"] == ctx["pages"]
    r = two_archives.get(f"/alpha/measures/{measure}?page=2")
    assert r.status_code == 200 and "page 2 of" in r.text and 'rel="prev"' in r.text
    first = two_archives.get(f"/alpha/measures/{measure}?page=x")  # not a number: the first page
    assert first.status_code == 200 and "page 1 of" in first.text and 'rel="prev"' not in first.text


def test_the_build_bounds_a_measures_chart_and_the_page_says_so(corpus_db, tmp_path, monkeypatch):
    """The chart's points are the build's (``measure_summary.chart_levels``): the most recent CHART_POINTS levels."""
    import sqlite_utils

    from extractor.store import summary

    measure = measure_with_most_levels(corpus_db)
    with sqlite3.connect(corpus_db) as conn:
        levels = conn.execute("select count(*) from measure_levels where measure_id = ?", [measure]).fetchone()[0]
    assert levels > 2
    shutil.copy(corpus_db, tmp_path / "small.db")
    monkeypatch.setattr(summary, "CHART_POINTS", 2)
    db = sqlite_utils.Database(tmp_path / "small.db")
    summary.write_measure_summary(db)
    db.conn.commit()
    db.close()
    c = DatasetteClient(Datasette(immutables=[str(tmp_path / "small.db")], **datasette_kwargs()))
    try:
        ctx = c.loop.run_until_complete(provenance.measure_context(c.ds, "small", measure))["boardpapers_measure"]
        assert ctx["charted"] == 2 and ctx["chart_limited"] and ctx["levels"] == levels
        r = c.get(f"/small/measures/{measure}")
        assert r.status_code == 200 and f"The chart shows the 2 most recent figures (of {levels} levels)" in r.text
    finally:
        c.close()


def test_observation_page_lists_its_checks_through_check_observations(two_archives, corpus_db):
    with sqlite3.connect(corpus_db) as conn:
        row = conn.execute(
            "select observation_id, count(*) from check_observations group by observation_id "
            "order by count(*) desc limit 1"
        ).fetchone()
    assert row is not None, "the corpus build has checks (tests/test_corpus_checks.py pins them)"
    obs_id, n = row
    ctx = two_archives.loop.run_until_complete(provenance.observation_context(two_archives.ds, "alpha", obs_id))
    assert len(ctx["boardpapers_observation"]["checks"]) == n


def test_measure_csv_has_every_row_and_is_cached(two_archives, corpus_db):
    measure = measure_with_most_figures(corpus_db)
    first = two_archives.get(f"/alpha/measures/{measure}/figures.csv")
    again = two_archives.get(f"/alpha/measures/{measure}/figures.csv")
    assert (first.headers["x-cache"], again.headers["x-cache"]) == ("miss", "hit") and first.text == again.text
    with sqlite3.connect(corpus_db) as conn:
        n = conn.execute("select count(*) from figures where measure_id = ?", [measure]).fetchone()[0]
    assert len(list(csv.DictReader(io.StringIO(first.text)))) == n


def test_the_error_page_escapes_what_the_request_carried(corpus_db, tmp_path):
    """A 500 page shows the exception, which may hold the query's parameters: they come out escaped."""

    async def boom(request):
        raise ValueError(f"could not answer {dict(request.args)}")

    plugin = types.ModuleType("test_boom")
    plugin.register_routes = hookimpl(lambda: [(r"^/-/boom$", boom)])  # type: ignore[attr-defined]
    pm.register(plugin, name="test_boom")
    try:
        shutil.copy(corpus_db, tmp_path / "wm.db")
        c = DatasetteClient(Datasette(immutables=[str(tmp_path / "wm.db")], **datasette_kwargs()))
        r = c.get("/-/boom", params={"q": HOSTILE})
        c.close()
    finally:
        pm.unregister(name="test_boom")
    assert r.status_code == 500
    assert HOSTILE not in r.text and "&lt;script&gt;" in r.text
