"""The "Claims to check" page, ``/-/claims``: each check with the quotes it involves side by side.

Filters are GET parameters (``show``, ``type``, ``severity``, ``measure``, ``page``; ``db`` picks the
database when several are served). ``show`` picks the checks' outcome: disagreements by default, which
are the only checks flagged anywhere; ``verified``, ``note``, ``curation`` or ``all`` are one click away.
``measure_flags`` gives a measure page the same disagreements, so its count matches this page's.
The pure helpers (``parse_filters``, ``where_clause``, ``claim_cards``,
``side``) are tested without a server; ``claims_page`` is the route. Quotes come from papers: they
are escaped by ``text.mark_in_passage`` before the figure is wrapped in ``<mark>``; every other
string reaches the template as plain text, which Jinja escapes.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from extractor.check.model import CHECK_TYPES, outcome

from . import text
from .archive import archive_database

PLUGIN = "boardpapers"
NEEDS = ("checks", "observations", "documents", "measures")
TYPES = CHECK_TYPES
SEVERITIES = ("error", "warning", "info")  # most serious first
TYPE_LABELS = {
    "conflict": "Conflict",
    "near_conflict": "Near conflict",
    "restatement": "Restatement",
    "baseline_change": "Baseline change",
    "arithmetic": "Arithmetic",
    "percentage_points": "Percentage points",
    "share": "Share of a whole",
    "outlier": "Series outlier",
}
DEFAULT_SHOW = "disagreement"
SHOWS = ("disagreement", "verified", "note", "curation", "all")
SHOW_LABELS = {
    "disagreement": "Disagreements",
    "verified": "Verified",
    "note": "Worth knowing",
    "curation": "Check these links",
    "all": "All checks",
}
SEVERITY_LABELS = {"error": "Error", "warning": "Warning", "info": "Info"}
SEVERITY_ICONS = {"error": "✖", "warning": "▲", "info": "ℹ"}
PAGE_SIZE = 50
MAX_PAGE = 10_000

CHECKS_SQL = """
select c.id, c.type, c.severity, c.measure_id, c.measure, c.message, c.observation_ids, c.stated, c.expected,
       m.name as measure_name
from checks c left join measures m on m.id = c.measure_id
where {where}
order by case c.severity when 'error' then 0 when 'warning' then 1 when 'info' then 2 else 3 end,
         coalesce(m.name, c.measure, ''), c.type, c.id
limit :limit offset :offset
"""

# a page of checks through the build's check_order, in its order (the index of the filter SQLite picks
# holds the order: no sort of every check); the counts from its check_counts (``Counts``)
ORDERED_CHECKS_SQL = """
with page as (select c.check_id, c.pos from check_order c where {where} order by c.pos limit :limit offset :offset)
select k.id, k.type, k.severity, k.measure_id, k.measure, k.message, k.observation_ids, k.stated, k.expected,
       m.name as measure_name
from page join checks k on k.id = page.check_id left join measures m on m.id = k.measure_id
order by page.pos
"""

OBSERVATIONS_SQL = """
select o.id, o.document_id, o.page, o.paragraph, o.section, o.measure, o.measure_id, o.value, o.unit, o.kind,
       o.period_text, o.period_start, o.period_end, o.figure, o.quote, o.char_start, o.char_end,
       p.text as passage_text, p.char_start as passage_start, p.kind as passage_kind,
       p.cells as passage_cells, p.header as passage_header,
       d.title as document_title, d.date as document_date, d.path as document_path, d.format as document_format,
       d.url as document_url
