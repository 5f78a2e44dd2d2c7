"""A ``year`` facet: counts an ISO date column by its year; selecting a year filters ``column__startswith``.

Use it in metadata.yml (``facets: [{year: period_end}]``) or a URL (``?_facet_year=period_end``).
"""

from __future__ import annotations

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.facets import Facet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args

YEAR_SQL = """
select substr({col}, 1, 4) as facet_year, count(*) as facet_count from ({sql})
where {col} glob '[0-9][0-9][0-9][0-9]*'
group by 1 order by 1 desc limit {limit}
"""


class YearFacet(Facet):
    type = "year"

    async def suggest(self):
        return []

    async def facet_results(self):
        results, timed_out = [], []
        args = dict(self.get_querystring_pairs())
        size = self.get_facet_size()
        for source_and_config in self.get_configs():
            config, source = source_and_config["config"], source_and_config["source"]
            column = config.get("column") or config["simple"]
            sql = YEAR_SQL.format(col=escape_sqlite(column), sql=self.sql, limit=size + 1)
            try:
                rows = await self.ds.execute(
                    self.database,
                    sql,
                    self.params,
                    truncate=False,
                    custom_time_limit=self.ds.setting("facet_time_limit_ms"),
                )
            except QueryInterrupted:
                timed_out.append(column)
                continue
            key = f"{column}__startswith"
            values = []
            for row in rows.rows[:size]:
                year = row["facet_year"]
                selected = args.get(key) == year
                toggle = (
                    path_with_removed_args(self.request, {key: year})
                    if selected
                    else path_with_added_args(self.request, {key: year})
                )
                values.append(
                    {
                        "value": year,
                        "label": year,
                        "count": row["facet_count"],
                        "toggle_url": self.ds.absolute_url(self.request, toggle),
                        "selected": selected,
                    }
                )
            results.append(
                {
                    "name": f"{column} (year)",
                    "type": self.type,
                    "results": values,
                    "hideable": source != "metadata",
                    "toggle_url": path_with_removed_args(self.request, {"_facet_year": column}),
                    "truncated": len(rows.rows) > size,
                }
            )
        return results, timed_out


@hookimpl
def register_facet_classes():
    return [YearFacet]
