"""The combined search page, ``/-/archive-search?q=...``: measures, figures and passages together.

(``/-/search``, and every path it prefixes, belongs to datasette-search-all.)

Matches are highlighted with FTS5 ``snippet()`` using control-character sentinels; the snippet is
escaped first and only then are the sentinels turned into ``<mark>`` (``text.highlight``).
User input only ever reaches FTS5 through ``text.fts_query``.

Each visit costs a few indexed queries, whatever the archive's size:

- a measure's totals come from ``measure_summary``, which the build computes (without it, from
  ``observations``, as archives built before it was added);
- ranking (bm25) reads every match, so a word found in tens of thousands of passages is ranked
  among its ``rank_window`` (default 2,000) most recently added matches only; the page says so
  and links to every match.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from typing import Any

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.utils import sqlite3, tilde_encode
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from . import text
from .archive import archive_database

PLUGIN = "boardpapers"
NEEDS = ("measures", "observations", "passages", "documents", "observations_fts", "passages_fts")
SNIP = f"char({ord(text.OPEN)}), char({ord(text.CLOSE)}), '…', 24"

MEASURES_SQL = """
select m.id, m.name, m.category, m.unit, count(o.id) as figures, count(distinct o.document_id) as papers,
       min(substr(coalesce(o.period_end, d.date), 1, 4)) as first_year,
       max(substr(coalesce(o.period_end, d.date), 1, 4)) as last_year
from measures m
left join observations o on o.measure_id = m.id
left join documents d on d.id = o.document_id
where {where}
group by m.id
order by figures desc, m.name
limit :limit
"""

FIGURES_SQL = f"""
select o.id, o.figure, o.value, o.unit, o.kind, o.period_text, o.period_end, o.page, o.paragraph,
       o.measure, o.measure_id, m.name as measure_name, d.title as document_title, d.date as document_date,
       snippet(observations_fts, 2, {SNIP}) as snip
from observations_fts
join observations o on o.rowid = observations_fts.rowid
join documents d on d.id = o.document_id
left join measures m on m.id = o.measure_id
where observations_fts match :q and observations_fts.rowid > :floor
order by rank
limit :limit
"""

MEASURES_SUMMARY_SQL = """
select m.id, m.name, m.category, m.unit, s.figures, s.papers, s.first_year, s.last_year
from measures m
join measure_summary s on s.measure_id = m.id
where {where}
order by s.figures desc, m.name
limit :limit
"""

# the rowid below which matches are not ranked: the (window + 1)-th most recently added match's
WINDOW_SQL = "select rowid from {fts} where {fts} match :q order by rowid desc limit 1 offset :window"
RANK_WINDOW = 2000

PASSAGES_SQL = f"""
select p.id, p.page, p.paragraph, p.section, p.kind, d.id as document_id, d.title as document_title,
       d.date as document_date, snippet(passages_fts, 0, {SNIP}) as snip
