"""Row-page hooks: a measure's timeline (chart, table, exports) and an observation's provenance card.

The pages are Datasette's own row pages (``/<db>/measures/<id>``, ``/<db>/observations/<id>``);
``templates/row.html`` includes the parts this module's context fills. Every hook declines (returns
``None``) on other pages, and on databases that lack the archive's tables.
"""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

from datasette import hookimpl
from datasette.utils import tilde_encode, urlsafe_components
from markupsafe import Markup

from . import charts, text

PLUGIN = "boardpapers"
VEGA_FILES = ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js")

MEASURE_COLUMNS = """
select o.id, o.value, o.unit, o.kind, o.figure, o.quote, o.period_start, o.period_end, o.period_text,
       o.page, o.paragraph, o.document_id, d.title as document_title, d.date as document_date
from observations o join documents d on d.id = o.document_id
where o.measure_id = :measure_id
"""
# the table: every figure, oldest period first, a page at a time
MEASURE_SQL = (
    MEASURE_COLUMNS
    + """order by coalesce(o.period_end, d.date), d.date, o.seq
limit :limit offset :offset
"""
)
# the chart: the figures of the most recent papers, up to CHART_POINTS
CHART_SQL = (
    MEASURE_COLUMNS
    + """order by d.date desc, o.seq
limit :limit
"""
)
MEASURE_COUNTS_SQL = """
select count(*) as figures, count(distinct document_id) as papers,
       sum(exists (select 1 from check_observations co where co.observation_id = o.id)) as flagged
from observations o where o.measure_id = :measure_id
"""
# checks naming any of the given observations (a JSON list), through the check_observations index
CHECKS_NAMING_SQL = """
select co.observation_id, c.type, c.severity, c.message
from check_observations co join checks c on c.id = co.check_id
where co.observation_id in (select value from json_each(:ids))
order by co.observation_id, c.severity, c.id
"""
FLAGGED_IDS_SQL = """
select distinct observation_id from check_observations where observation_id in (select value from json_each(:ids))
"""
TABLE_ROWS = 100  # figures per page of a measure's table
CHART_POINTS = 300  # points in a measure's chart, most recent papers first
MESSAGES_PER_FIGURE = 5  # check messages shown beside a figure in the table

OBSERVATION_SQL = """
select o.*, d.title as document_title, d.date as document_date, d.format as document_format,
       d.path as document_path, d.url as document_url,
       p.text as passage_text, p.char_start as passage_start, p.kind as passage_kind,
       m.name as measure_name
from observations o
join documents d on d.id = o.document_id
left join passages p on p.id = o.passage_id
left join measures m on m.id = o.measure_id
where o.id = :id
"""

SAME_PERIOD_SQL = """
select o.id, o.figure, o.value, o.unit, o.kind, o.period_text, o.page, o.paragraph,
       d.title as document_title, d.date as document_date
from observations o join documents d on d.id = o.document_id
where o.measure_id = :measure_id and o.period_end = :period_end and o.document_id != :document_id
order by d.date, o.seq
limit 100
"""

CHECKS_FOR_OBSERVATION_SQL = """
select c.type, c.severity, c.message, c.observation_ids
from check_observations co join checks c on c.id = co.check_id
where co.observation_id = :id
order by c.severity, c.id
limit 200
"""


def _row_key(request: Any) -> str | None:
    pks = request.url_vars.get("pks")
    if not pks:
        return None
    values = urlsafe_components(pks)
    return values[0] if len(values) == 1 else None


async def _has_tables(db: Any, *names: str) -> bool:
    tables = set(await db.table_names()) | set(await db.view_names())
    return all(name in tables for name in names)


def _observation_url(datasette: Any, database: str):
    """``datasette.urls.row(database, "observations", ...)``, with the table's URL built once (hundreds per page)."""
    prefix = datasette.urls.table(database, "observations") + "/"
    return lambda obs_id: prefix + tilde_encode(obs_id)


