"""Quantities: subject resolution, what is counted, bounds, and what must be skipped."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "corpus" / "seeds"
GOLD = SHARED / "eval" / "gold"


@pytest.fixture(scope="module")
def quantities():
    """text -> (ctx, quantities); spaCy loaded once for the module."""
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


def test_the_group_resolves_to_the_previous_subject(quantities) -> None:
    ctx, qs = quantities(
        "Al-Shabaab, the Somali affiliate of Al-Qaeda, remains the main threat in the region. "
        "The group is thought to field between 7,000 and 9,000 fighters."
    )
    hits = _find(ctx, qs, "Al-Shabaab", 7000, 9000)
    assert hits and hits[0].what == "fighters" and hits[0].qualifier == "between"


def test_actor_named_on_the_counted_noun(quantities) -> None:
    ctx, qs = quantities("Mali hosts an estimated 800 Islamic State Sahel Province fighters, with about 1,500 including families.")
    assert _find(ctx, qs, "Islamic State Sahel Province", 800, 800)
    assert _find(ctx, qs, "Islamic State Sahel Province", 1500, 1500)


def test_groups_in_a_place_count_for_the_place(quantities) -> None:
    ctx, qs = quantities("More than 15 armed groups operate in Mali.")
    hits = _find(ctx, qs, "Mali", 15, None)
    assert hits and hits[0].qualifier == "more than"


def test_upper_bound(quantities) -> None:
    ctx, qs = quantities("Al-Shabaab has set up up to six new camps in Somalia.")
    assert _find(ctx, qs, "Al-Shabaab", None, 6)


def test_subject_of_the_verb(quantities) -> None:
    ctx, qs = quantities("The Syrian Democratic Forces hold some 10,000 prisoners.")
    assert _find(ctx, qs, "Syrian Democratic Forces", 10000, 10000)


def test_casualties_dates_and_money_are_skipped(quantities) -> None:
    ctx, qs = quantities(
        "Al-Shabaab fighters killed 12 soldiers on 3 March 2021. "
        "In 2019 the Houthis received $40 million. Turnout rose by 10 per cent."
    )
    assert qs == []


def test_quantity_claim_offsets(quantities) -> None:
    text = "Experts say Al-Shabaab has about 5,000 fighters."
    ctx, qs = quantities(text)
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

    text = "The United States keeps several hundred troops in the country."
    ns = [n for n in find_numbers(text) if "hundred" in n.text][0]
    assert _skip_number(text, text, ns)


@pytest.mark.parametrize(
    ("text", "name", "low", "high"),
    [
        # an adjective of nationality on the counted noun names the country
        ("About 400 Chadian advisers are based in the region.", "Chad", 400, 400),
        # "fewer than": an upper bound
        ("Al-Shabaab keeps fewer than 800 fighters in the capital.", "Al-Shabaab", None, 800),
        # "as many as" after "number" as a verb: what its subject counts
        ("Officials said Houthi forces could number as many as 200,000.", "Houthis", None, 200_000),
        # a qualifier before a range keeps the range
        ("Analysts say Al-Shabaab units number no more than five to ten men.", "Al-Shabaab", 5, 10),
        # "a dozen" is a number
        ("Al-Shabaab has retaken more than a dozen villages since June.", "Al-Shabaab", 12, None),
        # the owner of things "launched by X", not the one who shot them down
        ("Navy warships intercepted 12 drones launched by the Houthis.", "Houthis", 12, 12),
        # attacks launched by an armed group are its count, not a place's
        ("The Houthis have launched more than 30 attacks on ships, saying they act for Palestinians in Gaza.",
         "Houthis", 30, None),
    ],
)
def test_general_constructions(quantities, text: str, name: str, low, high) -> None:
    ctx, qs = quantities(text)
    assert _find(ctx, qs, name, low, high), [(q.subject_key, q.low, q.high) for q in qs]


def test_descriptive_noun_matches_a_name(quantities) -> None:
    ctx, qs = quantities(
        "Fighting went on near the dam held by the Syrian Democratic Forces. "
        "The force is estimated to include about 60,000 members."
    )
    assert _find(ctx, qs, "Syrian Democratic Forces", 60000, 60000)


def test_the_group_prefers_the_earlier_subject_over_a_possessor(quantities) -> None:
    ctx, qs = quantities(
        "Islamic State Sahel Province is led by a former preacher. "
        "Officials believe he also runs the Islamic State's regional office. "
        "Analysts estimate the group has 600-1,000 fighters."
    )
    assert _find(ctx, qs, "Islamic State Sahel Province", 600, 1000)


def test_coalition_in_apposition_owns_its_relative_clause(quantities) -> None:
    ctx, qs = quantities(
        "The militia is part of the Popular Mobilization Forces, a broad umbrella of armed factions "
        "that has claimed more than 40 attacks since May."
    )
    assert _find(ctx, qs, "Popular Mobilization Forces", 40, None)


@pytest.mark.parametrize(
    "text",
    [
        "Al-Shabaab and the Islamic State fought in Puntland. The two groups clash often in Somalia.",
        "Al-Shabaab fighters attacked the Tower 22 outpost in Somalia.",
        "Two Somali officers said their units withdrew from the town.",
        "Kenya said it had lost four soldiers in the fighting.",
        "Most read: President Ruto approves recruitment of 10,000 new soldiers",
    ],
)
def test_not_counts(quantities, text: str) -> None:
    _ctx, qs = quantities(text)
    assert qs == [], [(q.subject_key, q.low, q.high) for q in qs]
