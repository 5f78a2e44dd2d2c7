"""Benchmark the PDF reader against bare pdfplumber on generated board papers.

    python benchmarks/bench_pdf.py [--papers 4] [--pages 12] [--long 300]

Prints pages/second of ``read_pdf`` and of pdfplumber's ``page.extract_text()`` over the
same PDFs, and the peak memory of ``read_pdf`` on the long paper (in a fresh process).
Import ``make_corpus``, ``make_paper``, ``bench_read`` and ``peak_memory`` to extend it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from extractor.read.pdf import read_pdf  # noqa: E402

BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=10.5, leading=13.5, spaceAfter=7)
HEAD = ParagraphStyle("head", fontName="Helvetica-Bold", fontSize=13, leading=16, spaceBefore=4, spaceAfter=8)
AREAS = ["Birmingham East", "Birmingham West", "Coventry", "Dudley", "Sandwell", "Solihull", "Walsall", "Wolverhampton"]
MEASURES = [
    "Burglary Dwelling",
    "Robbery",
    "Vehicle Crime",
    "Violence with Injury",
    "Anti-social Behaviour",
    "Hate Crime",
]


def _paragraph(n: int) -> str:
    area = AREAS[n % len(AREAS)]
    m = MEASURES[n % len(MEASURES)]
    a, b = 1000 + (n * 137) % 9000, 900 + (n * 211) % 8000
    change = round((b - a) / a * 100, 1)
    return (
        f"{n}. In {area}, recorded {m.lower()} offences moved from {a:,} in 2012/13 to {b:,} in 2013/14, "
        f"a change of {change}% against a milestone of -{3 + n % 7}%. Victim satisfaction stood at "
        f"{80 + n % 15}.{n % 10}% and emergency attendance averaged {9 + n % 6} minutes and {10 + n % 49} seconds. "
        "The local policing unit continues to work with partners to reduce repeat victimisation, "
        "and the Board will receive a further update at its next meeting."
    )


def _table(n: int) -> Table:
    rows = [["", "2012/13", "2013/14", "Milestone", "Performance"]]
    for i, m in enumerate(MEASURES[:4]):
        a, b = 2000 + (n * 31 + i * 977) % 15000, 1800 + (n * 17 + i * 733) % 14000
        rows.append([f"Reduce {m}", f"{a:,}", f"{b:,}", f"-{2 + i} %", f"{(b - a) / a * 100:.1f} %"])
    return Table(
        rows,
        style=TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONT", (0, 0), (-1, -1), "Helvetica", 9)]),
    )


def make_paper(path: Path, pages: int, title: str = "Police and Crime Plan Performance") -> Path:
    """A paper of exactly ``pages`` pages: numbered paragraphs, a table every third page,
    headings, and a running header ("OFFICIAL") and footer ("Page N of M")."""

    def running(c, doc) -> None:  # type: ignore[no-untyped-def]
        c.saveState()
        c.setFont("Helvetica", 9)
        c.drawCentredString(A4[0] / 2, A4[1] - 1.2 * cm, "OFFICIAL")
        c.drawCentredString(A4[0] / 2, 1.0 * cm, f"Page {doc.page} of {pages}")
        c.restoreState()

    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        title=title,
        leftMargin=2.5 * cm,
        rightMargin=2.5 * cm,
        topMargin=2.5 * cm,
        bottomMargin=2.5 * cm,
    )
    story: list = [
        Paragraph(title, ParagraphStyle("t", fontName="Helvetica-Bold", fontSize=18, leading=22, spaceAfter=12))
    ]
    n = 1
    for p in range(1, pages + 1):
        if p % 4 == 1:
            story.append(Paragraph(f"{MEASURES[p % len(MEASURES)]} and local priorities", HEAD))
        for _ in range(4 if p % 3 == 0 else 6):
            story.append(Paragraph(_paragraph(n), BODY))
            n += 1
        if p % 3 == 0:
            story.append(_table(p))
        if p < pages:
            story.append(PageBreak())
    doc.build(story, onFirstPage=running, onLaterPages=running)
    return path


def make_corpus(dirpath: Path, n_papers: int = 4, pages: int = 12) -> list[Path]:
    """Write ``n_papers`` papers of ``pages`` pages each into ``dirpath``."""
    dirpath.mkdir(parents=True, exist_ok=True)
    return [make_paper(dirpath / f"paper-{i + 1:02d}.pdf", pages) for i in range(n_papers)]


def _bare_extract_text(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()
        return len(pdf.pages)


def _bare_pdfium_text(path: Path) -> int:
    """PDFium's own text extraction of every page: the speed of the text layer itself."""
    pdf = pdfium.PdfDocument(path)
    try:
        for page in pdf:
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
        return len(pdf)
    finally:
        pdf.close()


BARE = {"bare": _bare_extract_text, "pdfium": _bare_pdfium_text}


