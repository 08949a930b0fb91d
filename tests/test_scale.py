"""Scaling out and incremental ingest.

The same corpus analysed in-process, by ``--workers 2`` and on a Dask
LocalCluster must give the same knowledge base; re-ingesting an unchanged
corpus writes nothing; a changed article replaces its old version and facts; an
appended JSONL feed only adds its new lines.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from sitrep.config import Settings
from sitrep.pipeline import run_ingest
from sitrep.store import Store, open_store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import generate  # noqa: E402
from conftest import pipeline_missing  # noqa: E402

_MISSING = pipeline_missing()
needs_pipeline = pytest.mark.skipif(_MISSING is not None, reason=_MISSING or "")

N_DOCS = 6
SETTINGS = Settings(batch_size=2)  # several batches, so ordering across batches is exercised


def snapshot(store: Store) -> dict[str, Any]:
    """What an ingest produced, independent of row ids and insertion order."""
    docs = sorted(store.iter_document_ids())
    return {
        "documents": docs,
        "entities": sorted(e["key"] for e in store.list_entities(limit=100_000)),
        "relations": sorted((r["fact_key"], r["polarity"], r["doc_id"], r["start"])
                            for r in store.relation_rows(limit=100_000)),
        "quantities": sorted((r["fact_key"], r["doc_id"], r["low"], r["high"]) for r in store.quantity_rows(limit=100_000)),
        "events": sorted((r["fact_key"], r["doc_id"], r["killed"]) for r in store.event_rows(limit=100_000)),
        "mentions": sorted((m["doc_id"], m["start"], m["end"], m["key"]) for m in store.mentions(limit=1_000_000)),
        "near_duplicates": sorted(d for d in docs if store.get_document(d)["near_duplicate_of"]),
    }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "feed.jsonl"
    generate.write_jsonl(path, N_DOCS, seed=11)
    return path


@pytest.fixture(scope="module")
def in_process(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    db = tmp_path_factory.mktemp("inproc") / "kb.db"
    with open_store(str(db)) as store:
        summary = run_ingest([str(corpus)], store, SETTINGS)
        assert summary.ingested == N_DOCS and not summary.skipped, summary.to_dict()
        snap = snapshot(store)
    assert snap["relations"] and snap["entities"] and snap["events"], "the corpus should yield facts"
    return snap


@needs_pipeline
def test_dask_local_cluster_equals_in_process(corpus: Path, in_process: dict[str, Any], tmp_path: Path) -> None:
    with open_store(str(tmp_path / "dask.db")) as store:
        summary = run_ingest([str(corpus)], store, SETTINGS, workers=2, scheduler="local")
        assert summary.ingested == N_DOCS, summary.to_dict()
        assert snapshot(store) == in_process
        assert store.integrity_problems() == []


@needs_pipeline
def test_workers_2_equals_in_process(corpus: Path, in_process: dict[str, Any], tmp_path: Path) -> None:
    with open_store(str(tmp_path / "pool.db")) as store:
        summary = run_ingest([str(corpus)], store, SETTINGS, workers=2)
        assert summary.ingested == N_DOCS, summary.to_dict()
        assert snapshot(store) == in_process


@needs_pipeline
def test_reingest_unchanged_corpus_writes_nothing(corpus: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from sitrep import pipeline

    db = str(tmp_path / "kb.db")
    with open_store(db) as store:
        first = run_ingest([str(corpus)], store, SETTINGS)
        before = store.stats()
        analysed: list[str] = []  # the work a re-ingest does: no document is parsed or analysed again
        real_batch, real_analyse = pipeline.analyse_batch, pipeline.analyse
        monkeypatch.setattr(pipeline, "analyse_batch",
                            lambda docs, *a, **k: analysed.extend(d.id for d in docs) or real_batch(docs, *a, **k))
        monkeypatch.setattr(pipeline, "analyse",
                            lambda doc, *a, **k: analysed.append(doc.id) or real_analyse(doc, *a, **k))
        again = run_ingest([str(corpus)], store, SETTINGS)
        assert (again.ingested, again.replaced, again.duplicates) == (0, 0, first.ingested)
        assert store.stats() == before
    assert analysed == [], f"re-ingest of {N_DOCS} unchanged documents analysed {len(analysed)} again"


def _txt(i: int, seed: int = 21) -> str:
    a = generate.generate_article(i, seed)
    return f"{a.title}\n\n{a.raw}"


@needs_pipeline
def test_changed_article_replaces_old_version_and_facts(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(3):
        (folder / f"a{i}.txt").write_text(_txt(i), encoding="utf-8")
    with open_store(str(tmp_path / "kb.db")) as store:
        assert run_ingest([str(folder)], store, SETTINGS).ingested == 3
        old = next(d for d in store.list_documents() if d["source"].endswith("a1.txt"))
        old_facts = store.relation_rows(doc_id=old["id"]) + store.event_rows(doc_id=old["id"])
        assert old_facts

        (folder / "a1.txt").write_text(_txt(7), encoding="utf-8")  # same path, a different story
        summary = run_ingest([str(folder)], store, SETTINGS)
        assert (summary.ingested, summary.replaced, summary.duplicates) == (1, 1, 2), summary.to_dict()
        assert store.get_document(old["id"]) is None
        for rows in (store.mentions(doc_id=old["id"]), store.relation_rows(doc_id=old["id"]),
                     store.quantity_rows(doc_id=old["id"]), store.event_rows(doc_id=old["id"])):
            assert rows == []
        new = [d for d in store.list_documents() if d["source"].endswith("a1.txt")]
        assert len(new) == 1 and new[0]["id"] != old["id"]
        assert store.event_rows(doc_id=new[0]["id"])
        assert store.count_documents() == 3
        assert store.integrity_problems() == []


@needs_pipeline
def test_jsonl_append_ingests_only_new_lines(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    generate.write_jsonl(feed, 3, seed=31)
    with open_store(str(tmp_path / "kb.db")) as store:
        assert run_ingest([str(feed)], store, SETTINGS).ingested == 3
        ids = set(store.iter_document_ids())
        generate.write_jsonl(feed, 2, seed=31, start=3, append=True)
        summary = run_ingest([str(feed)], store, SETTINGS)
        assert (summary.ingested, summary.duplicates, summary.replaced) == (2, 3, 0), summary.to_dict()
        new_ids = set(store.iter_document_ids()) - ids
        assert len(new_ids) == 2
        lines = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()]
        new_sources = {store.get_document(i)["source"].rsplit("#", 1)[-1] for i in new_ids}
        assert new_sources == {lines[3]["id"], lines[4]["id"]}


# -- the Dask runner on its own ------------------------------------------------------------------


class _FakeFuture:
    def __init__(self, client: _FakeClient, value: Any) -> None:
        self.client, self.value = client, value

    def result(self) -> Any:
        self.client.in_flight -= 1
        return self.value

    def release(self) -> None:
        pass


class _FakeClient:
    """Runs tasks eagerly and records how many were outstanding at once."""

    def __init__(self) -> None:
        self.in_flight = self.peak = 0
        self.cancelled: list[Any] = []

    def submit(self, fn: Any, batch: list[Any], key: str, retries: int = 0) -> _FakeFuture:
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        return _FakeFuture(self, fn(batch))

    def cancel(self, futures: list[Any]) -> None:
        self.cancelled.extend(futures)


def _label(batch: list[Any]) -> list[str]:
    return [f"result:{x}" for x in batch]


def test_map_batches_keeps_order_and_bounds_in_flight() -> None:
    from sitrep.scale.dask_runner import map_batches

    client = _FakeClient()
    batches = ([i, i + 100] for i in range(20))
    out = list(map_batches(client, batches, max_in_flight=3, func=_label))
    assert out == [[f"result:{i}", f"result:{i + 100}"] for i in range(20)]
    assert client.peak <= 3

    client = _FakeClient()
    gen = map_batches(client, ([i] for i in range(10)), max_in_flight=4, func=_label)
    assert next(gen) == ["result:0"]
    gen.close()  # the consumer stops early: what is still in flight is cancelled
    assert len(client.cancelled) == 3


def test_unreachable_scheduler_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from sitrep.scale import dask_runner

    monkeypatch.setattr(dask_runner, "CONNECT_TIMEOUT_S", 2)
    with pytest.raises(dask_runner.SchedulerError, match="could not reach the Dask scheduler at tcp://127.0.0.1:9"):
        dask_runner.connect("tcp://127.0.0.1:9", 1)
