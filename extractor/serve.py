"""How ``boardpapers serve`` runs Datasette: one immutable file, the project's metadata and plugins."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
METADATA = REPO / "metadata.yml"
PLUGINS = REPO / "datasette_plugins"
TEMPLATES = PLUGINS / "templates"
STATIC = PLUGINS / "static"
CORPUS = REPO / "corpus"

SETTINGS = {
    "sql_time_limit_ms": 3000,  # arbitrary SQL is allowed, but stopped after three seconds
    "max_returned_rows": 1000,
    "default_page_size": 50,
    "facet_time_limit_ms": 400,
    "allow_download": 0,  # the database file is published separately; serve pages and exports
    "default_cache_ttl": 300,
    "num_sql_threads": 3,
}


def datasette_command(db: Path, *, host: str = "127.0.0.1", port: int = 8001, reload: bool = False) -> list[str]:
    """The Datasette command line that serves ``db``, opened immutable (read-only)."""
    command = [
        sys.executable, "-m", "datasette", "serve",
        "--immutable", str(db),
        "--metadata", str(METADATA),
        "--plugins-dir", str(PLUGINS),
        "--template-dir", str(TEMPLATES),
        "--static", f"assets:{STATIC}",
        "--static", f"corpus:{CORPUS}",
        "--host", host,
        "--port", str(port),
    ]
    for name, value in SETTINGS.items():
        command += ["--setting", name, str(value)]
    if reload:
        command.append("--reload")
    return command
