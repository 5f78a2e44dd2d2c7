"""Apply metadata.yml's ``databases: "*"`` entry to every database served.

Datasette 0.65 keys database metadata by name, and the name is the file's stem, so ``--db wm.db``
serves ``/wm/``. This hook hands the ``"*"`` entry (table descriptions, facets, canned queries) to
every attached database; an entry written for a database by its own name still takes precedence.

Datasette calls ``metadata()`` (and so this hook) for every rendered cell, so the expansion is
computed once per database name and kept; each call only builds two small new dicts around it.
"""

from __future__ import annotations

import copy
from typing import Any

from datasette import hookimpl

WILDCARD = "*"
_CACHE_ATTR = "_boardpapers_wildcard"


def expand_wildcard(metadata: dict, names: list[str]) -> dict | None:
    """``{"databases": {name: <the "*" entry>}}`` for each name, or None when there is no ``"*"`` entry."""
    star = (metadata.get("databases") or {}).get(WILDCARD)
    if not isinstance(star, dict):
        return None
    return {"databases": {name: copy.deepcopy(star) for name in names if name != WILDCARD}}


def _star_for(datasette: Any, local: dict, name: str) -> dict | None:
    """The ``"*"`` entry copied for database ``name``, kept on the Datasette instance.

    Datasette merges its local metadata into what the hook returns, in place. Where the local
    metadata has an entry of its own for ``name`` that merge would change the kept copy, so those
    names get a fresh copy each time (rare: metadata.yml only uses ``"*"``).
    """
    databases = local.get("databases") or {}
    star = databases.get(WILDCARD)
    if not isinstance(star, dict):
        return None
    if isinstance(databases.get(name), dict):
        return copy.deepcopy(star)
    cached = getattr(datasette, _CACHE_ATTR, None)
    if cached is None or cached[0] is not star:  # metadata replaced: start again
        cached = (star, {})
        setattr(datasette, _CACHE_ATTR, cached)
    entries = cached[1]
    if name not in entries:
        entries[name] = copy.deepcopy(star)
    return entries[name]


@hookimpl
def get_metadata(datasette, key, database, table):
    local = getattr(datasette, "_metadata_local", None) or {}
    if database is None and key not in (None, "databases"):
        return None  # a top-level setting ("title", "plugins"...): the database entries don't matter
    names = [database] if database is not None else [n for n in datasette.databases if n != "_internal"]
    entries = {}
    for name in names:
        if name in (WILDCARD, "_internal"):
            continue
        entry = _star_for(datasette, local, name)
        if entry is None:
            return None
        entries[name] = entry
    return {"databases": entries} if entries else None
