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

CONTEXT = {"help_option_names": ["-h", "--help"]}


class UsageProblem(click.ClickException):
    """Bad usage or an unreadable manifest: exit status 2, as the README's "Command reference" says."""

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


DEFAULT_MANIFEST = Path("corpus") / "manifest.yml"  # the repository's corpus, when run from a checkout


def _manifests(given: tuple[str, ...]) -> list[str]:
    """The manifests a build reads: those given, else the corpus's when run from the repository."""
    if given:
        return list(given)
    if DEFAULT_MANIFEST.is_file():
        return [str(DEFAULT_MANIFEST)]
    raise UsageProblem(
        f"no --manifest given and no {DEFAULT_MANIFEST} in {Path.cwd()}: pass --manifest PATH, the manifest.yml "
        "listing your papers (the corpus is the default only when run from the repository's folder)"
    )


@cli.command(context_settings=CONTEXT, short_help="Build or update the archive from manifests.")
@click.option(
    "--manifest",
    "manifests",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="A manifest listing papers (repeatable). Default: corpus/manifest.yml, when run from the repository.",
)
@db_option
@click.option(
    "--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 64), help="Papers extracted in parallel."
)
@click.option("--force", is_flag=True, help="Extract every paper again, changed or not.")
@click.option("--prune", is_flag=True, help="Also remove papers that no manifest of this build lists.")
@click.option("--dry-run", is_flag=True, help="Say what would be added, updated and removed; change nothing.")
@pdf_reader_option
@silent_option
def build(
    manifests: tuple[str, ...], db_path: str, jobs: int, force: bool, prune: bool, dry_run: bool, silent: bool
) -> None:
    """Build or update the archive database from the papers one or more manifests list.

    A build adds and updates its manifests' papers, and removes only the papers its
    manifests brought before and no longer list; papers other manifests brought stay.
    Every removal is printed by name.

    \b
    Exit status:
      0  every paper was built (or, with --dry-run, would be)
      1  one or more papers could not be read (the rest were built; see ingest_errors)
      2  bad usage, an unusable manifest, or the archive is open for writing elsewhere

    Example:

        boardpapers build --manifest corpus/manifest.yml --db boardpapers.db --jobs 2
    """
    from .build import ArchiveInUse, KnowledgeError, build_archive
    from .progress import progressbar

    def bar(items: Any, total: int) -> Any:
        return progressbar(items, total=total, label="extracting", silent=silent)

    paths = _manifests(manifests)
    try:
        result = build_archive(paths, db_path, jobs=jobs, force=force, prune=prune, dry_run=dry_run, progress=bar)
    except (ManifestError, ArchiveInUse, KnowledgeError) as e:
        raise UsageProblem(str(e)) from None
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(result.summary(), err=bool(result.errors))
    sys.exit(result.exit_code)


@cli.command(context_settings=CONTEXT, short_help="Serve the archive with Datasette.")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
@click.option("--reload", "watch", is_flag=True, help="Restart when metadata or plugins change (for development).")
def serve(db_path: str, host: str, port: int, watch: bool) -> None:
    """Serve the archive with Datasette, the project's metadata.yml and plugins.

    Example:

        boardpapers serve --db boardpapers.db --port 8001
    """
    from .serve import PortInUse, check_port, datasette_command

    if not Path(db_path).is_file():
        raise UsageProblem(f"no archive at {db_path}: run `boardpapers build --db {db_path}` first")
    try:
        check_port(host, port)
    except PortInUse as e:
        raise UsageProblem(str(e)) from None
    command = datasette_command(Path(db_path), host=host, port=port, reload=watch)
    click.echo(f"Serving {db_path} at http://{host}:{port}/", err=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(command[0], command)  # Datasette takes this process over, so signals reach it


@cli.command(context_settings=CONTEXT, short_help="Print one paper's observations.")
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

    if not Path(file).is_file():
        raise click.ClickException(f"no file at {file}: check the path (a .pdf, .txt or .md paper)")
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


@cli.command(context_settings=CONTEXT, short_help="Print the claims to check, by measure.")
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


@cli.command(context_settings=CONTEXT, short_help="Score the archive against an answer key.")
@click.option(
    "--gold",
    "gold",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="An answer key (JSON lines, GOLD-SPEC format). Repeatable.",
)
@click.option("--traps", multiple=True, type=click.Path(exists=True, dir_okay=False), help="Trap records. Repeatable.")
@click.option(
    "--series",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="A series key (JSON lines: tests/gold/README.md): print each measure's recall, purity and chart accuracy.",
)
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--show-misses", default=0, type=int, help="List this many missed figures (and wrong answers).")
@click.option("--show-fps", default=0, type=int, help="List this many wrong extractions.")
def evaluate(
    gold: tuple[str, ...],
    traps: tuple[str, ...],
    series: tuple[str, ...],
    db_path: str,
    as_json: bool,
    show_misses: int,
    show_fps: int,
) -> None:
    """Score the archive's observations against a hand-made answer key.

    \b
    Example:

        boardpapers evaluate --gold tests/gold/corpus.jsonl --traps tests/gold/corpus.traps.jsonl --db boardpapers.db
        boardpapers evaluate --series tests/gold/series.jsonl --db boardpapers.db
    """
    from .evaluate import evaluate_db, evaluate_series, format_scores, format_series

    if not gold and not series:
        raise UsageProblem("nothing to score against: pass --gold KEY, --series KEY or both")
    if not Path(db_path).is_file():
        raise UsageProblem(f"no archive at {db_path}: run `boardpapers build --db {db_path}` first")
    out: dict[str, object] = {}
    if gold:
        scores = evaluate_db(db_path, list(gold), list(traps))
        out.update(scores.as_dict())
        if not as_json:
            click.echo(format_scores(scores, show_misses=show_misses, show_fps=show_fps))
    if series:
        per_measure = evaluate_series(db_path, list(series))
        out["series"] = {m: s.summary() for m, s in per_measure.items()}
        if not as_json:
            click.echo(format_series(per_measure))
    if as_json:
        click.echo(json.dumps(out, indent=1))


def main() -> None:
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    cli(prog_name="boardpapers")
