"""Relation frames added for real pages, on invented names: nouns of action, help, place lists, pronoun
owners, nationality adjectives, and the cue words and frames that live in relations.yaml.

Mentions of the invented names are placed by hand (no entity extractor involved); the sentences are
parsed by the project's spaCy pipeline."""

from __future__ import annotations

import re
from typing import Any

import pytest

from handparse import StubGazetteer
from sitrep.extract.context import ExtractionContext
from sitrep.extract.relations import extract_relations
from sitrep.models import Document, Entity, Mention

# surface -> (key, kind, country)
NAMES: dict[str, tuple[str, str, str | None]] = {
    "Red Hand Brigade": ("actor:red-hand", "armed_group", None),
    "Blue Order": ("actor:blue-order", "armed_group", None),
    "Arcadia": ("place:XA", "country", "XA"),
    "Borealia": ("place:XB", "country", "XB"),
    "Vale": ("place:XA-V", "province", "XA"),
    "Dunmore": ("place:XA-D", "province", "XA"),
    "Kessel": ("place:XA-K", "province", "XA"),
    "Mira Tal": ("person:mira-tal", "person", None),
}


GAZETTEER = StubGazetteer({"Borealian": "place:XB"})


def _rels(nlp: Any, text: str) -> set[tuple[str, str, str, str]]:
    doc = Document(id="d1", source="t", raw=text, text=text, content_hash="x")
    ctx = ExtractionContext(document=doc, sdoc=nlp(text), gazetteer=GAZETTEER)  # type: ignore[arg-type]
    for name, (key, kind, country) in NAMES.items():
        for m in re.finditer(rf"\b{re.escape(name)}\b", text):
            sent = ctx.sentence_of(m.start())
            ctx.mentions.append(Mention("d1", m.start(), m.end(), name, kind, key,
                                        sent_start=sent.start_char if sent else 0,
                                        sent_end=sent.end_char if sent else len(text)))
            ctx.entities.setdefault(key, Entity(key=key, name=name, kind=kind, country=country))
    ctx.mentions.sort(key=lambda m: m.start)
    return {(r.subject_key, r.type, r.object_key, r.claim.polarity) for r in extract_relations(ctx)}


HOSTILE = ("actor:red-hand", "hostile_to", "actor:blue-order", "asserted")


@pytest.mark.parametrize("text", [
    "The Red Hand Brigade launched an offensive against the Blue Order in the hills.",
    "The Red Hand Brigade's campaign against the Blue Order has intensified.",
    "For years the Red Hand Brigade waged war on the Blue Order.",
])
def test_a_noun_of_action_against_an_actor_makes_its_owner_hostile(nlp: Any, text: str) -> None:
    facts = _rels(nlp, text)
    assert HOSTILE in facts or (HOSTILE[2], HOSTILE[1], HOSTILE[0], HOSTILE[3]) in facts
    assert not any(f[1] == "part_of" for f in facts)  # "B's campaign against A" is no affiliation


def test_with_the_support_of_makes_a_supporter(nlp: Any) -> None:
    facts = _rels(nlp, "The Red Hand Brigade, with the support of Borealia, seized the port.")
    assert ("place:XB", "supports", "actor:red-hand", "asserted") in facts


def test_every_place_of_a_list_of_held_areas(nlp: Any) -> None:
    facts = _rels(nlp, "The Red Hand Brigade controls large areas of Vale, and parts of the nearby provinces "
                       "of Dunmore and Kessel.")
    for place in ("place:XA-V", "place:XA-D", "place:XA-K"):
        assert ("actor:red-hand", "operates_in", place, "asserted") in facts, facts


def test_a_nationality_adjective_on_forces_stands_for_the_state(nlp: Any) -> None:
    facts = _rels(nlp, "Borealia sent envoys. The Red Hand Brigade fought Borealian troops for a week.")
    assert ("actor:red-hand", "hostile_to", "place:XB", "asserted") in facts


def test_a_title_after_a_nationality_adjective_leads_that_state(nlp: Any) -> None:
    facts = _rels(nlp, "Borealian President Mira Tal flew to Arcadia on Sunday, and Borealia later confirmed it.")
    assert ("person:mira-tal", "leads", "place:XB", "asserted") in facts


def test_a_refusal_leaves_a_relation_unsaid(nlp: Any) -> None:
    facts = _rels(nlp, "The Red Hand Brigade refused to say whether it fought the Blue Order.")
    assert not any(f[1] == "hostile_to" for f in facts)


def test_a_new_cue_word_is_a_data_change(nlp: Any) -> None:
    from sitrep.extract.relations_lexicon import lexicon

    assert "offensive" in lexicon().cues["hostile_action_nouns"]  # the noun frame reads the word from data
    assert all(isinstance(w, str) and w == w.lower() for ws in lexicon().cues.values() for w in ws)
