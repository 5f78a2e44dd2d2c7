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

from extractor.store.summary import GROUP_CASE

from . import charts, claims, text

PLUGIN = "boardpapers"
VEGA_FILES = ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js")

# which group of the page a figure is listed in: the build's expression (extractor/store/summary.py)
GROUP_SQL = GROUP_CASE.format(levels="select observation_id from measure_levels where measure_id = :measure_id")
GROUPS = {
    0: (
        "levels",
        "Levels over time",
        "The figures the chart draws: the measure's level for the force area over a stated period.",
    ),
    1: ("changes", "Changes", "Rises and falls between two periods, as the papers state them."),
    2: ("targets", "Targets", "Goals, milestones and service levels."),
    3: ("averages", "Averages", "Averages per day, week or month."),
    4: ("areas", "Other areas", "Figures for part of the force area, another force or a comparison group."),
    5: ("parts", "Parts of a breakdown", "Figures for one part of the measure (a weapon type, an age group...)."),
    6: (
        "shares",
        "Shares, ranks and other figures",
        "Parts as a percentage of a whole, positions in a league, and others.",
    ),
    7: ("undated", "Figures with no period", "Figures whose paper gives no period for them."),
    8: ("other", "Other figures", "Figures about the measure that are none of the above."),
}
FIGURE_COLUMNS = """
select o.id, o.value, o.unit, o.kind, o.basis, o.area, o.breakdown, o.bound, o.figure, o.period_start,
       o.period_end, o.period_text, o.page, o.paragraph, o.document_id, d.title as document_title,
       d.date as document_date"""
# the table: every figure, grouped, oldest period first within a group, a page at a time, read in order
# from the build's measure_figures index (MEASURE_SQL sorts them each time, for an archive without it)
ORDERED_SQL = (
    """with page as (
  select observation_id, grp, sort_date, paper_date, seq from measure_figures where measure_id = :measure_id
  order by grp, sort_date, paper_date, seq limit :limit offset :offset
)"""
    + FIGURE_COLUMNS
    + """, page.grp
from page join observations o on o.id = page.observation_id join documents d on d.id = o.document_id
order by page.grp, page.sort_date, page.paper_date, page.seq
"""
)
MEASURE_SQL = f"""
select o.id, o.value, o.unit, o.kind, o.basis, o.area, o.breakdown, o.bound, o.figure, o.period_start,
       o.period_end, o.period_text, o.page, o.paragraph, o.document_id, d.title as document_title,
       d.date as document_date, {GROUP_SQL} as grp
from observations o join documents d on d.id = o.document_id
where o.measure_id = :measure_id
order by grp, coalesce(o.period_end, d.date), d.date, o.seq
limit :limit offset :offset
"""
GROUP_COUNTS_SQL = f"""
select {GROUP_SQL} as grp, count(*) as n from observations o where o.measure_id = :measure_id group by 1 order by 1
"""
CHART_COLUMNS = """
select o.id, o.value, o.unit, o.kind, o.figure, o.quote, o.period_end, o.period_text, o.document_id,
       d.title as document_title, d.date as document_date
"""
# the chart's levels: the most recent CHART_POINTS of the measure_levels view
LEVELS_CHART_SQL = (
    CHART_COLUMNS
    + """from measure_levels l join observations o on o.id = l.observation_id join documents d on d.id = o.document_id
where l.measure_id = :measure_id
order by l.period_end desc, d.date desc
limit :limit
"""
)
# the levels read in order through the build's measure_figures index (grp 0), without a sort
LEVELS_ORDERED_SQL = (
    CHART_COLUMNS
    + """from measure_figures f join observations o on o.id = f.observation_id join documents d on d.id = o.document_id
where f.measure_id = :measure_id and f.grp = 0
order by f.sort_date desc, f.paper_date desc
limit :limit
"""
)
# the chart's changes and targets for the force area, on panels of their own (off by default)
OTHERS_CHART_SQL = (
    CHART_COLUMNS
    + """from observations o join documents d on d.id = o.document_id
where o.measure_id = :measure_id and o.kind in ('change', 'target') and o.area is null and o.breakdown is null
order by coalesce(o.period_end, d.date) desc
limit :limit
"""
)
SUMMARY_SQL = "select figures, papers, flagged, groups from measure_summary where measure_id = :measure_id"
MEASURE_COUNTS_SQL = """
select count(*) as figures, count(distinct document_id) as papers,
       sum(exists (select 1 from check_observations co where co.observation_id = o.id)) as flagged
from observations o where o.measure_id = :measure_id
"""
# checks naming any of the given observations (a JSON list), through the check_observations index
FLAGGED_IDS_SQL = """
select distinct co.observation_id from check_observations co join checks c on c.id = co.check_id
where co.observation_id in (select value from json_each(:ids)) and c.outcome = 'disagreement'
"""
TABLE_ROWS = 100  # figures per page of a measure's table
CHART_POINTS = 300  # points in a measure's chart, most recent papers first
MESSAGES_PER_FIGURE = 2  # check messages shown beside a figure in the table (its page has them all)
MESSAGE_CHARS = 200  # of each
OTHER_POINTS = 150  # changes and targets in the chart, most recent first

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
select c.type, c.severity, c.outcome, c.message, c.observation_ids
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


