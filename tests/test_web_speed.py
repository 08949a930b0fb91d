"""The actor graph's fast read path gives what the full one gives (SQLite and PostgreSQL).

``query.graph.edge_facts`` reads a few columns of each relation claim (``Store.relation_edge_rows``,
from covering indexes) and filters dates in SQL; these tests hold it to ``filtered_facts``, which
groups and grades the full claim rows and tests every date in Python, on synthetic bulk results
(``bench/generate.py``) whose articles carry every shape of date: full, partial, none, malformed.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import generate  # noqa: E402
from conftest import fresh_pg_schema  # noqa: E402
from sitrep.query.filters import ViewFilter, keep_dated  # noqa: E402
from sitrep.query.graph import actor_graph, claim_count, edge_facts, filtered_facts, is_undated  # noqa: E402
from sitrep.store import Store, open_store  # noqa: E402

ODD_DATES = [None, "", "2021", "2021-06", "2021-6-5", "20x1-01-01", "abc", "2021-06-30T23:00:00", "2022-02-29x",
             "٢٠٢١-01-01", "202"]
FILTERS = [ViewFilter(), ViewFilter(date_from="2021-06"), ViewFilter(date_to="2021"),
           ViewFilter(date_from="2021-06-15", date_to="2022-12-31", undated=False), ViewFilter(undated=False),
           ViewFilter(credibility=3), ViewFilter(grade="C"), ViewFilter(relation="operates_in"),
           ViewFilter(date_from="2021", date_to="2021")]


def _results(n: int = 120) -> list:
    out = []
    for i in range(n):
        r = generate.doc_result(generate.generate_article(i, 11))
        if i % 3 == 0:  # every shape of stored date, beside the generator's full dates
            r.document.published = ODD_DATES[(i // 3) % len(ODD_DATES)]
        out.append(r)
    return out


@pytest.fixture(scope="module")
def results() -> list:
    return _results()


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def kb(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, results: list) -> Iterator[Store]:
    if request.param == "sqlite":
        url = str(tmp_path_factory.mktemp("speed") / "kb.db")
        with open_store(url) as store:
            store.write_batch(results)
        with open_store(url, readonly=True) as store:
            yield store
        return
    with fresh_pg_schema() as url:
        with open_store(url) as store:
            store.write_batch(results)
        with open_store(url, readonly=True) as store:
            yield store


def _summary(facts: list[dict]) -> list[tuple]:
    return [(f["fact_key"], f["subject_id"], f["type"], f["object_id"], f["asserted"], f["denied"], f["contested"],
             f["credibility"], claim_count(f), is_undated(f)) for f in facts]


def test_dates_in_sql_never_drop_a_row_python_keeps(kb: Store) -> None:
    everything = kb.relation_rows(limit=100_000)
    assert {r["doc_published"] for r in everything} >= {"2021", "2021-06", None}
    for flt in FILTERS:
        want = sorted(r["id"] for r in everything if keep_dated(r.get("doc_published"), flt)
                      and (not flt.relation or r["type"] == flt.relation))
        rows = kb.relation_rows(limit=100_000, type=flt.relation, date_from=flt.date_from, date_to=flt.date_to)
        assert sorted(r["id"] for r in rows if keep_dated(r.get("doc_published"), flt)) == want, flt
        if flt.dated:  # the range is applied in SQL: rows dated outside it are not read at all
            assert len(rows) < len(everything)


def test_edge_facts_equal_the_full_path(kb: Store) -> None:
    actors = [a["id"] for a in kb.list_entities(places=False, limit=8)]
    assert actors
    compared = 0
    for flt in FILTERS:
        for actor in [None, *actors]:
            full = filtered_facts(kb, flt, actor)["facts"]
            assert _summary(edge_facts(kb, flt, actor)) == _summary(full), (flt, actor)
            compared += len(full)
    assert compared > 50


def test_one_statement_credited_to_two_identities_counts_once_in_the_graph(seeds_db: Path) -> None:
    """On the seeds (a spokesman's statement credited to him and to his group), the graph counts the
    sources of each fact as the pages do."""
    with open_store(str(seeds_db), readonly=True) as kb:
        compared = 0
        for actor in [None, *(a["id"] for a in kb.list_entities(limit=200))]:
            full = filtered_facts(kb, ViewFilter(), actor)["facts"]
            assert _summary(edge_facts(kb, ViewFilter(), actor)) == _summary(full), actor
            compared += len(full)
        assert compared > 20


def test_graph_nodes_and_edges_unchanged_by_the_fast_path(kb: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import sitrep.query.graph as graph

    actor = kb.list_entities(places=False, limit=1)[0]["id"]
    cases = [(None, ViewFilter(), False), (actor, ViewFilter(), True), (None, ViewFilter(date_from="2021-06"), True)]
    fast = [actor_graph(kb, actor_id=a, flt=f, include_places=p) for a, f, p in cases]
    monkeypatch.setattr(graph, "edge_facts", lambda store, flt, actor_id=None: filtered_facts(store, flt, actor_id)["facts"])
    slow = [actor_graph(kb, actor_id=a, flt=f, include_places=p) for a, f, p in cases]
    assert fast == slow
    assert all(g["edges"] for g in fast)


def test_an_older_store_gains_the_graph_indexes_and_a_read_only_one_works_without(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, results: list) -> None:
    import sitrep.store.sql as sql
    from sitrep.store.base import SCHEMA_VERSION

    path = tmp_path / "old.db"
    monkeypatch.setattr(sql, "SCHEMA_VERSION", 4)  # a store made before the indexes existed
    with open_store(str(path)) as store:
        store.write_batch(results[:30])
    monkeypatch.undo()

    def indexes() -> set[str]:
        con = sqlite3.connect(path)
        try:
            return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        finally:
            con.close()

    assert "documents_facts" not in indexes()
    with open_store(str(path), readonly=True) as old:  # the web page opens it read-only: no index, same answer
        before = actor_graph(old)
        assert before["edges"]
    with open_store(str(path)) as store:
        assert store.schema_version() == SCHEMA_VERSION
    assert {"documents_facts", "relations_graph_s", "relations_graph_o"} <= indexes()
    with open_store(str(path), readonly=True) as new:
        assert actor_graph(new) == before
