"""How ``boardpapers serve`` runs Datasette: one immutable file, the project's metadata and plugins.

The plugins in ``datasette_plugins/`` are registered as ``datasette`` entry points in pyproject.toml,
so Datasette loads them whether it runs from this command or in a test, installed or editable.
``metadata.yml``, the templates and the static files are found from the installed packages
(``extractor.resources``), so ``serve`` works from any folder.
``datasette_kwargs()`` gives the same configuration for ``datasette.app.Datasette(...)`` in tests.
"""

from __future__ import annotations

import socket
import sqlite3
import sys
from collections import Counter
from contextlib import closing
from pathlib import Path
from typing import Any

from .resources import checkout_corpus, metadata_file, plugins_dir

METADATA = metadata_file()
PLUGINS = plugins_dir()
TEMPLATES = PLUGINS / "templates"  # first in the template path, ahead of other plugins' index.html
STATIC = PLUGINS / "static"  # served by the plugin at /-/static-plugins/boardpapers/
CORPUS = checkout_corpus()  # the repository's papers, at /corpus/<path>, when run from a checkout


class PortInUse(Exception):
    """Something already listens on the port ``serve`` was asked to use."""


def check_port(host: str, port: int) -> None:
    """Raise ``PortInUse`` (saying what to do) when ``host:port`` cannot be listened on."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with closing(socket.socket(family, socket.SOCK_STREAM)) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: TIME_WAIT is no conflict
        try:
            probe.bind((host, port))
        except OSError as e:
            raise PortInUse(
                f"port {port} on {host} is already in use ({e.strerror}): another `boardpapers serve` may be "
                f"running; stop it, or pass another port, e.g. --port {port + 1}"
            ) from None


def papers_folder(db: Path) -> Path | None:
    """The folder whose papers ``/corpus/<path>`` serves: that of the manifest that brought most of the
    archive's papers (paths in ``documents`` are relative to it), else the repository's corpus."""
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
            rows = conn.execute("select manifest from documents where manifest is not null").fetchall()
    except sqlite3.Error:
        rows = []
    counts = Counter(Path(manifest).parent for (manifest,) in rows)
    for folder, _n in counts.most_common():
        if folder.is_dir():
            return folder
    return CORPUS


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
    papers = papers_folder(db)
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
        *(["--static", f"corpus:{papers}"] if papers else []),
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


def datasette_kwargs(db: Path | None = None) -> dict[str, Any]:
    """Keyword arguments for ``Datasette(immutables=[db], **datasette_kwargs(db))``, as ``serve`` configures it."""
    import yaml

    papers = papers_folder(db) if db is not None else CORPUS
    return {
        "metadata": yaml.safe_load(METADATA.read_text(encoding="utf-8")),
        "template_dir": str(TEMPLATES),
        "static_mounts": [("corpus", str(papers))] if papers else [],
        "settings": dict(SETTINGS),
    }
