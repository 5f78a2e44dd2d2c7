"""Where the package's own files are, installed or in a repository checkout.

The repository keeps ``schema/`` and ``metadata.yml`` at its top level. The ``extractor``
package reaches them through two symlinks (``extractor/schema``, ``extractor/metadata.yml``),
so the wheel ships real copies inside the package while git holds one copy of each. Each
lookup tries the package first, then the checkout's top level (for a checkout made
without symlinks).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CHECKOUT = PACKAGE_DIR.parent  # the repository, when running from a checkout


class MissingResource(FileNotFoundError):
    """A file the package needs is neither installed with it nor in a checkout."""


def _first(*candidates: Path, folder: bool = False) -> Path:
    for candidate in candidates:
        if candidate.is_dir() if folder else candidate.is_file():
            return candidate
    raise MissingResource(
        f"cannot find {candidates[-1].name} (looked in {', '.join(str(c) for c in candidates)}): "
        "reinstall boardpapers (pip install .) or run it from a checkout of the repository"
    )


def schema_dir() -> Path:
    """The folder holding the measure catalogue (measures.yml) and the table schema (tables.yml)."""
    return _first(PACKAGE_DIR / "schema", CHECKOUT / "schema", folder=True)


def metadata_file() -> Path:
    """Datasette's ``metadata.yml``: titles, descriptions, facets and plugin settings."""
    return _first(PACKAGE_DIR / "metadata.yml", CHECKOUT / "metadata.yml")


def plugins_dir() -> Path:
    """The ``datasette_plugins`` package's folder (its templates/ and static/), wherever it is installed."""
    spec = importlib.util.find_spec("datasette_plugins")
    if spec is None or spec.origin is None:
        raise MissingResource("the datasette_plugins package is not installed: reinstall boardpapers (pip install .)")
    return Path(spec.origin).resolve().parent


def checkout_corpus() -> Path | None:
    """The repository's corpus folder, when running from a checkout; None when installed."""
    corpus = CHECKOUT / "corpus"
    return corpus if (corpus / "manifest.yml").is_file() else None
