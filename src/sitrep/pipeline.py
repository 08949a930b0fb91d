"""The pipeline: inputs -> documents -> batches through spaCy and the extractors -> the store.

Documents stream through in batches of at most ``Settings.batch_size`` documents and
``Settings.max_batch_chars`` characters; nothing holds the whole corpus.  Analysis runs
in-process, in ``--workers N`` processes, or on a Dask cluster (``--scheduler``); the
run's one :class:`~sitrep.config.Settings` travels with every batch to wherever it is
analysed, and results always come back to this one process, which is the only writer,
one transaction per batch.

Identity: an input is known by its content hash, and by its source (path, ``file#id``
for a JSONL record, ``-#ID`` for stdin with ``--id``).  New content under a known source
replaces the old version in the same transaction, unless that old content is still
present elsewhere in this run's inputs: then the old document is kept and moved to the
source where it was found (a rotated file).  Stdin without ``--id`` is identified by
content only.
"""

from __future__ import annotations

import itertools
import logging
import re
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING, Any

from sitrep.config import Settings, setting_name
from sitrep.extract.context import ExtractionContext
from sitrep.models import DocResult, Document
from sitrep.scale.dask_runner import SchedulerError
from sitrep.store.base import StoreError

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from sitrep.store.base import Store

log = logging.getLogger(__name__)


# -- analysis of one document ------------------------------------------------------

def _stages() -> list[tuple[str, Callable[[ExtractionContext], Any]]]:
    """(name, run) of every registered extractor, ordered by what each requires and provides
    (sitrep.extract.registry); running one stamps its facts with its name and version."""
    from sitrep.extract.registry import ordered

    return [(ex.name, ex.run) for ex in ordered()]


def _provided_as(name: str) -> str:
    """The fact list an extractor's output goes to ("relations" for the derive extractor too)."""
    from sitrep.extract.registry import registered

    ex = registered().get(name)
    return (ex.output if ex is not None else None) or name


def _gazetteer_for(settings: Settings) -> Any:
    """The gazetteer analysis with ``settings`` reads (cached per process)."""
    from sitrep.data import load_gazetteer

    return load_gazetteer(settings.gazetteer or None, not settings.builtin_actors)


def _nlp_for(settings: Settings) -> Any:
    """The spaCy pipeline analysis with ``settings`` runs, its ruler built from that gazetteer (cached per
    process: the same cache key as every other caller with these settings, so it is loaded once)."""
    from sitrep.nlp import get_nlp

    return get_nlp(settings.gazetteer, not settings.builtin_actors)


def warm(settings: Settings) -> str:
    """Load in this process everything :func:`analyse_batch` with ``settings`` reads: the spaCy pipeline
    with the run's gazetteer in its ruler, that gazetteer and the extractors (each cached per process),
    so a pool or Dask worker pays it once, at start, and not again in its first batch.  Returns the
    model's name."""
    nlp = _nlp_for(settings)
    _gazetteer_for(settings)
    _stages()
    return str(nlp.meta.get("name", "?"))


