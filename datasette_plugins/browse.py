"""Browsing the archive: the measure index (``/-/measures``, also on the home page), the papers
(``/-/papers``) and a paper's page (``/-/papers/<id>``).

Each page is a few indexed queries. The index reads ``measure_summary``, which the build fills
(``extractor/store/summary.py``); an archive built before that table existed gets the counts
from a live query and no sparklines.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Iterable, Mapping
from typing import Any

from datasette import hookimpl
from datasette.utils import tilde_decode, tilde_encode
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from . import charts, provenance, text
from .archive import archive_database

NEEDS = ("measures", "observations", "documents")
PAPERS_PER_PAGE = 100
PAPER_FIGURES = 2000  # figures listed on a paper's page

SUMMARY_COLUMNS = "measure_id, name, category, figures, papers, first_year, last_year, spark_unit, sparkline"
# what the index reads of the build's measure_summary (not the measure pages' chart points); with the
# sparkline as the build drew it, when it did
SUMMARY_SQL = f"select {SUMMARY_COLUMNS}, spark_svg, spark_words from measure_summary order by category, name"
OLD_SUMMARY_SQL = f"select {SUMMARY_COLUMNS} from measure_summary order by category, name"
LIVE_SUMMARY_SQL = """
select m.id as measure_id, m.name, m.category, count(o.id) as figures, count(distinct o.document_id) as papers,
       min(substr(coalesce(o.period_end, d.date), 1, 4)) as first_year,
       max(substr(coalesce(o.period_end, d.date), 1, 4)) as last_year, null as spark_unit, '[]' as sparkline
from measures m left join observations o on o.measure_id = m.id left join documents d on d.id = o.document_id
group by m.id order by m.category, m.name
"""
ALIASES_SQL = "select id, aliases from measures"
PAPERS_SQL = """
select id, title, date, publisher, board, observations from documents
order by date desc, id limit :limit offset :offset
"""
PAPER_SQL = "select * from documents where id = :id"
PAPER_FIGURES_SQL = """
select o.id, o.figure, o.value, o.unit, o.kind, o.basis, o.area, o.breakdown, o.period_text, o.period_end,
       o.page, o.paragraph, o.section, o.measure, o.measure_id, m.name as measure_name
from observations o left join measures m on m.id = o.measure_id
where o.document_id = :id
order by o.seq
limit :limit
"""


_PLAIN_ID = re.compile(r"[A-Za-z0-9_-]+")  # what tilde_encode leaves as it is


def _encode(value: str) -> str:
    """``tilde_encode(value)``, without its work for the plain ids almost every row has."""
    return value if _PLAIN_ID.fullmatch(value) else tilde_encode(value)


def _aliases(value: str | None) -> list[str]:
    try:
        found = json.loads(value or "[]")
    except ValueError:
        return []
    return [str(a) for a in found] if isinstance(found, list) else []


def matches(query: str, *fields: str | None) -> bool:
    """Whether every word of ``query`` occurs in one of ``fields`` (case-insensitive)."""
    haystack = " ".join(f or "" for f in fields).lower()
    return all(word in haystack for word in query.lower().split())


def group_measures(
    rows: Iterable[Mapping[str, Any]], aliases: Mapping[str, list[str]], query: str = ""
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The index: ``(categories with figures, measures without)``; each category ``{name, measures}``.

    ``query`` keeps the measures whose name, category or aliases contain every word.
    """
    categories: dict[str, list[dict[str, Any]]] = {}
    empty = []
    for row in rows:
        names = aliases.get(row["measure_id"], [])
        if query and not matches(query, row["name"], row["category"], row["measure_id"], " ".join(names)):
            continue
        item = dict(row)
        item["search_text"] = " ".join([row["name"] or "", row["category"] or "", *names]).lower()
        if not row["figures"]:
            empty.append(item)
            continue
        categories.setdefault(row["category"] or "Other measures", []).append(item)
    return [{"name": name, "measures": items} for name, items in categories.items()], empty


async def measure_index(datasette: Any, database: str, query: str = "") -> dict[str, Any]:
    """The measure index's context: categories of measures with figures, measures without, counts."""
    db = datasette.get_database(database)
    rows = [dict(r) for r in await db.execute(await _summary_sql(db))]
    aliases = {r["id"]: _aliases(r["aliases"]) for r in await db.execute(ALIASES_SQL)}
    categories, empty = group_measures(rows, aliases, query)
    prefix = datasette.urls.table(database, "measures") + "/"
    for item in [m for c in categories for m in c["measures"]] + empty:
        item["href"] = prefix + tilde_encode(item["measure_id"])
        if item.get("spark_svg") is not None:  # drawn by the build (numbers, and the name escaped)
            item["spark"] = Markup(item["spark_svg"])
            continue
        points = json.loads(item.get("sparkline") or "[]")
        item["spark"] = charts.sparkline_svg(points, label=f"{item['name']}: levels over time")
        item["spark_words"] = charts.sparkline_words(points, item.get("spark_unit"))
    for category in categories:
        category["rows_html"] = index_rows_html(category["measures"])
    return {
        "categories": categories,
        "empty": empty,
        "empty_html": empty_items_html(empty),
        "with_figures": sum(len(c["measures"]) for c in categories),
        "query": query,
        "database": database,
    }


