"""Serving helpers shared by the tests and the benchmarks.

* ``build_command``: the argv of a ``boardpapers build`` in a fresh process;
* ``serve_archive``: a real ``boardpapers serve`` subprocess on a loopback port, waited for, and
  stopped with its whole process group (the Datasette it starts included);
* ``DatasetteClient``: Datasette's in-process client, driven from synchronous tests on one event loop;
* ``CHROMIUM`` and ``CHROMIUM_ARGS``: how the browser tests launch headless Chromium.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def build_command(manifest: Path | str, db: Path | str, *extra: str) -> list[str]:
    """``python -m extractor build --manifest MANIFEST --db DB --silent [EXTRA...]``, to run from the repository."""
    build = [sys.executable, "-m", "extractor", "build"]
    return [*build, "--manifest", str(manifest), "--db", str(db), "--silent", *extra]


def free_port() -> int:
    """A TCP port free on 127.0.0.1 at the time of asking."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_process_group(proc: subprocess.Popen) -> None:
    """SIGTERM the process's group (its children too), then SIGKILL if it has not gone in 10 seconds."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)  # even when the wrapper has exited: its Datasette child may not have
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)


@contextmanager
def serve_archive(
    db_path: Path | str,
    *,
    port: int | None = None,
    extra_env: Mapping[str, str] | None = None,
    command: list[str] | None = None,
    timeout: float = 40,
) -> Iterator[str]:
    """``boardpapers serve --db DB_PATH`` on ``port`` (a free one by default); yields its base URL once it answers.

    The server runs in a session of its own, so leaving the block stops it and the Datasette it starts.
    ``command`` replaces the serve command (it must listen on ``port``); ``extra_env`` is added to the
    environment. Raises RuntimeError, with the end of the server's stderr, if it does not answer in
    ``timeout`` seconds.
    """
    port = port or free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(REPO), **(extra_env or {})}
    argv = command or [sys.executable, "-m", "extractor", "serve", "--db", str(db_path), "--port", str(port)]
    with tempfile.TemporaryFile() as stderr:  # a file, not a pipe: a busy server never blocks on its log
        proc = subprocess.Popen(
            argv, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True
        )
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    urllib.request.urlopen(base + "/-/versions.json", timeout=2).read()
                    break
                except OSError as e:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        stderr.seek(0)
                        log = stderr.read().decode(errors="replace")[-2000:]
                        raise RuntimeError(f"boardpapers serve did not start at {base}: {log}") from e
                    time.sleep(0.2)
            yield base
        finally:
            stop_process_group(proc)


class DatasetteClient:
    """Datasette's in-process client, driven from synchronous tests on one event loop.

    ``name`` is the database ``rows()`` queries.
    """

    def __init__(self, ds: Any, name: str | None = None):
        self.ds, self.name = ds, name
        self.loop = asyncio.new_event_loop()

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.loop.run_until_complete(self.ds.client.get(path, **kwargs))

    def rows(self, sql: str, params: Any = None) -> list[dict]:
        results = self.loop.run_until_complete(self.ds.get_database(self.name).execute(sql, params or []))
        return [dict(r) for r in results]

    def close(self) -> None:
        self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        self.loop.close()
