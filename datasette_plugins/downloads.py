"""Downloads that give every row they name, as files with names.

- ``/<db>/measures/<id>/figures.csv`` and ``.json``: every figure of one measure, from one indexed query;
- ``/-/downloads/<db>/figures.csv``: every figure in the archive, streamed a few thousand rows a query;
- every table or view CSV (``/<db>/<table>.csv``) is streamed in full and sent as an attachment: the
  ASGI wrapper adds ``_stream=on``, ``_size=max`` and ``_dl=1`` unless the link chose otherwise, so a
  CSV link never stops silently at one page of rows;
- ``bom=1`` (``_bom=1`` on table CSVs) starts a CSV with a UTF-8 byte-order mark, so Excel reads the
  papers' curly quotes and pound signs as UTF-8.
"""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.parse
from collections.abc import Iterable, Sequence
from typing import Any

from datasette import hookimpl
from datasette.utils import tilde_decode
from datasette.utils.asgi import AsgiFileDownload, AsgiStream, Response

BOM = "\ufeff"
CHUNK = 5000  # rows per query of the whole-archive CSV
MEASURE_SQL = "select * from figures where measure_id = :measure_id"
SEQ_RANGE_SQL = "select min(seq) as low, max(seq) as high from observations"
# the figures view's rows for a range of observations.seq (the view is flattened: one scan, index lookups)
CHUNK_SQL = "select * from figures where id in (select id from observations where seq >= :low and seq < :high)"
TABLE_CSV = re.compile(r"^/(?!-/)[^/]+/[^/]+\.csv$")


def wants_bom(args: Any, key: str = "bom") -> bool:
    return str(args.get(key) or "").lower() in ("1", "on", "true", "yes")


def filename(stem: str, suffix: str) -> str:
    """A safe download file name: letters, digits, ``_.-`` only."""
    return (re.sub(r"[^A-Za-z0-9_.-]+", "-", stem)[:100].strip("-") or "figures") + suffix


def attachment(name: str) -> dict[str, str]:
    return {"content-disposition": f'attachment; filename="{name}"'}


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[Any]], *, header: bool = True) -> str:
    """Rows as CSV text (with a header row unless ``header`` is False); None is an empty cell."""
    out = io.StringIO()
    writer = csv.writer(out)
    if header:
        writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


async def _has_tables(db: Any, *names: str) -> bool:
    tables = set(await db.table_names()) | set(await db.view_names())
    return all(name in tables for name in names)


async def _measure_rows(datasette: Any, request: Any) -> tuple[Any, str] | Response:
    database = request.url_vars["database"]
    measure_id = tilde_decode(request.url_vars["measure"])
    if database not in datasette.databases:
        return Response.text("No such database", status=404)
    db = datasette.get_database(database)
    if not await _has_tables(db, "measures", "figures"):
        return Response.text("This database has no measures", status=404)
    if (await db.execute("select 1 from measures where id = ?", [measure_id])).first() is None:
        return Response.text("No such measure", status=404)
    return await db.execute(MEASURE_SQL, {"measure_id": measure_id}), measure_id


async def measure_csv(datasette: Any, request: Any) -> Response:
    """Every figure of one measure as CSV: one indexed query, however many rows (the ``figures`` view's
    streamed CSV gives the same rows but runs about 100 queries per 1,000 rows)."""
    found = await _measure_rows(datasette, request)
    if isinstance(found, Response):
        return found
    results, measure_id = found
    body = (BOM if wants_bom(request.args) else "") + csv_text(results.columns, results.rows)
    return Response(body, content_type="text/csv; charset=utf-8", headers=attachment(filename(measure_id, ".csv")))


async def measure_json(datasette: Any, request: Any) -> Response:
    """Every figure of one measure as a JSON array of objects, the ``figures`` view's columns."""
    found = await _measure_rows(datasette, request)
    if isinstance(found, Response):
        return found
    results, measure_id = found
    body = json.dumps([dict(zip(results.columns, row, strict=True)) for row in results.rows], ensure_ascii=False)
    return Response(
        body, content_type="application/json; charset=utf-8", headers=attachment(filename(measure_id, ".json"))
    )


