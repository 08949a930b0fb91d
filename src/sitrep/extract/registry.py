"""Extractors that declare themselves: name, version, what they need and what they give.

Each extractor's entry function carries the :func:`extractor` decorator, the way spaCy's
factories declare ``requires``/``assigns``::

    @extractor("relations", version="1", requires=("parse", "mentions", "sources"), provides=("relations",))
    def extract_relations(ctx: ExtractionContext) -> list[Relation]: ...

:func:`ordered` gives the registered extractors in an order where everything an extractor
requires was provided before it ran ("parse", the spaCy parse, is there from the start), and
refuses a registry where a need is never met or the needs go round in a circle.  Running an
extractor through :meth:`Extractor.run` stamps every fact it returns with ``name@version``
(``Claim.extractor``), so the store records which extractor, and which version of it, made
each fact.

Extractors register when their module is imported; :data:`EXTRACTOR_MODULES` names the
modules :func:`ordered` imports (a plug-in adds its module there or imports it first).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from sitrep.extract.context import ExtractionContext

#: what every extractor can rely on before any has run
BASE_PROVIDES = ("parse", "document", "gazetteer", "settings")
#: modules whose import registers the standard extractors (ties in the order follow this list)
EXTRACTOR_MODULES = (
    "sitrep.extract.entities",
    "sitrep.extract.attribution",
    "sitrep.extract.relations",
    "sitrep.extract.quantities",
    "sitrep.extract.events",
    "sitrep.extract.derive",
    "sitrep.extract.attribution_denials",
)
#: provided names that are lists of facts, and the DocResult field each goes to
FACT_OUTPUTS = ("relations", "quantities", "events")

F = TypeVar("F", bound=Callable[..., Any])


class RegistryError(RuntimeError):
    """The extractor registry cannot be ordered (a need no one provides, a cycle, a name used twice)."""


@dataclass(frozen=True, slots=True)
class Extractor:
    """One registered extractor."""

    name: str
    version: str
    requires: tuple[str, ...]
    provides: tuple[str, ...]
    func: Callable[[ExtractionContext], Any]
    module: str

    @property
    def label(self) -> str:
        """``name@version``, the value stored with every fact it makes."""
        return f"{self.name}@{self.version}"

    @property
    def output(self) -> str | None:
        """The fact list it returns (``"relations"`` ...), or None when it only fills the context."""
        facts = [p for p in self.provides if p in FACT_OUTPUTS]
        return facts[0] if facts else None

    def run(self, ctx: ExtractionContext) -> Any:
        """Call the extractor; every fact returned is stamped with :attr:`label` (unless already stamped)."""
        out = self.func(ctx)
        if isinstance(out, list):
            for fact in out:
                claim = getattr(fact, "claim", None)
                if claim is not None and not getattr(claim, "extractor", None):
                    claim.extractor = self.label
        return out


_REGISTRY: dict[str, Extractor] = {}


def extractor(name: str, *, version: str, requires: Iterable[str] = (), provides: Iterable[str] = ()) -> Callable[[F], F]:
    """Register the decorated function as the extractor ``name`` (the function itself is unchanged)."""
    if not name or not version:
        raise RegistryError("an extractor needs a name and a version")

    def register(func: F) -> F:
        spec = Extractor(name, str(version), tuple(requires), tuple(provides), func, func.__module__)
        known = _REGISTRY.get(name)
        if known is not None and (known.module, known.func.__qualname__) != (spec.module, func.__qualname__):
            raise RegistryError(f"two extractors are called {name!r}: {known.module} and {spec.module}")
        _REGISTRY[name] = spec  # a re-import of the same module replaces its own entry
        return func

    return register


def registered() -> dict[str, Extractor]:
    """Every extractor registered so far, by name."""
    return dict(_REGISTRY)


def order(extractors: Iterable[Extractor], base: Iterable[str] = BASE_PROVIDES) -> list[Extractor]:
    """Extractors in an order that meets every ``requires`` before it runs.

    An extractor runs after every other extractor that provides something it requires (all
    providers of a name, so that several extractors can add to one fact list).  Ties keep the
    given order.  Raises :class:`RegistryError` for a need nothing provides, or a cycle.
    """
    items = list(extractors)
    available = set(base)
    providers: dict[str, list[int]] = {}
    for i, ex in enumerate(items):
        for p in ex.provides:
            providers.setdefault(p, []).append(i)
    before: list[set[int]] = []
    for i, ex in enumerate(items):
        deps: set[int] = set()
        for need in ex.requires:
            if need in available:
                continue
            if need not in providers:
                raise RegistryError(f"extractor {ex.name!r} requires {need!r}, which no extractor provides")
            deps.update(j for j in providers[need] if j != i)
        before.append(deps)
    out: list[Extractor] = []
    done: set[int] = set()
    while len(done) < len(items):
        ready = [i for i in range(len(items)) if i not in done and before[i] <= done]
        if not ready:
            stuck = sorted(items[i].name for i in range(len(items)) if i not in done)
            raise RegistryError(f"extractors require each other in a cycle: {', '.join(stuck)}")
        done.add(ready[0])
        out.append(items[ready[0]])
    return out


def ordered(modules: Iterable[str] = EXTRACTOR_MODULES) -> list[Extractor]:
    """The registered extractors (after importing ``modules``), in running order."""
    rank: dict[str, int] = {}
    for i, module in enumerate(modules):
        importlib.import_module(module)
        rank.setdefault(module, i)
    items = sorted(_REGISTRY.values(), key=lambda ex: (rank.get(ex.module, len(rank)), ex.name))
    return order(items)


__all__ = ["BASE_PROVIDES", "EXTRACTOR_MODULES", "Extractor", "RegistryError", "extractor", "order", "ordered",
           "registered"]
