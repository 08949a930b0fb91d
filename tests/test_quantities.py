"""Quantities: subject resolution, what is counted, bounds, and what must be skipped."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sitrep.models import Document, content_hash

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "corpus" / "seeds"
GOLD = SHARED / "eval" / "gold"


@pytest.fixture(scope="module")
def quantities():
    """text -> (ctx, quantities); spaCy loaded once for the module."""
    from sitrep.data import load_gazetteer
    from sitrep.extract.attribution import attribute
    from sitrep.extract.context import ExtractionContext
    from sitrep.extract.entities import extract_entities
    from sitrep.extract.quantities import extract_quantities
    from sitrep.nlp import get_nlp

    nlp, gaz = get_nlp(), load_gazetteer()

    def run(text: str):
        doc = Document(id=content_hash(text)[:16], source="t", raw=text, text=text, content_hash=content_hash(text))
        ctx = ExtractionContext(document=doc, sdoc=nlp(text), gazetteer=gaz)
        extract_entities(ctx)
        attribute(ctx)
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
        "The group is estimated to have between 7,000 and 9,000 fighters."
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
