"""What ``--workers N`` and Dask workers are handed and give back, and what a re-ingest loads.

Workers load the model once, for the run's settings; batches travel to them in pieces without what
analysis never reads, and come back without their documents; a re-ingest of an unchanged corpus
loads neither spaCy nor the cleaners and still reports what it skipped.  (That a pool or Dask run
stores the same facts as one process is ``tests/test_scale.py``.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sitrep import pipeline
from sitrep.config import Settings
from sitrep.models import Document, content_hash

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import generate  # noqa: E402
from conftest import pipeline_missing  # noqa: E402

_MISSING = pipeline_missing()
needs_pipeline = pytest.mark.skipif(_MISSING is not None, reason=_MISSING or "")
ROOT = Path(__file__).resolve().parents[1]


def _doc(n: int) -> Document:
    raw = f"Headline {n}\n\nThe story number {n} is told here in a few words."
    digest = content_hash(raw)
    return Document(id=digest[:16], source=f"{n}.txt", raw=raw, text=raw[12:], content_hash=digest,
                    offsets=[(0, 12, len(raw) - 12)], removed=["Headline"], meta={"line": n})


def test_pieces_cover_a_batch_in_order_in_about_two_per_worker() -> None:
    batch = [_doc(i) for i in range(32)]
    for workers, size in ((2, 8), (4, 4), (3, 6), (64, 1)):
        parts = pipeline._pieces(batch, workers)
        assert [d.id for p in parts for d in p] == [d.id for d in batch]
        assert max(len(p) for p in parts) == size and len(parts) <= 2 * workers
    assert pipeline._pieces(batch[:1], 2) == [batch[:1]]


def test_workers_get_documents_without_raw_text_and_results_get_them_back(monkeypatch: pytest.MonkeyPatch) -> None:
    batch = [_doc(i) for i in range(3)]
    seen: list[Document] = []

    def fake_analyse_batch(documents: list[Document], settings: Settings | None = None) -> list[pipeline.DocResult]:
        seen.extend(documents)
        out = []
        for d in documents:
            d.meta["simhash"] = len(d.text)  # analysis writes the signature into the meta
            out.append(pipeline.DocResult(document=d, warnings=[f"analysed {d.source}"]))
        return out

    monkeypatch.setattr(pipeline, "analyse_batch", fake_analyse_batch)
    sent = [pipeline._for_analysis(d) for d in batch]
    assert all(s.raw == "" and s.offsets == [] and s.removed == [] and s.text == d.text
               for s, d in zip(sent, batch, strict=True))
    back = pipeline.analyse_remote(sent, Settings())
    assert all(r.document.text == "" and r.document.raw == "" for r in back)  # the documents do not travel back
    results = pipeline._reattach(back, batch)
    for r, d in zip(results, batch, strict=True):
        assert r.document is d and d.raw.startswith("Headline") and d.offsets and d.removed
        assert d.meta == {"line": d.meta["line"], "simhash": len(d.text)} and r.warnings == [f"analysed {d.source}"]
    with pytest.raises(RuntimeError, match="in place of"):
        pipeline._reattach(pipeline.analyse_remote([pipeline._for_analysis(batch[0])], Settings()), [batch[1]])


def test_a_pool_yields_whole_batches_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """The batches cut into pieces for the workers are whole again, in order, when they are written."""

    class InlinePool:
        def imap(self, func, iterable, chunksize: int = 1):  # type: ignore[no-untyped-def]
            return (func(x) for x in iterable)

    monkeypatch.setattr(pipeline, "analyse_batch",
                        lambda docs, settings=None: [pipeline.DocResult(document=d) for d in docs])
    executor = pipeline.Executor(workers=2)
    executor._pool = InlinePool()
    batches = [[_doc(i) for i in range(k, k + n)] for k, n in ((0, 32), (32, 5), (37, 1), (38, 12))]
    out = list(executor.map(iter(batches)))
    assert [[r.document for r in rs] for rs in out] == batches


@needs_pipeline
def test_warming_loads_the_model_a_batch_uses() -> None:
    """A worker warmed for the run's settings does not load the model again in its first batch."""
    from sitrep.data import load_gazetteer
    from sitrep.nlp import get_nlp

    settings = Settings()
    pipeline.warm(settings)
    nlp_misses, gaz_misses = get_nlp.cache_info().misses, load_gazetteer.cache_info().misses
    pipeline.analyse_batch([_doc(1)], settings)
    assert (get_nlp.cache_info().misses, load_gazetteer.cache_info().misses) == (nlp_misses, gaz_misses)


_REINGEST = """
import json, sys
sys.argv = ["sitrep", "ingest", *sys.argv[1:], "--json", "--quiet"]
from sitrep.cli import main
try:
    main()
except SystemExit:
    pass
heavy = ("spacy", "thinc", "sitrep.nlp", "sitrep.extract.registry", "sitrep.ingest.clean", "sitrep.ingest.html",
         "sitrep.ingest.metadata", "sitrep.ingest.feeds", "sitrep.query", "charset_normalizer")
print(json.dumps(sorted(m for m in heavy if m in sys.modules)), file=sys.stderr)
"""


@needs_pipeline
def test_reingest_of_an_unchanged_corpus_loads_no_model_and_reports_what_it_skipped(tmp_path: Path) -> None:
    from sitrep.pipeline import run_ingest
    from sitrep.store import open_store

    folder = tmp_path / "articles"
    generate.write_txt_folder(folder, 3, seed=5)
    (folder / "empty.txt").write_text("", encoding="utf-8")
    feed = tmp_path / "feed.jsonl"
    generate.write_jsonl(feed, 2, seed=6)  # records with a title, a date and a publisher of their own
    db = str(tmp_path / "kb.db")
    with open_store(db) as store:
        first = run_ingest([str(folder), str(feed)], store, Settings())
    assert first.ingested == 5 and len(first.skipped) == 1

    proc = subprocess.run([sys.executable, "-c", _REINGEST, str(folder), str(feed), "--db", db],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    summary = json.loads(proc.stdout)
    assert (summary["ingested"], summary["duplicates"], summary["updated"]) == (0, 5, 0), summary
    assert [s["reason"] for s in summary["skipped"]] == [s.reason for s in first.skipped]  # still reported
    assert json.loads(proc.stderr.strip().splitlines()[-1]) == []  # nothing heavy was imported