from observations o join documents d on d.id = o.document_id
left join passages p on p.id = o.passage_id
where o.id in (select value from json_each(:ids))
"""


@dataclass(frozen=True)
class Filters:
    show: str = DEFAULT_SHOW  # the outcome shown: disagreements unless asked
    type: str | None = None
    severity: str | None = None
    measure: str | None = None
    page: int = 1
    db: str | None = None  # the database asked for, kept in every link

    def params(self, **changes: Any) -> dict[str, str]:
        """The filters as GET parameters (empty ones left out), with ``changes`` applied."""
        values = {
            "db": self.db,
            "show": self.show,
            "type": self.type,
            "severity": self.severity,
            "measure": self.measure,
            "page": self.page,
        }
        values.update(changes)
        if values.get("page") == 1:
            values["page"] = None
        if values.get("show") == DEFAULT_SHOW:
            values["show"] = None
        return {k: str(v) for k, v in values.items() if v not in (None, "")}


def parse_filters(args: Mapping[str, str]) -> Filters:
    """Filters from a request's GET parameters. Unknown types and severities are ignored, not errors;
    ``measure`` is any catalogue id (matched exactly in SQL, with ``-`` meaning "no catalogue measure")."""
    show = (args.get("show") or "").strip()
    kind = (args.get("type") or "").strip()
    severity = (args.get("severity") or "").strip()
    measure = (args.get("measure") or "").strip()[:200] or None
    try:
        page = int(args.get("page") or 1)
    except (TypeError, ValueError):
        page = 1
    return Filters(
        show=show if show in SHOWS else DEFAULT_SHOW,
        type=kind if kind in TYPES else None,
        severity=severity if severity in SEVERITIES else None,
        measure=measure,
        page=min(max(page, 1), MAX_PAGE),
        db=(args.get("db") or "").strip()[:200] or None,
    )


def where_clause(filters: Filters, *, skip: str | None = None) -> tuple[str, dict[str, str]]:
    """SQL ``where`` and parameters for ``filters``; ``skip`` leaves one filter out (for its counts)."""
    clauses: list[str] = []
    params: dict[str, str] = {}
    if filters.show != "all" and skip != "show":
        clauses.append("c.outcome = :show")
        params["show"] = filters.show
    if filters.type and skip != "type":
        clauses.append("c.type = :type")
        params["type"] = filters.type
    if filters.severity and skip != "severity":
        clauses.append("c.severity = :severity")
        params["severity"] = filters.severity
    if filters.measure and skip != "measure":
        if filters.measure == "-":
            clauses.append("c.measure_id is null")
        else:
            clauses.append("c.measure_id = :measure")
            params["measure"] = filters.measure
    return " and ".join(clauses) or "1", params


def observation_ids(value: Any) -> list[str]:
    """``checks.observation_ids`` (a JSON list) as a list of ids; anything malformed gives ``[]``."""
    if isinstance(value, list):
        ids = value
    else:
        try:
            ids = json.loads(value or "[]")
        except (TypeError, ValueError):
            return []
    if not isinstance(ids, list):
        return []
    return [i for i in ids if isinstance(i, str)]


def side(
    obs: Mapping[str, Any], url: Callable[[str], str], source: Callable[[Mapping[str, Any]], str | None]
) -> dict[str, Any]:
    """One observation of a claim: its paper, page, paragraph and quote with the figure marked (escaped)."""
    return {
        "id": obs["id"],
        "href": url(obs["id"]),
        "source_url": source(obs),
        "figure": obs.get("figure"),
        "measure": obs.get("measure"),
        "kind": obs.get("kind"),
        "period_text": obs.get("period_text"),
        "period_end": obs.get("period_end"),
        "document_title": obs.get("document_title") or obs.get("document_id"),
        "document_date": obs.get("document_date"),
        "page": obs.get("page"),
        "paragraph": obs.get("paragraph"),
        "quote": marked_quote(obs),
        "table": table_quote(obs),
    }


def table_quote(obs: Mapping[str, Any]) -> Any:
    """A table row's figure as its row under the column headings, the cell marked; ``None`` for prose."""
    if obs.get("passage_kind") != "table_row":
        return None
    return text.table_quote(
        _json_list(obs.get("passage_cells")),
        _json_list(obs.get("passage_header")),
        obs.get("passage_text"),
        obs.get("passage_start"),
        obs.get("char_start"),
        obs.get("char_end"),
        obs.get("figure"),
    )


