"""Hostile text in a paper or a manifest is inert on every page the archive serves.

A paper and its manifest entry carry ``<script>alert(1)</script>``,
``<img src=x onerror=alert(1)>``, ``" onmouseover="alert(1)`` and a ``javascript:`` URL.
The archive is built and its pages (home, database, documents table and row, passage
search, observations table and row, a measure's page, checks, figures, the plugins'
search page) are fetched:

* through Datasette's test client, parsing the raw HTML: no ``<script>`` or ``<img>``
  element comes from the paper, no element has an ``on*`` handler calling ``alert``, no
  link points at ``javascript:``;
* in headless Chromium against a real ``boardpapers serve`` (``-m browser``): no dialog
  opens while each page loads and every element receives a ``mouseover``, and the live
  DOM holds no injected handler.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import sqlite3
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.serving import serve_archive

REPO = Path(__file__).resolve().parents[1]
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
ATTR = '" onmouseover="alert(1)'
SQ_ATTR = "' onmouseover='alert(1)"
PAYLOAD = f"{SCRIPT} {IMG} {ATTR} {SQ_ATTR}"
DOC_ID = "hostile-paper"

PAPER = f"""{SCRIPT} Performance Report {IMG}

27th February 2024

## Burglary {ATTR}

1. Burglary {IMG} fell by 13% in 2022/23 compared to 2021/22 {SCRIPT}.

2. The latest data from November 2022 to October 2023 indicates that there were 41 homicides {ATTR} in the area.

3. Robbery {SQ_ATTR} rose by 8% to 2,345 offences in 2023 </textarea></title></style>{SCRIPT}.

