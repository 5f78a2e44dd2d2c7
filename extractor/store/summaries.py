"""Per-measure and per-paper totals, computed once at build time for the served pages.

A page that counts a measure's figures over ``observations`` reads every one of them on
each visit; at 200 times the corpus that is thousands of rows per measure. The build
writes the totals into two small tables instead, which a page reads by primary key:

- ``measure_summary``: one row per catalogue measure: figures, papers, first and last
  year (of the period's end, else the paper's date), checks, and ``flagged``: its figures
  that some check names (what a measure page's header counts);
- ``document_summary``: one row per paper: observations, passages, measures, checks.

``refresh_summaries(db)`` recomputes both from scratch (two SQL statements: about 6 s
at 200 times the corpus, 0.1 s for the corpus); the build calls it after the checks are
written.
"""

from __future__ import annotations

import sqlite_utils

__all__ = ["SUMMARY_TABLES", "refresh_summaries"]

MEASURE_SUMMARY = {
    "measure_id": str,
    "figures": int,
    "papers": int,
    "first_year": str,
    "last_year": str,
    "checks": int,
    "flagged": int,
}
DOCUMENT_SUMMARY = {
    "document_id": str,
    "observations": int,
    "passages": int,
    "measures": int,
    "checks": int,
}
SUMMARY_TABLES = {"measure_summary": MEASURE_SUMMARY, "document_summary": DOCUMENT_SUMMARY}

MEASURE_SQL = """
insert into measure_summary (measure_id, figures, papers, first_year, last_year, checks, flagged)
select m.id, count(o.id), count(distinct o.document_id),
       min(substr(coalesce(o.period_end, d.date), 1, 4)), max(substr(coalesce(o.period_end, d.date), 1, 4)),
       (select count(*) from checks c where c.measure_id = m.id),
       coalesce(sum(exists (select 1 from check_observations co where co.observation_id = o.id)), 0)
from measures m
left join observations o on o.measure_id = m.id
left join documents d on d.id = o.document_id
group by m.id
"""

DOCUMENT_SQL = """
insert into document_summary (document_id, observations, passages, measures, checks)
select d.id,
       (select count(*) from observations o where o.document_id = d.id),
       (select count(*) from passages p where p.document_id = d.id),
       (select count(distinct o.measure_id) from observations o where o.document_id = d.id),
       (select count(distinct co.check_id) from observations o
          join check_observations co on co.observation_id = o.id where o.document_id = d.id)
from documents d
"""


def refresh_summaries(db: sqlite_utils.Database) -> None:
    """(Re)create ``measure_summary`` and ``document_summary`` from the archive's tables."""
    for name, columns in SUMMARY_TABLES.items():
        pk = next(iter(columns))
        db[name].create(columns, pk=pk, replace=True)  # type: ignore[union-attr]
    db.execute(MEASURE_SQL)
    db.execute(DOCUMENT_SQL)