def _json_list(value: Any) -> list[str] | None:
    if isinstance(value, list):
        return value
    try:
        found = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return found if isinstance(found, list) else None


def paper_link(obs: Mapping[str, Any], served: str | None = None) -> str | None:
    """Where "the paper" links: the published original when the manifest gives its ``url`` (an http(s)
    address only), at ``#page=N`` for a PDF's page; else ``served``, the archive's own copy."""
    url = text.safe_link(obs.get("document_url"))
    if url is None:
        return served
    page = obs.get("page")
    is_pdf = obs.get("document_format") == "pdf" or urllib.parse.urlsplit(url).path.lower().endswith(".pdf")
    if is_pdf and isinstance(page, int) and page > 0 and "#" not in url:
        url += f"#page={page}"
    return url


def marked_quote(obs: Mapping[str, Any]) -> Any:
    """The observation's quote, escaped, with its own figure in ``<mark>``.

    A figure can occur more than once in a quote ("34,297 35,813 1,516"), so the figure's offsets in the
    paper locate it: the quote's place in its passage, plus the passage's offset, gives the quote's offset.
    Where they don't line up, the first occurrence of the figure is marked.
    """
    quote = obs.get("quote") or ""
    passage, passage_start = obs.get("passage_text"), obs.get("passage_start")
    quote_start = None
    if quote and passage and isinstance(passage_start, int):
        at = passage.find(quote)
        if at >= 0:
            quote_start = passage_start + at
    return text.mark_in_passage(quote, quote_start, obs.get("char_start"), obs.get("char_end"), obs.get("figure"))


def claim_cards(
    checks: Iterable[Mapping[str, Any]],
    observations: Mapping[str, Mapping[str, Any]],
    *,
    observation_url: Callable[[str], str],
    measure_url: Callable[[str], str],
    source_url: Callable[[Mapping[str, Any]], str | None] = lambda obs: None,
) -> list[dict[str, Any]]:
    """Card data for the page: each check with its observations, oldest paper first.

    Observations a check names but ``observations`` lacks are counted in ``missing``, never an error.
    """
    cards = []
    for check in checks:
        ids = observation_ids(check.get("observation_ids"))
        found = [observations[i] for i in ids if i in observations]
        found.sort(
            key=lambda o: (
                str(o.get("document_date") or ""),
                str(o.get("document_id") or ""),
                o.get("page") or 0,
                str(o.get("id")),
            )
        )
        severity = check.get("severity") or "info"
        kind = check.get("type") or ""
        measure_id = check.get("measure_id")
        result = check.get("outcome") or outcome(kind, severity)
        cards.append(
            {
                "id": check.get("id"),
                "type": kind,
                "type_label": TYPE_LABELS.get(kind, kind),
                "severity": severity if severity in SEVERITIES else "info",
                "severity_label": SEVERITY_LABELS.get(severity, str(severity).title()),
                "severity_icon": SEVERITY_ICONS.get(severity, "ℹ"),
                "outcome": result,
                "checked": result == "verified",  # a quiet mark, never a flag
                "measure_id": measure_id,
                "measure": check.get("measure_name") or check.get("measure") or measure_id or "",
                "measure_href": measure_url(measure_id) if measure_id else None,
                "message": check.get("message") or "",
                "sides": [side(o, observation_url, source_url) for o in found],
                "missing": len(ids) - len(found),
            }
        )
    return cards


def cards_html(cards: Iterable[Mapping[str, Any]]) -> Markup:
    """The page's cards (``claim_cards``) as HTML, each check with its quotes side by side: built with plain
    string work rather than a template loop (several times cheaper for fifty cards). Every string is
    escaped here except the quotes, which ``marked_quote`` and ``table_quote`` escaped before marking."""
    return Markup("\n".join(_card_html(i, c) for i, c in enumerate(cards, 1)))


