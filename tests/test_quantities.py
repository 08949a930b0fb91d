"""Quantities: subject resolution, what is counted, bounds, and what must be skipped.

Rule tests use invented names and places (``handparse.NAMES`` and a few more); the test over the seed
articles reads their real text from ../shared at run time.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from handparse import NAMES, context, real_gazetteer

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "corpus" / "seeds"
GOLD = SHARED / "eval" / "gold"

INVENTED = {**NAMES, "Vale Defence Forces": ("actor:vale-forces", "armed_group", None, None)}
ARCADIA = SimpleNamespace(id="place:XA", name="Arcadia", kind="country", aliases=[], parent=None, country="XA",
                          lat=None, lon=None)


class _InventedGazetteer:
    """The real gazetteer, which also knows the adjective of nationality "Arcadian"."""

    def __init__(self, real: Any) -> None:
        self._real = real

    def country_of_demonym(self, word: str) -> Any:
        return ARCADIA if word.lower() == "arcadian" else self._real.country_of_demonym(word)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


@pytest.fixture(scope="module")
def invented():
    """invented text -> (ctx, quantities): the invented names as mentions, sources filled."""
    from sitrep.extract.attribution import attribute
    from sitrep.extract.quantities import extract_quantities
    from sitrep.nlp import get_nlp

    nlp, gazetteer = get_nlp(), _InventedGazetteer(real_gazetteer())

    def run(text: str):
        ctx = context(nlp, text, INVENTED, gazetteer=gazetteer)
        attribute(ctx)
        return ctx, extract_quantities(ctx)

    return run


@pytest.fixture(scope="module")
def quantities():
    """real text -> (ctx, quantities) with the pipeline's entities and sources; spaCy loaded once."""
    from conftest import attributed_context
    from sitrep.extract.quantities import extract_quantities

    def run(text: str):
        ctx = attributed_context(text)
        return ctx, extract_quantities(ctx)

    return run


def _norm(s: str) -> str:
    return re.sub(r"[\W_]+", "", s.lower())


def _about(ctx, q, name: str) -> bool:
    ent = ctx.entities.get(q.subject_key)
    names = {_norm(q.subject_key)} if ent is None else {_norm(ent.name), *(_norm(a) for a in ent.aliases)}
    return _norm(name) in names


def _find(ctx, qs, name: str, low, high):
    return [q for q in qs if _about(ctx, q, name) and q.low == low and q.high == high]


def _of(qs, key: str, low, high):
    return [q for q in qs if (q.subject_key, q.low, q.high) == (key, low, high)]


def _seen(qs) -> list[tuple[str, Any, Any]]:
    return [(q.subject_key, q.low, q.high) for q in qs]


def test_the_group_resolves_to_the_previous_subject(invented) -> None:
    _ctx, qs = invented(
        "The Red Hand Brigade, the Arcadian affiliate of the Northern Front, remains the main threat in the region. "
        "The group is thought to field between 7,000 and 9,000 fighters."
    )
    hits = _of(qs, "actor:red-hand", 7000, 9000)
    assert hits and hits[0].what == "fighters" and hits[0].qualifier == "between", _seen(qs)


def test_actor_named_on_the_counted_noun(invented) -> None:
    _ctx, qs = invented("Arcadia hosts an estimated 800 Red Hand Brigade fighters, with about 1,500 including families.")
    assert _of(qs, "actor:red-hand", 800, 800), _seen(qs)
    assert _of(qs, "actor:red-hand", 1500, 1500), _seen(qs)


def test_groups_in_a_place_count_for_the_place(invented) -> None:
    _ctx, qs = invented("More than 15 armed groups operate in Arcadia.")
    hits = _of(qs, "place:XA", 15, None)
    assert hits and hits[0].qualifier == "more than", _seen(qs)


def test_upper_bound(invented) -> None:
    _ctx, qs = invented("The Red Hand Brigade has set up up to six new camps in Arcadia.")
    assert _of(qs, "actor:red-hand", None, 6), _seen(qs)


def test_subject_of_the_verb(invented) -> None:
    _ctx, qs = invented("The Vale Defence Forces hold some 10,000 prisoners.")
    assert _of(qs, "actor:vale-forces", 10000, 10000), _seen(qs)


def test_casualties_dates_and_money_are_skipped(invented) -> None:
    _ctx, qs = invented(
        "Red Hand Brigade fighters killed 12 soldiers on 3 March 2021. "
        "In 2019 the Northern Front received $40 million. Turnout rose by 10 per cent."
    )
    assert qs == [], _seen(qs)