def _exports(datasette: Any, database: str, measure_id: str) -> dict[str, str]:
    """Downloads of exactly the measure's figures, every row: CSV (plain, or for Excel) and JSON; and the
    ``figures`` view filtered by measure, to browse."""
    csv_url = measure_csv_url(datasette, database, measure_id)
    return {
        "csv": csv_url,
        "csv_excel": csv_url + "?bom=1",
        "json": csv_url[: -len(".csv")] + ".json",
        "table": datasette.urls.table(database, "figures") + "?" + urllib.parse.urlencode({"measure_id": measure_id}),
    }


def _page_number(value: Any) -> int:
    try:
        return max(1, min(int(value or 1), 1_000_000))
    except (TypeError, ValueError):
        return 1


async def _flagged(db: Any, ids: list[str], sql: str) -> dict[str, list[str]]:
    flagged: dict[str, list[str]] = {}
    for r in await db.execute(sql, {"ids": json.dumps(ids)}):
        flagged.setdefault(r[0], []).append(str(r["message"] or r["type"] or "check") if len(r) > 1 else "flagged")
    return flagged


async def _chart(datasette: Any, database: str, measure: dict[str, Any]) -> dict[str, Any]:
    """The chart's two specs (levels; levels with changes and targets) and what it left out."""
    db = datasette.get_database(database)
    params = {"measure_id": measure["id"], "limit": CHART_POINTS}
    ordered = "measure_figures" in await db.table_names()
    level_rows = [dict(r) for r in await db.execute(LEVELS_ORDERED_SQL if ordered else LEVELS_CHART_SQL, params)]
    other_rows = [dict(r) for r in await db.execute(OTHERS_CHART_SQL, {**params, "limit": OTHER_POINTS})]
    ids = [r["id"] for r in level_rows + other_rows]
    flagged = await _flagged(db, ids, FLAGGED_IDS_SQL)
    url = _observation_url(datasette, database)
    levels = charts.chart_points(level_rows, flagged, url)
    others = charts.chart_points(other_rows, flagged, url)
    title = measure["name"] or measure["id"]
    return {
        "charted": len(level_rows),
        "points": len(levels),
        "others": len(others),
        "spec_json": Markup(charts.spec_json(charts.timeline_spec(levels, title=title))),
        "spec_all_json": Markup(charts.spec_json(charts.timeline_spec(levels, others, title=title)))
        if others
        else None,
        "units": [charts.unit_words(u) for u in dict.fromkeys(p["unit"] for p in levels)],
    }


def _groups(rows: list[dict[str, Any]], counts: dict[int, int]) -> list[dict[str, Any]]:
    """A page's rows under their groups' headings (a group's count is over every page)."""
    groups: list[dict[str, Any]] = []
    for row in rows:
        if not groups or groups[-1]["grp"] != row["grp"]:
            key, heading, about = GROUPS.get(row["grp"], GROUPS[8])
            groups.append({"grp": row["grp"], "key": key, "heading": heading, "about": about, "rows": []})
            groups[-1]["count"] = counts.get(row["grp"], 0)
        groups[-1]["rows"].append(row)
    return groups


async def _counts(db: Any, measure_id: str) -> tuple[dict[str, Any], dict[int, int]]:
    """The measure's figures, papers and flagged figures, and its figures by group: from the build's
    ``measure_summary``, or counted now for an archive built before it existed."""
    if "measure_summary" in await db.table_names():
        row = (await db.execute(SUMMARY_SQL, {"measure_id": measure_id})).first()
        if row is not None:
            return dict(row), {int(k): v for k, v in json.loads(row["groups"] or "{}").items()}
    counts = dict((await db.execute(MEASURE_COUNTS_SQL, {"measure_id": measure_id})).first())
    return counts, {r["grp"]: r["n"] for r in await db.execute(GROUP_COUNTS_SQL, {"measure_id": measure_id})}