def _card_html(i: int, c: Mapping[str, Any]) -> str:
    if c["checked"]:
        badge = '<span class="bp-checked"><span aria-hidden="true">✓</span> Checked</span>'
    else:
        badge = (
            f'<span class="bp-sev-badge bp-sev-badge-{escape(c["severity"])}"><span aria-hidden="true">'
            f"{escape(c['severity_icon'])}</span> {escape(c['severity_label'])}</span>"
        )
    if c["measure_href"]:
        measure = f'<a href="{escape(c["measure_href"])}">{escape(c["measure"])}</a>'
    else:
        measure = str(escape(c["measure"] or "No catalogue measure"))
    sides = "".join(_side_html(side) for side in c["sides"])
    missing = ""
    if c["missing"]:
        n = int(c["missing"])
        missing = (
            f'<p class="bp-muted">{n} observation{"" if n == 1 else "s"} this check names '
            f"{'is' if n == 1 else 'are'} no longer in the archive.</p>"
        )
    return (
        f'<article class="bp-claim bp-sev-{escape(c["severity"])} bp-outcome-{escape(c["outcome"])}" '
        f'aria-labelledby="bp-claim-{i}">\n  <div class="bp-claim-head">\n    {badge}\n'
        f'    <span class="bp-claim-type">{escape(c["type_label"])}</span>\n'
        f'    <h2 id="bp-claim-{i}" class="bp-claim-measure">{measure}</h2>\n  </div>\n'
        f'  <p class="bp-claim-message">{escape(c["message"])}</p>\n'
        + (f'  <div class="bp-claim-sides">\n{sides}</div>\n' if c["sides"] else "")
        + missing
        + "</article>"
    )


def _side_html(s: Mapping[str, Any]) -> str:
    period = f" · {escape(s['period_text'])}" if s["period_text"] else ""
    date = f" ({escape(s['document_date'])})" if s["document_date"] else ""
    where = (f", p. {escape(s['page'])}" if s["page"] else "") + (
        f", ¶{escape(s['paragraph'])}" if s["paragraph"] else ""
    )
    if s["table"]:
        quote = (
            '<div class="bp-claim-quote bp-claim-table" role="group" aria-label="The table row, with its column '
            f'headings">{s["table"]}</div>'
        )
    else:
        quote = f'<blockquote class="bp-claim-quote">{s["quote"]}</blockquote>'
    figure = f" “{escape(s['figure'])}”" if s["figure"] else ""
    source = ""
    if s["source_url"]:
        page = f", page {escape(s['page'])}" if s["page"] else ""
        source = f' · <a href="{escape(s["source_url"])}">the paper{page}</a>'
    return (
        f'  <figure class="bp-claim-side">\n    <figcaption><strong class="bp-claim-figure">'
        f"{escape(s['figure'] or '')}</strong>{period}<br>\n      {escape(s['document_title'] or '')}{date}{where}"
        f"</figcaption>\n    {quote}\n"
        f'    <p class="bp-claim-links"><a href="{escape(s["href"])}">Observation{figure}</a>{source}</p>\n'
        "  </figure>\n"
    )


def show_options(filters: Filters, counts: Mapping[str | None, int]) -> list[dict[str, Any]]:
    """The outcome tabs: label, count (under the other filters), link, and whether it is shown now."""
    options = []
    for show in SHOWS:
        n = sum(counts.values()) if show == "all" else counts.get(show, 0)
        options.append(
            {
                "value": show,
                "label": SHOW_LABELS[show],
                "n": n,
                "href": "?" + urllib.parse.urlencode(filters.params(show=show, page=None)),
                "current": filters.show == show,
            }
        )
    return options


# The measure page's flags: the disagreements naming its figures, and the figures a check verified.
DISAGREEMENTS_SQL = """
select count(*) from checks c where c.measure_id = :measure_id and c.outcome = 'disagreement'
"""
NAMING_SQL = """
select co.observation_id, c.type, c.severity, c.outcome, c.message
from check_observations co join checks c on c.id = co.check_id
where co.observation_id in (select value from json_each(:ids))
order by co.observation_id, case c.severity when 'error' then 0 when 'warning' then 1 else 2 end, c.id
"""


