"""The package works installed: a wheel (not an editable install) builds and serves from any folder.

Issue 15: ``pip install .`` gave a ``boardpapers`` that could not build, because the
catalogue, the table schema and ``metadata.yml`` were read from the repository folder.
This test builds the wheel from a copy of the package's sources, installs it with
``--no-deps`` into a fresh venv that borrows the dependencies already installed here (a
``.pth`` file naming this environment's site-packages; ``.pth`` files inside those are not
run, so this environment's editable install stays out), then from an empty folder runs
``boardpapers build`` and ``boardpapers serve`` and fetches a measure's page with its chart.
It checks that every file the package reads came from the venv, not the repository.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import CORPUS, REPO
from tests.serving import free_port, stop_process_group

pytestmark = pytest.mark.slow

SOURCES = ("pyproject.toml", "README.md", "extractor", "datasette_plugins", "schema", "metadata.yml")
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
WHERE = """
import json, extractor, datasette_plugins
from extractor import resources, serve
print(json.dumps({
    "extractor": extractor.__file__, "plugins": datasette_plugins.__file__,
    "schema": str(resources.schema_dir()), "metadata": str(serve.METADATA), "templates": str(serve.TEMPLATES),
    "corpus": str(serve.CORPUS),
}))
"""


def _run(argv: list[str], cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}}
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _isolation() -> list[str]:
    """Build with this environment's setuptools when it is new enough (the test extra installs it); else
    let pip fetch the build backend pyproject.toml asks for."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        major = int(version("setuptools").split(".")[0])
    except (PackageNotFoundError, ValueError):
        return []
    return ["--no-build-isolation"] if major >= 77 else []


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed; returns its bin folder."""
    root = tmp_path_factory.mktemp("install")
    src = root / "src"
    src.mkdir()
    for name in SOURCES:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, src / name, symlinks=True, ignore=IGNORE)
        else:
            shutil.copy2(path, src / name)
    wheel = _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", *_isolation(), "-w", "dist", str(src)], root)
    assert wheel.returncode == 0, wheel.stderr
    (built,) = (root / "dist").glob("boardpapers-*.whl")
    venv = root / "venv"
    made = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], root)
    assert made.returncode == 0, made.stderr
    (purelib,) = venv.glob("lib/python*/site-packages")
    borrowed = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (purelib / "_borrowed_dependencies.pth").write_text("\n".join(borrowed) + "\n")
    install = _run(
        [str(venv / "bin/python"), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(built)], root
    )
    assert install.returncode == 0, install.stderr
    return venv / "bin"


def test_the_installed_package_reads_only_its_own_files(installed: Path, tmp_path: Path) -> None:
    where = _run([str(installed / "python"), "-c", WHERE], tmp_path)
    assert where.returncode == 0, where.stderr
    paths = json.loads(where.stdout)
    assert paths.pop("corpus") == "None"  # no repository around: no default corpus
    venv = installed.parent.resolve()
    for name, path in paths.items():
        assert Path(path).resolve().is_relative_to(venv), f"{name} is read from {path}, not from the installed wheel"
        assert not Path(path).resolve().is_relative_to(REPO), name


def test_the_installed_command_needs_a_manifest_outside_the_repository(installed: Path, tmp_path: Path) -> None:
    run = _run([str(installed / "boardpapers"), "build", "--silent"], tmp_path)
    assert run.returncode == 2
    assert "no --manifest given and no corpus/manifest.yml in" in run.stderr
    assert "pass --manifest PATH" in run.stderr


def test_the_installed_command_builds_and_serves_the_archive_with_its_charts(installed: Path, tmp_path: Path) -> None:
    build = _run(
        [str(installed / "boardpapers"), "build", "--manifest", str(CORPUS / "manifest.yml"), "--db", "x.db"], tmp_path
    )
    assert build.returncode == 0, build.stderr
    assert build.stdout.splitlines()[0] == "5 papers in the manifest: 5 extracted, 0 unchanged, 0 removed"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    argv = [str(installed / "boardpapers"), "serve", "--db", "x.db", "--port", str(port)]
    proc = subprocess.Popen(
        argv, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        page = _wait_for(f"{base}/x/measures/homicide", proc)
        assert 'id="bp-timeline"' in page
        spec = json.loads(page.split('id="bp-timeline-spec">', 1)[1].split("</script>", 1)[0])
        points = [v for panel in spec["vconcat"] for v in panel["data"]["values"]]
        assert points and all(v["href"].startswith("/x/observations/") for v in points)
        script = urllib.request.urlopen(f"{base}/-/static-plugins/boardpapers/timeline.js", timeout=10).read()
        assert script == (REPO / "datasette_plugins/static/timeline.js").read_bytes()
        paper = urllib.request.urlopen(f"{base}/corpus/spcb-2024-02-27-pcc-statement.txt", timeout=10).read()
        assert paper == (CORPUS / "spcb-2024-02-27-pcc-statement.txt").read_bytes()
        title = urllib.request.urlopen(f"{base}/x.json", timeout=10).read()
        assert b'"observations"' in title
    finally:
        stop_process_group(proc)


def _wait_for(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return urllib.request.urlopen(url, timeout=5).read().decode()
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(
                    f"the installed serve did not answer {url}: {proc.communicate()[1][-2000:]!r}"
                ) from None
            time.sleep(0.3)


def test_the_wheel_ships_every_data_file_of_the_package(installed: Path) -> None:
    """Pattern overlays in sub-folders, templates and static files: a data file left out of the
    wheel breaks the installed build (board overlays were, once)."""
    (site_packages,) = installed.parent.glob("lib/python*/site-packages")
    for package in ("extractor", "datasette_plugins"):
        for path in (REPO / package).rglob("*"):
            if path.is_file() and path.suffix in {".yml", ".yaml", ".jsonl", ".html", ".css", ".js", ".json"}:
                shipped = site_packages / path.relative_to(REPO)
                assert shipped.is_file(), f"{path.relative_to(REPO)} is not in the wheel: add it to package-data"
