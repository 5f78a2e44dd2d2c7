"""Store the pipeline's output in SQLite: create the tables, write rows, publish the file.

The build that drives the stages lives above them, in ``extractor.build``.
"""

from __future__ import annotations

from typing import Any

from .schema import create_schema

__all__ = ["build_archive", "BuildResult", "create_schema"]


def __getattr__(name: str) -> Any:
    """``extractor.store.build_archive`` and ``BuildResult``, kept for older imports (use ``extractor.build``)."""
    if name in {"build_archive", "BuildResult"}:
        from .. import build

        return getattr(build, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
