"""The archive in a real browser: a real ``boardpapers serve`` process and headless Chromium.

From "burglary" to the 2014 and 2024 figures and their pages: search from the home page, open the
measure, open a point's observation, download the measure's CSV. Saves docs/{home,search,measure,
observation}.png; and the measure charts at desktop and phone widths, the measure index and a paper's page.
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
    table = page.locator(".bp-figure-groups table.bp-observations")
    assert "(2014-" in " ".join(table.locator("tbody td:nth-child(5)").all_inner_texts())
    assert not page.errors, page.errors
    page.locator("#bp-measure-title").scroll_into_view_if_needed()
    shot(page, screenshots, "measure.png")

    # the CSV export holds exactly the measure's figures
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV", exact=True).click()
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


@pytest.fixture
def phone_or_desktop(browser, request):
    """A page at the width the test asks for (``request.param``), collecting script errors."""
    width = request.param
    context = browser.new_context(viewport={"width": width, "height": 900 if width > 600 else 812})
    context.set_default_timeout(15_000)
    pg = context.new_page()
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg, width
    context.close()


def axis_labels(panel, axis: str) -> list[str]:
    """The tick labels of a Vega panel's ``X`` or ``Y`` axis."""
    texts = panel.locator(f"g.role-axis[aria-label^='{axis}-axis'] g.role-axis-label text").all_text_contents()
    return [t.strip() for t in texts if t.strip()]


@pytest.mark.parametrize("measure", ["homicide", "residential_burglary"])
@pytest.mark.parametrize("phone_or_desktop", [1280, 375], indirect=True)
def test_measure_chart_is_readable_at_desktop_and_phone_widths(
    phone_or_desktop, measure, served_corpus, corpus_db, screenshots
):
    page, width = phone_or_desktop
    page.goto(f"{served_corpus}/{corpus_db.stem}/measures/{measure}")
    page.wait_for_selector("#bp-timeline[data-rendered=true]")
    chart = page.locator("#bp-timeline svg").first
    box = chart.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width  # nothing cut off: the chart follows the page
    first = page.locator("#bp-timeline svg g.concat_0_group")
    years = axis_labels(first, "X")
    assert len(years) >= 2 and all(len(y) == 4 and y.isdigit() for y in years)
    assert len(years) == len(set(years)) and years == sorted(years)  # each year once, in order
    y_axis = first.locator("g.role-axis[aria-label^='Y-axis']")
    assert y_axis.get_attribute("aria-label").startswith("Y-axis titled 'Number'")  # the unit in words
    assert axis_labels(first, "Y")[0] == "0"  # counts from zero
    assert first.locator("g.mark-line path").count() >= 1  # levels joined by a line
    # a point's tooltip gives the figure, its period, its paper(s) and its quote
    point = page.locator("#bp-timeline svg g.mark-symbol path").first
    point.hover(force=True)
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible")
    text = tooltip.inner_text()
    assert all(word in text for word in ("Figure", "Period", "Paper(s)", "Quote"))
    page.mouse.move(0, 0)
    if width == 1280:
        page.locator("#bp-measure-title").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / f"chart-{measure.replace('_', '-')}-{width}.png"))
    # changes and targets: off by default, on small panels of their own when asked
    toggle = page.locator("#bp-timeline-others")
    if toggle.count():
        before = int(page.get_attribute("#bp-timeline", "data-panels"))
        toggle.check()
        page.wait_for_function(f"document.getElementById('bp-timeline').getAttribute('data-panels') > {before}")
        page.wait_for_selector("#bp-timeline[data-rendered=true]")
    assert not page.errors, page.errors


@pytest.mark.parametrize("phone_or_desktop", [1280, 375], indirect=True)
def test_any_measure_and_any_papers_figures_in_two_clicks_from_home(
    phone_or_desktop, served_corpus, corpus_db, screenshots
):
    page, width = phone_or_desktop
    suffix = "" if width == 1280 else "-phone"
    page.goto(served_corpus + "/")
    index = page.locator(".bp-index")
    # find-as-you-type narrows the index; click 1 opens the measure
    page.fill("#bp-index-q", "burgl")
    assert index.locator("tr[data-search]:visible").count() >= 1
    assert not index.get_by_role("link", name="Homicides").is_visible()
    page.fill("#bp-index-q", "")
    assert index.get_by_role("link", name="Homicides").is_visible()
    index.locator("tr[data-search]").first.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / f"measures{suffix}.png"))
    index.get_by_role("link", name="Residential burglary").click()
    page.wait_for_url(f"**/{corpus_db.stem}/measures/residential_burglary")
    page.wait_for_selector("#bp-timeline[data-rendered=true]")
    # papers: click 1 the list, click 2 the paper with its figures by section, each linked to its source
    page.goto(served_corpus + "/")
    page.locator(".bp-home-links a[href$='/-/papers']").click()
    page.wait_for_url("**/-/papers")
    page.locator("table a").first.click()
    page.wait_for_url("**/-/papers/**")
    assert page.locator("h2", has_text="Figures by section").count() == 1
    figure_links = page.locator(f"table.bp-paper-figures a[href*='/{corpus_db.stem}/observations/']")
    assert figure_links.count() > 0
    page.screenshot(path=str(screenshots / f"paper{suffix}.png"))
    assert not page.errors, page.errors