def measure_csv_url(datasette: Any, database: str, measure_id: str) -> str:
    """``/<db>/measures/<id>/figures.csv``: every figure of the measure, from one query (see ``measure_csv``)."""
    return datasette.urls.row(database, "measures", tilde_encode(measure_id)) + "/figures.csv"


def _exports(datasette: Any, database: str, measure_id: str, total: int | None = None) -> dict[str, str]:
    """Links to exactly the measure's figures: a CSV of every row, the ``figures`` view filtered by measure."""
    json_args = urllib.parse.urlencode({"measure_id": measure_id, "_shape": "array", "_size": "max"})
    return {
        "csv": measure_csv_url(datasette, database, measure_id),
        "csv_streamed": datasette.urls.table(database, "figures", format="csv")
        + "?"
        + urllib.parse.urlencode({"measure_id": measure_id, "_stream": "on", "_size": "max"}),
        "json": datasette.urls.table(database, "figures", format="json") + "?" + json_args,
        "table": datasette.urls.table(database, "figures") + "?" + urllib.parse.urlencode({"measure_id": measure_id}),
    }


def _page_number(value: Any) -> int:
    try:
        return max(1, min(int(value or 1), 1_000_000))
    except (TypeError, ValueError):
        return 1


async def measure_context(datasette: Any, database: str, measure_id: str, page: int = 1) -> dict[str, Any]:
    """A measure's page: counts, a chart of its most recent figures, a page of its table, export links.

    Every query is bounded (``CHART_POINTS``, ``TABLE_ROWS``) and uses an index, whatever the archive's size;
    the exports give every figure.
    """
    db = datasette.get_database(database)
    measure = (await db.execute("select * from measures where id = ?", [measure_id])).first()
    if measure is None:
        return {}
    counts = dict((await db.execute(MEASURE_COUNTS_SQL, {"measure_id": measure_id})).first())
    total = counts["figures"] or 0
    pages = max(1, -(-total // TABLE_ROWS))
    page = min(page, pages)
    rows = [
        dict(r)
        for r in await db.execute(
            MEASURE_SQL, {"measure_id": measure_id, "limit": TABLE_ROWS, "offset": (page - 1) * TABLE_ROWS}
        )
    ]
    chart_rows = [dict(r) for r in await db.execute(CHART_SQL, {"measure_id": measure_id, "limit": CHART_POINTS})]
    chart_rows.reverse()
    flagged: dict[str, list[str]] = {}
    for r in await db.execute(CHECKS_NAMING_SQL, {"ids": json.dumps([r["id"] for r in rows])}):
        flagged.setdefault(r["observation_id"], []).append(str(r["message"] or r["type"] or "check"))
    chart_flagged = {
        r[0]: ["flagged"] for r in await db.execute(FLAGGED_IDS_SQL, {"ids": json.dumps([r["id"] for r in chart_rows])})
    }
    url = _observation_url(datasette, database)
    data = charts.timeline_data(chart_rows, chart_flagged, url)
    for row in rows:
        row["href"] = url(row["id"])
        row["date"] = row["period_end"] or row["document_date"]
        row["dated_by_paper"] = not row["period_end"]
        messages = flagged.get(row["id"], [])
        row["checks"] = messages[:MESSAGES_PER_FIGURE]
        row["more_checks"] = max(0, len(messages) - MESSAGES_PER_FIGURE)
    spec = charts.timeline_spec(data, title=measure["name"] or measure_id)
    row_url = datasette.urls.row(database, "measures", tilde_encode(measure_id))
    return {
        "boardpapers_measure": {
            "measure": dict(measure),
            "rows": rows,
            "total": total,
            "charted": len(data),
            "chart_limited": total > len(chart_rows),
            "flagged": counts["flagged"] or 0,
            "papers": counts["papers"] or 0,
            "page": page,
            "pages": pages,
            "first": (page - 1) * TABLE_ROWS + 1 if total else 0,
            "last": (page - 1) * TABLE_ROWS + len(rows),
            "prev_url": f"{row_url}?page={page - 1}" if page > 1 else None,
            "next_url": f"{row_url}?page={page + 1}" if page < pages else None,
            "spec_json": Markup(charts.spec_json(spec)),
            "exports": _exports(datasette, database, measure_id, total),
            "checks_url": datasette.urls.path("/-/claims") + "?" + urllib.parse.urlencode({"measure": measure_id}),
        }
    }


def source_link(datasette: Any, obs: dict[str, Any]) -> str | None:
    """Where this archive serves the paper: ``/corpus/<path>``, at the figure's page for a PDF."""
    path = obs.get("document_path")
    if not path:
        return None
    url = datasette.urls.path("corpus/" + urllib.parse.quote(str(path).lstrip("/")))
    if obs.get("document_format") == "pdf" and obs.get("page"):
        url += f"#page={int(obs['page'])}"
    return url


async def observation_context(datasette: Any, database: str, obs_id: str) -> dict[str, Any]:
    db = datasette.get_database(database)
    found = (await db.execute(OBSERVATION_SQL, {"id": obs_id})).first()
    if found is None:
        return {}
    obs = dict(found)
    passage = text.mark_in_passage(
        obs.get("passage_text") or obs.get("quote"),
        obs.get("passage_start") if obs.get("passage_text") else None,
        obs.get("char_start"),
        obs.get("char_end"),
        obs.get("figure"),
    )
    same_period = []
    if obs.get("measure_id") and obs.get("period_end"):
        same_period = [dict(r) for r in await db.execute(SAME_PERIOD_SQL, obs)]
        url = _observation_url(datasette, database)
        for row in same_period:
            row["href"] = url(row["id"])
    checks = [dict(r) for r in await db.execute(CHECKS_FOR_OBSERVATION_SQL, {"id": obs_id})]
    checks = [c for c in checks if obs_id in charts.flagged_observations([c])]
    return {
        "boardpapers_observation": {
            "obs": obs,
            "passage": passage,
            "source_url": source_link(datasette, obs),
            "document_url": datasette.urls.row(database, "documents", tilde_encode(obs["document_id"])),
            "published_url": text.safe_link(obs.get("document_url")),
            "measure_url": datasette.urls.row(database, "measures", tilde_encode(obs["measure_id"]))
            if obs.get("measure_id")
            else None,
            "same_period": same_period,
            "checks": checks,
        }
    }


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    if view_name != "row" or table not in ("measures", "observations") or request is None:
        return None
    key = _row_key(request)
    if key is None:
        return None

    async def inner():
        db = datasette.get_database(database)
        if table == "measures" and await _has_tables(
            db, "measures", "observations", "documents", "checks", "check_observations", "figures"
        ):
            return await measure_context(datasette, database, key, _page_number(request.args.get("page")))
        if table == "observations" and await _has_tables(
            db, "observations", "documents", "passages", "checks", "check_observations"
        ):
            return await observation_context(datasette, database, key)
        return {}

    return inner


@hookimpl
def extra_css_urls(datasette):
    return [datasette.urls.static_plugins(PLUGIN, "boardpapers.css")]


@hookimpl
def extra_js_urls(view_name, table, datasette):
    if view_name != "row" or table != "measures":
        return None
    urls = [datasette.urls.static_plugins("datasette_dashboards", name) for name in VEGA_FILES]
    return urls + [datasette.urls.static_plugins(PLUGIN, "timeline.js")]


@hookimpl
def render_cell(value, column, table, database, datasette):
    """``checks.observation_ids`` as links to each observation; the ``figures`` view's ids and measures as links."""
    if table == "checks" and column == "observation_ids" and isinstance(value, str):
        try:
            ids = json.loads(value)
        except ValueError:
            return None
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            return None
        links = [
            Markup('<a href="{}">{}</a>').format(datasette.urls.row(database, "observations", tilde_encode(i)), i)
            for i in ids
        ]
        return Markup(", ").join(links)
    if table == "figures" and column in ("id", "measure_id") and isinstance(value, str) and value:
        target = "observations" if column == "id" else "measures"
        return Markup('<a href="{}">{}</a>').format(datasette.urls.row(database, target, tilde_encode(value)), value)
    return None
