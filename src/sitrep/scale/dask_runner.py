"""Run the pipeline's batch analysis on a Dask cluster.

* ``connect("local", n)`` starts a :class:`distributed.LocalCluster` of ``n``
  single-threaded worker processes (no dashboard) and returns ``(client, cluster)``;
  ``connect("tcp://HOST:PORT", n)`` attaches to a running scheduler and returns
  ``(client, None)`` (its workers need sitrep and a spaCy model installed).
* :func:`map_batches` submits batches of documents and yields their results in
  submission order, never holding more than ``max_in_flight`` batches on the
  cluster, so memory stays flat however large the corpus.

spaCy is loaded once per worker process: :func:`sitrep.nlp.get_nlp` and
:func:`sitrep.data.load_gazetteer` cache per process, and :func:`connect` warms
every worker up front (with the pipeline's ``warm`` for the run's settings, so the
model a batch asks for is the one already loaded) so the first batches do not all
pay the model load.
"""

from __future__ import annotations

import logging
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sitrep.models import DocResult, Document

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 30


class SchedulerError(RuntimeError):
    """The Dask scheduler could not be started or reached; the message says which and why."""


def warm_worker() -> str:
    """Load spaCy and the gazetteer with the default settings in this (worker) process; returns the model
    name.  A run warms its workers with its own settings (the ``warm`` argument of :func:`connect`)."""
    from sitrep.data import load_gazetteer
    from sitrep.nlp import get_nlp

    nlp = get_nlp()
    load_gazetteer()
    return str(nlp.meta.get("name", "?"))


def connect(scheduler: str, workers: int, warm: Callable[[], Any] | None = None) -> tuple[Any, Any | None]:
    """Start a LocalCluster (``"local"``) or connect to ``tcp://HOST:PORT``; return ``(client, cluster)``.
    Every worker runs ``warm`` (default :func:`warm_worker`) once before the first batch."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - dask is a declared dependency
        raise SchedulerError("--scheduler needs the 'distributed' package (pip install distributed)") from exc

    workers = max(1, int(workers))
    cluster = None
    if scheduler == "local":
        try:
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            client = Client(cluster)
        except Exception as exc:
            if cluster is not None:
                cluster.close()
            raise SchedulerError(f"could not start a local Dask cluster: {exc}") from exc
    else:
        address = scheduler if "://" in scheduler else f"tcp://{scheduler}"
        try:
            client = Client(address, timeout=CONNECT_TIMEOUT_S)
        except Exception as exc:
            raise SchedulerError(f"could not reach the Dask scheduler at {address}: {exc}") from exc
    try:
        client.run(warm or warm_worker)
    except Exception as exc:  # noqa: BLE001 - a worker that cannot load spaCy fails its tasks visibly later
        log.warning("warming Dask workers failed: %s", exc)
    return client, cluster


def map_batches(client: Any, batches: Iterable[list[Document]], max_in_flight: int = 4, *,
                func: Callable[[list[Document]], list[DocResult]]) -> Iterator[list[DocResult]]:
    """Run ``func`` (the pipeline's ``analyse_batch`` with the run's settings bound to it) on each of
    ``batches`` on the cluster; yield each batch's results in submission order.

    At most ``max_in_flight`` batches are submitted and not yet yielded; a batch
    whose task fails raises here (after Dask's own retries), and futures still in
    flight are cancelled when the consumer stops early.  The function is passed in,
    so this module does not import the pipeline (no import cycle).
    """
    max_in_flight = max(1, int(max_in_flight))
    run = uuid.uuid4().hex[:8]
    pending: deque[Any] = deque()
    try:
        for i, batch in enumerate(batches):
            pending.append(client.submit(func, batch, key=f"sitrep-analyse-{run}-{i}", retries=1))
            while len(pending) >= max_in_flight:
                yield _take(pending)
        while pending:
            yield _take(pending)
    finally:
        if pending:
            try:
                client.cancel(list(pending))
            except Exception:  # noqa: BLE001 - the client may already be closing
                pass


def _take(pending: deque[Any]) -> list[DocResult]:
    future = pending.popleft()
    try:
        return future.result()
    finally:
        future.release()
