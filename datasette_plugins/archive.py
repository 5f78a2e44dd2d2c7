"""Finding the served archive whatever its file is called (Datasette names a database after the file's stem)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


async def archive_database(datasette: Any, name: str | None, needs: Iterable[str]) -> str | None:
    """``?db=`` when it holds every table in ``needs``, else the first served database that does."""
    needs = tuple(needs)
    names = [name] if name in datasette.databases else list(datasette.databases)
    for candidate in names:
        db = datasette.get_database(candidate)
        if candidate == "_internal" or db.is_memory:
            continue
        tables = set(await db.table_names())
        if all(t in tables for t in needs):
            return candidate
    return None