async def all_figures_csv(datasette: Any, request: Any) -> Any:
    """Every figure in the archive as CSV, streamed ``CHUNK`` rows a query in the archive's order."""
    database = request.url_vars["database"]
    if database not in datasette.databases:
        return Response.text("No such database", status=404)
    db = datasette.get_database(database)
    if not await _has_tables(db, "observations", "figures"):
        return Response.text("This database has no figures", status=404)
    bounds = (await db.execute(SEQ_RANGE_SQL)).first()
    columns = [c for c in (await db.execute("select * from figures limit 0")).columns]
    bom = wants_bom(request.args)

    async def stream(writer: Any) -> None:
        await writer.write((BOM if bom else "") + csv_text(columns, []))
        if bounds["low"] is None:
            return
        for low in range(bounds["low"], bounds["high"] + 1, CHUNK):
            rows = await db.execute(CHUNK_SQL, {"low": low, "high": low + CHUNK}, truncate=False)
            await writer.write(csv_text(columns, rows.rows, header=False))

    return AsgiStream(
        stream, headers=attachment(filename(database + "-figures", ".csv")), content_type="text/csv; charset=utf-8"
    )


async def archive_file(datasette: Any, request: Any) -> Any:
    """The archive itself, one SQLite file, for the home page's "download everything".

    Only an archive served immutable (as ``boardpapers serve`` serves it): a build replaces the file
    whole, so a download never mixes two builds. (Datasette's own ``/<db>.db`` stays off.)
    """
    database = request.url_vars["database"]
    db = datasette.databases.get(database)
    if db is None or db.is_memory or not db.path:
        return Response.text("No such archive", status=404)
    if db.is_mutable:
        return Response.text(
            "This archive is served writable: serve it with boardpapers serve to download it", status=403
        )
    return AsgiFileDownload(db.path, filename=filename(database, ".db"), content_type="application/vnd.sqlite3")


def export_query(query_string: bytes) -> tuple[bytes, bool]:
    """A table CSV's query string with ``_stream=on``, ``_size=max`` and ``_dl=1`` added where absent,
    and ``_bom`` taken out; and whether ``_bom`` asked for a byte-order mark."""
    pairs = urllib.parse.parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    bom = wants_bom(dict(pairs), "_bom")
    pairs = [(k, v) for k, v in pairs if k != "_bom"]
    keys = {k for k, _ in pairs}
    if "sql" not in keys:  # arbitrary SQL cannot stream: it keeps Datasette's row limit
        for key, value in (("_stream", "on"), ("_size", "max")):
            if key not in keys:
                pairs.append((key, value))
    if "_dl" not in keys:
        pairs.append(("_dl", "1"))
    return urllib.parse.urlencode(pairs).encode("latin-1"), bom


def _with_bom(send: Any) -> Any:
    started = False

    async def wrapped(message: dict[str, Any]) -> None:
        nonlocal started
        if message["type"] == "http.response.body" and not started:
            started = True
            message = {**message, "body": BOM.encode("utf-8") + message.get("body", b"")}
        await send(message)

    return wrapped


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def exports(scope, receive, send):
            if scope.get("type") != "http" or scope.get("method") != "GET" or not TABLE_CSV.match(scope["path"]):
                return await app(scope, receive, send)
            query, bom = export_query(scope.get("query_string") or b"")
            await app({**scope, "query_string": query}, receive, _with_bom(send) if bom else send)

        return exports

    return wrap


@hookimpl
def register_routes():
    return [
        (r"^/(?P<database>[^/]+)/measures/(?P<measure>[^/]+)/figures\.csv$", measure_csv),
        (r"^/(?P<database>[^/]+)/measures/(?P<measure>[^/]+)/figures\.json$", measure_json),
        (r"^/-/downloads/(?P<database>[^/]+)/figures\.csv$", all_figures_csv),
        (r"^/-/downloads/(?P<database>[^/]+)\.db$", archive_file),
    ]
