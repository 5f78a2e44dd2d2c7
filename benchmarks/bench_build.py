"""Time the build: from nothing, an unchanged re-run, one changed paper, and --force.

    python benchmarks/bench_build.py [--repeat 5] [--factor 1]

Runs ``python -m extractor build`` as a user would (a fresh process each time, imports
included) over a copy of the corpus (``--factor N`` makes N variants of every paper, as
``bench_scale.py`` does). Prints the wall time of each kind of build; the unchanged
re-run's target is under 2 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_scale import make_corpus  # noqa: E402


def run(manifest: Path, db: Path, *extra: str) -> tuple[float, str]:
    env = {**os.environ, "CI": "1", "PYTHONPATH": str(REPO)}
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "extractor", "build", "--manifest", str(manifest), "--db", str(db), "--silent", *extra],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise SystemExit(proc.stderr[-2000:])
    return elapsed, proc.stdout.strip().splitlines()[0] if proc.stdout.strip() else proc.stderr.strip()[:200]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--factor", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=1)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-build-"))
    try:
        if args.factor == 1:
            corpus = work / "corpus"
            shutil.copytree(REPO / "corpus", corpus)
            for p in corpus.iterdir():
                p.chmod(0o644)
            manifest = corpus / "manifest.yml"
        else:
            manifest = make_corpus(work / "corpus", args.factor)
        db = work / "archive.db"
        jobs = ["--jobs", str(args.jobs)]
        t, line = run(manifest, db, *jobs)
        print(f"from nothing:        {t:6.2f} s   ({line})")
        times = []
        for _ in range(args.repeat):
            t, line = run(manifest, db, *jobs)
            times.append(t)
        verdict = "OK" if max(times) < 2 else "OVER the 2 s target"
        print(
            f"unchanged re-run:    {statistics.median(times):6.2f} s median, {max(times):.2f} s max of {args.repeat} "
            f"({line}) {verdict}"
        )
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import extractor.cli"], cwd=REPO, check=True)
        print(f"  of which start-up (import extractor.cli): {time.perf_counter() - t0:.2f} s")
        paper = sorted(p for p in manifest.parent.iterdir() if p.suffix == ".txt")[0]
        paper.write_text(paper.read_text() + "\n\n99. Burglary fell by 7% in 2020/21.\n")
        t, line = run(manifest, db, *jobs)
        print(f"one changed paper:   {t:6.2f} s   ({line})")
        t, line = run(manifest, db, "--force", *jobs)
        print(f"--force:             {t:6.2f} s   ({line})")
        print(f"archive size:        {db.stat().st_size / 1e6:.1f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