def index_rows_html(measures: Iterable[Mapping[str, Any]]) -> Markup:
    """The index table's rows (``measure_index``'s items) as HTML, built with plain string work rather than in
    a template loop (a few times cheaper for 150 measures); names and words escaped, the sparkline is SVG."""
    out = []
    for m in measures:
        years = escape(m["first_year"] or "")
        if m["last_year"] and m["last_year"] != m["first_year"]:
            years += escape("–" + m["last_year"])
        words = escape(m.get("spark_words") or "")
        out.append(
            f'<tr data-search="{escape(m["search_text"])}"><th scope="row"><a href="{escape(m["href"])}">'
            f"{escape(m['name'])}</a></th>"
            f'<td class="bp-num">{int(m["figures"] or 0)}</td><td class="bp-num">{int(m["papers"] or 0)}</td>'
            f'<td>{years}</td><td title="{words}">{m["spark"]}<span class="bp-visually-hidden">{words}</span></td></tr>'
        )
    return Markup("\n".join(out))


def empty_items_html(measures: Iterable[Mapping[str, Any]]) -> Markup:
    """The catalogue's measures without figures, as list items."""
    return Markup(
        "".join(
            f'<li data-search="{escape(m["search_text"])}"><a href="{escape(m["href"])}">{escape(m["name"])}</a> '
            f'<span class="bp-muted">({escape(m["category"])})</span></li>'
            for m in measures
        )
    )


async def _summary_sql(db: Any) -> str:
    """How the index reads its rows: from the build's ``measure_summary`` (with its drawn sparklines, or
    without for an archive built before them), or counted now for an archive built before it."""
    facts = await provenance.archive_facts(db)
    if not facts["summary"]:
        return LIVE_SUMMARY_SQL
    return SUMMARY_SQL if facts["stored"] else OLD_SUMMARY_SQL


def downloads(datasette: Any, database: str) -> dict[str, str]:
    """The home page's "download everything" links: every figure as CSV, and the archive file."""
    return {
        "figures_csv": datasette.urls.path(f"/-/downloads/{urllib.parse.quote(database)}/figures.csv"),
        "figures_csv_excel": datasette.urls.path(f"/-/downloads/{urllib.parse.quote(database)}/figures.csv?bom=1"),
        "archive": datasette.urls.path(f"/-/downloads/{urllib.parse.quote(database)}.db"),
    }


async def _page(datasette: Any, request: Any, template: str, context: dict[str, Any]) -> Response:
    html = await datasette.render_template(template, context, request=request)
    return Response.html(html)


async def measures_page(datasette: Any, request: Any) -> Response:
    database = await archive_database(datasette, request.args.get("db"), NEEDS)
    if database is None:
        return Response.html("No archive database is being served.", status=404)
    query = (request.args.get("q") or "").strip()[:200]
    context = {"index": await measure_index(datasette, database, query), "q": query, "database": database}
    return await _page(datasette, request, "boardpapers_measures.html", context)


def _page_number(value: Any) -> int:
    try:
        return max(1, min(int(value or 1), 1_000_000))
    except (TypeError, ValueError):
        return 1