class DocumentTimeout(BaseException):
    """The document's extraction time budget ran out (a BaseException, so that no extractor's
    ``except Exception`` swallows it)."""


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    """Raise :class:`DocumentTimeout` in this thread after ``seconds`` (POSIX, main thread only; elsewhere,
    e.g. in a Dask worker thread, the budget is checked between extractors instead)."""
    usable = (seconds > 0 and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def on_alarm(signum: int, frame: object) -> None:
        raise DocumentTimeout

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def analyse(document: Document, sdoc: Doc, settings: Settings | None = None,
            started: float | None = None) -> DocResult:
    """Run every extractor over one parsed document.

    An extractor that fails on a document costs that extractor's output for that
    document (recorded as a warning), never the document itself.  Past the
    document's time budget (``Settings.document_time_budget_s``) the remaining
    extraction stops: the document keeps what was extracted until then, with a warning.
    ``started`` (a ``time.monotonic()`` value) is when the budget began, when the parse already spent
    some of it (a long text parsed in chunks); default: now.
    """
    from sitrep.resolve.dedup import simhash

    settings = settings or Settings()
    gazetteer = _gazetteer_for(settings)
    ctx = ExtractionContext(document=document, sdoc=sdoc, gazetteer=gazetteer, settings=settings)
    result = DocResult(document=document, warnings=[str(w) for w in document.meta.get("ingest_warnings") or []])
    outputs: dict[str, Any] = {}
    budget = settings.document_time_budget_s
    deadline = (started if started is not None else time.monotonic()) + budget if budget > 0 else float("inf")
    current = ""
    try:
        with _alarm(max(0.001, deadline - time.monotonic()) if budget > 0 else 0):
            for name, stage in _stages():
                current = name
                if time.monotonic() > deadline:
                    raise DocumentTimeout
                try:
                    outputs[name] = stage(ctx)
                    if isinstance(outputs[name], list):  # fact lists, by what they are, for later extractors
                        ctx.facts.setdefault(_provided_as(name), []).extend(outputs[name])
                except Exception as exc:  # noqa: BLE001 - isolate extractor bugs per document
                    log.warning("%s: %s extractor failed: %s", document.source, name, exc)
                    result.warnings.append(f"{name} extractor failed: {type(exc).__name__}: {exc}")
                    if name == "entities":
                        ctx.mentions, ctx.entities = [], {}
            current = ""
    except DocumentTimeout:
        if current:
            result.warnings.append(
                f"extraction stopped in the {current} extractor: over the time budget of {budget:g} s per "
                f"document ({setting_name('document_time_budget_s')}); what was extracted before is kept")
    result.mentions = ctx.mentions
    result.entities = list(ctx.entities.values())
    result.relations = list(ctx.facts.get("relations") or [])
    result.quantities = list(ctx.facts.get("quantities") or [])
    result.events = list(ctx.facts.get("events") or [])
    _add_referenced_entities(result, ctx)
    result.warnings.extend(result.check_schema())  # facts outside src/sitrep/data/schema.yaml are not kept
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


def analyse_batch(documents: list[Document], settings: Settings | None = None) -> list[DocResult]:
    """Parse a batch (:func:`sitrep.nlp.fastpath.parse`: the parser only on sentences that can hold a fact,
    a long text in chunks within its time budget) and analyse each document with ``settings``.
    Runs in any process."""
    from sitrep.nlp.fastpath import parse

    settings = settings or Settings()
    nlp = _nlp_for(settings)
    limit = settings.max_analysis_chars
    budget = settings.document_time_budget_s
    results: list[DocResult] = []
    texts = [parse_text(d.text, limit) for d in documents]
    for document, text, parsed in zip(documents, texts, parse(nlp, texts, budget_s=budget, blas=bool(settings.blas_matmul)), strict=True):
        result = analyse(document, parsed.doc, settings, started=parsed.started)
        if parsed.chars < len(text):
            result.warnings.append(
                f"analysis stopped after {parsed.chars:,} of {len(text):,} characters: over the time budget of "
                f"{budget:g} s per document ({setting_name('document_time_budget_s')})")
        if len(document.text) > limit:
            result.warnings.append(f"only the first {limit:,} of {len(document.text):,} characters were analysed "
                                   f"({setting_name('max_analysis_chars')})")
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
    moved: int = 0  # old versions kept because their content is still present at another source
    updated: int = 0  # known content whose metadata the input updated
    duplicates: int = 0
    near_duplicates: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    words: int = 0
    error: str | None = None  # the run stopped: why, and what was not stored
    error_kind: str | None = None  # "store" (the database failed) or "run" (analysis failed)
    run_id: int | None = None  # the recorded run (``sitrep runs``), when the store records runs

    def to_dict(self) -> dict[str, Any]:
        return {
            "ingested": self.ingested,
            "replaced": self.replaced,
            "moved": self.moved,
            "updated": self.updated,
            "duplicates": self.duplicates,
            "near_duplicates": self.near_duplicates,
            "skipped": [{"source": s.source, "line": s.line, "reason": s.reason} for s in self.skipped],
            "warnings": self.warnings,
            "words": self.words,
            "error": self.error,
            "run_id": self.run_id,
        }


@dataclass
class _Pending:
    document: Document
    replace: list[str] = field(default_factory=list)  # ids of older versions of the same source


def iter_documents(paths: list[str], settings: Settings, summary: IngestSummary,
                   on_skip: Callable[[Skipped], None] | None = None,
                   is_known: Callable[[str], bool] | None = None,
                   on_known: Callable[..., None] | None = None,
                   stdin_id: str | None = None, extra_inputs: Iterable[Any] = ()) -> Iterator[Document]:
    """Read and clean inputs, recording every unusable one in ``summary.skipped``.

    ``is_known(content_hash)`` lets the caller skip inputs it already has before they are cleaned
    (``on_known(source, raw, content_hash)`` is told about each), so re-ingesting an unchanged corpus
    costs only reading and hashing."""
    from sitrep.ingest.document import make_document, raw_hash
    from sitrep.ingest.readers import InputError, iter_inputs

    def skip(item: Skipped) -> None:
        summary.skipped.append(item)
        if on_skip:
            on_skip(item)

    for item in itertools.chain(iter_inputs(paths, settings, stdin_id=stdin_id) if paths else (), extra_inputs):
        if isinstance(item, InputError):
            skip(Skipped(item.source, item.reason, item.line))
            continue
        # a JSONL record is reported by its file and line, like the reader's own errors
        where, line = str(item.meta.get("file", item.source)), item.meta.get("line")
        try:
            digest = raw_hash(item)
            if is_known is not None and is_known(digest):
                if on_known:
                    on_known(item.source, item, digest)
                continue
            yield make_document(item, settings)
        except ValueError as exc:
            skip(Skipped(where, str(exc), line))
        except Exception as exc:  # noqa: BLE001 - one bad file never stops the run
            skip(Skipped(where, f"could not be processed ({type(exc).__name__}: {exc})", line))


def _batches(docs: Iterable[_Pending], size: int, max_chars: int | None = None) -> Iterator[list[_Pending]]:
    """Batches of at most ``size`` documents and ``max_chars`` characters of text (a single larger
    document is a batch of its own), so that memory per batch is bounded by size as well as count."""
    batch: list[_Pending] = []
    chars = 0
    for d in docs:
        n = len(d.document.text)
        if batch and max_chars is not None and chars + n > max_chars:
            yield batch
            batch, chars = [], 0
        batch.append(d)
        chars += n
        if len(batch) >= size:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def analyse_remote(documents: list[Document], settings: Settings) -> list[DocResult]:
    """:func:`analyse_batch` where the documents were sent to (a pool or Dask worker): each result goes
    back with a stand-in for its document (its id, source and meta, where analysis leaves the
    near-duplicate signature), since the sending process still holds the document itself
    (:func:`_reattach`): about a third less to pickle and unpickle per document."""
    results = analyse_batch(documents, settings)
    for r in results:
        d = r.document
        r.document = Document(id=d.id, source=d.source, raw="", text="", content_hash=d.content_hash, meta=d.meta)
    return results


def _for_analysis(document: Document) -> Document:
    """The document as a worker needs it: without the raw text, its offsets and the removed lines, which
    analysis never reads (the writing process keeps the document whole)."""
    return replace(document, raw="", offsets=[], removed=[])


def _reattach(results: list[DocResult], documents: list[Document]) -> list[DocResult]:
    """Give results that came back from a worker (:func:`analyse_remote`) their whole documents, with the
    meta that analysis wrote (the near-duplicate signature)."""
    for r, d in zip(results, documents, strict=True):
        if r.document.id != d.id:
            raise RuntimeError(f"a worker returned the result of {r.document.source} in place of {d.source}")
        d.meta = r.document.meta
        r.document = d
    return results


def _pieces(batch: list[Document], workers: int) -> list[list[Document]]:
    """A batch cut into about ``2 * workers`` pieces for the workers to share: when the corpus runs out,
    the last batch keeps every worker busy instead of one (analysis does not depend on how documents are
    grouped: each is parsed and analysed alone)."""
    size = max(1, -(-len(batch) // (2 * workers)))
    return [batch[i:i + size] for i in range(0, len(batch), size)]


class Executor:
    """Runs ``analyse_batch`` somewhere and yields results in submission order, with bounded in-flight work.

    With worker processes or a Dask cluster, each batch is cut into pieces (:func:`_pieces`) that travel
    without what analysis does not read (:func:`_for_analysis`) and come back without their documents
    (:func:`analyse_remote`); the batch is whole again, in order, before it is yielded.  Every worker
    loads the model for the run's settings once, when it starts (:func:`warm`)."""

    def __init__(self, workers: int = 1, scheduler: str | None = None, settings: Settings | None = None) -> None:
        self.workers = max(1, workers)
        self.scheduler = scheduler
        self.settings = settings or Settings()
        self._pool: Any = None
        self._client: Any = None
        self._cluster: Any = None

    def __enter__(self) -> Executor:
        if self.scheduler:
            from sitrep.scale.dask_runner import connect

            self._client, self._cluster = connect(self.scheduler, self.workers, warm=partial(warm, self.settings))
        elif self.workers > 1:
            import multiprocessing as mp

            ctx = mp.get_context("spawn")
            self._pool = ctx.Pool(self.workers, initializer=_warm_worker, initargs=(self.settings,))
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
        if self._client is None and self._pool is None:
            work = partial(analyse_batch, settings=self.settings)
            for batch in batches:
                yield work(batch)
            return
        remote = partial(analyse_remote, settings=self.settings)
        sent: deque[tuple[list[Document], int]] = deque()  # each batch and its number of pieces, in order

        def pieces() -> Iterator[list[Document]]:
            for batch in batches:
                parts = _pieces(batch, self.workers)
                sent.append((batch, len(parts)))
                for part in parts:
                    yield [_for_analysis(d) for d in part]

        if self._client is not None:
            from sitrep.scale.dask_runner import map_batches

            done = map_batches(self._client, pieces(), max_in_flight=self.workers * 2 + 2, func=remote)
        else:
            done = self._pool.imap(remote, pieces(), chunksize=1)
        for first in done:
            batch, count = sent.popleft()
            results = list(first)
            for _ in range(count - 1):
                results.extend(next(done))
            yield _reattach(results, batch)


def _warm_worker(settings: Settings) -> None:
    """A pool worker's start: :func:`warm`; a failure is logged and left to the batches, which then fail
    with it (and are reported by the run), since a pool whose workers die at start restarts them forever."""
    try:
        warm(settings)
    except Exception as exc:  # noqa: BLE001 - reported through the batches' own failure
        log.warning("worker start-up failed: %s", exc)


def _describe_batch(number: int, batch: list[_Pending]) -> str:
    names = [p.document.source for p in batch]
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return f"batch {number} ({len(names)} document{'s' if len(names) != 1 else ''}: {shown})"


class _Identities:
    """What this run has seen: where each content was found, and which document each source got."""

    def __init__(self) -> None:
        self.seen_at: dict[str, str] = {}  # document id -> first source it was found at
        self.also_at: dict[str, str] = {}  # document id -> another source it was found at
        self.run_sources: dict[str, str] = {}  # source -> id of the document this run gave it
        self.removed: dict[str, str] = {}  # ids deleted as replaced -> their source

    def saw(self, doc_id: str, source: str) -> None:
        first = self.seen_at.setdefault(doc_id, source)
        if first != source:
            self.also_at.setdefault(doc_id, source)

    def elsewhere(self, doc_id: str, source: str) -> str | None:
        """A source other than ``source`` where this run found the content of ``doc_id``."""
        for where in (self.seen_at.get(doc_id), self.also_at.get(doc_id)):
            if where is not None and where != source:
                return where
        return None


def run_ingest(
    paths: list[str],
    store: Store,
    settings: Settings | None = None,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    on_progress: Callable[[int, str], None] | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
    stdin_id: str | None = None,
    extra_inputs: Iterable[Any] = (),
    command: str = "ingest",
) -> IngestSummary:
    """Ingest ``paths`` into ``store`` with ``settings`` (``workers``, when given, overrides
    ``settings.workers``); returns a summary.  Never raises for bad input: a failure of the
    store or of the analysis stops the run with ``summary.error`` saying what was not stored."""
    from sitrep.ingest.document import given_fields, given_metadata
    from sitrep.ingest.readers import identified_by_content

    settings = settings or Settings()
    if workers is not None and workers != settings.workers:
        settings = replace(settings, workers=max(1, workers))
    summary = IngestSummary()
    ids = _Identities()
    fresh_ids: set[str] = set()  # documents yielded by this run (exact duplicates inside the run)

    def known(digest: str) -> bool:
        return digest[:16] in fresh_ids or store.has_content(digest)

    def count_duplicate(source: str) -> None:
        summary.duplicates += 1
        if on_progress:
            on_progress(1, source)

    def on_known(source: str, raw: Any, digest: str) -> None:
        ids.saw(digest[:16], source)
        if digest[:16] not in fresh_ids:
            given = given_fields(raw)  # normalised (given_metadata) only when they differ from what is stored
            if given:
                changed = store.update_metadata(digest, given, normalise=partial(given_metadata, raw))
                if changed:
                    summary.updated += 1
                    summary.warnings.append(f"{source}: known article; updated its {', '.join(changed)}")
            if not identified_by_content(source):
                stale = store.stale_versions(source, digest)
                if stale:  # an earlier run stopped between writing this version and removing the old one
                    pending_deletes.extend((old, source) for old in stale)
        count_duplicate(source)

    pending_deletes: list[tuple[str, str]] = []  # (id, source): stale versions found on known inputs

    def fresh() -> Iterator[_Pending]:
        for doc in iter_documents(paths, settings, summary, on_skip, is_known=known, on_known=on_known,
                                  stdin_id=stdin_id, extra_inputs=extra_inputs):
            if store.has_content(doc.content_hash):  # stored by a concurrent ingest since the hash check
                ids.saw(doc.id, doc.source)
                count_duplicate(doc.source)
                continue
            older: list[str] = []
            if not identified_by_content(doc.source):
                earlier = ids.run_sources.get(doc.source)
                if earlier is not None:
                    older.append(earlier)
                    summary.warnings.append(f"{doc.source}: appears again in this run with other content; "
                                            "the later version replaces the earlier one")
                older += [old for old in store.stale_versions(doc.source, doc.content_hash) if old not in older]
                ids.run_sources[doc.source] = doc.id
            ids.saw(doc.id, doc.source)
            fresh_ids.add(doc.id)
            if ids.removed.pop(doc.id, None) is not None:  # replaced earlier in this run, found again here
                summary.replaced -= 1
                summary.moved += 1
                summary.warnings.append(f"{doc.source}: content of an earlier version found here; kept here")
            yield _Pending(doc, older)

    pending_batches: list[list[_Pending]] = []

    def doc_batches() -> Iterator[list[Document]]:
        for batch in _batches(fresh(), settings.batch_size, settings.max_batch_chars):
            pending_batches.append(batch)
            yield [p.document for p in batch]

    number = 0
    begin_run = getattr(store, "begin_run", None)  # every ingest is a recorded run (sitrep runs)
    if begin_run is not None:
        try:
            summary.run_id = begin_run(command, [*paths, *(getattr(extra_inputs, "names", []))])
        except StoreError as exc:
            summary.error, summary.error_kind = f"the run could not be recorded: {exc}", "store"
            return summary
    try:
        with Executor(settings.workers, scheduler, settings) as executor:
            for results in executor.map(doc_batches()):
                batch = pending_batches.pop(0)
                number += 1
                try:
                    _write(store, batch, results, ids, summary, settings, pending_deletes, on_progress)
                except StoreError as exc:
                    summary.error = f"{_describe_batch(number, batch)} was not stored: {exc}"
                    summary.error_kind = "store"
                    break
            else:
                if pending_deletes:
                    try:
                        _write(store, [], [], ids, summary, settings, pending_deletes, on_progress)
                    except StoreError as exc:
                        summary.error = f"old versions of changed articles were not removed: {exc}"
                        summary.error_kind = "store"
    except StoreError as exc:  # raised while reading (e.g. the database became unreadable)
        summary.error, summary.error_kind = f"the run stopped: {exc}", "store"
    except SchedulerError as exc:
        summary.error, summary.error_kind = str(exc), "run"
        _end_run(store, summary)
        raise
    except Exception as exc:  # noqa: BLE001 - the run fails with a message, never a traceback
        where = _describe_batch(number + 1, pending_batches[0]) if pending_batches else "the run"
        summary.error = f"analysis failed; {where} was not stored: {type(exc).__name__}: {exc}"
        summary.error_kind = "run"
    from sitrep.store.decisions import apply_all  # the analyst's corrections win over extraction

    try:
        apply_all(store)
    except StoreError as exc:
        summary.error = summary.error or f"analyst decisions were not re-applied: {exc}"
        summary.error_kind = summary.error_kind or "store"
    _end_run(store, summary)
    return summary


def _end_run(store: Store, summary: IngestSummary) -> None:
    """Record how the run ended: its counts, what it skipped and why, and its status."""
    if summary.run_id is None:
        return
    counts = {k: v for k, v in summary.to_dict().items() if isinstance(v, int) and k != "run_id"}
    skipped = summary.to_dict()["skipped"]
    status = "failed" if summary.error else ("skipped" if summary.skipped else "ok")
    try:
        store.end_run(summary.run_id, counts, skipped, status)  # type: ignore[attr-defined]
    except (StoreError, *store.driver_errors) as exc:
        summary.warnings.append(f"the end of run {summary.run_id} was not recorded: {exc}")


def _write(store: Store, batch: list[_Pending], results: list[DocResult], ids: _Identities,
           summary: IngestSummary, settings: Settings, pending_deletes: list[tuple[str, str]],
           on_progress: Callable[[int, str], None] | None) -> None:
    """Write one analysed batch: replacements, moves and documents in one transaction."""
    in_batch = {p.document.id for p in batch}
    superseded = {old for p in batch for old in p.replace if old in in_batch}  # replaced within this batch
    deletes: list[str] = []
    moves: dict[str, str] = {}
    for source, olds in [(p.document.source, p.replace) for p in batch] + [(s, [o]) for o, s in pending_deletes]:
        for old in olds:
            if old in superseded or old in deletes or old in moves:
                continue
            where = ids.elsewhere(old, source)
            if where is not None:
                moves[old] = where
            else:
                deletes.append(old)
    pending_deletes.clear()
    keep = [(p, r) for p, r in zip(batch, results, strict=True) if p.document.id not in superseded]
    failed: dict[str, str] = {}
    written = set(store.write_batch([r for _, r in keep], replace=deletes, moves=moves, failed=failed,
                                    near_duplicate_threshold=settings.near_duplicate_threshold))
    summary.replaced += len(deletes) + len(superseded)
    for old in deletes:
        ids.removed[old] = ""
    if len(ids.removed) > 100_000:
        ids.removed.clear()
    for where in moves.values():
        summary.moved += 1
        summary.warnings.append(f"{where}: content of an earlier version kept here (it is still present)")
    for p, r in zip(batch, results, strict=True):
        doc = p.document
        if doc.id in superseded:
            pass
        elif doc.id in failed:
            summary.skipped.append(Skipped(str(doc.meta.get("file", doc.source)), failed[doc.id], doc.meta.get("line")))
        elif doc.id in written:
            summary.ingested += 1
            summary.words += len(doc.text.split())
            if r.document.near_duplicate_of:
                summary.near_duplicates += 1
        else:
            summary.duplicates += 1
        summary.warnings.extend(f"{doc.source}: {w}" for w in r.warnings)
        if on_progress:
            on_progress(1, doc.source)
