"""Every extractor and the store write do work linear in the document: the work for a 4N-character
article is compared with that for an N-character one, counted, never timed.

Work is counted two ways: Python function calls (``cProfile`` call counts, generator steps included)
while one extractor runs, and for the store write also SQLite virtual-machine steps (the progress
handler), which count the rows a query scans.  A look-back that rescans every earlier mention, sentence
or row for each new one drives the 4N figure towards 16 times the N one; linear work keeps it near 4.
The article is invented news joined paragraph after paragraph (``conftest.invented_article``) with a
passage per article that reaches the look-backs: quotations over several sentences, first-person
statements, speakers named by surname alone, reports and denials that refer back to them.
"""

from __future__ import annotations

import cProfile
import pstats
import random
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sitrep.config import Settings
from sitrep.models import DocResult, Document, content_hash

pytestmark = pytest.mark.slow  # two spaCy parses of up to 55 KB and every extractor under cProfile

SMALL = 10  # articles in the N article; the large one has 4N
RATIO = 4 * 1.3  # allowed growth of the work for 4 times the input


def _passage(i: int, rng: random.Random, group: str, rival: str, place: str) -> str:
    """Sentences (our own wording) for the look-backs: quoted statements over several sentences in the
    first person, a speaker named in full then by surname, a report, and denials that refer back to it
    and to an attack."""
    first, last = rng.choice(("Mira", "Tomas", "Ilse", "Jonas")), rng.choice(("Castell", "Varga", "Orlov", "Dunne"))
    return "\n\n".join([
        f'"We hold the road north of the river. Our units will stay there until the talks resume," '
        f"{first} {last}, a spokesman for the {group}, said on day {i}.",
        f'{last} added that the {group} had no quarrel with the villagers. "The villagers know us. They '
        f'have nothing to fear from our men," {last} said.',
        f"A report by the monitoring mission said the {group} was allied with the {rival} and that both "
        f"received money from abroad.",
        f"The {rival} dismissed that report as lies from start to end. \"None of this is "
        f'true. We have never met them," its commander told the radio.',
        f"The {rival} also denied any involvement in the attack in {place}.",
    ])


def article(n: int, seed: int = 11) -> str:
    """An invented article of ``n`` joined reports (each with its look-back passage)."""
    from conftest import _ACTORS, _PLACES, invented_article

    rng = random.Random(seed)
    parts = []
    for i in range(n):
        _, text = invented_article(i, rng)
        group, rival = rng.sample(_ACTORS, 2)
        parts.append(text.strip() + "\n\n" + _passage(i, rng, group, rival, rng.choice(_PLACES)))
    return "\n\n".join(parts) + "\n"


def calls(fn: Callable[[], Any]) -> tuple[int, Any]:
    """(Python calls made while ``fn`` runs, its result)."""
    prof = cProfile.Profile()
    prof.enable()
    try:
        out = fn()
    finally:
        prof.disable()
    stats = pstats.Stats(prof).stats  # type: ignore[attr-defined]
    return sum(nc for (_cc, nc, _tt, _ct, _callers) in stats.values()), out


def analyse_counting(text: str) -> tuple[dict[str, int], DocResult]:
    """Run every registered extractor over ``text`` as the pipeline does, counting each one's calls."""
    from sitrep.data import load_gazetteer
    from sitrep.extract.context import ExtractionContext
    from sitrep.nlp import get_nlp
    from sitrep.pipeline import _provided_as, _stages

    digest = content_hash(text)
    doc = Document(id=digest[:16], source=f"scaling-{len(text)}.txt", raw=text, text=text, content_hash=digest,
                   format="txt", title="Scaling report", published="2024-03-02")
    settings = Settings(max_analysis_chars=len(text) + 1, max_mentions_per_document=10**9, document_time_budget_s=0)
    ctx = ExtractionContext(document=doc, sdoc=get_nlp()(text), gazetteer=load_gazetteer(), settings=settings)
    work: dict[str, int] = {}
    for name, run in _stages():
        work[name], out = calls(lambda run=run: run(ctx))
        if isinstance(out, list):
            ctx.facts.setdefault(_provided_as(name), []).extend(out)
    result = DocResult(document=doc, mentions=ctx.mentions, entities=list(ctx.entities.values()),
                       relations=list(ctx.facts.get("relations") or []),
                       quantities=list(ctx.facts.get("quantities") or []),
                       events=list(ctx.facts.get("events") or []))
    return work, result


@pytest.fixture(scope="module")
def runs() -> dict[int, tuple[dict[str, int], DocResult]]:
    analyse_counting(article(2, seed=3))  # first use loads data files and fills caches: not counted
    return {n: analyse_counting(article(n)) for n in (SMALL, 4 * SMALL)}


def test_the_article_reaches_the_look_backs(runs: dict[int, tuple[dict[str, int], DocResult]]) -> None:
    """The input exercises what the ratios are about: relations, denied ones, events, quantities."""
    small, large = runs[SMALL][1], runs[4 * SMALL][1]
    assert len(large.document.text) >= 3.9 * len(small.document.text)
    assert any(r.claim.polarity == "denied" for r in large.relations)
    assert len(large.relations) >= 2 * len(small.relations) > 0
    assert len(large.events) >= 2 * len(small.events) > 0
    assert large.quantities and large.mentions


@pytest.mark.parametrize("name", ["entities", "attribution", "relations", "quantities", "events", "derive"])
def test_extractor_work_is_linear(name: str, runs: dict[int, tuple[dict[str, int], DocResult]]) -> None:
    small, large = runs[SMALL][0], runs[4 * SMALL][0]
    assert name in small, f"no extractor named {name!r} is registered"
    assert small[name] > 0
    assert large[name] <= RATIO * small[name], (
        f"{name}: {small[name]:,} calls for {SMALL} reports, {large[name]:,} for {4 * SMALL} "
        f"({large[name] / small[name]:.1f}x for 4x the input)")


def test_every_extractor_work_is_linear(runs: dict[int, tuple[dict[str, int], DocResult]]) -> None:
    """Extractors registered later are held to the same bound (a small one may have a fixed cost)."""
    small, large = runs[SMALL][0], runs[4 * SMALL][0]
    slow = {k: round(large[k] / max(small[k], 1), 1) for k in small if large[k] > RATIO * small[k] + 2_000}
    assert not slow, f"work grew faster than the input (x for 4x): {slow}"


def _store_work(result: DocResult, folder: Path) -> tuple[int, int]:
    """(Python calls, SQLite VM steps / 100) of writing one document's result into a fresh store."""
    from sitrep.store.sqlite import SQLiteStore

    store = SQLiteStore(folder / "kb.db")
    steps = [0]

    def step() -> int:
        steps[0] += 1
        return 0

    try:
        assert isinstance(store.conn, sqlite3.Connection)
        store.conn.set_progress_handler(step, 100)
        n, written = calls(lambda: store.write_batch([result]))
        store.conn.set_progress_handler(None, 0)
        assert written == [result.document.id]
    finally:
        store.close()
    return n, steps[0]


def test_store_write_work_is_linear(runs: dict[int, tuple[dict[str, int], DocResult]], tmp_path: Path) -> None:
    (tmp_path / "n").mkdir()
    (tmp_path / "4n").mkdir()
    small_calls, small_steps = _store_work(runs[SMALL][1], tmp_path / "n")
    large_calls, large_steps = _store_work(runs[4 * SMALL][1], tmp_path / "4n")
    assert small_steps > 0 and small_calls > 0
    assert large_calls <= RATIO * small_calls, (small_calls, large_calls)
    assert large_steps <= RATIO * small_steps, (small_steps, large_steps)
