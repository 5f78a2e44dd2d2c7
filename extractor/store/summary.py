"""What the served pages read of each measure, computed once per build: ``measure_summary`` and ``measure_figures``.

The served index (``/-/measures`` and the home page) lists every catalogue measure with its figure
count, papers, first and last year and a sparkline of its levels; a measure's page shows its counts,
a chart of its levels and its figures a page at a time, each marked when a check flagged it.
Counting, deduplicating and joining that over every observation and check on each request would
grow with the archive, so the build writes one small row per measure (``measure_summary``: counts,
the sparkline drawn as SVG, the chart's points and Vega-Lite spec) and one per figure (``measure_figures``: its
place on its measure's page and what the checks say of it), and each page reads them through an
index. ``write_measure_summary(db)`` (re)computes both for an existing archive.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import sqlite_utils

from .chartspec import stored_chart
from .pagedata import chart_points, shorten, sparkline_svg, sparkline_words

TABLE = "measure_summary"
ORDER_TABLE = "measure_figures"
SPARK_POINTS = 40  # the most recent periods a sparkline draws
CHART_POINTS = 300  # levels in a measure's chart, most recent first
OTHER_POINTS = 150  # changes and targets in the chart, most recent first
MESSAGES_PER_FIGURE = 2  # check messages kept beside a figure for its measure's table (its page has them all)
MESSAGE_CHARS = 200  # of each

COUNTS_SQL = """
select m.id as measure_id, m.name, m.category, m.unit as catalogue_unit,
       count(o.id) as figures, count(distinct o.document_id) as papers,
       min(substr(coalesce(o.period_end, d.date), 1, 4)) as first_year,
       max(substr(coalesce(o.period_end, d.date), 1, 4)) as last_year
from measures m
left join observations o on o.measure_id = m.id
left join documents d on d.id = o.document_id
group by m.id
"""

# the measure_levels view: what a measure's chart draws as its levels
LEVELS_SQL = """
select l.measure_id, l.unit, l.period_end, l.value
from measure_levels l
order by l.measure_id, l.period_end
"""

# which group of its measure's page a figure is listed in: its levels (what the chart draws, the
# measure_levels view), then everything else about the measure, never drawn as a level. ``{levels}``
# is a query for the ids of the levels. The measure page (datasette_plugins/provenance.py) orders
# by the same expression.
GROUP_CASE = """
case when o.id in ({levels}) then 0
     when o.kind = 'change' then 1
     when o.kind = 'target' then 2
     when o.basis = 'average' then 3
     when o.area is not null then 4
     when o.breakdown is not null then 5
     when coalesce(o.basis, 'total') != 'total' then 6
     when o.period_end is null then 7
     else 8 end
"""
GROUP_COUNTS_SQL = f"""
select o.measure_id, {GROUP_CASE.format(levels="select observation_id from measure_levels")} as grp, count(*) as n
from observations o where o.measure_id is not null
group by 1, 2
"""
FLAGGED_SQL = """
select o.measure_id, count(*) as n from observations o
where o.measure_id is not null and exists (
    select 1 from check_observations co join checks c on c.id = co.check_id
    where co.observation_id = o.id and c.outcome = 'disagreement'
)
group by 1
"""

# the claims page's count of a measure's disagreements
DISAGREEMENTS_SQL = """
select measure_id, count(*) as n from checks where outcome = 'disagreement' and measure_id is not null group by 1
"""
# what the checks say of each catalogued figure: its disagreements (most severe first), and whether one verified it
# from each catalogued figure to its checks (CROSS JOIN fixes that order: the build runs this before
# ANALYZE, and without statistics SQLite walked the checks instead, 50 times slower)
FIGURE_CHECKS_SQL = f"""
select co.observation_id, c.outcome, c.message, c.type
from {ORDER_TABLE} f cross join check_observations co on co.observation_id = f.observation_id
cross join checks c on c.id = co.check_id
where c.outcome in ('disagreement', 'verified')
order by co.observation_id, case c.severity when 'error' then 0 when 'warning' then 1 else 2 end, c.id
"""
CHART_COLUMNS = """
select o.id, o.value, o.unit, o.kind, o.figure, o.quote, o.period_end, o.period_text, o.document_id,
       d.title as document_title, d.date as document_date, f.flags