from passages_fts
join passages p on p.rowid = passages_fts.rowid
join documents d on d.id = p.document_id
where passages_fts match :q and passages_fts.rowid > :floor
order by rank
limit :limit
"""


def measure_filter(q: str) -> tuple[str, dict[str, str]]:
    """SQL matching measures whose name, id or aliases contain every word of ``q`` (no LIKE wildcards)."""
    words = q.lower().split()[:8]
    clauses = [
        f"instr(lower(m.name || ' ' || m.id || ' ' || coalesce(m.aliases, '')), :w{i}) > 0" for i in range(len(words))
    ]
    return " and ".join(clauses) or "0", {f"w{i}": w for i, w in enumerate(words)}


async def run_search(datasette: Any, database: str, q: str, limit: int, window: int = RANK_WINDOW) -> dict[str, Any]:
    db = datasette.get_database(database)
    fts = text.fts_query(q)
    where, words = measure_filter(q)
    results: dict[str, Any] = {"measures": [], "figures": [], "passages": [], "error": None, "windowed": []}
    measures_sql = MEASURES_SUMMARY_SQL if await _has_summary(db) else MEASURES_SQL
    try:
        results["measures"] = [
            dict(r) for r in await db.execute(measures_sql.format(where=where), {**words, "limit": 20})
        ]
        for key, sql, table in (
            ("figures", FIGURES_SQL, "observations_fts"),
            ("passages", PASSAGES_SQL, "passages_fts"),
        ):
            floor = await _rank_floor(db, table, fts, window)
            if floor >= 0:
                results["windowed"].append(key)
            results[key] = [dict(r) for r in await db.execute(sql, {"q": fts, "limit": limit, "floor": floor})]
    except (sqlite3.OperationalError, QueryInterrupted) as e:
        results["error"] = f"The search could not finish ({e}). Try fewer or simpler words."
    results["window"] = window
    measure_url, observation_url, passage_url = (
        row_url(datasette, database, table) for table in ("measures", "observations", "passages")
    )
    for row in results["measures"]:
        row["href"] = measure_url(row["id"])
    for row in results["figures"]:
        row["href"] = observation_url(row["id"])
        row["snip"] = text.highlight(row["snip"])
        if row["measure_id"]:
            row["measure_href"] = measure_url(row["measure_id"])
    for row in results["passages"]:
        row["href"] = passage_url(row["id"])
        row["snip"] = text.highlight(row["snip"])
    results["measures_html"] = measures_html(results["measures"])
    results["figures_html"] = figures_html(results["figures"])
    results["passages_html"] = passages_html(results["passages"])
    args = urllib.parse.urlencode({"_search": q})
    results["all_figures"] = datasette.urls.table(database, "observations") + "?" + args
    results["all_passages"] = datasette.urls.table(database, "passages") + "?" + args
    return results


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def measures_html(rows: list[dict[str, Any]]) -> Markup:
    """The matching measures as list items (names, counts and years); built with plain string work rather
    than a template loop, as are the figures and passages: everything from a paper or the catalogue escaped."""
    out = []
    for m in rows:
        about = ""
        if m["figures"]:
            years = escape(m["first_year"] or "") + (
                f" to {escape(m['last_year'])}" if m["last_year"] != m["first_year"] else ""
            )
            about = f" in {_plural(int(m['papers'] or 0), 'paper')}, {years}"
        category = f' <span class="bp-muted">({escape(m["category"])})</span>' if m["category"] else ""
        out.append(
            f'<li><a href="{escape(m["href"])}">{escape(m["name"])}</a> — '
            f"{_plural(int(m['figures'] or 0), 'figure')}{about}{category}</li>"
        )
    return Markup("\n".join(out))


def figures_html(rows: list[dict[str, Any]]) -> Markup:
    """The matching figures as list items: the figure, its measure, period and paper, and the snippet."""
    out = []
    for f in rows:
        if f.get("measure_href"):
            measure = f'<a href="{escape(f["measure_href"])}">{escape(f["measure_name"])}</a>'
        else:
            measure = str(escape(f["measure"] or ""))
        period = f" · {escape(f['period_text'])}" if f["period_text"] else ""
        page = f", p. {escape(f['page'])}" if f["page"] else ""
        out.append(
            f'<li><a href="{escape(f["href"])}">{escape(f["figure"])}</a>\n  {measure}\n  {period} · '
            f"{escape(f['document_title'])} ({escape(f['document_date'])}){page}\n"
            f'  <div class="bp-snippet">{f["snip"]}</div></li>'
        )
    return Markup("\n".join(out))


def passages_html(rows: list[dict[str, Any]]) -> Markup:
    """The matching passages as list items: paper, page and paragraph (linked), section and the snippet."""
    out = []
    for p in rows:
        where = (f", p. {escape(p['page'])}" if p["page"] else "") + (
            f", ¶{escape(p['paragraph'])}" if p["paragraph"] else ""
        )
        section = f'<span class="bp-muted">{escape(p["section"])}</span>' if p["section"] else ""
        out.append(
            f'<li><a href="{escape(p["href"])}">{escape(p["document_title"])} ({escape(p["document_date"])}){where}'
            f'</a>\n  {section}\n  <div class="bp-snippet">{p["snip"]}</div></li>'
        )
    return Markup("\n".join(out))


_PLAIN_ID = re.compile(r"[A-Za-z0-9_-]+")


def row_url(datasette: Any, database: str, table: str) -> Callable[[str], str]:
    """``datasette.urls.row(database, table, tilde_encode(id))`` as a function of the id, the
    table's URL worked out once: a results page links a hundred rows."""
    prefix = datasette.urls.table(database, table) + "/"

    def url(row_id: str) -> str:
        row_id = str(row_id)
        return prefix + (row_id if _PLAIN_ID.fullmatch(row_id) else tilde_encode(row_id))

    return url


async def _rank_floor(db: Any, fts_table: str, fts: str, window: int) -> int:
    """-1 when the query has at most ``window`` matches; else the rowid that only the ``window``
    most recently added matches are above."""
    rows = await db.execute(WINDOW_SQL.format(fts=fts_table), {"q": fts, "window": window})
    first = rows.first()
    return -1 if first is None else int(first[0])


_SUMMARY_FILES: dict[str, bool] = {}


async def _has_summary(db: Any) -> bool:
    """Whether the database has the build's ``measure_summary`` (asked once per served file)."""
    key = str(db.path or db.name)
    if key not in _SUMMARY_FILES:
        _SUMMARY_FILES[key] = bool(await db.table_exists("measure_summary"))
    return _SUMMARY_FILES[key]


async def search_page(datasette: Any, request: Any) -> Response:
    q = (request.args.get("q") or "").strip()[:200]
    config = datasette.plugin_config(PLUGIN) or {}
    limit = int(config.get("search_limit", 50))
    window = int(config.get("rank_window", RANK_WINDOW))
    database = await archive_database(datasette, request.args.get("db"), NEEDS)
    context: dict[str, Any] = {"q": q, "database": database, "limit": limit, "searched": bool(q)}
    if database is None:
        context["results"] = {
            "error": "No archive database is being served.",
            "measures": [],
            "figures": [],
            "passages": [],
        }
    elif q:
        context["results"] = await run_search(datasette, database, q, limit, window)
    else:
        context["results"] = {"measures": [], "figures": [], "passages": [], "error": None}
    html = await datasette.render_template("boardpapers_search.html", context, request=request)
    return Response.html(html)


@hookimpl
def prepare_connection(conn):
    """Replace Datasette's ``escape_fts()`` SQL function (``_search=`` and the canned queries use it):
    Datasette's turns a lone ``"`` into an empty query that FTS5 rejects."""
    conn.create_function("escape_fts", 1, text.fts_query, deterministic=True)


@hookimpl
def register_routes():
    return [(r"^/-/archive-search$", search_page)]
