"""How ``boardpapers serve`` runs Datasette: one immutable file, the project's metadata and plugins.

The plugins in ``datasette_plugins/`` are registered as ``datasette`` entry points in pyproject.toml
(``pip install -e .``), so Datasette loads them whether it runs from this command or in a test.
``datasette_kwargs()`` gives the same configuration for ``datasette.app.Datasette(...)`` in tests.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
METADATA = REPO / "metadata.yml"
PLUGINS = REPO / "datasette_plugins"
TEMPLATES = PLUGINS / "templates"  # first in the template path, ahead of other plugins' index.html
STATIC = PLUGINS / "static"  # served by the plugin at /-/static-plugins/boardpapers/
CORPUS = REPO / "corpus"  # the papers themselves, at /corpus/<path>

SETTINGS = {
    "sql_time_limit_ms": 1000,  # arbitrary SQL is allowed, but stopped after one second
    "max_returned_rows": 1000,  # a canned query's CSV stops here; table CSVs stream with _stream=on
    "suggest_facets": 0,  # suggestions cost 46-98 queries per table page; metadata.yml names the facets
    "default_page_size": 50,
    "facet_time_limit_ms": 400,
    "allow_download": 0,  # the database file is published separately; serve pages and exports
    "default_cache_ttl": 300,
    "num_sql_threads": 3,
}


def datasette_command(db: Path, *, host: str = "127.0.0.1", port: int = 8001, reload: bool = False) -> list[str]:
    """The Datasette command line that serves ``db``, opened immutable (read-only)."""
    command = [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        "--immutable",
        str(db),
        "--metadata",
        str(METADATA),
        "--template-dir",
        str(TEMPLATES),
        "--static",
        f"corpus:{CORPUS}",
        "--host",
        host,
        "--port",
        str(port),
    ]
    for name, value in SETTINGS.items():
        command += ["--setting", name, str(value)]
    if reload:
        command.append("--reload")
    return command


def datasette_kwargs() -> dict[str, Any]:
    """Keyword arguments for ``Datasette(immutables=[db], **datasette_kwargs())``, as ``serve`` configures it."""
    import yaml

    return {
        "metadata": yaml.safe_load(METADATA.read_text()),
        "template_dir": str(TEMPLATES),
        "static_mounts": [("corpus", str(CORPUS))],
        "settings": dict(SETTINGS),
    }
