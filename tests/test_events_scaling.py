"""Events in linear time: the work done for 2N incident sentences is about twice that for N (counted, never timed)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from sitrep.extract import events, events_merge, events_places
from sitrep.extract.context import ExtractionContext
from sitrep.models import Document, Entity, Mention

TOWNS = {
    "Arcadia": ("place:XA", "country", None),
    "Port Lumen": ("place:XA-lumen", "city", "place:XA"),
    "Dunmore": ("place:XA-dunmore", "city", "place:XA"),
    "Kessel": ("place:XA-kessel", "city", "place:XA"),
    "Varna Ridge": ("place:XA-varna", "city", "place:XA"),
}
ACTS = ("a car bomb exploded in {town}, killing {n} people",
        "gunmen attacked a market in {town}, killing {n} villagers",
        "an airstrike hit a house in {town}, killing {n} people")


@pytest.fixture(scope="module")
def nlp() -> Any:
    from sitrep.nlp import get_nlp

    return get_nlp()


def _report(n: int) -> str:
    """A long report of ``n`` distinct incidents (different tolls, so no two merge) in a few towns."""
    towns = [t for t in TOWNS if t != "Arcadia"]
    lines = ["Monthly security report on Arcadia", ""]
    for i in range(n):
        act = ACTS[i % len(ACTS)].format(town=towns[i % len(towns)], n=i + 1)
        lines.append(f"On day {i % 28 + 1} of the month, {act}.")
        lines.append("")
    return "\n".join(lines)


def _ctx(nlp: Any, text: str) -> ExtractionContext:
    doc = Document(id="long", source="test", raw=text, text=text, content_hash="x", published="2024-03-30")
    ctx = ExtractionContext(document=doc, sdoc=nlp(text), gazetteer=None)  # type: ignore[arg-type]
    for name, (key, kind, parent) in TOWNS.items():
        ctx.entities[key] = Entity(key=key, name=name, kind=kind, country="XA", parent=parent)
        for m in re.finditer(re.escape(name), text):
            ctx.mentions.append(Mention("long", m.start(), m.end(), name, kind, key, source_label="test"))
    ctx.mentions.sort(key=lambda m: m.start)
    return ctx


def _counting(counts: Counter[str], name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        counts[name] += 1
        return fn(*args, **kwargs)

    return wrapped


def _work(nlp: Any, n: int, monkeypatch: pytest.MonkeyPatch) -> tuple[Counter[str], int]:
    counts: Counter[str] = Counter()
    with monkeypatch.context() as mp:
        mp.setattr(events_merge, "compatible", _counting(counts, "compatible", events_merge.compatible))
        mp.setattr(events_places, "main_country", _counting(counts, "main_country", events_places.main_country))
        mp.setattr(events, "find_triggers", _counting(counts, "find_triggers", events.find_triggers))
        mp.setattr(events, "casualties", _counting(counts, "casualties", events.casualties))
        found = events.extract_events(_ctx(nlp, _report(n)))
    return counts, len(found)


def test_event_work_grows_linearly(nlp: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    n = 120
    small, found_small = _work(nlp, n, monkeypatch)
    large, found_large = _work(nlp, 2 * n, monkeypatch)
    # every incident is its own event: the documents really have N and 2N incidents
    assert found_small >= 0.9 * n and found_large >= 0.9 * 2 * n
    assert small["main_country"] == large["main_country"] == 1  # once per document, not per pair
    for name in ("compatible", "find_triggers", "casualties"):
        assert small[name] > 0
        assert large[name] <= 2.3 * small[name], (name, small[name], large[name])
    # comparisons per candidate stay bounded, whatever the document's length
    assert large["compatible"] <= 2 * events_merge.WINDOW * 2 * n
