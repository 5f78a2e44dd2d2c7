"""Store the pipeline's output in SQLite."""

from .build import BuildResult, build_archive
from .schema import create_schema

__all__ = ["build_archive", "BuildResult", "create_schema"]