@dataclass(frozen=True)
class MeasureFlags:
    """What a measure page shows of the checks: ``count`` is the claims page's count for the measure
    (``/-/claims?measure=<id>``); ``flags`` maps each flagged figure to its disagreements' messages;
    ``checked`` holds the figures a check verified and no disagreement names."""

    count: int
    flags: dict[str, list[str]]
    checked: frozenset[str]


def flags_of(rows: Iterable[Mapping[str, Any]]) -> tuple[dict[str, list[str]], frozenset[str]]:
    """Rows of ``NAMING_SQL`` as (observation id -> disagreement messages, ids only verified)."""
    flags: dict[str, list[str]] = {}
    verified: set[str] = set()
    for row in rows:
        obs_id = str(row["observation_id"])
        result = row.get("outcome") or outcome(str(row.get("type") or ""), str(row.get("severity") or "info"))
        if result == "disagreement":
            flags.setdefault(obs_id, []).append(str(row.get("message") or row.get("type") or "check"))
        elif result == "verified":
            verified.add(obs_id)
    return flags, frozenset(verified - set(flags))


async def measure_flags(db: Any, measure_id: str, observation_ids: Iterable[str]) -> MeasureFlags:
    """The flags a measure page shows for ``observation_ids`` (its figures on screen), from one database."""
    count = (await db.execute(DISAGREEMENTS_SQL, {"measure_id": measure_id})).first()[0]
    rows = await db.execute(NAMING_SQL, {"ids": json.dumps(list(observation_ids))})
    flags, checked = flags_of(dict(r) for r in rows)
    return MeasureFlags(count=count or 0, flags=flags, checked=checked)


