"""Benchmark the whole pipeline on generated board-paper PDFs.

    python benchmarks/bench_pipeline.py [--papers 4] [--pages 12] [--build-papers 24] [--long 300] [--profile]

Prints, in one run:

1. pages/second of ``extract_document`` (read + segment + extract + link) with the PDFium
   reader and with ``--pdf-reader pdfplumber``, of bare pdfplumber ``page.extract_text()``
   and of bare PDFium text extraction over the same PDFs, and the ratios (target: the
   pipeline at >= 3x bare pdfplumber), on two sets: the five corpus papers printed to PDF
   by LibreOffice (real board papers' text, as the PDF answer keys read them; needs
   ``soffice``) and generated papers with a figure every few words (a stress case);
2. the speed-up of ``boardpapers build --jobs 2`` over ``--jobs 1`` (fresh databases,
   ``--force``), with the CPU count and load average at the time (target >= 1.7x), and
   how much of a build is serial (the bound that puts on the speed-up);
3. the peak resident memory of ``extract_document`` on the long paper, in a fresh
   process (target < 500 MB);
4. with ``--profile``, or whenever the ratio is under its target: where the pipeline's time
   goes (cProfile), by module and by function.

Speeds are CPU seconds of this process (``time.process_time``), so other work on a
shared machine skews them less; wall seconds are given beside them.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pdf import BARE, compare_runs, make_corpus, make_paper, speed_report  # noqa: E402

from extractor.models import Document  # noqa: E402
from extractor.pipeline import extract_document  # noqa: E402
from extractor.read.pdf import READER_ENV  # noqa: E402
from tests.serving import build_command  # noqa: E402

TARGET_RATIO, TARGET_SPEEDUP, TARGET_MB = 3.0, 1.7, 500


def _doc(path: Path) -> Document:
    return Document(id=path.stem, path=str(path), date="2014-05-13")


def _pipeline(path: Path) -> int:
    result = extract_document(_doc(path), path)
    return result.document.pages or 0


def _pipeline_with(reader: str) -> Callable[[Path], int]:
    def run(path: Path) -> int:
        before = os.environ.get(READER_ENV)
        os.environ[READER_ENV] = reader
        try:
            return _pipeline(path)
        finally:
            if before is None:
                os.environ.pop(READER_ENV, None)
            else:
                os.environ[READER_ENV] = before

    return run


def warm_up(folder: Path) -> float:
    """Load spaCy, the patterns and the catalogue once, outside the timings."""
    t0 = time.perf_counter()
    _pipeline(make_paper(folder / "warm-up.pdf", 2))
    return round(time.perf_counter() - t0, 2)


def bench_pipeline(paths: list[Path], repeat: int = 1) -> dict[str, float]:
    """Pages/second of ``extract_document`` (PDFium reader, and the pdfplumber reader), of
    bare pdfplumber ``extract_text`` and of bare PDFium text over the same PDFs, in one run.

    The runs alternate paper by paper; with ``repeat`` > 1 each paper's best time counts.
    Keep ``repeat`` at 1 for the pipeline: extraction keeps what it worked out about phrases
    it has seen (labels, links), so a paper's second run would be faster than any build's.
    """
    runs = {**BARE, "ours": _pipeline_with("pdfium"), "pipeline_pdfplumber_reader": _pipeline_with("pdfplumber")}
    pages, cpu, wall = compare_runs(paths, runs, repeat)
    report: dict[str, float] = speed_report(pages, cpu, wall, "pipeline")
    report["observations_in_first_paper"] = len(extract_document(_doc(paths[0]), paths[0]).observations)
    return report


def board_papers(folder: Path) -> list[Path]:
    """The corpus papers typed into Word documents and printed to PDF by LibreOffice, as
    ``tests/test_pdf_accuracy.py`` makes them for the PDF answer keys: real board papers'
    text at a real paper's density of figures. Empty (with a note) without LibreOffice."""
    import yaml

    from tests import pdf_factory

    folder.mkdir(parents=True, exist_ok=True)
    manifest = yaml.safe_load((REPO / "corpus" / "manifest.yml").read_text(encoding="utf-8"))
    texts = {d["id"]: REPO / "corpus" / d["path"] for d in manifest["documents"]}
    try:
        return list(pdf_factory.text_papers_pdf(texts, folder).values())
    except (RuntimeError, OSError, subprocess.SubprocessError) as e:
        print(f"(no corpus papers as PDF: {e}; install libreoffice-writer-nogui to measure them)")
        return []


def _write_manifest(folder: Path, paths: list[Path]) -> Path:
    lines = ["documents:"]
    for p in paths:
        lines += [f"  - id: {p.stem}", f"    path: {p.resolve()}", "    date: 2014-05-13"]
    manifest = folder / "manifest.yml"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return manifest


