"""A measure's page (its timeline: chart, grouped figures, exports) and an observation's provenance card.

Both live at Datasette's row URLs. An observation's card fills Datasette's own row page
(``/<db>/observations/<id>``: ``templates/row.html`` includes the part this module's context fills).
A measure's page, ``/<db>/measures/<id>``, is this module's route (``measure_page``): a few indexed
lookups of what the build stored (``extractor/store/summary.py``) and a light template, instead of
Datasette's row view. Every hook declines (returns ``None``) on other pages, and on databases that lack
the archive's tables.
"""

from __future__ import annotations

import json
import re
import urllib.parse
import weakref
from collections.abc import Callable
from typing import Any

from datasette import hookimpl
from datasette.utils import tilde_decode, tilde_encode, urlsafe_components
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup, escape

from extractor.store import summary
from extractor.store.chartspec import linked, stored_chart
from extractor.store.summary import GROUP_CASE

from . import charts, claims, text
from .archive import archive_database

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
# from the build's measure_figures index with what the checks say of each figure (MEASURE_SQL sorts them
# each time, for an archive without it)
ORDERED_SQL = (
    """with page as (
  select observation_id, grp, sort_date, paper_date, seq from measure_figures where measure_id = :measure_id
  order by grp, sort_date, paper_date, seq limit :limit offset :offset
)"""
    + FIGURE_COLUMNS
    + """, page.grp, f.flags, f.checked, f.messages
from page join measure_figures f on f.observation_id = page.observation_id
join observations o on o.id = page.observation_id join documents d on d.id = o.document_id
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
# the chart's levels, for an archive without the build's chart columns: the most recent CHART_POINTS
# of the measure_levels view (the build's summary.CHART_LEVELS_SQL reads the same through measure_figures)
LEVELS_CHART_SQL = (
    CHART_COLUMNS
    + """from measure_levels l join observations o on o.id = l.observation_id join documents d on d.id = o.document_id
where l.measure_id = :measure_id
order by l.period_end desc, d.date desc, o.seq
limit :limit
"""
)
OTHERS_CHART_SQL = (
    CHART_COLUMNS
    + """from observations o join documents d on d.id = o.document_id
where o.measure_id = :measure_id and o.kind in ('change', 'target') and o.area is null and o.breakdown is null
order by coalesce(o.period_end, d.date) desc, d.date desc, o.seq
limit :limit
"""
)
# what the page reads of the build's measure_summary: counts and the chart's points
STORED_SQL = """
select figures, papers, groups, disagreements, charted, chart_spec, chart_spec_added, chart_units,
       chart_point_count, chart_other_count
from measure_summary where measure_id = :measure_id
"""
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
TABLE_ROWS = 50  # figures per page of a measure's table (Datasette's own page size)
CHART_POINTS = summary.CHART_POINTS  # points in a measure's chart, most recent papers first
MESSAGES_PER_FIGURE = summary.MESSAGES_PER_FIGURE  # check messages beside a figure in the table (its page has them all)
MESSAGE_CHARS = summary.MESSAGE_CHARS  # of each
OTHER_POINTS = summary.OTHER_POINTS  # changes and targets in the chart, most recent first
# what a served archive holds, asked once per immutable file: the build's page tables, measures' parents
FACTS_SQL = """
select (select count(*) from pragma_table_info('measure_summary') where name = 'chart_spec')
     + (select count(*) from pragma_table_info('measure_figures') where name = 'flags') = 2 as stored,
       exists (select 1 from pragma_table_info('measures') where name = 'parent') as parents,
       exists (select 1 from sqlite_master where type = 'table' and name = 'measure_summary') as summary,
       (select count(*) from sqlite_master where type = 'table' and name in ('check_order', 'check_counts')) = 2
           as claims
"""

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


def _observation_url(datasette: Any, database: str) -> Callable[[str], str]:
    """``datasette.urls.row(database, "observations", ...)``, with the table's URL built once (hundreds per page)."""
    prefix = datasette.urls.table(database, "observations") + "/"
    return lambda obs_id: prefix + (obs_id if _PLAIN_ID.fullmatch(obs_id) else tilde_encode(obs_id))


_PLAIN_ID = re.compile(r"[A-Za-z0-9_-]+")  # what tilde_encode leaves as it is (content ids are hex)


def measure_url(datasette: Any, database: str, measure_id: str) -> str:
    """A measure's page: ``/<db>/measures/<id>``, Datasette's row URL, served by ``measure_page``."""
    return datasette.urls.row(database, "measures", tilde_encode(measure_id))


def measure_csv_url(datasette: Any, database: str, measure_id: str) -> str:
    """``/<db>/measures/<id>/figures.csv``: every figure of the measure, from one query (see ``measure_csv``)."""
    return measure_url(datasette, database, measure_id) + "/figures.csv"


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


_FACTS: weakref.WeakKeyDictionary[Any, dict[str, bool]] = weakref.WeakKeyDictionary()


async def archive_facts(db: Any) -> dict[str, bool]:
    """Whether the archive has the build's page tables (``stored``; ``summary``: its measure_summary at least;
    ``claims``: the claims page's) and measures with parents: asked once per
    database opened immutable (its tables cannot change while it is served), on every request otherwise."""
    if db in _FACTS:
        return _FACTS[db]
    row = (await db.execute(FACTS_SQL)).first()
    facts = {key: bool(row[key]) for key in ("stored", "parents", "summary", "claims")}
    if not db.is_mutable:
        _FACTS[db] = facts
    return facts


async def _flagged(db: Any, ids: list[str], sql: str) -> dict[str, list[str]]:
    flagged: dict[str, list[str]] = {}
    for r in await db.execute(sql, {"ids": json.dumps(ids)}):
        flagged.setdefault(r[0], []).append(str(r["message"] or r["type"] or "check") if len(r) > 1 else "flagged")
    return flagged


async def _live_chart(db: Any, measure_id: str, title: str) -> dict[str, Any]:
    """The chart the build stores (``summary._chart_columns``), made now for an archive built without it."""
    params = {"measure_id": measure_id, "limit": CHART_POINTS}
    level_rows = [dict(r) for r in await db.execute(LEVELS_CHART_SQL, params)]
    other_rows = [dict(r) for r in await db.execute(OTHERS_CHART_SQL, {**params, "limit": OTHER_POINTS})]
    flagged = await _flagged(db, [r["id"] for r in level_rows + other_rows], FLAGGED_IDS_SQL)
    made = stored_chart(charts.chart_points(level_rows, flagged), charts.chart_points(other_rows, flagged), title)
    return _chart(len(level_rows), made)


def _chart(charted: int, stored: Any) -> dict[str, Any]:
    """The page's chart from the columns ``chartspec.stored_chart`` makes (as the build stored them, or now)."""
    return {
        "charted": charted,
        "spec": stored["chart_spec"],
        "spec_added": stored["chart_spec_added"],
        "units": json.loads(stored["chart_units"] or "[]"),
        "points": stored["chart_point_count"] or 0,
        "others": stored["chart_other_count"] or 0,
    }


def chart_context(found: dict[str, Any], observation_url: Callable[[str], str]) -> dict[str, Any]:
    """The page's chart: the spec of its levels, and the panels its changes and targets add (sent apart, so
    each point is sent once), sent as they were made, each point linked to its figure's page."""
    prefix = observation_url("")
    return {
        "charted": found["charted"],
        "points": found["points"],
        "others": found["others"],
        "spec_json": Markup(linked(found["spec"], prefix)) if found["spec"] else None,
        "spec_all_json": Markup(linked(found["spec_added"], prefix)) if found["spec_added"] else None,
        "units": found["units"],
    }


def _groups(rows: list[dict[str, Any]], counts: dict[int, int]) -> list[dict[str, Any]]:
    """A page's rows under their groups' headings (a group's count is over every page), each group's table
    rows as HTML (``figure_rows_html``)."""
    groups: list[dict[str, Any]] = []
    for row in rows:
        if not groups or groups[-1]["grp"] != row["grp"]:
            key, heading, about = GROUPS.get(row["grp"], GROUPS[8])
            groups.append({"grp": row["grp"], "key": key, "heading": heading, "about": about, "rows": []})
            groups[-1]["count"] = counts.get(row["grp"], 0)
        groups[-1]["rows"].append(row)
    for group in groups:
        group["of"] = group["grp"] in WITH_OF
        group["rows_html"] = figure_rows_html(group["rows"], with_of=group["of"])
    return groups


WITH_OF = (4, 5)  # the groups whose table says what part of the measure a figure is of (an area, a part)


def figure_rows_html(rows: list[dict[str, Any]], *, with_of: bool = False) -> Markup:
    """A measure table's rows (``_table_row``) as HTML: date, figure (linked to its page), value, period,
    what it is of (``with_of``), paper, page and paragraph, and what the checks say. Built here with plain
    string work rather than in a template loop, which costs many times more per cell; everything from a
    paper is escaped."""
    out = []
    for r in rows:
        date = str(escape(r["date"] or "")) + (
            ' <abbr title="period unknown: the paper&#39;s date">(paper)</abbr>' if r["dated_by_paper"] else ""
        )
        where = (f"p. {int(r['page'])}" if r["page"] else "") + (
            f" ¶{escape(r['paragraph'])}" if r["paragraph"] else ""
        )
        of = f"<td>{escape(r['about'])}</td>" if with_of else ""
        flagged = ' class="bp-flagged"' if r["checks"] else ""
        out.append(
            f"<tr{flagged}><td>{date}</td>"
            f'<td><a href="{escape(r["href"])}">{escape(r["figure"] or "")}</a></td><td>{escape(r["shown"])}</td>'
            f"<td>{escape(r['period_text'] or '')}</td>{of}"
            f"<td>{escape(r['document_title'] or '')} ({escape(r['document_date'] or '')})</td>"
            f"<td>{where}</td><td>{_check_cell(r)}</td></tr>"
        )
    return Markup("\n".join(out))


def _check_cell(r: dict[str, Any]) -> str:
    if r["checks"]:
        more = f"; and {int(r['more_checks'])} more" if r["more_checks"] else ""
        return f'<span class="bp-flag">⚑ flagged</span>: {escape("; ".join(r["checks"]))}{more}'
    if r["checked"]:
        return '<span class="bp-checked" title="A check recomputed this figure and it agrees">✓ checked</span>'
    return ""


async def _stored(db: Any, measure_id: str, title: str) -> tuple[dict[str, Any], dict[int, int], dict[str, Any]]:
    """The measure's counts, its figures by group and its chart, as the build stored them."""
    row = (await db.execute(STORED_SQL, {"measure_id": measure_id})).first()
    if row is None:  # a measure the build did not summarise: none of its figures are in the archive
        return {"figures": 0, "papers": 0, "disagreements": 0}, {}, _chart(0, stored_chart([], [], title))
    return (
        dict(row),
        {int(k): v for k, v in json.loads(row["groups"] or "{}").items()},
        _chart(row["charted"] or 0, row),
    )


async def _live(db: Any, measure_id: str, title: str) -> tuple[dict[str, Any], dict[int, int], dict[str, Any]]:
    """``_stored`` for an archive built before the build stored it all: counted now (and flags asked per page)."""
    row = None
    if "measure_summary" in await db.table_names():
        row = (await db.execute(SUMMARY_SQL, {"measure_id": measure_id})).first()
    if row is not None:
        counts, by_group = dict(row), {int(k): v for k, v in json.loads(row["groups"] or "{}").items()}
    else:
        counts = dict((await db.execute(MEASURE_COUNTS_SQL, {"measure_id": measure_id})).first())
        by_group = {r["grp"]: r["n"] for r in await db.execute(GROUP_COUNTS_SQL, {"measure_id": measure_id})}
    return counts, by_group, await _live_chart(db, measure_id, title)


async def _page_rows(
    db: Any, measure_id: str, params: dict[str, Any], stored: bool
) -> tuple[list[dict[str, Any]], int]:
    """A page of the measure's figures, each with what the checks say of it; and the claims page's count of
    the measure's disagreements when it had to be asked (-1 when the build stored it)."""
    if stored:
        rows = [dict(r) for r in await db.execute(ORDERED_SQL, params)]
        for row in rows:
            row["messages"] = json.loads(row["messages"] or "[]")
        return rows, -1
    rows = [dict(r) for r in await db.execute(MEASURE_SQL, params)]
    # disagreements only are flags (claims.measure_flags); its count is the claims page's for the measure
    marks = await claims.measure_flags(db, measure_id, [r["id"] for r in rows])
    for row in rows:
        messages = marks.flags.get(row["id"], [])
        row["flags"], row["checked"] = len(messages), row["id"] in marks.checked
        row["messages"] = [charts.shorten(m, MESSAGE_CHARS) for m in messages[:MESSAGES_PER_FIGURE]]
    return rows, marks.count


def _table_row(row: dict[str, Any], url: Callable[[str], str]) -> dict[str, Any]:
    """A figure as its measure's table shows it."""
    row["href"] = url(row["id"])
    row["date"] = row["period_end"] or row["document_date"]
    row["dated_by_paper"] = not row["period_end"]
    row["shown"] = charts.format_value(row["value"], row["unit"]) if row["value"] is not None else ""
    row["about"] = ", ".join(str(row[k]) for k in ("area", "breakdown") if row.get(k))
    row["checks"] = row["messages"]
    row["more_checks"] = max(0, (row["flags"] or 0) - len(row["messages"]))
    row["checked"] = bool(row["checked"]) and not row["flags"]
    return row


async def _related(datasette: Any, database: str, measure_id: str, parent: str | None) -> dict[str, Any]:
    """The broader measure this one is part of and its own parts, each with its page's URL."""
    db = datasette.get_database(database)
    if not (await archive_facts(db))["parents"]:
        return {"parent": None, "children": []}  # an archive built before measures had parents
    rows = await db.execute(RELATED_SQL, {"parent": parent, "measure_id": measure_id})
    found = [
        {"name": r["name"], "relation": r["relation"], "href": measure_url(datasette, database, r["id"])} for r in rows
    ]
    return {
        "parent": next((r for r in found if r["relation"] == "parent"), None),
        "children": [r for r in found if r["relation"] == "child"],
    }


RELATED_SQL = """
select id, name, 'parent' as relation from measures where id = :parent
union all
select id, name, 'child' as relation from measures where parent = :measure_id
order by relation, name
"""


async def measure_context(datasette: Any, database: str, measure_id: str, page: int = 1) -> dict[str, Any]:
    """A measure's page: counts, a chart of its levels, its figures grouped a page at a time, downloads.

    A handful of indexed lookups, whatever the archive's size: the counts, the chart's points and what the
    checks say of each figure come from the build's ``measure_summary`` and ``measure_figures``
    (``extractor/store/summary.py``); an archive built without them has them counted now.
    """
    db = datasette.get_database(database)
    measure = (await db.execute("select * from measures where id = ?", [measure_id])).first()
    if measure is None:
        return {}
    measure = dict(measure)
    stored = (await archive_facts(db))["stored"]
    title = measure["name"] or measure["id"]
    counts, by_group, points = await (_stored if stored else _live)(db, measure_id, title)
    total = counts["figures"] or 0
    pages = max(1, -(-total // TABLE_ROWS))
    page = min(page, pages)
    params = {"measure_id": measure_id, "limit": TABLE_ROWS, "offset": (page - 1) * TABLE_ROWS}
    rows, disagreements = await _page_rows(db, measure_id, params, stored)
    url = _observation_url(datasette, database)
    rows = [_table_row(row, url) for row in rows]
    chart = chart_context(points, url)
    row_url = measure_url(datasette, database, measure_id)
    summary = [{"heading": GROUPS[g][1], "key": GROUPS[g][0], "count": n} for g, n in sorted(by_group.items())]
    return {
        "boardpapers_measure": {
            **chart,
            "measure": measure,
            **await _related(datasette, database, measure_id, measure.get("parent")),
            "rows": rows,
            "groups": _groups(rows, by_group),
            "group_counts": summary,
            "levels": by_group.get(0, 0),
            "total": total,
            "chart_limited": by_group.get(0, 0) > chart["charted"],
            "flagged": counts["disagreements"] if disagreements < 0 else disagreements,
            "papers": counts["papers"] or 0,
            "page": page,
            "pages": pages,
            "first": (page - 1) * TABLE_ROWS + 1 if total else 0,
            "last": (page - 1) * TABLE_ROWS + len(rows),
            "prev_url": f"{row_url}?page={page - 1}" if page > 1 else None,
            "next_url": f"{row_url}?page={page + 1}" if page < pages else None,
            "exports": _exports(datasette, database, measure_id),
            "checks_url": datasette.urls.path("/-/claims") + "?" + urllib.parse.urlencode({"measure": measure_id}),
            "record": measure,
            "json_url": row_url + ".json",
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
            "measure_url": measure_url(datasette, database, obs["measure_id"]) if obs.get("measure_id") else None,
            "same_period": same_period,
            "checks": checks,
        }
    }


MEASURE_NEEDS = ("measures", "observations", "documents", "checks", "check_observations", "figures")


async def _served_measures(datasette: Any, request: Any) -> str | None:
    """The archive a measure page's URL names (``/-/measures/<id>``: ``?db=`` or the first archive served);
    None when that database is not an archive."""
    route = request.url_vars["database"]
    if route == "-":
        return await archive_database(datasette, request.args.get("db"), MEASURE_NEEDS[:-1])  # tables, not the view
    try:
        db = datasette.get_database(route=tilde_decode(route))
    except KeyError:
        return None
    return db.name if await _has_tables(db, *MEASURE_NEEDS) else None


async def measure_page(datasette: Any, request: Any) -> Response:
    """A measure's page at its row URL, ``/<db>/measures/<id>`` (also ``/-/measures/<id>``): a few indexed
    lookups (``measure_context``) and one template. Other databases' ``measures`` rows, and a format asked
    with ``?_format=``, are Datasette's own row page."""
    database = await _served_measures(datasette, request)
    if database is None or request.args.get("_format"):
        if request.url_vars["database"] == "-":
            raise NotFound("No archive database is being served.")
        from datasette.views.row import RowView  # not at import time: Datasette imports the plugins while it loads

        route = {"database": request.url_vars["database"], "table": "measures", "pks": request.url_vars["pks"]}
        request.scope["url_route"] = {"kwargs": {**route, "format": None}}
        return await RowView(datasette).dispatch_request(request)
    measure_id = tilde_decode(request.url_vars["pks"])
    context = await measure_context(datasette, database, measure_id, _page_number(request.args.get("page")))
    if not context:
        raise NotFound("No such measure in the archive: the measure index lists every one.")
    context.update({"database": database, "table": "measures"})
    html = await datasette.render_template("boardpapers_measure.html", context, request=request, view_name="measure")
    return Response.html(html)


@hookimpl
def register_routes():
    # ahead of Datasette's row view: the id has no dot (Datasette's row URLs tilde-encode one), so
    # ``/<db>/measures/<id>.json`` is still Datasette's
    return [(r"^/(?P<database>[^/.]+)/measures/(?P<pks>[^/.]+)$", measure_page)]


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    if view_name != "row" or table != "observations" or request is None:
        return None
    key = _row_key(request)
    if key is None:
        return None

    async def inner():
        db = datasette.get_database(database)
        if await _has_tables(db, "observations", "documents", "passages", "checks", "check_observations"):
            return await observation_context(datasette, database, key)
        return {}

    return inner


@hookimpl
def extra_css_urls(datasette):
    return [datasette.urls.static_plugins(PLUGIN, "boardpapers.css")]


@hookimpl
def extra_js_urls(view_name, datasette):
    if view_name != "measure":
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
