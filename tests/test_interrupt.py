"""Interrupting a build loses nothing, and a build beside a running server breaks nothing.

* ``python -m extractor build --force`` is killed with SIGKILL after several delays, from
  the first milliseconds to just before it would finish. Each time the archive must be
  exactly the previous file (same bytes, ``pragma integrity_check`` ok, same row counts),
  or, if the kill came after the final rename, the complete new one. The work files the
  killed builds leave behind (``.NAME.building-PID``) must not stop the next build, which
  removes them.
* ``boardpapers serve`` runs against the archive while it is rebuilt in place: every
  request during and after the rebuild is answered without error, and after a restart the
  server shows the new build (the documented way to pick up a new file).

Every loop here is bounded in count and in time.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.serving import build_command, free_port, serve_archive

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
CHANGED = "spcb-2021-07-20-crime-performance"
TABLES = (
    "documents",
    "passages",
    "observations",
    "measures",
    "checks",
    "ingest_errors",
    "passages_fts",
    "observations_fts",
)

pytestmark = pytest.mark.slow


def _corpus(target: Path) -> Path:
    shutil.copytree(CORPUS, target)
    for p in target.iterdir():
        p.chmod(0o644)
    return target


def _env() -> dict[str, str]:
    return {**os.environ, "CI": "1", "PYTHONPATH": str(REPO)}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _snapshot(db: Path) -> dict[str, object]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return {
            "integrity": conn.execute("pragma integrity_check").fetchall(),
            **{t: conn.execute(f"select count(*) from [{t}]").fetchone()[0] for t in TABLES},
        }


def _complete(db: Path) -> bool:
    """A finished archive: integrity ok, a fingerprint, and full-text indexes matching their tables."""
    snap = _snapshot(db)
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        fingerprint = conn.execute("select value from archive_state where key = 'fingerprint'").fetchone()
    return (
        snap["integrity"] == [("ok",)]
        and fingerprint is not None
        and snap["observations"] == snap["observations_fts"]
        and snap["passages"] == snap["passages_fts"]
    )


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, float]:
    """A corpus copy with one paper changed since its archive was built, and how long a forced build takes."""
    root = tmp_path_factory.mktemp("interrupt")
    corpus = _corpus(root / "corpus")
    db = root / "archive.db"
    subprocess.run(build_command(corpus / "manifest.yml", db), check=True, env=_env(), cwd=REPO, timeout=300)
    paper = corpus / f"{CHANGED}.txt"
    paper.write_text(paper.read_text() + "\n\n99. Burglary fell by 7% in 2020/21 compared to 2019/20.\n")
    timing = root / "timing.db"
    shutil.copyfile(db, timing)
    t0 = time.monotonic()
    subprocess.run(
        build_command(corpus / "manifest.yml", timing, "--force"), check=True, env=_env(), cwd=REPO, timeout=300
    )
    return corpus, db, time.monotonic() - t0


def test_sigkill_at_any_moment_leaves_the_previous_archive(archive: tuple[Path, Path, float]) -> None:
    corpus, db, duration = archive
    before_sha, before = _snapshot(db), _sha(db)
    assert before_sha["integrity"] == [("ok",)]
    delays = [0.05, 0.2, 0.5, 1.0, 2.0, duration * 0.5, duration * 0.8, duration * 0.93, duration * 0.98]
    killed_before_publish = 0
    for delay in sorted(delays):
        proc = subprocess.Popen(
            build_command(corpus / "manifest.yml", db, "--force"),
            env=_env(),
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
        rc = proc.wait(timeout=30)
        if _sha(db) == before:
            assert _snapshot(db) == before_sha, f"killed after {delay:.2f}s"
            killed_before_publish += rc == -signal.SIGKILL
        else:
            # the kill came after the rename (or the build had finished): the new archive is whole
            assert _complete(db), f"killed after {delay:.2f}s: the archive is neither the old one nor a whole new one"
            before_sha, before = _snapshot(db), _sha(db)
    assert killed_before_publish >= 4, "the kills should mostly land inside the build"
    # each build removes the work files of dead builds; the last kill may have left one,
    # and here is one more, half written, as a killed build leaves it
    half = db.parent / f".{db.name}.building-999999999"
    half.write_bytes(db.read_bytes()[: 64 * 1024])

    # the next build is not disturbed by them, and removes them
    done = subprocess.run(
        build_command(corpus / "manifest.yml", db), env=_env(), cwd=REPO, timeout=300, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert _complete(db)
    assert not list(db.parent.glob(f".{db.name}.building-*"))


@pytest.fixture
def server_archive(archive: tuple[Path, Path, float], tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    corpus, db, _ = archive
    mine = tmp_path / "served.db"
    shutil.copyfile(db, mine)
    yield corpus, mine


def test_rebuild_while_serving(server_archive: tuple[Path, Path]) -> None:
    corpus, db = server_archive
    stem = db.stem
    port = free_port()
    urls = [
        "/",
        f"/{stem}",
        f"/{stem}/documents",
        f"/{stem}/observations?_size=20",
        f"/{stem}/passages?_search=burglary",
        f"/{stem}/observations.json?_size=5",
        f"/{stem}/figures.csv?_size=50",
    ]
    problems: list[str] = []
    answered = 0
    with serve_archive(db, port=port) as base:
        # the serving policy: the file opened immutable, SQL time and row limits, a robots.txt
        dbs = httpx.get(f"{base}/-/databases.json", timeout=10).json()
        assert [d["is_mutable"] for d in dbs if d["name"] == stem] == [False]
        settings = httpx.get(f"{base}/-/settings.json", timeout=10).json()
        assert 0 < settings["sql_time_limit_ms"] <= 5000
        assert 0 < settings["max_returned_rows"] <= 5000
        robots = httpx.get(f"{base}/robots.txt", timeout=10)
        assert robots.status_code == 200 and "User-agent" in robots.text
        # change a paper and its title, then rebuild in place while clients keep asking
        manifest = corpus / "manifest.yml"
        manifest.write_text(
            manifest.read_text().replace('title: "Crime and Performance"', 'title: "Crime and Performance (revised)"')
        )
        paper = corpus / f"{CHANGED}.txt"
        paper.write_text(paper.read_text() + "\n\n98. Robbery fell by 4% in 2020/21.\n")
        stop = threading.Event()

        def hammer() -> None:
            nonlocal answered
            deadline = time.monotonic() + 120
            with httpx.Client(base_url=base, timeout=10) as client:
                i = 0
                while not stop.is_set() and time.monotonic() < deadline and i < 5000:
                    url = urls[i % len(urls)]
                    try:
                        r = client.get(url)
                        if r.status_code != 200:
                            problems.append(f"{url}: HTTP {r.status_code}")
                        answered += 1
                    except httpx.HTTPError as e:
                        problems.append(f"{url}: {type(e).__name__}: {e}")
                    i += 1
                    time.sleep(0.02)

        threads = [threading.Thread(target=hammer) for _ in range(2)]
        for t in threads:
            t.start()
        try:
            build = subprocess.run(
                build_command(manifest, db), env=_env(), cwd=REPO, timeout=300, capture_output=True, text=True
            )
            time.sleep(1.0)  # and a while after the new file is in place
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=30)
        assert build.returncode == 0, build.stderr
        assert answered > 20
        assert problems == []
        # after the rebuild every page still answers
        with httpx.Client(base_url=base, timeout=10) as client:
            for url in urls:
                assert client.get(url).status_code == 200, url

    # the documented way to pick up the new file: restart `serve`
    with serve_archive(db, port=port) as base:
        r = httpx.get(f"{base}/{stem}/documents.json", params={"id": CHANGED, "_shape": "array"}, timeout=10)
        assert r.status_code == 200
        assert r.json()[0]["title"] == "Crime and Performance (revised)"


def test_two_builds_at_once_take_turns(archive: tuple[Path, Path, float], tmp_path: Path) -> None:
    """A second build of the same archive waits for the first (a lock beside the file), then both succeed."""
    corpus, db, _ = archive
    mine = tmp_path / "both.db"
    shutil.copyfile(db, mine)
    procs = [
        subprocess.Popen(
            build_command(corpus / "manifest.yml", mine, "--force"),
            env=_env(),
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert _complete(mine)
    assert not list(tmp_path.glob(f".{mine.name}.building-*"))