"""
# the chart's levels: the most recent CHART_POINTS figures of the measure_levels view (group 0), in page order
CHART_LEVELS_SQL = (
    CHART_COLUMNS
    # CROSS JOIN keeps the measure's index first: a new table has no statistics yet, and the planner
    # would otherwise scan every paper's observations for each measure
    + f"""from {ORDER_TABLE} f cross join observations o on o.id = f.observation_id
cross join documents d on d.id = o.document_id
where f.measure_id = :measure_id and f.grp = 0
order by f.sort_date desc, f.paper_date desc, f.seq
limit :limit
"""
)
# the chart's changes and targets for the force area, on panels of their own (off until a reader asks)
CHART_OTHERS_SQL = (
    CHART_COLUMNS
    + f"""from observations o join documents d on d.id = o.document_id join {ORDER_TABLE} f on f.observation_id = o.id
where o.measure_id = :measure_id and o.kind in ('change', 'target') and o.area is null and o.breakdown is null
order by coalesce(o.period_end, d.date) desc, d.date desc, o.seq
limit :limit
"""
)

# every catalogued figure in the order its measure's page lists it: by group, then by date; the page
# reads a page of it through the index instead of sorting all of a measure's figures each time
ORDER_SQL = f"""
insert into {ORDER_TABLE} (observation_id, measure_id, grp, sort_date, paper_date, seq, flags, checked, messages)
select o.id, o.measure_id, {GROUP_CASE.format(levels="select observation_id from measure_levels")},
       coalesce(o.period_end, d.date), d.date, o.seq, 0, 0, '[]'
from observations o join documents d on d.id = o.document_id
where o.measure_id is not null
"""
ORDER_COLUMNS: dict[str, type] = {
    "observation_id": str,
    "measure_id": str,
    "grp": int,
    "sort_date": str,
    "paper_date": str,
    "seq": int,
    "flags": int,  # disagreements naming the figure
    "checked": int,  # 1 when a check verified it and none disagrees
    "messages": str,  # JSON: the first MESSAGES_PER_FIGURE disagreements' messages, shortened
}

# the claims page (/-/claims): its checks in page order, and their counts by outcome, type, severity and
# measure, so that a page and its filters' counts are read through an index instead of sorting and
# counting every check on each visit
CHECK_ORDER_TABLE = "check_order"
CHECK_COUNTS_TABLE = "check_counts"
CHECK_ORDER_SQL = f"""
insert into {CHECK_ORDER_TABLE} (check_id, outcome, type, severity, measure_id, pos)
select c.id, c.outcome, c.type, c.severity, c.measure_id,
       row_number() over (
           order by case c.severity when 'error' then 0 when 'warning' then 1 when 'info' then 2 else 3 end,
                    coalesce(m.name, c.measure, ''), c.type, c.id)
