"""Create the archive's tables, indexes, full-text indexes and views.

The tables are declared in ``schema/tables.yml``; this module reads that file and
creates them with sqlite-utils, so the schema stays readable by a person.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import sqlite_utils
import yaml

from ..resources import schema_dir

SCHEMA_DIR = schema_dir()  # the package's copy when installed, the checkout's schema/ otherwise
TYPES = {"text": str, "integer": int, "float": float}

VIEWS = {
    # Export sets stream in full as CSV with ?_stream=on.
    "figures": """
        select o.id, o.measure_id, m.name as measure_name, o.measure, o.value, o.unit, o.kind,
               o.change_type, o.period_start, o.period_end, o.period_text, o.figure, o.quote,
               o.comparison_value, o.comparison_period_start, o.comparison_period_end,
               o.document_id, d.title as document_title, d.date as document_date,
               o.page, o.paragraph, o.section, o.basis, o.area, o.breakdown, o.bound, o.passage_id,
               d.url as document_url
        from observations o
        join documents d on d.id = o.document_id
        left join measures m on m.id = o.measure_id
        order by o.seq
    """,
    # What a measure's chart draws as its levels (the README's "The data model").
    "measure_levels": """
        select o.measure_id, o.id as observation_id, o.period_start, o.period_end, o.value, o.unit
        from observations o
        join measures m on m.id = o.measure_id
        where o.kind = 'value' and o.basis = 'total' and o.area is null and o.breakdown is null
          and o.period_end is not null
    """,
    "uncatalogued_measures": """
        select o.measure, count(*) as figures, count(distinct o.document_id) as papers,
               min(o.id) as example_observation, group_concat(distinct o.unit) as units
        from observations o
        where o.measure_id is null
        group by o.measure
        order by figures desc, o.measure
    """,
}


@lru_cache(maxsize=1)
def table_specs() -> dict[str, dict[str, Any]]:
    data = yaml.safe_load((SCHEMA_DIR / "tables.yml").read_text(encoding="utf-8"))
    tables: dict[str, dict[str, Any]] = data["tables"]
    return tables


def columns(table: str) -> list[str]:
    return list(table_specs()[table]["columns"])


def create_schema(db: sqlite_utils.Database) -> None:
    """Create every table, index, FTS index (porter stemming, triggers) and view."""
    for name, spec in table_specs().items():
        if db[name].exists():
            continue
        cols = {c: TYPES[t] for c, t in spec["columns"].items()}
        fks = [(col, other, "id") for col, other in (spec.get("foreign_keys") or {}).items()]
        db[name].create(cols, pk=spec["pk"], foreign_keys=fks)  # type: ignore[union-attr]
        for index in spec.get("indexes") or []:
            db[name].create_index(index, if_not_exists=True)  # type: ignore[union-attr]
        if spec.get("fts"):
            db[name].enable_fts(spec["fts"], tokenize="porter", create_triggers=True)  # type: ignore[union-attr]
    for view, sql in VIEWS.items():
        db.create_view(view, sql.strip(), replace=True)
