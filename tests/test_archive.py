"""The default corpus built end to end into SQLite: the interface's tables and columns."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import CORPUS

INTERFACE = {
    "documents": ["id", "title", "date", "path", "sha256", "url", "publisher", "pages"],
    "passages": ["id", "document_id", "page", "paragraph", "section", "text"],
    "measures": ["id", "name"],
    "observations": [
        "id",
        "document_id",
        "passage_id",
        "page",
        "paragraph",
        "measure_id",
        "measure",
        "value",
        "unit",
        "kind",
        "period_start",
        "period_end",
        "period_text",
        "figure",
        "quote",
    ],
    "checks": ["id", "type", "measure_id", "severity", "message", "observation_ids"],
    "ingest_errors": ["document_id", "path", "error"],
}


@pytest.fixture(scope="module")
def con(corpus_db: Path):
    c = sqlite3.connect(corpus_db)
    c.row_factory = sqlite3.Row
    yield c
    c.close()


@pytest.mark.parametrize("table", sorted(INTERFACE))
def test_interface_tables_have_their_columns(con: sqlite3.Connection, table: str):
    columns = {r["name"] for r in con.execute(f"pragma table_info([{table}])")}
    assert set(INTERFACE[table]) <= columns


def test_every_paper_is_built_with_its_manifest_metadata(con: sqlite3.Connection):
    docs = {r["id"]: dict(r) for r in con.execute("select * from documents")}
    assert len(docs) == 5
    assert docs["spcb-2014-05-13-milestones"]["date"] == "2014-05-13"
    assert all(len(d["sha256"]) == 64 and d["observations"] > 0 for d in docs.values())
    # each paper remembers the manifest that brought it, by resolved path (several manifests, one archive)
    assert {d["manifest"] for d in docs.values()} == {str((CORPUS / "manifest.yml").resolve())}
    assert con.execute("select count(*) from ingest_errors").fetchone()[0] == 0


def test_a_search_for_burglary_finds_the_passages_about_burglary(con: sqlite3.Connection):
    rows = con.execute(
        "select p.document_id, p.text from passages_fts f join passages p on p.rowid = f.rowid "
        "where passages_fts match 'burglary'"
    ).fetchall()
    assert {r["document_id"] for r in rows} >= {"spcb-2014-05-13-milestones", "spcb-2024-02-wmp-national-measures"}
    assert all("burglar" in r["text"].lower() for r in rows)


def test_porter_stemming_finds_other_forms(con: sqlite3.Connection):
    n = con.execute("select count(*) from passages_fts where passages_fts match 'homicides'").fetchone()[0]
    assert n == con.execute("select count(*) from passages_fts where passages_fts match 'homicide'").fetchone()[0] > 0


def test_the_full_text_index_stays_current(corpus_db: Path, tmp_path: Path):
    import shutil

    copy = tmp_path / "a.db"
    shutil.copy(corpus_db, copy)
    c = sqlite3.connect(copy)
    c.execute("update passages set text = 'zebracrossing' where rowid = 1")
    c.commit()
    assert c.execute("select count(*) from passages_fts where passages_fts match 'zebracrossing'").fetchone()[0] == 1
    c.close()


def test_the_ui_queries_use_indexes(con: sqlite3.Connection):
    plan = " ".join(
        r[3]
        for r in con.execute(
            "explain query plan select * from observations where measure_id = 'homicide' order by period_end"
        )
    )
    assert "USING INDEX" in plan
    plan = " ".join(r[3] for r in con.execute("explain query plan select * from observations where document_id = 'x'"))
    assert "USING INDEX" in plan


def test_observations_follow_the_conventions(con: sqlite3.Connection):
    units = {r[0] for r in con.execute("select distinct unit from observations")}
    assert units <= {"count", "percent", "seconds", "days", "GBP", "per_million", "per_1000", "rank", "ratio", "other"}
    kinds = {r[0] for r in con.execute("select distinct kind from observations")}
    assert kinds <= {"value", "change", "target"}
    for r in con.execute("select o.quote, o.figure, p.text from observations o join passages p on p.id = o.passage_id"):
        assert r["figure"] in r["quote"]
        assert r["quote"] in r["text"] or r["text"] in r["quote"]


def test_text_sources_have_no_pages(con: sqlite3.Connection):
    assert con.execute("select count(*) from observations where page is not null").fetchone()[0] == 0


def test_some_figures_are_linked_to_the_catalogue(con: sqlite3.Connection):
    linked = con.execute("select count(*) from observations where measure_id is not null").fetchone()[0]
    total = con.execute("select count(*) from observations").fetchone()[0]
    assert linked > total / 2
    burglary = con.execute(
        "select distinct document_id from observations where measure_id = 'residential_burglary'"
    ).fetchall()
    assert len(burglary) >= 2