def _timed_build(manifest: Path, db: Path, jobs: int) -> dict[str, float]:
    """One ``boardpapers build`` in a fresh process: wall seconds and the CPU seconds of it
    and its workers (``RUSAGE_CHILDREN`` counts waited-for descendants)."""
    db.unlink(missing_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(
        build_command(manifest, db, "--jobs", str(jobs), "--force"),
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        raise SystemExit(f"build --jobs {jobs} failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_seconds": round(wall, 2), "cpu_seconds": round(cpu, 2), "summary": out.stdout.strip().splitlines()[0]}


def bench_jobs(folder: Path, paths: list[Path], rounds: int = 1) -> dict[str, object]:
    """``build --jobs 1`` against ``--jobs 2`` on the same papers; the best of ``rounds`` each."""
    manifest = _write_manifest(folder, paths)
    load_before = [round(x, 2) for x in os.getloadavg()]
    runs: dict[int, list[dict[str, float]]] = defaultdict(list)
    for _ in range(rounds):
        for jobs in (1, 2):
            runs[jobs].append(_timed_build(manifest, folder / f"jobs{jobs}.db", jobs))
    best = {j: min(r, key=lambda x: x["wall_seconds"]) for j, r in runs.items()}
    return {
        "papers": len(paths),
        "cpu_count": os.cpu_count(),
        "affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "loadavg_before": load_before,
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
        "jobs1": best[1],
        "jobs2": best[2],
        "speedup_wall": round(best[1]["wall_seconds"] / best[2]["wall_seconds"], 2),
        "cpu_overhead_jobs2": round(best[2]["cpu_seconds"] / best[1]["cpu_seconds"], 2),
    }


def build_phases(folder: Path, paths: list[Path]) -> dict[str, float]:
    """Where a ``--jobs 1`` build's wall time goes (in this process, spaCy already loaded):
    the extraction loop (papers extracted and written, the part ``--jobs`` spreads over
    workers) against the rest (fingerprint, copy, measures, checks, renumbering, analyze,
    publish), which runs on one core whatever ``--jobs`` is. ``amdahl_bound_2_jobs`` is the
    best speed-up two workers could give if extraction split perfectly."""
    import extractor.build as build_module
    from extractor.store import build_archive

    manifest = _write_manifest(folder, paths)
    db = folder / "phases.db"
    db.unlink(missing_ok=True)
    loop: dict[str, float] = {}

    def timed(items, total):  # type: ignore[no-untyped-def]
        loop["start"], loop["cpu_start"] = time.perf_counter(), time.process_time()
        yield from items

    renumber = build_module.renumber_observations  # the first step after the loop

    def renumber_timed(db):  # type: ignore[no-untyped-def]
        loop["end"], loop["cpu_end"] = time.perf_counter(), time.process_time()
        return renumber(db)

    build_module.renumber_observations = renumber_timed  # type: ignore[assignment]
    try:
        t0, c0 = time.perf_counter(), time.process_time()
        result = build_archive(manifest, db, jobs=1, force=True, progress=timed)
        total, cpu = time.perf_counter() - t0, time.process_time() - c0
    finally:
        build_module.renumber_observations = renumber
    extraction = loop["end"] - loop["start"]
    cpu_extraction = loop["cpu_end"] - loop["cpu_start"]
    return {
        "build_seconds": round(total, 2),
        "extraction_loop_seconds": round(extraction, 2),
        "serial_rest_seconds": round(total - extraction, 2),
        "serial_share": round((total - extraction) / total, 2),
        "amdahl_bound_2_jobs": round(total / (total - extraction + extraction / 2), 2),
        # the same split in CPU seconds, which other work on a shared machine skews less
        "build_cpu_seconds": round(cpu, 2),
        "serial_rest_cpu_seconds": round(cpu - cpu_extraction, 2),
        "serial_share_cpu": round((cpu - cpu_extraction) / cpu, 2),
        "observations": result.observations,
        "checks": result.checks,
    }


_PEAK = """
import json, sys, time
sys.path.insert(0, {repo!r})

def hwm_mb():  # peak resident memory of this process image (VmHWM)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)

from pathlib import Path
from extractor.models import Document
from extractor.pipeline import extract_document
import extractor.extract  # spaCy and the patterns, so the import cost is reported apart
before = hwm_mb()
path = Path({path!r})
t0, c0 = time.perf_counter(), time.process_time()
result = extract_document(Document(id="long", path=str(path), date="2014-05-13"), path)
print(json.dumps({{"pages": result.document.pages, "passages": len(result.passages),
                  "observations": len(result.observations), "wall_seconds": round(time.perf_counter() - t0, 1),
                  "cpu_seconds": round(time.process_time() - c0, 1),
                  "rss_after_import_mb": before, "peak_rss_mb": hwm_mb()}}))
"""


def peak_memory(path: Path) -> dict[str, float]:
    """Peak resident memory (VmHWM) of a fresh process running ``extract_document(path)``."""
    code = _PEAK.format(repo=str(REPO), path=str(path))
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


STAGES = [
    ("extractor/read/__init__.py", "read_source"),
    ("extractor/segment/passages.py", "segment"),
    ("extractor/extract/driver.py", "extract_observations"),
    ("extractor/link/measures.py", "link"),
]


def profile(path: Path, top: int = 12) -> str:
    """Where ``extract_document``'s time goes: own time summed by module, then the costliest
    functions by own time and by cumulative time."""
    prof = cProfile.Profile()
    prof.enable()
    _pipeline(path)
    prof.disable()
    stats = pstats.Stats(prof)
    total = sum(v[2] for v in stats.stats.values())  # type: ignore[attr-defined]
    by_module: dict[str, float] = defaultdict(float)
    for (file, _line, _fn), (_cc, _nc, tt, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        by_module[_module(file)] += tt
    out = io.StringIO()
    out.write(f"profile of extract_document({path.name}): {total:.2f}s of own time\n  by stage (cumulative):\n")
    for stage, fn in STAGES:
        ct = sum(v[3] for (file, _l, name), v in stats.stats.items() if name == fn and file.endswith(stage))  # type: ignore[attr-defined]
        out.write(f"    {ct:7.2f}s {100 * ct / total:5.1f}%  {stage} {fn}\n")
    out.write("  by module (own time):\n")
    for mod, tt in sorted(by_module.items(), key=lambda kv: -kv[1])[:top]:
        out.write(f"    {tt:7.2f}s {100 * tt / total:5.1f}%  {mod}\n")
    for key, title in (("tottime", "own time"), ("cumulative", "cumulative time")):
        out.write(f"  top functions by {title}:\n")
        rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][2 if key == "tottime" else 3])  # type: ignore[attr-defined]
        for (file, line, fn), (_cc, nc, tt, ct, _callers) in rows[:top]:
            out.write(f"    {tt:7.2f}s own {ct:7.2f}s cum {nc:>9} calls  {_module(file)}:{line} {fn}\n")
    return out.getvalue()


def _module(file: str) -> str:
    if file.startswith("~") or file.startswith("<"):
        return "builtins"
    p = Path(file)
    parts = p.with_suffix("").parts
    for anchor in ("site-packages", "dist-packages"):
        if anchor in parts:
            return ".".join(parts[parts.index(anchor) + 1 :][:2])
    if "extractor" in parts:
        return ".".join(parts[parts.index("extractor") :])
    return p.stem if "python3" not in file else "stdlib." + p.stem


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--papers", type=int, default=4, help="papers for the pages/second comparison")
    ap.add_argument("--pages", type=int, default=12, help="pages of each short paper")
    ap.add_argument(
        "--build-papers", type=int, default=24, help="papers for the --jobs comparison (a process starts in about 2 s)"
    )
    ap.add_argument("--rounds", type=int, default=1, help="builds of each --jobs setting (best counts)")
    ap.add_argument("--long", type=int, default=300, help="pages of the long paper")
    ap.add_argument("--profile", action="store_true", help="profile the pipeline even when it is fast enough")
    args = ap.parse_args()
    print(f"cpus {os.cpu_count()}, load average {[round(x, 2) for x in os.getloadavg()]}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        papers = make_corpus(folder / "papers", max(args.papers, args.build_papers), args.pages)
        long_paper = make_paper(folder / "long.pdf", args.long)
        print(f"generated {len(papers)} x {args.pages} pages + {args.long} pages in {time.perf_counter() - t0:.1f}s")
        print(f"warm-up (spaCy, patterns, catalogue): {warm_up(folder)}s")

        board = board_papers(folder / "board")
        if board:
            speed = bench_pipeline(board)
            ok = "ok" if speed["ratio"] >= TARGET_RATIO else "BELOW TARGET"
            print(
                f"pipeline vs extract_text, the {len(board)} corpus papers printed to PDF by LibreOffice "
                f"(the PDF answer keys' papers): {json.dumps(speed)}  [ratio target >= {TARGET_RATIO}: {ok}]"
            )
        speed = bench_pipeline(papers[: args.papers])
        ok = "ok" if speed["ratio"] >= TARGET_RATIO else "BELOW TARGET"
        print(
            f"pipeline vs extract_text, generated papers (about 37 figures a page, a stress case): "
            f"{json.dumps(speed)}  [ratio target >= {TARGET_RATIO}: {ok}]"
        )

        jobs = bench_jobs(folder, papers[: args.build_papers], rounds=args.rounds)
        ok = "ok" if jobs["speedup_wall"] >= TARGET_SPEEDUP else "BELOW TARGET"  # type: ignore[operator]
        print(f"build --jobs 2 vs --jobs 1: {json.dumps(jobs)}  [speed-up target >= {TARGET_SPEEDUP}x: {ok}]")

        print(f"build phases (--jobs 1, in process): {json.dumps(build_phases(folder, papers[: args.build_papers]))}")

        mem = peak_memory(long_paper)
        ok = "ok" if mem["peak_rss_mb"] < TARGET_MB else "ABOVE TARGET"
        print(f"peak memory, {args.long}-page paper: {json.dumps(mem)}  [target < {TARGET_MB} MB: {ok}]")

        if args.profile or speed["ratio"] < TARGET_RATIO:
            print(profile(papers[0]))


if __name__ == "__main__":
    main()
