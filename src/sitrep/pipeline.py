"""The pipeline: inputs -> documents -> batches through spaCy and the extractors -> the store.

Documents stream through in batches of ``Settings.batch_size``; nothing holds the
whole corpus.  Analysis runs in-process, in ``--workers N`` processes, or on a
Dask cluster (``--scheduler``); results always come back to this one process,
which is the only writer, one transaction per batch.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sitrep.config import Settings
from sitrep.extract.context import ExtractionContext
from sitrep.models import DocResult, Document

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from sitrep.store.base import Store

log = logging.getLogger(__name__)


# -- analysis of one document ------------------------------------------------------

def _stages() -> list[tuple[str, Callable[[ExtractionContext], Any]]]:
    from sitrep.extract.attribution import attribute
    from sitrep.extract.entities import extract_entities
    from sitrep.extract.events import extract_events
    from sitrep.extract.quantities import extract_quantities
    from sitrep.extract.relations import extract_relations

    return [
        ("entities", extract_entities),
        ("attribution", attribute),
        ("relations", extract_relations),
        ("quantities", extract_quantities),
        ("events", extract_events),
    ]


def analyse(document: Document, sdoc: Doc) -> DocResult:
    """Run every extractor over one parsed document.

    An extractor that fails on a document costs that extractor's output for that
    document (recorded as a warning), never the document itself.
    """
    from sitrep.data import load_gazetteer
    from sitrep.resolve.dedup import simhash

    ctx = ExtractionContext(document=document, sdoc=sdoc, gazetteer=load_gazetteer())
    result = DocResult(document=document)
    outputs: dict[str, Any] = {}
    for name, stage in _stages():
        try:
            outputs[name] = stage(ctx)
        except Exception as exc:  # noqa: BLE001 - isolate extractor bugs per document
            log.warning("%s: %s extractor failed: %s", document.source, name, exc)
            result.warnings.append(f"{name} extractor failed: {type(exc).__name__}: {exc}")
            if name == "entities":
                ctx.mentions, ctx.entities = [], {}
    result.mentions = ctx.mentions
    result.entities = list(ctx.entities.values())
    result.relations = list(outputs.get("relations") or [])
    result.quantities = list(outputs.get("quantities") or [])
    result.events = list(outputs.get("events") or [])
    _add_referenced_entities(result, ctx)
    try:
        document.meta["simhash"] = simhash(document.text)
    except Exception as exc:  # noqa: BLE001
        result.warnings.append(f"near-duplicate signature failed: {exc}")
    return result


def _add_referenced_entities(result: DocResult, ctx: ExtractionContext) -> None:
    """Facts may name entities that have no mention (e.g. a gazetteer parent); keep them resolvable."""
    known = {e.key for e in result.entities}
    keys: set[str] = set()
    for r in result.relations:
        keys.update((r.subject_key, r.object_key, r.claim.source_key or ""))
    for q in result.quantities:
        keys.update((q.subject_key, q.claim.source_key or ""))
    for ev in result.events:
        keys.update((ev.location_key or "", ev.perpetrator_key or "", ev.target_key or "", ev.claim.source_key or ""))
    for key in keys - known - {""}:
        entity = ctx.entities.get(key)
        if entity is not None:
            result.entities.append(entity)


_RUNS = re.compile(r"([^\w\s])\1{19,}")


def parse_text(text: str, max_chars: int) -> str:
    """The text handed to spaCy: long runs of one symbol (">>>>…", "=====…") blanked out with spaces of
    the same length, so offsets still match the document, and at most ``max_chars`` characters, so that
    a huge document cannot exhaust memory in the parser."""
    return _RUNS.sub(lambda m: " " * len(m.group(0)), text[:max_chars])


def analyse_batch(documents: list[Document]) -> list[DocResult]:
    """Parse a batch with ``nlp.pipe`` and analyse each document. Runs in any process."""
    from sitrep.nlp import get_nlp

    nlp = get_nlp()
    limit = Settings().max_analysis_chars
    results: list[DocResult] = []
    texts = (parse_text(d.text, limit) for d in documents)
    for document, sdoc in zip(documents, nlp.pipe(texts), strict=True):
        result = analyse(document, sdoc)
        if len(document.text) > limit:
            result.warnings.append(f"only the first {limit:,} of {len(document.text):,} characters were analysed "
                                   "(SITREP_MAX_ANALYSIS_CHARS)")
        results.append(result)
    return results


# -- ingest run ----------------------------------------------------------------------------

@dataclass
class Skipped:
    source: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.reason}" if self.line is not None else f"{self.source}: {self.reason}"


@dataclass
class IngestSummary:
    ingested: int = 0
    replaced: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    words: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "ingested": self.ingested,
            "replaced": self.replaced,
            "duplicates": self.duplicates,
            "near_duplicates": self.near_duplicates,
            "skipped": [{"source": s.source, "line": s.line, "reason": s.reason} for s in self.skipped],
            "warnings": self.warnings,
            "words": self.words,
        }


@dataclass
class _Pending:
    document: Document
    replace: str | None


def iter_documents(paths: list[str], settings: Settings, summary: IngestSummary,
                   on_skip: Callable[[Skipped], None] | None = None,
                   is_known: Callable[[str], bool] | None = None,
                   on_known: Callable[[str], None] | None = None) -> Iterator[Document]:
    """Read and clean inputs, recording every unusable one in ``summary.skipped``.

    ``is_known(content_hash)`` lets the caller skip inputs it already has before they are cleaned
    (``on_known(source)`` is told about each), so re-ingesting an unchanged corpus costs only reading
    and hashing."""
    from sitrep.ingest.document import make_document, raw_hash
    from sitrep.ingest.readers import InputError, iter_inputs

    def skip(item: Skipped) -> None:
        summary.skipped.append(item)
        if on_skip:
            on_skip(item)

    for item in iter_inputs(paths, settings):
        if isinstance(item, InputError):
            skip(Skipped(item.source, item.reason, item.line))
            continue
        # a JSONL record is reported by its file and line, like the reader's own errors
        where, line = str(item.meta.get("file", item.source)), item.meta.get("line")
        try:
            if is_known is not None and is_known(raw_hash(item)):
                if on_known:
                    on_known(item.source)
                continue
            yield make_document(item, settings)
        except ValueError as exc:
            skip(Skipped(where, str(exc), line))
        except Exception as exc:  # noqa: BLE001 - one bad file never stops the run
            skip(Skipped(where, f"could not be processed ({type(exc).__name__}: {exc})", line))


def _batches(docs: Iterable[_Pending], size: int) -> Iterator[list[_Pending]]:
    batch: list[_Pending] = []
    for d in docs:
        batch.append(d)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class Executor:
    """Runs ``analyse_batch`` somewhere and yields results in submission order, with bounded in-flight work."""

    def __init__(self, workers: int = 1, scheduler: str | None = None) -> None:
        self.workers = max(1, workers)
        self.scheduler = scheduler
        self._pool: Any = None
        self._client: Any = None
        self._cluster: Any = None

    def __enter__(self) -> Executor:
        if self.scheduler:
            from sitrep.scale.dask_runner import connect

            self._client, self._cluster = connect(self.scheduler, self.workers)
        elif self.workers > 1:
            import multiprocessing as mp

            ctx = mp.get_context("spawn")
            self._pool = ctx.Pool(self.workers, initializer=_warm_worker)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()

    def map(self, batches: Iterable[list[Document]]) -> Iterator[list[DocResult]]:
        if self._client is not None:
            from sitrep.scale.dask_runner import map_batches

            yield from map_batches(self._client, batches, max_in_flight=self.workers * 2 + 2)
        elif self._pool is not None:
            yield from self._pool.imap(analyse_batch, batches, chunksize=1)
        else:
            for batch in batches:
                yield analyse_batch(batch)


def _warm_worker() -> None:
    from sitrep.data import load_gazetteer
    from sitrep.nlp import get_nlp

    get_nlp()
    load_gazetteer()


def run_ingest(
    paths: list[str],
    store: Store,
    settings: Settings | None = None,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    on_progress: Callable[[int, str], None] | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
) -> IngestSummary:
    """Ingest ``paths`` into ``store``; returns a summary (never raises for bad input)."""
    settings = settings or Settings()
    summary = IngestSummary()
    seen_hashes: set[str] = set()  # exact duplicates inside one batch window

    def known(digest: str) -> bool:
        return digest in seen_hashes or store.has_content(digest)

    def count_duplicate(source: str) -> None:
        summary.duplicates += 1
        if on_progress:
            on_progress(1, source)

    def fresh() -> Iterator[_Pending]:
        for doc in iter_documents(paths, settings, summary, on_skip, is_known=known, on_known=count_duplicate):
            state, old = store.document_state(doc.source, doc.content_hash)
            if state == "duplicate":  # stored by a concurrent ingest since the hash check
                count_duplicate(doc.source)
                continue
            seen_hashes.add(doc.content_hash)
            if len(seen_hashes) > 100_000:
                seen_hashes.clear()
            yield _Pending(doc, old if state == "changed" else None)

    pending_batches: list[list[_Pending]] = []

    def doc_batches() -> Iterator[list[Document]]:
        for batch in _batches(fresh(), settings.batch_size):
            pending_batches.append(batch)
            yield [p.document for p in batch]

    with Executor(workers, scheduler) as executor:
        for results in executor.map(doc_batches()):
            batch = pending_batches.pop(0)
            replace = [p.replace for p in batch if p.replace]
            written = set(store.write_batch(results, replace=replace))
            summary.replaced += len(replace)
            for p, r in zip(batch, results, strict=True):
                if p.document.id in written:
                    summary.ingested += 1
                    summary.words += len(p.document.text.split())
                    if r.document.near_duplicate_of:
                        summary.near_duplicates += 1
                else:
                    summary.duplicates += 1
                summary.warnings.extend(f"{p.document.source}: {w}" for w in r.warnings)
                if on_progress:
                    on_progress(1, p.document.source)
    return summary