from checks c left join measures m on m.id = c.measure_id
"""
CHECK_COUNTS_SQL = f"""
insert into {CHECK_COUNTS_TABLE} (outcome, type, severity, measure_id, n)
select outcome, type, severity, measure_id, count(*) from checks group by 1, 2, 3, 4
"""
CHECK_ORDER_COLUMNS: dict[str, type] = {
    "pos": int,  # the rowid: each index below holds it, so reads its entries for one value in page order
    "check_id": str,
    "outcome": str,
    "type": str,
    "severity": str,
    "measure_id": str,
}
CHECK_COUNTS_COLUMNS: dict[str, type] = {"outcome": str, "type": str, "severity": str, "measure_id": str, "n": int}
# the filters the page combines, the outcome always but for "all checks" (which reads the table itself in
# order): each index ends, as every index does, with the rowid, the page order
CHECK_ORDER_INDEXES = (["outcome"], ["outcome", "type"], ["outcome", "severity"], ["outcome", "measure_id"])

COLUMNS: dict[str, type] = {
    "measure_id": str,
    "name": str,
    "category": str,
    "figures": int,
    "papers": int,
    "levels": int,
    "flagged": int,
    "groups": str,
    "first_year": str,
    "last_year": str,
    "spark_unit": str,
    "sparkline": str,
    "spark_svg": str,  # the sparkline drawn (charts.sparkline_svg), and in words
    "spark_words": str,
    "disagreements": int,  # checks of the measure that disagree: the claims page's count
    "charted": int,  # levels the chart draws (at most CHART_POINTS)
    "chart_levels": str,  # JSON: the chart's points (pagedata.chart_points), links left to the page
    "chart_others": str,  # JSON: its changes and targets
    "chart_spec": str,  # the page's Vega-Lite spec of the levels (chartspec.stored_chart), links left to the page
    "chart_spec_added": str,  # the panels of changes and targets the page adds on request (NULL: none)
    "chart_units": str,  # JSON: the levels' units in words
    "chart_point_count": int,  # points the levels' spec draws
    "chart_other_count": int,  # changes and targets the added panels draw
}


def sparkline(
    levels: Iterable[Mapping[str, Any]], preferred_unit: str | None = None
) -> tuple[str | None, list[list[Any]]]:
    """The unit a measure's levels are most often stated in, and ``[period_end, value]`` pairs in it.

    One pair per period (the median of the papers' figures for it, so a misread figure does not
    spike the line), the most recent ``SPARK_POINTS`` periods, oldest first. Ties between units
    go to the catalogue's unit.
    """
    by_unit: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for row in levels:
        if row.get("value") is None or not row.get("period_end"):
            continue
        by_unit[str(row.get("unit") or "")][str(row["period_end"])[:10]].append(float(row["value"]))
    if not by_unit:
        return None, []
    unit = max(by_unit, key=lambda u: (sum(len(v) for v in by_unit[u].values()), u == preferred_unit, u))
    periods = sorted(by_unit[unit].items())[-SPARK_POINTS:]
    return unit, [[period, _median(values)] for period, values in periods]


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def summary_rows(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """One row per catalogue measure: counts (figures by group, flagged), years, and its levels' sparkline (JSON)."""
    levels: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in db.query(LEVELS_SQL):
        levels[row["measure_id"]].append(row)
    groups: dict[str, dict[str, int]] = defaultdict(dict)
    for row in db.query(GROUP_COUNTS_SQL):
        groups[row["measure_id"]][str(row["grp"])] = row["n"]
    flagged = {row["measure_id"]: row["n"] for row in db.query(FLAGGED_SQL)}
    disagreements = {row["measure_id"]: row["n"] for row in db.query(DISAGREEMENTS_SQL)}
    rows = []
    for row in db.query(COUNTS_SQL):
        unit, points = sparkline(levels.get(row["measure_id"], []), row["catalogue_unit"])
        rows.append(
            {
                **_chart_columns(db, row["measure_id"], row["name"] or row["measure_id"]),
                "spark_svg": str(sparkline_svg(points, label=f"{row['name']}: levels over time")),
                "spark_words": sparkline_words(points, unit),
                "disagreements": disagreements.get(row["measure_id"], 0),
                "measure_id": row["measure_id"],
                "name": row["name"],
                "category": row["category"],
                "figures": row["figures"] or 0,
                "papers": row["papers"] or 0,
                "levels": len(levels.get(row["measure_id"], [])),
                "flagged": flagged.get(row["measure_id"], 0),
                "groups": json.dumps(groups.get(row["measure_id"], {}), sort_keys=True),
                "first_year": row["first_year"],
                "last_year": row["last_year"],
                "spark_unit": unit,
                "sparkline": json.dumps(points),
            }
        )
    return rows