async def papers_page(datasette: Any, request: Any) -> Response:
    database = await archive_database(datasette, request.args.get("db"), NEEDS)
    if database is None:
        return Response.html("No archive database is being served.", status=404)
    db = datasette.get_database(database)
    total = (await db.execute("select count(*) from documents")).first()[0]
    pages = max(1, -(-total // PAPERS_PER_PAGE))
    page = min(_page_number(request.args.get("page")), pages)
    params = {"limit": PAPERS_PER_PAGE, "offset": (page - 1) * PAPERS_PER_PAGE}
    papers = [dict(r) for r in await db.execute(PAPERS_SQL, params)]
    for paper in papers:
        paper["href"] = datasette.urls.path("/-/papers/" + tilde_encode(paper["id"]))
    here = datasette.urls.path("/-/papers")
    context = {
        "papers": papers,
        "total": total,
        "page": page,
        "pages": pages,
        "prev_url": f"{here}?page={page - 1}" if page > 1 else None,
        "next_url": f"{here}?page={page + 1}" if page < pages else None,
        "database": database,
    }
    return await _page(datasette, request, "boardpapers_papers.html", context)


def by_section(figures: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Figures grouped by their section, in the paper's order (a section seen again later starts a new group)."""
    groups: list[dict[str, Any]] = []
    for figure in figures:
        section = figure.get("section") or ""
        if not groups or groups[-1]["section"] != section:
            groups.append({"section": section, "figures": []})
        groups[-1]["figures"].append(dict(figure))
    return groups


def describe(figure: Mapping[str, Any]) -> str:
    """What a figure is beyond its measure, in words: "change", "target", "average", "for Coventry"..."""
    parts = []
    if figure.get("kind") in ("change", "target"):
        parts.append(str(figure["kind"]))
    if figure.get("basis") not in (None, "", "total"):
        parts.append(str(figure["basis"]))
    if figure.get("area"):
        parts.append(f"for {figure['area']}")
    if figure.get("breakdown"):
        parts.append(f"part: {figure['breakdown']}")
    return ", ".join(parts)


def paper_rows_html(figures: Iterable[Mapping[str, Any]]) -> Markup:
    """A paper's figures (``paper_page``'s items) as table rows: the figure linked to its page, its measure
    (linked when catalogued), period, page and paragraph; plain string work, everything from the paper escaped."""
    out = []
    for f in figures:
        if f["measure_href"]:
            measure = f'<a href="{escape(f["measure_href"])}">{escape(f["measure_name"])}</a>'
        else:
            measure = f'{escape(f["measure"] or "")} <span class="bp-muted">(not in the catalogue)</span>'
        about = f' <span class="bp-muted">({escape(f["about"])})</span>' if f["about"] else ""
        where = (f"p. {escape(f['page'])}" if f["page"] else "") + (
            f" ¶{escape(f['paragraph'])}" if f["paragraph"] else ""
        )
        out.append(
            f'<tr><td><a href="{escape(f["href"])}" title="Where this figure comes from">{escape(f["figure"])}</a></td>'
            f"<td>{measure}{about}</td><td>{escape(f['period_text'] or '')}</td><td>{where}</td></tr>"
        )
    return Markup("\n".join(out))


async def paper_page(datasette: Any, request: Any) -> Response:
    database = await archive_database(datasette, request.args.get("db"), NEEDS)
    if database is None:
        return Response.html("No archive database is being served.", status=404)
    db = datasette.get_database(database)
    paper_id = tilde_decode(request.url_vars["paper"])
    found = (await db.execute(PAPER_SQL, {"id": paper_id})).first()
    if found is None:
        return Response.html("No such paper in the archive.", status=404)
    paper = dict(found)
    figures = [dict(r) for r in await db.execute(PAPER_FIGURES_SQL, {"id": paper_id, "limit": PAPER_FIGURES})]
    obs_prefix = datasette.urls.table(database, "observations") + "/"
    measure_prefix = datasette.urls.table(database, "measures") + "/"
    for figure in figures:
        figure["href"] = obs_prefix + _encode(figure["id"])
        figure["measure_href"] = measure_prefix + _encode(figure["measure_id"]) if figure["measure_id"] else None
        figure["about"] = describe(figure)
    source = None
    if paper.get("path"):
        source = datasette.urls.path("corpus/" + urllib.parse.quote(str(paper["path"]).lstrip("/")))
    sections = by_section(figures)
    for section in sections:
        section["rows_html"] = paper_rows_html(section["figures"])
    context = {
        "paper": paper,
        "sections": sections,
        "shown": len(figures),
        "total": paper.get("observations") if paper.get("observations") is not None else len(figures),
        "published_url": text.safe_link(paper.get("url")),
        "source_url": source,
        "figures_table": datasette.urls.table(database, "figures")
        + "?"
        + urllib.parse.urlencode({"document_id": paper_id}),
        "database": database,
    }
    return await _page(datasette, request, "boardpapers_paper.html", context)


async def home_page(datasette: Any, request: Any) -> Response:
    """The home page: search, the measure index, the papers, downloads. It replaces Datasette's list of
    databases and tables (one click away), which costs a permission check per table on every request."""
    database = await archive_database(datasette, None, NEEDS)
    if database is None:  # no archive served: Datasette's own list of databases
        from datasette.views.index import IndexView

        request.scope["url_route"] = {"kwargs": {**request.url_vars, "format": None}}
        return await IndexView(datasette).dispatch_request(request)
    papers = (await datasette.get_database(database).execute("select count(*) from documents")).first()[0]
    names = [n for n in datasette.databases if n != "_internal"]
    context = {
        "metadata": datasette.metadata(),
        "index": await measure_index(datasette, database),
        "downloads": downloads(datasette, database),
        "papers": papers,
        "databases": [{"name": n, "url": datasette.urls.database(n)} for n in names],
        "database": database,
    }
    return await _page(datasette, request, "boardpapers_home.html", context)


@hookimpl
def register_routes():
    return [
        (r"^/$", home_page),
        (r"^/-/measures$", measures_page),
        (r"^/-/papers$", papers_page),
        (r"^/-/papers/(?P<paper>[^/]+)$", paper_page),
    ]