def compare_runs(
    paths: list[Path], runs: dict[str, Callable[[Path], int]], repeat: int = 1
) -> tuple[int, dict[str, float], dict[str, float]]:
    """Time each of ``runs`` (each returning a paper's page count) on the same papers.

    Times are this process's CPU seconds (``time.process_time``), so other work on a
    shared machine does not skew the comparison; the runs alternate paper by paper and,
    with ``repeat`` > 1, each paper's best time counts. Returns pages, and CPU and wall
    seconds keyed by the runs' names.
    """
    pages = 0
    cpu = dict.fromkeys(runs, 0.0)
    wall = dict.fromkeys(runs, 0.0)
    for p in paths:
        best = dict.fromkeys(runs, (float("inf"), 0.0))
        n = 0
        for _ in range(repeat):
            for name, run in runs.items():
                c0, w0 = time.process_time(), time.perf_counter()
                n = run(p)
                best[name] = min(best[name], (time.process_time() - c0, time.perf_counter() - w0))
        pages += n
        for name in cpu:
            cpu[name] += best[name][0]
            wall[name] += best[name][1]
    return pages, cpu, wall


def compare_with_bare(
    paths: list[Path], ours: Callable[[Path], int], repeat: int = 1
) -> tuple[int, dict[str, float], dict[str, float]]:
    """Time ``ours`` against bare pdfplumber ``extract_text`` ("bare") and bare PDFium
    text extraction ("pdfium") in one run; CPU and wall seconds keyed by those names and "ours"."""
    return compare_runs(paths, {**BARE, "ours": ours}, repeat)


def speed_report(pages: int, cpu: dict[str, float], wall: dict[str, float], ours: str) -> dict[str, float]:
    """Pages/second (CPU) of each run, and the ratios of ``ours`` to the bare readers."""
    report: dict[str, float] = {"pages": pages}
    for name in cpu:
        label = {"bare": "pdfplumber_extract_text", "pdfium": "pdfium_text", "ours": ours}.get(name, name)
        report[f"{label}_pages_per_second"] = round(pages / cpu[name], 1)
        report[f"{label}_wall_seconds"] = round(wall[name], 2)
    report["ratio"] = round(cpu["bare"] / cpu["ours"], 2)  # ours' speed over bare pdfplumber extract_text's
    report["ratio_to_pdfium_text"] = round(cpu["pdfium"] / cpu["ours"], 3)  # ours' speed over bare PDFium's
    for name in cpu:
        if name not in ("bare", "pdfium", "ours"):
            report[f"ratio_{name}"] = round(cpu["bare"] / cpu[name], 2)
    return report


def bench_read(paths: list[Path], repeat: int = 1) -> dict[str, float]:
    """Pages/second of ``read_pdf`` (PDFium reader, and the pdfplumber reader) against bare
    pdfplumber ``extract_text`` and bare PDFium text extraction over the same PDFs (CPU time)."""
    runs: dict[str, Callable[[Path], int]] = {
        **BARE,
        "ours": lambda p: len(read_pdf(p, "pdfium").page_starts),
        "read_pdf_pdfplumber": lambda p: len(read_pdf(p, "pdfplumber").page_starts),
    }
    pages, cpu, wall = compare_runs(paths, runs, repeat)
    return speed_report(pages, cpu, wall, "read_pdf")


_PEAK = """
import json, sys, time
sys.path.insert(0, {repo!r})

def hwm_mb():  # peak resident memory of this process image (VmHWM resets on exec; ru_maxrss does not)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)

from extractor.read.pdf import read_pdf
before = hwm_mb()
t0 = time.perf_counter()
src = read_pdf({path!r})
seconds = time.perf_counter() - t0
print(json.dumps({{"pages": len(src.page_starts), "words": len(src.words), "chars": len(src.text),
                  "seconds": round(seconds, 1), "peak_rss_mb": hwm_mb(), "rss_after_import_mb": before}}))
"""


def peak_memory(path: Path) -> dict[str, float]:
    """Peak resident memory (VmHWM) of a fresh process running ``read_pdf(path)``."""
    code = _PEAK.format(repo=str(REPO), path=str(path))
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--papers", type=int, default=4)
    ap.add_argument("--pages", type=int, default=12)
    ap.add_argument("--long", type=int, default=300, help="pages of the long paper")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        paths = make_corpus(Path(tmp), args.papers, args.pages)
        long_paper = make_paper(Path(tmp) / "long.pdf", args.long)
        print(f"generated {args.papers} x {args.pages} pages + {args.long} pages in {time.perf_counter() - t0:.1f}s")
        print("short papers:", json.dumps(bench_read(paths, repeat=2)))
        print("long paper:  ", json.dumps(bench_read([long_paper])))
        print("peak memory: ", json.dumps(peak_memory(long_paper)))


if __name__ == "__main__":
    main()
