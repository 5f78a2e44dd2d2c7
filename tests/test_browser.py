"""The archive in a real browser: a real ``boardpapers serve`` process and headless Chromium.

From "burglary" to the 2014 and 2024 figures and their pages: search from the home page, open the
measure, open a point's observation, download the measure's CSV. Saves docs/{home,search,measure,observation}.png.
Run alone with ``pytest -m browser``; skip with ``-m "not browser"``.
"""

from __future__ import annotations

import csv
import io
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DOCS = Path(__file__).resolve().parents[1] / "docs"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(corpus_db):
    """``boardpapers serve`` on a free port; its own process group, so Datasette (its child) stops with it."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "extractor", "serve", "--db", str(corpus_db), "--port", str(port)],
        cwd=Path(__file__).resolve().parents[1],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=1).read()
                break
            except OSError as e:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("boardpapers serve did not start: " + proc.stderr.read().decode()[-2000:]) from e
                time.sleep(0.2)
        yield base, corpus_db.stem
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def page(server):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("no Chromium at /usr/bin/chromium")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        context.set_default_timeout(15_000)
        pg = context.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.errors = errors
        yield pg
        context.close()
        browser.close()


def shot(page, name: str) -> None:
    DOCS.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS / name))  # the first screenful, as a visitor sees it


def test_from_burglary_to_the_figures_and_their_pages(server, page, tmp_path):
    base, db = server

    # the home page: a labelled search box, reachable by keyboard after the skip link
    page.goto(base + "/")
    assert page.get_by_label("Search measures, figures and passages").is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main-content"
    page.fill("#bp-q", "burglary")
    shot(page, "home.png")

    # search: measures, figures and passages together, matches highlighted
    page.press("#bp-q", "Enter")
    page.wait_for_url("**/-/archive-search?**")
    assert page.locator("section:has(#bp-h-passages) mark").count() > 0
    figures = " ".join(page.locator("section:has(#bp-h-figures) li").all_inner_texts())
    assert "(2014-" in figures and "(2024-" in figures  # the 2014 and 2024 figures, one click away
    shot(page, "search.png")

    # click 1: the measure; its chart is drawn by this server's Vega with one mark per figure
    page.get_by_role("link", name="Residential burglary").first.click()
    page.wait_for_url(f"**/{db}/measures/residential_burglary")
    page.wait_for_selector("#bp-timeline[data-rendered=true]")
    points = page.locator("#bp-timeline svg g.mark-symbol path")
    assert points.count() > 0
    table = page.locator("table.bp-observations")
    assert "(2014-" in " ".join(table.locator("tbody td:nth-child(7)").all_inner_texts())
    assert not page.errors, page.errors
    page.locator("#bp-measure-title").scroll_into_view_if_needed()
    shot(page, "measure.png")

    # the CSV export holds exactly the measure's figures
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV (every row)").click()
    path = tmp_path / "measure.csv"
    download.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert len(rows) == table.locator("tbody tr").count()
    assert {r["measure_id"] for r in rows} == {"residential_burglary"}

    # click 2: a point of the chart opens its observation, with the figure marked in its passage
    points.first.click(force=True)
    page.wait_for_url(f"**/{db}/observations/**")
    mark = page.locator(".bp-passage mark")
    assert mark.count() == 1 and mark.inner_text().strip()
    assert page.locator(".bp-provenance").get_by_role("link", name="Residential burglary").count() == 1
    # click 3 would be the paper itself, served by this archive
    source = page.locator(".bp-provenance a[href^='/corpus/']").first.get_attribute("href")
    assert urllib.request.urlopen(base + source.split("#")[0]).status == 200
    page.locator("#bp-card-title").scroll_into_view_if_needed()
    shot(page, "observation.png")