RELATED_SQL = """
select id, name, 'parent' as relation from measures where id = :parent
union all
select id, name, 'child' as relation from measures where parent = :measure_id
order by relation, name
"""


async def _related(datasette: Any, database: str, measure_id: str, parent: str | None) -> dict[str, Any]:
    """The broader measure this one is part of and its own parts, each with its page's URL."""
    if "parent" not in await datasette.get_database(database).table_columns("measures"):
        return {"parent": None, "children": []}  # an archive built before measures had parents
    rows = await datasette.get_database(database).execute(RELATED_SQL, {"parent": parent, "measure_id": measure_id})
    found = [
        {
            "name": r["name"],
            "relation": r["relation"],
            "href": datasette.urls.row(database, "measures", tilde_encode(r["id"])),
        }
        for r in rows
    ]
    return {
        "parent": next((r for r in found if r["relation"] == "parent"), None),
        "children": [r for r in found if r["relation"] == "child"],
    }


async def measure_context(datasette: Any, database: str, measure_id: str, page: int = 1) -> dict[str, Any]:
    """A measure's page: counts, a chart of its levels, its figures grouped a page at a time, downloads.

    Every query is bounded (``CHART_POINTS``, ``TABLE_ROWS``) and uses an index, whatever the archive's size;
    the downloads give every figure.
    """
    db = datasette.get_database(database)
    measure = (await db.execute("select * from measures where id = ?", [measure_id])).first()
    if measure is None:
        return {}
    measure = dict(measure)
    related = await _related(datasette, database, measure_id, measure.get("parent"))
    counts, by_group = await _counts(db, measure_id)
    total = counts["figures"] or 0
    pages = max(1, -(-total // TABLE_ROWS))
    page = min(page, pages)
    params = {"measure_id": measure_id, "limit": TABLE_ROWS, "offset": (page - 1) * TABLE_ROWS}
    ordered = "measure_figures" in await db.table_names()
    rows = [dict(r) for r in await db.execute(ORDERED_SQL if ordered else MEASURE_SQL, params)]
    # disagreements only are flags (claims.measure_flags); its count is the claims page's for the measure
    marks = await claims.measure_flags(db, measure_id, [r["id"] for r in rows])
    flagged = marks.flags
    url = _observation_url(datasette, database)
    for row in rows:
        row["href"] = url(row["id"])
        row["date"] = row["period_end"] or row["document_date"]
        row["dated_by_paper"] = not row["period_end"]
        row["shown"] = charts.format_value(row["value"], row["unit"]) if row["value"] is not None else ""
        row["about"] = ", ".join(str(row[k]) for k in ("area", "breakdown") if row.get(k))
        messages = flagged.get(row["id"], [])
        row["checks"] = [charts.shorten(m, MESSAGE_CHARS) for m in messages[:MESSAGES_PER_FIGURE]]
        row["more_checks"] = max(0, len(messages) - MESSAGES_PER_FIGURE)
        row["checked"] = row["id"] in marks.checked
    chart = await _chart(datasette, database, measure)
    row_url = datasette.urls.row(database, "measures", tilde_encode(measure_id))
    summary = [{"heading": GROUPS[g][1], "key": GROUPS[g][0], "count": n} for g, n in sorted(by_group.items())]
    return {
        "boardpapers_measure": {
            **chart,
            "measure": measure,
            **related,
            "rows": rows,
            "groups": _groups(rows, by_group),
            "group_counts": summary,
            "levels": by_group.get(0, 0),
            "total": total,
            "chart_limited": by_group.get(0, 0) > chart["charted"],
            "flagged": marks.count,
            "papers": counts["papers"] or 0,
            "page": page,
            "pages": pages,
            "first": (page - 1) * TABLE_ROWS + 1 if total else 0,
            "last": (page - 1) * TABLE_ROWS + len(rows),
            "prev_url": f"{row_url}?page={page - 1}" if page > 1 else None,
            "next_url": f"{row_url}?page={page + 1}" if page < pages else None,
            "exports": _exports(datasette, database, measure_id),
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
            "document_url": datasette.urls.path("/-/papers/" + tilde_encode(obs["document_id"])),
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