Measure: {SCRIPT} recorded crime
\tMeasure {IMG}\t2022/23\t2023/24
\tBurglary {ATTR}\t1,234\t1,100
\tRobbery {SCRIPT}\t57%\t-13%
"""


def _manifest(folder: Path) -> Path:
    (folder / "hostile.txt").write_text(PAPER, encoding="utf-8")
    manifest = folder / "manifest.yml"
    manifest.write_text(
        yaml.safe_dump(
            {
                "documents": [
                    {
                        "id": DOC_ID,
                        "path": "hostile.txt",
                        "title": f"Crime {PAYLOAD}",
                        "date": "2024-02-27",
                        "url": "javascript:alert(1)",
                        "publisher": f"Publisher {PAYLOAD}",
                        "board": IMG,
                        "note": PAYLOAD,  # an unknown key, kept in documents.extra
                    },
                    {"id": "missing-paper", "path": f"missing {SCRIPT}.txt", "title": PAYLOAD},  # an ingest error
                ]
            },
            sort_keys=False,
        ),
        encoding="utf-8",
    )
    return manifest


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from extractor.store import build_archive

    folder = tmp_path_factory.mktemp("hostile")
    db = folder / "hostile.db"
    result = build_archive(_manifest(folder), db)
    assert result.exit_code == 1  # the missing paper
    with sqlite3.connect(db) as conn:
        assert (
            conn.execute("select title from documents where id = ?", [DOC_ID])
            .fetchone()[0]
            .startswith("Crime <script>")
        )
        assert conn.execute("select count(*) from passages where text like '%<script>%'").fetchone()[0] > 0
    return db


def _urls(db: Path) -> list[str]:
    stem = db.stem
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        obs = [r[0] for r in conn.execute("select id from observations where document_id = ? order by seq", [DOC_ID])]
        measures = [
            r[0]
            for r in conn.execute(
                "select distinct measure_id from observations where document_id = ? and measure_id is not null",
                [DOC_ID],
            )
        ]
        passages = [r[0] for r in conn.execute("select id from passages where document_id = ? limit 3", [DOC_ID])]
        checks = [r[0] for r in conn.execute("select id from checks limit 2")]
    q = urllib.parse.quote
    urls = [
        "/",
        f"/{stem}",
        f"/{stem}/documents",
        f"/{stem}/documents/{DOC_ID}",
        f"/{stem}/ingest_errors",
        f"/{stem}/passages?_search=script",
        f"/{stem}/passages?_search=alert",
        f"/{stem}/passages?document_id={DOC_ID}",
        f"/{stem}/observations",
        f"/{stem}/observations?_search=alert",
        f"/{stem}/figures",
        f"/{stem}/uncatalogued_measures",
        f"/{stem}/checks",
        f"/{stem}/measures",
        f"/{stem}?sql={q('select title, publisher, extra from documents')}",
        f"/-/archive-search?q={q('burglary')}",
        f"/-/archive-search?q={q(SCRIPT)}",
        f"/-/archive-search?q={q(ATTR)}",
        "/-/measures",
        f"/-/papers/{DOC_ID}",
    ]
    urls += [f"/{stem}/observations/{o}" for o in obs[:4]]
    urls += [f"/{stem}/measures/{m}" for m in measures[:4]]
    urls += [f"/{stem}/passages/{p}" for p in passages]
    urls += [f"/{stem}/checks/{c}" for c in checks]
    return urls


class _Elements(HTMLParser):
    """Collects every start tag with its attributes, and the text of each <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def injected(html: str, *, links: bool = False) -> list[str]:
    """What in ``html`` would run the payloads: empty when they are inert.

    ``links=True`` also reports ``javascript:`` URLs in href/src (run on a click, not on load).
    """
    found = []
    lowered = html.lower()
    # (the payloads may appear raw inside JSON strings of a <script> data block, with < and >
    # escaped: that is inert, so attributes are judged by parsing, not by searching text)
    for raw in ("<script>alert", "<img src=x"):
        if raw in lowered:
            found.append(f"raw {raw!r} in the HTML")
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.tags:
        for name, value in attrs:
            v = (value or "").strip().lower()
            if name.startswith("on") and "alert" in v:
                found.append(f"<{tag} {name}={value!r}>")
            if name in ("onmouseover", "onerror") or (name.startswith("on") and value is None):
                found.append(f"<{tag}> has handler attribute {name!r}")
            if (
                links
                and name in ("href", "src", "action", "formaction")
                and re.sub(r"\s", "", v).startswith("javascript:")
            ):
                found.append(f"<{tag} {name}={value!r}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            found.append("<img src=x> from the paper")
    for text in parser.scripts:
        if re.match(r"\s*alert\(1\)", text):
            found.append(f"<script>{text[:40]}")
    return found


def test_the_detector_detects() -> None:
    assert injected(f"<p>{SCRIPT}</p>")
    assert injected(f"<p>{IMG}</p>")
    assert injected(f'<a title="{ATTR}">x</a>')
    assert injected('<a href="javascript:alert(1)">x</a>', links=True)
    assert injected(f'<script>var d = {{"q": "\\u003cb\\u003e {SQ_ATTR}"}};</script>') == []
    from markupsafe import escape

    assert injected(f'<p>{escape(PAYLOAD)}</p><a title="{escape(ATTR)}">x</a>') == []


async def _fetch_all(db: Path) -> dict[str, tuple[int, str]]:
    from datasette.app import Datasette

    from extractor.serve import datasette_kwargs

    ds = Datasette(immutables=[str(db)], **datasette_kwargs())
    await ds.invoke_startup()
    pages = {}
    for url in _urls(db):
        r = await ds.client.get(url)
        pages[url] = (r.status_code, r.text)
    return pages


def test_served_pages_do_not_run_the_papers_text(hostile_db: Path) -> None:
    pages = asyncio.run(_fetch_all(hostile_db))
    failures = {}
    for url, (status, html) in pages.items():
        assert status in (200, 404), f"{url}: HTTP {status}"
        bad = injected(html)
        if bad:
            failures[url] = bad
    assert failures == {}
    # and the text is there to be read, escaped
    home = pages[f"/{hostile_db.stem}/documents/{DOC_ID}"][1]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in home
    found = sum(status == 200 for status, _ in pages.values())
    assert found >= len(pages) - 3, {u: s for u, (s, _) in pages.items() if s != 200}


def test_links_never_use_javascript_urls(hostile_db: Path) -> None:
    pages = asyncio.run(_fetch_all(hostile_db))
    failures = {url: bad for url, (_s, html) in pages.items() if (bad := injected(html, links=True))}
    assert failures == {}


# -- in a real browser ---------------------------------------------------------------------

HANDLERS_JS = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (a.name.startsWith('on') && a.value.includes('alert')) found.push(el.tagName + ' ' + a.name);
    }
  }
  let n = 0;
  for (const el of document.querySelectorAll('body *')) {
    if (n++ > 5000) break;
    el.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
    el.dispatchEvent(new MouseEvent('mouseenter'));
  }
  return found;
}"""


@pytest.mark.browser
@pytest.mark.slow
def test_no_dialog_fires_in_a_real_browser(browser: Any, hostile_db: Path, tmp_path: Path) -> None:
    db = tmp_path / hostile_db.name
    shutil.copyfile(hostile_db, db)
    with serve_archive(db) as base:
        dialogs: list[str] = []
        problems: dict[str, list[str]] = {}
        context = browser.new_context()
        context.set_default_timeout(15_000)
        # only the archive itself: nothing leaves the loopback interface
        context.route(re.compile(r"^(?!http://127\.0\.0\.1).*"), lambda route: route.abort())
        page = context.new_page()

        def on_dialog(dialog: object) -> None:
            dialogs.append(f"{page.url}: {dialog.type} {dialog.message}")  # type: ignore[attr-defined]
            dialog.dismiss()  # type: ignore[attr-defined]

        page.on("dialog", on_dialog)
        # the harness sees a dialog when there is one
        page.set_content(f"<p>{IMG}</p>")
        page.wait_for_timeout(200)
        assert len(dialogs) == 1, "the dialog listener did not fire on a known injection"
        dialogs.clear()
        for url in _urls(db):
            page.goto(base + url, wait_until="load")
            page.wait_for_timeout(150)
            found = page.evaluate(HANDLERS_JS)
            page.wait_for_timeout(50)
            if found:
                problems[url] = found
        assert dialogs == []
        assert problems == {}
