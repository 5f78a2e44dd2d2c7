"""The archive in a real browser: a real ``boardpapers serve`` process and headless Chromium.

From "burglary" to the 2014 and 2024 figures and their pages: search from the home page, open the
measure, open a point's observation, download the measure's CSV. Saves docs/{home,search,measure,observation}.png.
Run alone with ``pytest -m browser``; skip with ``-m "not browser"``.
"""

from __future__ import annotations

import csv
import io
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(15_000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.errors = errors
    yield pg
    context.close()


def shot(page, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / name))  # the first screenful, as a visitor sees it


def test_from_burglary_to_the_figures_and_their_pages(page, served_corpus, corpus_db, tmp_path, screenshots):
    base, db = served_corpus, corpus_db.stem

    # the home page: a labelled search box, reachable by keyboard after the skip link
    page.goto(base + "/")
    assert page.get_by_label("Search measures, figures and passages").is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main-content"
    page.fill("#bp-q", "burglary")
    shot(page, screenshots, "home.png")

    # search: measures, figures and passages together, matches highlighted
    page.press("#bp-q", "Enter")
    page.wait_for_url("**/-/archive-search?**")
    assert page.locator("section:has(#bp-h-passages) mark").count() > 0
    figures = " ".join(page.locator("section:has(#bp-h-figures) li").all_inner_texts())
    assert "(2014-" in figures and "(2024-" in figures  # the 2014 and 2024 figures, one click away
    shot(page, screenshots, "search.png")

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
    shot(page, screenshots, "measure.png")

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
    shot(page, screenshots, "observation.png")