def page_links(filters: Filters, total: int, page_size: int = PAGE_SIZE) -> dict[str, Any]:
    """Previous/next query strings and the page count for ``total`` matching checks."""
    pages = max(1, -(-total // page_size))
    page = min(filters.page, pages)
    return {
        "page": page,
        "pages": pages,
        "first": (page - 1) * page_size + 1 if total else 0,
        "last": min(page * page_size, total),
        "prev": "?" + urllib.parse.urlencode(filters.params(page=page - 1)) if page > 1 else None,
        "next": "?" + urllib.parse.urlencode(filters.params(page=page + 1)) if page < pages else None,
    }


@dataclass(frozen=True)
class Counts:
    """Where the page counts checks: the build's ``check_counts`` (a row per outcome, type, severity and
    measure, with its count ``n``), or ``checks`` itself in an archive built without it."""

    table: str = "checks"
    count: str = "count(*)"


STORED_COUNTS = Counts("check_counts", "coalesce(sum(c.n), 0)")


async def counts_by(
    db: Any, filters: Filters, column: str, skip: str | None = None, counts: Counts = Counts()
) -> dict[str, int]:
    """How many checks have each value of ``column`` (a fixed column name), under the filters but its own."""
    where, params = where_clause(filters, skip=skip or column)
    sql = f"select c.{column}, {counts.count} from {counts.table} c where {where} group by c.{column}"
    return {r[0]: r[1] for r in await db.execute(sql, params)}


def measure_options_html(measures: list[dict[str, Any]], selected: str | None) -> Markup:
    """The measure filter's ``<option>``s, built without a template loop (a catalogue has hundreds)."""
    return Markup(
        "".join(
            f'<option value="{escape(m["id"])}"{" selected" if m["id"] == selected else ""}>'
            f"{escape(m['name'])} ({int(m['n'] or 0)})</option>"
            for m in measures
        )
    )


async def _measure_options(db: Any, filters: Filters, counts: Counts) -> tuple[list[dict[str, Any]], int]:
    """The measures the checks under the other filters name, each with its count; and the checks naming none."""
    where, params = where_clause(filters, skip="measure")
    sql = (
        f"select c.measure_id as id, coalesce(m.name, c.measure_id) as name, {counts.count} as n "
        f"from {counts.table} c left join measures m on m.id = c.measure_id "
        f"where {where} and c.measure_id is not null group by c.measure_id order by name"
    )
    measures = [dict(r) for r in await db.execute(sql, params)]
    sql = f"select {counts.count} from {counts.table} c where {where} and c.measure_id is null"
    return measures, (await db.execute(sql, params)).first()[0]


async def claims_context(datasette: Any, database: str, filters: Filters) -> dict[str, Any]:
    db = datasette.get_database(database)
    # the same links to a figure, a measure and the paper's page as the observation card's
    from .provenance import _observation_url, archive_facts, measure_url, source_link

    stored = (await archive_facts(db))["claims"]
    counts = STORED_COUNTS if stored else Counts()
    where, params = where_clause(filters)
    total = (await db.execute(f"select {counts.count} from {counts.table} c where {where}", params)).first()[0]
    paging = page_links(filters, total)
    page_sql = ORDERED_CHECKS_SQL if stored else CHECKS_SQL
    rows = [
        dict(r)
        for r in await db.execute(
            page_sql.format(where=where), {**params, "limit": PAGE_SIZE, "offset": (paging["page"] - 1) * PAGE_SIZE}
        )
    ]
    ids = sorted({i for r in rows for i in observation_ids(r["observation_ids"])})
    observations = {r["id"]: dict(r) for r in await db.execute(OBSERVATIONS_SQL, {"ids": json.dumps(ids)})}
    cards = claim_cards(
        rows,
        observations,
        observation_url=_observation_url(datasette, database),
        measure_url=lambda m: measure_url(datasette, database, m),
        source_url=lambda obs: paper_link(obs, source_link(datasette, dict(obs))),
    )
    # counts per type, severity and outcome, each under the other filters
    by_type = await counts_by(db, filters, "type", counts=counts)
    by_severity = await counts_by(db, filters, "severity", counts=counts)
    by_outcome = await counts_by(db, filters, "outcome", skip="show", counts=counts)
    measures, unlinked = await _measure_options(db, filters, counts)
    type_options = [{"value": t, "label": TYPE_LABELS[t], "n": by_type.get(t, 0)} for t in TYPES]
    type_options += [{"value": t, "label": t, "n": n} for t, n in sorted(by_type.items()) if t not in TYPES]
    return {
        "database": database,
        "filters": filters,
        "filtered": any((filters.type, filters.severity, filters.measure)),
        "show_options": show_options(filters, by_outcome),
        "total": total,
        "cards": cards,
        "cards_html": cards_html(cards),
        "paging": paging,
        "type_options": type_options,
        "severity_options": [{"value": s, "label": SEVERITY_LABELS[s], "n": by_severity.get(s, 0)} for s in SEVERITIES],
        "measure_options": measures,
        "measure_options_html": measure_options_html(measures, filters.measure),
        "unlinked": unlinked,
        "checks_table": datasette.urls.table(database, "checks"),
    }


async def claims_page(datasette: Any, request: Any) -> Response:
    filters = parse_filters(request.args)
    database = await archive_database(datasette, request.args.get("db"), NEEDS)
    if database is None:
        context: dict[str, Any] = {
            "database": None,
            "filters": filters,
            "cards": [],
            "total": 0,
            "error": "No archive database with checks is being served.",
        }
    else:
        context = await claims_context(datasette, database, filters)
    html = await datasette.render_template("boardpapers_claims.html", context, request=request)
    return Response.html(html, status=200 if database else 404)


@hookimpl
def register_routes():
    return [(r"^/-/claims$", claims_page)]


@hookimpl
def menu_links(datasette, actor, request):
    return [{"href": datasette.urls.path("/-/claims"), "label": "Claims to check"}]
