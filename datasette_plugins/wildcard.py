"""Apply metadata.yml's ``databases: "*"`` entry to every database served.

Datasette 0.65 keys database metadata by name, and the name is the file's stem, so ``--db wm.db``
serves ``/wm/``. This hook hands the ``"*"`` entry (table descriptions, facets, canned queries) to
every attached database; an entry written for a database by its own name still takes precedence.
"""

from __future__ import annotations

import copy

from datasette import hookimpl

WILDCARD = "*"


def expand_wildcard(metadata: dict, names: list[str]) -> dict | None:
    """``{"databases": {name: <the "*" entry>}}`` for each name, or None when there is no ``"*"`` entry."""
    star = (metadata.get("databases") or {}).get(WILDCARD)
    if not isinstance(star, dict):
        return None
    return {"databases": {name: copy.deepcopy(star) for name in names if name != WILDCARD}}


@hookimpl
def get_metadata(datasette, key, database, table):
    names = [name for name in datasette.databases if name != "_internal"]
    # a fresh copy each time: Datasette merges the local metadata into what this returns
    return expand_wildcard(getattr(datasette, "_metadata_local", None) or {}, names)