def test_quantity_claim_offsets(invented) -> None:
    text = "Experts say the Red Hand Brigade has about 5,000 fighters."
    _ctx, qs = invented(text)
    assert qs
    q = qs[0]
    assert text[q.claim.start : q.claim.end] == q.text == "about 5,000"
    assert q.claim.source_text == "Experts"


@pytest.mark.skipif(not GOLD.is_dir(), reason="shared gold files not present")
def test_seed_quantities(quantities) -> None:
    from sitrep.ingest.document import make_document
    from sitrep.ingest.readers import iter_inputs

    tp = pred = gold_n = 0
    for gf in sorted(GOLD.glob("*.gold.json")):
        gold = json.loads(gf.read_text())
        doc = make_document(next(iter(iter_inputs([str(SEEDS / gold["doc"])]))))
        ctx, qs = quantities(doc.text)
        pred += len(qs)
        gold_n += len(gold["quantities"])
        for g in gold["quantities"]:
            if _find(ctx, qs, g["subject"], g["low"], g["high"]):
                tp += 1
    assert tp / max(pred, 1) >= 0.8 and tp / max(gold_n, 1) >= 0.7, (tp, pred, gold_n)


def test_several_hundred_is_not_a_count() -> None:
    from sitrep.extract.numbers import find_numbers
    from sitrep.extract.quantities import _skip_number

    text = "Borealia keeps several hundred troops in the country."
    ns = [n for n in find_numbers(text) if "hundred" in n.text][0]
    assert _skip_number(text, text, ns)


@pytest.mark.parametrize(
    ("text", "key", "low", "high"),
    [
        # an adjective of nationality on the counted noun names the country
        ("About 400 Arcadian advisers are based in the region.", "place:XA", 400, 400),
        # "fewer than": an upper bound
        ("The Red Hand Brigade keeps fewer than 800 fighters in the capital.", "actor:red-hand", None, 800),
        # "as many as" after "number" as a verb: what its subject counts
        ("Officials said Red Hand forces could number as many as 200,000.", "actor:red-hand", None, 200_000),
        # a qualifier before a range keeps the range
        ("Analysts say Red Hand Brigade units number no more than five to ten men.", "actor:red-hand", 5, 10),
        # "a dozen" is a number
        ("The Red Hand Brigade has retaken more than a dozen villages since June.", "actor:red-hand", 12, None),
        # the owner of things "launched by X", not the one who shot them down
        ("Navy warships intercepted 12 drones launched by the Red Hand Brigade.", "actor:red-hand", 12, 12),
        # attacks launched by an armed group are its count, not a place's
        ("The Red Hand Brigade has launched more than 30 attacks on ships, saying they act for the people of "
         "Kessel.", "actor:red-hand", 30, None),
    ],
)
def test_general_constructions(invented, text: str, key: str, low, high) -> None:
    _ctx, qs = invented(text)
    assert _of(qs, key, low, high), _seen(qs)


def test_descriptive_noun_matches_a_name(invented) -> None:
    _ctx, qs = invented(
        "Fighting went on near the dam held by the Vale Defence Forces. "
        "The force is estimated to include about 60,000 members."
    )
    assert _of(qs, "actor:vale-forces", 60000, 60000), _seen(qs)


def test_the_group_prefers_the_earlier_subject_over_a_possessor(invented) -> None:
    _ctx, qs = invented(
        "The Red Hand Brigade is led by a former preacher. "
        "Officials believe he also runs the Northern Front's regional office. "
        "Analysts estimate the group has 600-1,000 fighters."
    )
    assert _of(qs, "actor:red-hand", 600, 1000), _seen(qs)


def test_coalition_in_apposition_owns_its_relative_clause(invented) -> None:
    _ctx, qs = invented(
        "The militia is part of the Vale Defence Forces, a broad umbrella of armed factions "
        "that has claimed more than 40 attacks since May."
    )
    assert _of(qs, "actor:vale-forces", 40, None), _seen(qs)


@pytest.mark.parametrize(
    "text",
    [
        "The Red Hand Brigade and the Northern Front fought in Vale. The two groups clash often in Arcadia.",
        "Red Hand Brigade fighters attacked the Tower 22 outpost in Arcadia.",
        "Two Arcadian officers said their units withdrew from the town.",
        "Borealia said it had lost four soldiers in the fighting.",
        "Most read: President Tarrow approves recruitment of 10,000 new soldiers",
    ],
)
def test_not_counts(invented, text: str) -> None:
    _ctx, qs = invented(text)
    assert qs == [], _seen(qs)
