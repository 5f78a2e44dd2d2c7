"""Build-time totals (``measure_summary``) and the search page that reads them.

The served pages read these small tables by key instead of counting over ``observations`` on
each visit; they must hold exactly what the counting queries give.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from datasette_plugins import search
from extractor.store.summary import write_measure_summary
from tests.serving import DatasetteClient


def _rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute(sql).fetchall()


def test_measure_summary_holds_what_counting_gives(corpus_db: Path) -> None:
    counted = _rows(corpus_db, search.MEASURES_SQL.format(where="1").replace("limit :limit", ""))
    stored = _rows(corpus_db, search.MEASURES_SUMMARY_SQL.format(where="1").replace("limit :limit", ""))
    assert counted == stored
    assert any(r[4] > 0 for r in stored)
    flagged = _rows(
        corpus_db,
        "select o.measure_id, count(*) from observations o where o.measure_id is not null and exists "
        "(select 1 from check_observations co join checks c on c.id = co.check_id "
        "where co.observation_id = o.id and c.outcome = 'disagreement') group by 1",
    )
    assert dict(flagged) == dict(_rows(corpus_db, "select measure_id, flagged from measure_summary where flagged > 0"))
    assert flagged


def test_refresh_summaries_follows_a_change(corpus_db: Path, tmp_path: Path) -> None:
    db_path = tmp_path / "changed.db"
    shutil.copy(corpus_db, db_path)
    db = sqlite_utils.Database(db_path)
    measure = db.execute("select measure_id from measure_summary order by figures desc limit 1").fetchone()[0]
    before = db.execute("select figures from measure_summary where measure_id = ?", [measure]).fetchone()[0]
    db.execute(
        "delete from observations where rowid = (select min(rowid) from observations where measure_id = ?)", [measure]
    )
    write_measure_summary(db)
    after = db.execute("select figures from measure_summary where measure_id = ?", [measure]).fetchone()[0]
    assert after == before - 1
    db.close()


@pytest.fixture(scope="module")
def client_without_summary(corpus_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatasetteClient]:
    """An archive built before the summary tables existed."""
    from datasette.app import Datasette

    from extractor.serve import datasette_kwargs

    db_path = tmp_path_factory.mktemp("old") / "old-archive.db"
    shutil.copy(corpus_db, db_path)
    with sqlite3.connect(db_path) as conn:
        conn.execute("drop table measure_summary")
    client = DatasetteClient(Datasette(immutables=[str(db_path)], **datasette_kwargs()), "old-archive")
    yield client
    client.close()


def test_search_counts_measures_the_same_with_or_without_the_summary(
    archive_client: DatasetteClient, client_without_summary: DatasetteClient
) -> None:
    new = archive_client.get("/-/archive-search?q=burglary").text
    old = client_without_summary.get("/-/archive-search?q=burglary").text
    section = 'id="bp-h-measures"'
    assert "Residential burglary" in new
    new_list = new.split(section, 1)[1].split("</section>", 1)[0]
    old_list = old.split(section, 1)[1].split("</section>", 1)[0]
    assert new_list.replace("/wm-archive/", "/old-archive/") == old_list


@pytest.fixture(scope="module")
def small_window_client(corpus_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatasetteClient]:
    """The search page ranking only the 3 most recently added matches of each word."""
    from datasette.app import Datasette

    from extractor.serve import datasette_kwargs

    kwargs = datasette_kwargs()
    plugins = kwargs["metadata"].setdefault("plugins", {})
    plugins["boardpapers"] = {**(plugins.get("boardpapers") or {}), "rank_window": 3, "response_cache": {"max_mb": 0}}
    db_path = tmp_path_factory.mktemp("window") / "window.db"
    shutil.copy(corpus_db, db_path)
    client = DatasetteClient(Datasette(immutables=[str(db_path)], **kwargs), "window")
    yield client
    client.close()


def test_a_common_word_is_ranked_within_the_window_and_the_page_says_so(
    small_window_client: DatasetteClient, corpus_db: Path
) -> None:
    page = small_window_client.get("/-/archive-search?q=burglary").text
    assert "most recently added" in page and "figures and passages" in page
    newest = _rows(
        corpus_db,
        "select p.id from passages_fts f join passages p on p.rowid = f.rowid "
        "where passages_fts match 'burglary' order by f.rowid desc limit 3",
    )
    passages = page.split('id="bp-h-passages"', 1)[1]
    assert passages.count("<li>") == 3
    assert all(f"/passages/{pid}" in passages for (pid,) in newest)
    assert "All matching passages" in passages


def test_a_rare_word_is_ranked_among_all_its_matches(small_window_client: DatasetteClient, corpus_db: Path) -> None:
    counts = [
        _rows(corpus_db, f"select count(*) from {t} where {t} match 'shoplifting'")[0][0]
        for t in ("observations_fts", "passages_fts")
    ]
    assert 0 < max(counts) <= 3  # within the window of 3: nothing left unranked
    page = small_window_client.get("/-/archive-search?q=shoplifting").text
    assert "most recently added" not in page
    assert page.split('id="bp-h-passages"', 1)[1].count("<li>") == counts[1]


def test_row_url_matches_datasettes_and_encodes_awkward_ids(archive_client: DatasetteClient) -> None:
    from datasette.utils import tilde_encode

    ds = archive_client.ds
    url = search.row_url(ds, "wm-archive", "passages")
    for row_id in ("abc123", "a-b_c", "a.b", "x y/z", "a~b"):
        assert url(row_id) == ds.urls.row("wm-archive", "passages", tilde_encode(row_id))


def test_metadata_describes_the_summary_tables() -> None:
    import yaml

    from extractor.store import summary

    meta = yaml.safe_load((Path(__file__).resolve().parents[1] / "metadata.yml").read_text(encoding="utf-8"))
    tables = meta["databases"]["*"]["tables"]
    for table, columns in {summary.TABLE: summary.COLUMNS, summary.ORDER_TABLE: summary.ORDER_COLUMNS}.items():
        assert tables[table]["description"]
        assert set(columns) <= set(tables[table]["columns"])
