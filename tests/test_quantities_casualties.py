"""Quantities on invented text: strength figures, casualty counts and their subjects, counts of other things."""

from __future__ import annotations

import re
from typing import Any

import pytest

from sitrep.extract.context import ExtractionContext
from sitrep.extract.quantities import extract_quantities
from sitrep.extract.quantities_cues import QuantityCuesError, parse_quantity_cues
from sitrep.models import Document, Entity, Mention

# Invented names: surface -> (key, kind, country, parent).
NAMES: dict[str, tuple[str, str, str | None, str | None]] = {
    "Arcadia": ("place:XA", "country", "XA", None),
    "Port Lumen": ("place:XA-lumen", "city", "XA", "place:XA"),
    "Kessel": ("place:XA-kessel", "city", "XA", "place:XA"),
    "Dunmore": ("place:XA-dunmore", "city", "XA", "place:XA"),
    "Red Hand Brigade": ("actor:red-hand", "armed_group", None, None),
    "Northern Front": ("actor:northern-front", "armed_group", None, None),
    "Arcadian Armed Forces": ("org:arcadian-army", "organization", "XA", None),
}


@pytest.fixture(scope="module")
def nlp() -> Any:
    from sitrep.nlp import get_nlp

    return get_nlp()


def quantities(nlp: Any, text: str) -> list[tuple[str, float | None, float | None, str]]:
    doc = Document(id="q1", source="test", raw=text, text=text, content_hash="x", published="2024-03-10")
    from sitrep.data import load_gazetteer

    ctx = ExtractionContext(document=doc, sdoc=nlp(text), gazetteer=load_gazetteer())
    taken: list[tuple[int, int]] = []
    for name in sorted(NAMES, key=len, reverse=True):
        key, kind, country, parent = NAMES[name]
        for m in re.finditer(rf"\b{re.escape(name)}\b", text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            ctx.mentions.append(Mention("q1", m.start(), m.end(), name, kind, key, source_label="test"))
            ctx.entities.setdefault(key, Entity(key=key, name=name, kind=kind, country=country, parent=parent))
    ctx.mentions.sort(key=lambda m: m.start)
    return [(q.subject_key, q.low, q.high, q.what) for q in extract_quantities(ctx)]


def about(found: list[tuple[str, float | None, float | None, str]], key: str, low: float | None,
          high: float | None) -> list[str]:
    return [what for k, lo, hi, what in found if (k, lo, hi) == (key, low, high)]


@pytest.mark.parametrize(
    ("text", "key", "low", "high"),
    [
        ("The Red Hand Brigade has about 2,000 armed combatants in the hills.", "actor:red-hand", 2000, 2000),
        ("Red Hand Brigade fighters, numbering about 300, crossed the river.", "actor:red-hand", 300, 300),
        ("The Northern Front says it commands some 100,000 trained fighters.", "actor:northern-front", 100_000, 100_000),
        ("Analysts put the fighters of the Northern Front at no more than 900.", "actor:northern-front", None, 900),
    ],
)
def test_strength_figures(nlp: Any, text: str, key: str, low: float | None, high: float | None) -> None:
    found = quantities(nlp, text)
    assert about(found, key, low, high), found


def test_wounded_people_count_for_the_place_of_the_incident(nlp: Any) -> None:
    found = quantities(nlp, "A bomb went off at a market in Port Lumen on Monday. Thirteen people were wounded, police said.")
    assert any("wounded" in w for w in about(found, "place:XA-lumen", 13, 13)), found


def test_wounded_soldiers_count_for_the_force_named_before(nlp: Any) -> None:
    found = quantities(nlp, "The Arcadian Armed Forces fought off an assault near Kessel. Seventeen soldiers were wounded.")
    assert about(found, "org:arcadian-army", 17, 17), found


def test_a_groups_own_dead_and_a_claimed_toll_are_quantities(nlp: Any) -> None:
    found = quantities(nlp, "Three Red Hand Brigade fighters were killed in the clash near Kessel.")
    assert about(found, "actor:red-hand", 3, 3), found
    found = quantities(nlp, "The Red Hand Brigade claimed that it had killed 40 soldiers near Kessel.")
    assert about(found, "actor:red-hand", 40, 40), found


def test_an_events_own_toll_is_not_repeated(nlp: Any) -> None:
    assert quantities(nlp, "Red Hand Brigade fighters killed 12 soldiers in Kessel on Monday.") == []
    assert quantities(nlp, "The Red Hand Brigade claimed a bombing that killed six people in Dunmore.") == []


def test_things_seized_count_for_the_one_who_took_them(nlp: Any) -> None:
    found = quantities(nlp, "The Red Hand Brigade overran the outpost in Dunmore and looted five vehicles.")
    assert any("seized" in w for w in about(found, "actor:red-hand", 5, 5)), found


@pytest.mark.parametrize(
    "text",
    [
        "The Arcadian Armed Forces said 201 attacks were prevented this year.",
        "Red Hand Brigade fighters attacked two camps near Kessel.",
        "One member of the Red Hand Brigade spoke to reporters in Kessel.",
        "The Red Hand Brigade carried out two attacks in Arcadia last week.",
    ],
)
def test_counts_of_other_things_are_no_strength(nlp: Any, text: str) -> None:
    assert quantities(nlp, text) == []


def test_cue_file_rejects_unknown_keys() -> None:
    with pytest.raises(QuantityCuesError, match="quantity_cues.yaml.*'fighter_words'"):
        parse_quantity_cues({"fighter_words": ["x"]})
    with pytest.raises(QuantityCuesError, match="missing key"):
        parse_quantity_cues({})
