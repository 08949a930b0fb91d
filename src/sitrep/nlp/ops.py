"""The model's matrix products through NumPy's BLAS, one thread.

thinc's CPU backend multiplies matrices with ``blis``; for the layer shapes of ``en_core_web_sm``
(maxout windows of 288 x 288 over a few thousand tokens) NumPy's bundled OpenBLAS does the same
product about 2.5x faster on one core here, and the products are most of the model's time.
:class:`BlasOps` is thinc's ``NumpyOps`` with only ``gemm`` replaced; :func:`use_blas_ops` gives it
to every layer of a loaded pipeline (same weights, same model: results equal up to float rounding,
which the benchmark checks against ``sitrep eval``) and limits BLAS to one thread per process, so
that ``--workers N`` uses N cores and a comparison with bare spaCy is one core against one core.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy
from thinc.api import NumpyOps

if TYPE_CHECKING:
    from spacy.language import Language

_limits: list[Any] = []  # the threadpoolctl limit in force (kept alive for the process)


class BlasOps(NumpyOps):  # type: ignore[misc]
    """``NumpyOps`` whose ``gemm`` is ``numpy.matmul`` (BLAS)."""

    name = "numpy"

    def gemm(self, x: Any, y: Any, out: Any = None, trans1: bool = False, trans2: bool = False) -> Any:
        a = x.T if trans1 else x
        b = y.T if trans2 else y
        if out is None:
            return numpy.matmul(a, b)
        numpy.matmul(a, b, out=out)
        return out


def one_blas_thread() -> bool:
    """Limit NumPy's BLAS to one thread in this process (threadpoolctl); False when it cannot."""
    if _limits:
        return True
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - a declared dependency
        return False
    _limits.append(threadpool_limits(limits=1, user_api="blas"))
    return True


def use_blas_ops(nlp: Language, on: bool = True) -> int:
    """Give every layer of every component ``BlasOps`` (``on``) or back thinc's ``NumpyOps``; returns the
    number of layers changed.  Off where BLAS cannot be held to one thread (it would use every core)."""
    if on and not one_blas_thread():
        return 0
    ops: Any = BlasOps() if on else NumpyOps()
    changed = 0
    for _, proc in nlp.components:
        model = getattr(proc, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for node in model.walk():
            if type(node.ops) in (NumpyOps, BlasOps) and type(node.ops) is not type(ops):
                node.ops = ops
                changed += 1
    return changed


def blas_ops_in_use(nlp: Language) -> bool:
    for _, proc in nlp.components:
        model = getattr(proc, "model", None)
        if model is not None and hasattr(model, "walk"):
            return any(isinstance(node.ops, BlasOps) for node in model.walk())
    return False