def _chart_columns(db: sqlite_utils.Database, measure_id: str, title: str) -> dict[str, Any]:
    """A measure's chart as stored: its points (levels; changes and targets), each flagged as its figure is,
    and the Vega-Lite spec its page sends (``chartspec.stored_chart``)."""
    found = {}
    for key, sql, limit in (("levels", CHART_LEVELS_SQL, CHART_POINTS), ("others", CHART_OTHERS_SQL, OTHER_POINTS)):
        rows = list(db.query(sql, {"measure_id": measure_id, "limit": limit}))
        flagged = {r["id"] for r in rows if r["flags"]}
        found[key] = (len(rows), chart_points(rows, flagged))
    return {
        "charted": found["levels"][0],
        "chart_levels": json.dumps(found["levels"][1], ensure_ascii=False),
        "chart_others": json.dumps(found["others"][1], ensure_ascii=False),
        **stored_chart(found["levels"][1], found["others"][1], title),
    }


def write_measure_summary(db: sqlite_utils.Database) -> int:
    """Replace ``measure_summary``, ``measure_figures`` and the claims page's ``check_order`` and
    ``check_counts`` with the archive's current numbers; returns the number of measures. Run after
    the checks: they say which figures the checks flagged."""
    write_figure_order(db)
    write_check_order(db)
    db.execute(f"drop table if exists [{TABLE}]")
    db[TABLE].create(COLUMNS, pk="measure_id")  # type: ignore[union-attr]
    db[TABLE].create_index(["category", "name"])  # type: ignore[union-attr]
    rows = summary_rows(db)
    db[TABLE].insert_all(rows, pk="measure_id")  # type: ignore[union-attr]
    return len(rows)


def write_figure_order(db: sqlite_utils.Database) -> None:
    """Replace ``measure_figures``: each catalogued figure's group and sort keys, indexed in page order."""
    db.execute(f"drop table if exists [{ORDER_TABLE}]")
    db[ORDER_TABLE].create(ORDER_COLUMNS, pk="observation_id")  # type: ignore[union-attr]
    db.execute(ORDER_SQL)
    db.conn.executemany(
        f"update [{ORDER_TABLE}] set flags = ?, checked = ?, messages = ? where observation_id = ?",
        figure_checks(db.query(FIGURE_CHECKS_SQL)),
    )
    # covering: a page's offset is skipped inside the index
    db[ORDER_TABLE].create_index(  # type: ignore[union-attr]
        ["measure_id", "grp", "sort_date", "paper_date", "seq", "observation_id"]
    )


def write_check_order(db: sqlite_utils.Database) -> None:
    """Replace ``check_order`` (every check's place on the claims page, indexed by each filter) and
    ``check_counts`` (how many checks have each outcome, type, severity and measure)."""
    for table, columns, sql in (
        (CHECK_ORDER_TABLE, CHECK_ORDER_COLUMNS, CHECK_ORDER_SQL),
        (CHECK_COUNTS_TABLE, CHECK_COUNTS_COLUMNS, CHECK_COUNTS_SQL),
    ):
        db.execute(f"drop table if exists [{table}]")
        db[table].create(columns, pk="pos" if table == CHECK_ORDER_TABLE else None)  # type: ignore[union-attr]
        db.execute(sql)
    for index in CHECK_ORDER_INDEXES:
        db[CHECK_ORDER_TABLE].create_index(index)  # type: ignore[union-attr]


def figure_checks(rows: Iterable[Mapping[str, Any]]) -> list[tuple[int, int, str, str]]:
    """``FIGURE_CHECKS_SQL`` rows (by figure, most severe first) as ``(flags, checked, messages, observation_id)``:
    its disagreements, 1 when a check verified it and none disagrees, and its first disagreements' messages."""
    found: dict[str, tuple[list[str], list[bool]]] = {}
    for row in rows:
        messages, verified = found.setdefault(str(row["observation_id"]), ([], []))
        if row["outcome"] == "disagreement":
            messages.append(str(row["message"] or row["type"] or "check"))
        else:
            verified.append(True)
    return [
        (
            len(messages),
            int(bool(verified) and not messages),
            json.dumps([shorten(m, MESSAGE_CHARS) for m in messages[:MESSAGES_PER_FIGURE]], ensure_ascii=False),
            obs_id,
        )
        for obs_id, (messages, verified) in found.items()
    ]
