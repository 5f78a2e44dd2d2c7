"""The ``boardpapers`` command: a thin click layer over the library."""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import __version__
from .manifest import ManifestError
from .read.errors import UnreadableDocument

REPO = Path(__file__).resolve().parents[1]
CONTEXT = {"help_option_names": ["-h", "--help"]}


class UsageProblem(click.ClickException):
    """Bad usage or an unreadable manifest: exit status 2, as INTERFACE.md says."""

    exit_code = 2


def db_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        "db_path",
        default="boardpapers.db",
        show_default=True,
        type=click.Path(dir_okay=False),
        help="The archive's SQLite file.",
    )(fn)


def silent_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--silent", is_flag=True, help="No progress bar.")(fn)


def _use_pdf_reader(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value:  # the environment carries the choice to build workers too
        os.environ["BOARDPAPERS_PDF_READER"] = value


def pdf_reader_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--pdf-reader",
        type=click.Choice(["pdfium", "pdfplumber"]),
        callback=_use_pdf_reader,
        expose_value=False,
        help="Read PDFs with PDFium (default: fast) or pdfplumber (slow, the same words).",
    )(fn)


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="boardpapers")
def cli() -> None:
    """Turn police board papers into figures people can search, chart, check and download."""


@cli.command(context_settings=CONTEXT)
@click.option(
    "--manifest",
    default="corpus/manifest.yml",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="The manifest listing the papers.",
)
@db_option
@click.option(
    "--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 64), help="Papers extracted in parallel."
)
@click.option("--force", is_flag=True, help="Extract every paper again, changed or not.")
@pdf_reader_option
@silent_option
def build(manifest: str, db_path: str, jobs: int, force: bool, silent: bool) -> None:
    """Build or update the archive database from the papers a manifest lists.

    Example:

        boardpapers build --manifest corpus/manifest.yml --db boardpapers.db --jobs 2
    """
    from .progress import progressbar
    from .store import build_archive
    from .store.build import ArchiveInUse

    def bar(items: Any, total: int) -> Any:
        return progressbar(items, total=total, label="extracting", silent=silent)

    try:
        result = build_archive(manifest, db_path, jobs=jobs, force=force, progress=bar)
    except (ManifestError, ArchiveInUse) as e:
        raise UsageProblem(str(e)) from None
    click.echo(result.summary(), err=bool(result.errors))
    sys.exit(result.exit_code)


@cli.command(context_settings=CONTEXT)
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
@click.option("--reload", "watch", is_flag=True, help="Restart when metadata or plugins change (for development).")
def serve(db_path: str, host: str, port: int, watch: bool) -> None:
    """Serve the archive with Datasette, the project's metadata.yml and plugins.

    Example:

        boardpapers serve --db boardpapers.db --port 8001
    """
    from .serve import datasette_command

    if not Path(db_path).is_file():
        raise UsageProblem(f"no archive at {db_path}: run `boardpapers build --db {db_path}` first")
    command = datasette_command(Path(db_path), host=host, port=port, reload=watch)
    click.echo(f"Serving {db_path} at http://{host}:{port}/", err=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(command[0], command)  # Datasette takes this process over, so signals reach it


@cli.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--date", "paper_date", help="The paper's date, YYYY-MM-DD, for relative periods.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@pdf_reader_option
def extract(file: str, paper_date: str | None, fmt: str) -> None:
    """Print one paper's observations to standard output; no database needed.

    Example:

        boardpapers extract corpus/spcb-2024-02-27-pcc-statement.txt --date 2024-02-27 --format csv
    """
    from .models import OBSERVATION_COLUMNS
    from .pipeline import extract_file

    try:
        result = extract_file(file, date=paper_date)
    except UnreadableDocument as e:
        raise click.ClickException(str(e)) from None
    except ValueError as e:
        raise UsageProblem(f"--date {paper_date!r}: {e}; write it as YYYY-MM-DD") from None
    rows = [o.to_row() for o in result.observations]
    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    else:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(OBSERVATION_COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@cli.command(context_settings=CONTEXT)
@db_option
def check(db_path: str) -> None:
    """Print the claims that disagree, grouped by measure.

    Example:

        boardpapers check --db boardpapers.db
    """
    import sqlite_utils

    from .check import format_report
    from .store.queries import load_checks

    if not Path(db_path).is_file():
        raise UsageProblem(f"no archive at {db_path}: run `boardpapers build --db {db_path}` first")
    click.echo(format_report(load_checks(sqlite_utils.Database(db_path))).rstrip("\n"))


@cli.command(context_settings=CONTEXT)
@click.option(
    "--gold",
    "gold",
    multiple=True,
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="An answer key (JSON lines, GOLD-SPEC format). Repeatable.",
)
@click.option("--traps", multiple=True, type=click.Path(exists=True, dir_okay=False), help="Trap records. Repeatable.")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--show-misses", default=0, type=int, help="List this many missed figures.")
@click.option("--show-fps", default=0, type=int, help="List this many wrong extractions.")
def evaluate(
    gold: tuple[str, ...], traps: tuple[str, ...], db_path: str, as_json: bool, show_misses: int, show_fps: int
) -> None:
    """Score the archive's observations against a hand-made answer key.

    Example:

        boardpapers evaluate --gold tests/gold/corpus.jsonl --traps tests/gold/corpus.traps.jsonl --db boardpapers.db
    """
    from .evaluate import evaluate_db, format_scores

    if not Path(db_path).is_file():
        raise UsageProblem(f"no archive at {db_path}: run `boardpapers build --db {db_path}` first")
    scores = evaluate_db(db_path, list(gold), list(traps))
    if as_json:
        click.echo(json.dumps(scores.as_dict(), indent=1))
    else:
        click.echo(format_scores(scores, show_misses=show_misses, show_fps=show_fps))


def main() -> None:
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    cli(prog_name="boardpapers")
